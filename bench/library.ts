// The library's search index (src/core/library/compact-index.ts) on a generated library of 2,000
// episodes × 25 insights = 50,000 insights (test/fixtures/library/generate.ts, fixed seed):
//   related.query_p95_ms          p95 of 600 related() calls, each on a random insight
//   search.query_p95_ms           p95 of 600 search() calls of 1–3 words, the last cut to a prefix
//   related.ready_after_restart_ms  median of 9 LibraryIndex.fromSnapshot(bytes) (bytes in memory)
//   library.add_30_ms             median of 9 runs of addInsights(30 new) + upsertEpisode
// The index is built once; its build time, the snapshot's size and the time toSnapshot takes
// (as built, and after a new episode, which merges) are printed, not reported.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { generateLibrary } from '../test/fixtures/library/generate';
import { prng } from '../scripts/lib/prng';
import {
  LibraryIndex,
  toIndexedEpisode,
  toIndexedInsight,
  type IndexedInsight,
} from '../src/core/library/compact-index';
import type { EpisodeRecord } from '../src/core/library/records';
import { BenchError, median, percentile, round, type Benchmark, type BenchResult } from './lib/harness';

const EPISODES = 2000;
const PER_EPISODE = 25;
const QUERIES = 600;
const WARMUP = 50;

type Fixture = { index: LibraryIndex; insights: IndexedInsight[]; snapshot: Uint8Array };
let fixture: Fixture | undefined;

/** The 50k library, indexed once and shared by the four benchmarks. */
function build(): Fixture {
  if (fixture) return fixture;
  const library = generateLibrary({ episodes: EPISODES, insightsPerEpisode: PER_EPISODE, seed: 7 });
  const byId = new Map<string, EpisodeRecord>(library.episodes.map((e) => [e.id, e]));
  const insights = library.insights.map((r) => toIndexedInsight(r, byId.get(r.episodeId)));
  const t0 = performance.now();
  const index = LibraryIndex.empty();
  for (const e of library.episodes) index.upsertEpisode(toIndexedEpisode(e));
  index.addInsights(insights);
  const buildMs = performance.now() - t0;
  if (index.size !== EPISODES * (PER_EPISODE + 1))
    throw new BenchError(`library: the index holds ${index.size} documents`);
  const t1 = performance.now();
  const snapshot = index.toSnapshot();
  const saveMs = performance.now() - t1;
  console.log(
    `library: ${insights.length} insights + ${EPISODES} episodes indexed in ${Math.round(buildMs)} ms; ` +
      `snapshot ${(snapshot.length / 1024 / 1024).toFixed(2)} MB (${round(saveMs, 1)} ms to write; ` +
      `${round(writeAfterAdding(snapshot), 1)} ms after a new episode's 30 insights, median of 5)`,
  );
  fixture = { index, insights, snapshot };
  return fixture;
}

/**
 * toSnapshot as the background calls it, after new insights: merging them into the arrays, then
 * writing. On copies loaded from `snapshot`, so the shared index stays as built.
 */
function writeAfterAdding(snapshot: Uint8Array): number {
  const extra = generateLibrary({ episodes: 6, insightsPerEpisode: 30, seed: 98 });
  const byId = new Map(extra.episodes.map((e) => [e.id, e]));
  const runs = extra.episodes.map((episode) => {
    const copy = LibraryIndex.fromSnapshot(snapshot);
    copy.upsertEpisode(toIndexedEpisode(episode));
    copy.addInsights(
      extra.insights
        .filter((r) => r.episodeId === episode.id)
        .map((r) => toIndexedInsight(r, byId.get(r.episodeId))),
    );
    const t0 = performance.now();
    copy.toSnapshot();
    return performance.now() - t0;
  });
  return median(runs.slice(1));
}

/** Runs `fn` on each input after a few untimed runs, and returns every duration in ms. */
function samples<T>(inputs: readonly T[], fn: (input: T) => unknown): number[] {
  for (const input of inputs.slice(0, WARMUP)) fn(input);
  return inputs.map((input) => {
    const t0 = performance.now();
    fn(input);
    return performance.now() - t0;
  });
}

const relatedBenchmark: Benchmark = (): BenchResult => {
  const { index, insights } = build();
  const random = prng(11);
  const asked = Array.from({ length: QUERIES }, () => insights[Math.floor(random() * insights.length)]!);
  let found = 0;
  const ms = samples(asked, (insight) => (found += index.related(insight).length));
  if (found === 0) throw new BenchError('related.query_p95_ms: no query found anything');
  return {
    name: 'related.query_p95_ms',
    value: round(percentile(ms, 95)),
    unit: 'ms',
    target: 5,
    better: 'lower',
  };
};

/** Words of 4+ letters of an insight, as someone remembering it would type them. */
const wordsOf = (insight: IndexedInsight): string[] =>
  `${insight.text} ${insight.topics.join(' ')}`.toLowerCase().match(/\p{L}{4,}/gu) ?? [];

const searchBenchmark: Benchmark = (): BenchResult => {
  const { index, insights } = build();
  const random = prng(12);
  const anyInsight = (): IndexedInsight => insights[Math.floor(random() * insights.length)]!;
  const queries = Array.from({ length: QUERIES }, () => {
    const n = 1 + Math.floor(random() * 3);
    // Three in four queries are words of one insight (someone looking for what they heard);
    // the others words from anywhere, which mostly match nothing together (the any-word fallback).
    const one = random() < 0.75 ? wordsOf(anyInsight()) : null;
    const picked = Array.from({ length: n }, () => {
      const words = one ?? wordsOf(anyInsight());
      return words[Math.floor(random() * words.length)] ?? 'market';
    });
    // The last word as typed so far: 3 letters up to the whole word.
    const last = picked[n - 1]!;
    picked[n - 1] = last.slice(0, 3 + Math.floor(random() * (last.length - 2)));
    return picked.join(' ');
  });
  let found = 0;
  const ms = samples(queries, (q) => (found += index.search(q).insights.length));
  if (found === 0) throw new BenchError('search.query_p95_ms: no query found anything');
  return {
    name: 'search.query_p95_ms',
    value: round(percentile(ms, 95)),
    unit: 'ms',
    target: 10,
    better: 'lower',
  };
};

/**
 * Node's garbage collector, to start each restart run from a clean heap as a fresh worker does
 * (the previous run's index would otherwise be collected inside the next timed run).
 */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  return typeof gc === 'function' ? (gc as () => void) : () => {};
}

const restartBenchmark: Benchmark = (): BenchResult => {
  const { snapshot, index } = build();
  const gc = collector();
  const runs: number[] = [];
  for (let i = 0; i < 10; i++) {
    gc();
    const t0 = performance.now();
    const loaded = LibraryIndex.fromSnapshot(snapshot);
    const t = performance.now() - t0;
    if (loaded.size !== index.size)
      throw new BenchError('related.ready_after_restart_ms: snapshot lost documents');
    if (i > 0) runs.push(t); // the first is warm-up
  }
  return {
    name: 'related.ready_after_restart_ms',
    value: round(median(runs)),
    unit: 'ms',
    target: 300,
    better: 'lower',
  };
};

/** Runs last: it adds to the shared index. */
const addBenchmark: Benchmark = (): BenchResult => {
  const { index } = build();
  // Fresh episodes (another seed, other ids) of 30 insights each, one per run.
  const extra = generateLibrary({ episodes: 10, insightsPerEpisode: 30, seed: 99 });
  const byId = new Map(extra.episodes.map((e) => [e.id, e]));
  const runs: number[] = [];
  extra.episodes.forEach((episode, i) => {
    const items = extra.insights
      .filter((r) => r.episodeId === episode.id)
      .map((r) => toIndexedInsight(r, byId.get(r.episodeId)));
    if (index.has(episode.id) || items.some((item) => index.has(item.id)))
      throw new BenchError('library.add_30_ms: a generated id is already in the library');
    const t0 = performance.now();
    index.addInsights(items);
    index.upsertEpisode(toIndexedEpisode(episode));
    const t = performance.now() - t0;
    if (i > 0) runs.push(t); // the first is warm-up
  });
  return { name: 'library.add_30_ms', value: round(median(runs)), unit: 'ms', target: 20, better: 'lower' };
};

export const libraryBenchmarks: Benchmark[] = [
  relatedBenchmark,
  searchBenchmark,
  restartBenchmark,
  addBenchmark,
];
