// The follow scanner (src/background/scanner.ts) over 200 followed shows on a local feed server
// (test/support/feed-server.ts: real HTTP, real fetch through the fetch guard), with the real
// transcript resolver and local insight engine over fake-indexeddb:
//   scan.200_feeds_s   median of 3 runs of one scan, each on a fresh database whose 200 follows
//                      were checked once before: 150 feeds unchanged (answered 304 to their
//                      validators), 50 with a new episode (feed fetched and parsed, ~60 items
//                      each); the run records the 50 new episodes and works through its bounded
//                      share of them (transcript fetched, insights extracted).
// Also checked (a failure stops the bench): never more than 6 requests in flight; printed: the
// peak of the JS heap during the run over the heap before it, and the time to work through all 50.
import 'fake-indexeddb/auto';
import { openEarmarkDb, type EarmarkDB } from '../src/background/db';
import { runInsights } from '../src/background/insights';
import { createGuardedFetch } from '../src/background/net';
import {
  MAX_PROCESSED_PER_RUN,
  runScan,
  SCAN_CONCURRENCY,
  type ScannerDeps,
} from '../src/background/scanner';
import { resolveTranscript } from '../src/background/transcripts';
import { localEngine } from '../src/core/insights/local';
import { localFetch, rssFeed, startFeedServer, vtt, type FeedServer } from '../test/support/feed-server';
import { BenchError, median, round, type Benchmark } from './lib/harness';

const FEEDS = 200;
const WITH_NEW = 50;
const ITEMS = 60;
const RUNS = 3;
const DAY = 24 * 3600_000;
const SENTENCES = [
  'The most important finding is that people forget most of what they hear within a day.',
  'Spaced repetition beats rereading because each recall strengthens the memory trace.',
  'Writing a one sentence summary right after listening doubles what you remember a week later.',
  'Sleep consolidates new memories, so reviewing before bed is surprisingly effective.',
  'Multitasking while listening cuts comprehension almost in half according to lab studies.',
];

type Show = { url: string; items: Parameters<typeof rssFeed>[1]; title: string };

function makeShows(server: FeedServer, run: number): Show[] {
  return Array.from({ length: FEEDS }, (_, s) => {
    const title = `Bench show ${run}-${s}`;
    const url = `https://feeds.bench${run}-${s}.example/rss`;
    const items = Array.from({ length: ITEMS }, (_, i) => ({
      guid: `${title}-${i}`,
      title: `${title}, episode ${ITEMS - i}: a conversation about memory and learning`,
      published: new Date(Date.now() - (i + 10) * 7 * DAY),
      enclosure: `https://cdn.bench${run}-${s}.example/${ITEMS - i}.mp3`,
      duration: 3600,
    }));
    server.set(url, rssFeed({ title, image: `https://cdn.bench${run}-${s}.example/art.jpg` }, items));
    return { url, items, title };
  });
}

function addEpisode(server: FeedServer, show: Show, n: number): void {
  const transcript = `${show.url}/new-${n}.vtt`;
  // A 40-minute transcript: 120 cues of a sentence each.
  const cues = Array.from(
    { length: 120 },
    (_, i) => `${SENTENCES[i % SENTENCES.length]} (${show.title}, ${i})`,
  );
  server.set(transcript, vtt(cues), 'text/vtt');
  show.items.unshift({
    guid: `${show.title}-new-${n}`,
    title: `${show.title}: new episode ${n}`,
    published: new Date(),
    enclosure: `${show.url}/new-${n}.mp3`,
    transcript,
    duration: 2400,
  });
  server.set(show.url, rssFeed({ title: show.title }, show.items));
}

function depsOf(db: EarmarkDB, server: FeedServer): ScannerDeps {
  const fetch = createGuardedFetch(localFetch(server));
  const hasAccess = async () => true;
  return {
    db,
    fetch,
    hasAccess,
    process: async (episodeId) => {
      const transcript = await resolveTranscript({ db, fetch, hasAccess, languages: ['en'] }, episodeId);
      if (transcript.state === 'found') await runInsights({ db, engine: async () => localEngine }, episodeId);
      return { transcript };
    },
  };
}

export const scanBenchmark: Benchmark = async () => {
  const server = await startFeedServer();
  const times: number[] = [];
  const heaps: number[] = [];
  const drains: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const db = await openEarmarkDb(`earmark-bench-scan-${process.pid}-${run}`);
      const shows = makeShows(server, run);
      const followedAt = new Date().toISOString();
      for (const show of shows) await db.put('follows', { feedUrl: show.url, title: show.title, followedAt });
      const deps = depsOf(db, server);
      await runScan(deps); // the first checks: the feeds are stored with their validators
      for (let i = 0; i < WITH_NEW; i++) addEpisode(server, shows[i * (FEEDS / WITH_NEW)]!, run);
      server.reset();

      (globalThis as { gc?: () => void }).gc?.();
      const before = process.memoryUsage().heapUsed;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
      const t0 = performance.now();
      const state = await runScan(deps, { force: true });
      times.push(performance.now() - t0);
      clearInterval(sampler);
      heaps.push((peak - before) / 1024 / 1024);

      if (state.checked !== FEEDS || state.found !== WITH_NEW || state.failed !== 0)
        throw new BenchError(`scan: checked ${state.checked}, found ${state.found}, failed ${state.failed}`);
      if (state.processed !== MAX_PROCESSED_PER_RUN)
        throw new BenchError(`scan: processed ${state.processed}, expected ${MAX_PROCESSED_PER_RUN}`);
      if (server.maxInFlight > SCAN_CONCURRENCY)
        throw new BenchError(`scan: ${server.maxInFlight} requests in flight at once`);
      const unchanged = server.requests.filter((r) => r.status === 304).length;
      if (unchanged !== FEEDS - WITH_NEW) throw new BenchError(`scan: ${unchanged} answers were 304`);

      const t1 = performance.now();
      while ((await runScan(deps)).pending.length > 0);
      drains.push(performance.now() - t1);
      const withInsights = (await db.getAll('jobs')).filter(
        (j) => j.kind === 'insights' && j.state === 'done',
      );
      if (withInsights.length !== WITH_NEW)
        throw new BenchError(`scan: ${withInsights.length} of ${WITH_NEW} new episodes have insights`);
      db.close();
    }
  } finally {
    await server.close();
  }
  console.log(
    `scan: ${FEEDS} feeds (${WITH_NEW} new episodes) in ${round(median(times) / 1000, 2)} s ` +
      `(runs ${times.map((t) => round(t / 1000, 2)).join(', ')} s); heap peak +${round(median(heaps), 1)} MB; ` +
      `≤ ${SCAN_CONCURRENCY} requests at a time; the ${WITH_NEW - MAX_PROCESSED_PER_RUN} left for the next runs took ` +
      `${round(median(drains) / 1000, 2)} s more`,
  );
  return {
    name: 'scan.200_feeds_s',
    value: round(median(times) / 1000, 2),
    unit: 's',
    target: 10,
    better: 'lower',
  };
};
