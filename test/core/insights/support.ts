// Shared by the insight tests: the demo episode (our own, in public/demo), the fixtures in
// test/fixtures/insights, generated episodes, and small transcripts built inline.
import { readFileSync } from 'node:fs';
import { parseTranscript } from '../../../src/core/transcript/index';
import type { Segment, Transcript } from '../../../src/core/types';
import { generateEpisodeVtt } from '../../fixtures/insights/generate';

export function demoTranscript(): Transcript {
  const body = readFileSync(new URL('../../../public/demo/episode.vtt', import.meta.url), 'utf8');
  return parseTranscript(body, { url: 'episode.vtt' });
}

export function fixtureTranscript(name: string): Transcript {
  const body = readFileSync(new URL(`../../fixtures/insights/${name}`, import.meta.url), 'utf8');
  return parseTranscript(body, { url: name });
}

const generated = new Map<string, { vtt: string; transcript: Transcript }>();

/** A generated episode of `minutes` minutes (cached: the 3-hour one takes a moment to parse). */
export function generatedEpisode(minutes: number, seed = minutes): { vtt: string; transcript: Transcript } {
  const key = `${minutes}:${seed}`;
  let episode = generated.get(key);
  if (!episode) {
    const { vtt } = generateEpisodeVtt(minutes, seed);
    episode = { vtt, transcript: parseTranscript(vtt) };
    generated.set(key, episode);
  }
  return episode;
}

/** A transcript from [start, text, speaker?] rows (end: the next start, at most 5 s on). */
export function transcriptOf(rows: readonly (readonly [number, string, string?])[]): Transcript {
  const segments: Segment[] = rows.map(([start, text, speaker], i) => {
    const next = rows[i + 1]?.[0];
    const segment: Segment = {
      start,
      end: Math.min(next !== undefined && next > start ? next : Infinity, start + 5),
      text,
    };
    if (speaker) segment.speaker = speaker;
    return segment;
  });
  return { format: 'vtt', timed: true, segments };
}

/** The demo's seven key claims and the second each is said. */
export const DEMO_CLAIMS: readonly [number, string][] = [
  [20.4, 'Most of what you hear in a podcast is forgotten within a day, unless you come back to it.'],
  [
    52.5,
    'Retrieving an idea by testing yourself on it fixes it in memory better than listening to it again.',
  ],
  [70.1, 'Writing a claim in your own words beats copying the quote word for word.'],
  [88.4, 'Spacing your reviews over several days works better than cramming them into one sitting.'],
  [106.3, 'Linking a new idea to one you already hold makes it much more likely to stick.'],
  [130.1, 'But listening at high speed costs you comprehension when the material is dense.'],
  [142.3, 'A short daily list of five saved ideas gets reviewed far more often than a long archive.'],
];
