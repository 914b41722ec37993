// The library index's binary snapshot under fuzzing: a real snapshot (a generated library, some
// insights removed and episodes renamed) with bytes and 32-bit words overwritten, cut short or
// extended. fromSnapshot gives an index or an IndexFormatError; an index it gives answers every
// question (search, related, add, remove, snapshot again) without throwing.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  IndexFormatError,
  LibraryIndex,
  toIndexedEpisode,
  toIndexedInsight,
} from '../../src/core/library/compact-index';
import { generateLibrary } from '../fixtures/library/generate';
import { attempt, params, tally, TIMEOUT, typedBy } from './runs';

const library = generateLibrary({ episodes: 4, insightsPerEpisode: 4 });
const episodes = new Map(library.episodes.map((e) => [e.id, e]));
const insights = library.insights.map((i) => toIndexedInsight(i, episodes.get(i.episodeId)));
const built = LibraryIndex.empty();
for (const e of library.episodes) built.upsertEpisode(toIndexedEpisode(e));
built.addInsights(insights);
built.removeInsight(insights[1]!.id);
const SNAPSHOT = built.toSnapshot();
const EMPTY = LibraryIndex.empty().toSnapshot();
const QUERIES = ['market', 'the', 'zzz', 'chip suply', 'a', '', 'énergie 漢字'];

const indexError = typedBy(
  IndexFormatError,
  (e) => `IndexFormatError: ${e.message.replace(/^index snapshot: /, '').replace(/(?<!-)\b\d+\b/g, 'N')}`,
);

type Edit =
  | { op: 'byte'; at: number; value: number }
  | { op: 'word'; at: number; value: number; header: boolean }
  | { op: 'cut'; at: number }
  | { op: 'grow'; by: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('byte' as const), at: fc.nat(), value: fc.nat(255) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('word' as const),
      at: fc.nat(),
      value: fc.oneof(
        fc.constantFrom(0, 1, 2, 255, 256, 0x7fffffff, 0xffffffff, 1 << 24),
        fc.nat(),
        fc.nat(4096),
      ),
      header: fc.boolean(),
    }),
  },
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('grow' as const), by: fc.integer({ min: 1, max: 64 }) }),
);

function apply(bytes: Uint8Array, e: Edit): Uint8Array {
  switch (e.op) {
    case 'byte': {
      const copy = bytes.slice();
      if (copy.length > 0) copy[e.at % copy.length] = e.value;
      return copy;
    }
    case 'word': {
      const copy = bytes.slice();
      const words = Math.floor(copy.length / 4);
      if (words > 0)
        new DataView(copy.buffer).setUint32(
          4 * (e.at % (e.header ? Math.min(words, 16) : words)),
          e.value,
          true,
        );
      return copy;
    }
    case 'cut':
      return bytes.slice(0, e.at % (bytes.length + 1));
    case 'grow': {
      const copy = new Uint8Array(bytes.length + e.by);
      copy.set(bytes);
      return copy;
    }
  }
}

const damaged = fc
  .tuple(fc.constantFrom(SNAPSHOT, EMPTY), fc.array(edit, { minLength: 1, maxLength: 4 }))
  .map(([bytes, edits]) => edits.reduce(apply, bytes));

describe('library index snapshot fuzzing', () => {
  const t = tally('library index snapshot');

  it(
    'damaged snapshots',
    () => {
      fc.assert(
        fc.property(damaged, (bytes) => {
          const loaded = attempt(t, bytes.length, indexError, () => LibraryIndex.fromSnapshot(bytes));
          if (!loaded.ok) return;
          // Whatever it loaded must answer, change and snapshot again without an exception.
          const index = loaded.value;
          const started = performance.now();
          void index.size;
          for (const q of QUERIES) index.search(q, { limit: 5 });
          for (const i of insights.slice(0, 4)) {
            index.has(i.id);
            index.related(i);
          }
          index.addInsights([{ ...insights[0]!, id: 'ins_fresh', text: 'Market chips and energy' }]);
          index.removeInsight(insights[2]!.id);
          index.upsertEpisode({ id: 'ep_fresh', title: 'A fresh market episode' });
          index.search('market');
          LibraryIndex.fromSnapshot(index.toSnapshot()).search('market');
          if (performance.now() - started > 2000)
            throw new Error('hang: a loaded index took over 2 s to answer');
        }),
        params(),
      );
    },
    TIMEOUT,
  );
});
