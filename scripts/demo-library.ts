// The demo library: one earlier episode of The Earmark Demo, "How spaced practice works", with a
// few insights written by hand for the demo, as a library archive (the export format). The
// screenshots run of `npm start -- --headless --shots DIR` imports it into its temporary profile,
// so that the popup has another episode to show "Related in your library" from; nothing else uses
// it, and a visible `npm start` never imports it. Its topics overlap the demo episode's (memory,
// review, test, listening…), which is what makes its insights related.
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, serializeArchive } from '../src/core/library/archive';
import type { EpisodeRecord, InsightRecord } from '../src/core/library/records';
import { DEMO_HOST } from './lib/extension';

export const DEMO_LIBRARY_EPISODE = {
  title: 'How spaced practice works',
  show: 'The Earmark Demo',
} as const;

const EPISODE_ID = 'ep_demospacedpractice';
const PAGE_URL = `http://${DEMO_HOST}/spaced-practice/`;
const DAY_MS = 86_400_000;

/** The insights of the earlier episode: what was said, when, and what about. */
const INSIGHTS: { text: string; quote: string; start: number; end: number; topics: string[] }[] = [
  {
    text: 'Practice spread over several days beats the same amount of practice crammed into one.',
    quote: 'The same hour of practice, spread over four days, beats that hour crammed into one evening.',
    start: 21.4,
    end: 26.9,
    topics: ['space', 'review', 'memory'],
  },
  {
    text: 'Testing yourself is a better review than reading your notes or listening again.',
    quote:
      'Quizzing yourself does more for memory than rereading your notes or listening to the episode twice.',
    start: 48.2,
    end: 54.1,
    topics: ['test', 'review', 'listening'],
  },
  {
    text: 'The best moment to review an idea is just as it starts to slip.',
    quote: 'Review it just as it starts to slip, not while it still feels fresh.',
    start: 73.5,
    end: 77.8,
    topics: ['review', 'memory'],
  },
  {
    text: 'A wrong answer in practice still helps, if you check the right one straight after.',
    quote: 'Getting it wrong is fine, as long as you look up the right answer straight after.',
    start: 101.6,
    end: 106.2,
    topics: ['test', 'memory'],
  },
  {
    text: 'Five minutes with your notes the day after an episode keeps most of what you heard.',
    quote: 'Five minutes with your notes the next day keeps most of what you heard in a podcast.',
    start: 128.9,
    end: 134.0,
    topics: ['review', 'podcast', 'hear'],
  },
];

/**
 * The demo library as an archive's JSON, ready for the `library/import` message. The episode was
 * "seen" a week before `now`; its insights have fixed ids, so importing twice adds nothing.
 */
export function demoLibraryJson(now: Date = new Date()): string {
  const seen = new Date(now.getTime() - 7 * DAY_MS).toISOString();
  const episode: EpisodeRecord = {
    id: EPISODE_ID,
    title: DEMO_LIBRARY_EPISODE.title,
    show: DEMO_LIBRARY_EPISODE.show,
    artwork: `http://${DEMO_HOST}/artwork.png`,
    durationSeconds: 150,
    pageUrl: PAGE_URL,
    guid: 'earmark-demo-000',
    published: '2026-10-25',
    site: 'generic',
    aliases: ['guid:earmark-demo-000'],
    firstSeen: seen,
    lastSeen: seen,
  };
  const insights: InsightRecord[] = INSIGHTS.map((insight, n) => ({
    id: `ins_demospaced${n + 1}`,
    episodeId: EPISODE_ID,
    ...insight,
    importance: n === 0 ? 5 : n < 3 ? 4 : 3,
    engine: 'demo-sample',
    createdAt: seen,
  }));
  return serializeArchive({
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    exportedAt: now.toISOString(),
    app: 'Earmark demo library (scripts/demo-library.ts)',
    episodes: [episode],
    insights,
    saved: [],
    follows: [],
    briefs: [],
  });
}
