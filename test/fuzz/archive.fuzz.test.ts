// Library export files under fuzzing: a real-shaped export (generated episodes and insights, saved
// items, follows and a brief, written by serializeArchive, compact and pretty-printed) mutated as
// text and as JSON values, and generated files whose header and lists have wrong types. parseArchive
// gives records that each pass their schema, once per key, with problems in words; or an
// ArchiveError. What it reads, written and read again, is the same file.
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, it } from 'vitest';
import {
  ARCHIVE_FORMAT,
  ArchiveError,
  BriefRecordSchema,
  EpisodeRecordSchema,
  FollowRecordSchema,
  InsightRecordSchema,
  parseArchive,
  SavedRecordSchema,
  serializeArchive,
  type LibraryArchive,
} from '../../src/core/library/archive';
import { generateLibrary } from '../fixtures/library/generate';
import { jsonMutant, jsonTextMutant, weird } from './json-mutate';
import { mutant } from './mutate';
import { attempt, params, tally, TIMEOUT, typedBy } from './runs';

const library = generateLibrary({ episodes: 3, insightsPerEpisode: 2 });
const [first, second] = library.insights;
const insight = ({ id, text, quote, start, end, topics, importance }: NonNullable<typeof first>) => ({
  id,
  text,
  quote,
  start,
  ...(end !== undefined ? { end } : {}),
  topics,
  importance,
});
const ARCHIVE: LibraryArchive = {
  format: ARCHIVE_FORMAT,
  version: 1,
  exportedAt: '2026-01-02T03:04:05.000Z',
  app: 'Earmark 0.1.0',
  episodes: library.episodes,
  insights: library.insights,
  saved: first
    ? [
        {
          id: first.id,
          insightId: first.id,
          episodeId: first.episodeId,
          day: '2026-01-02',
          note: 'Worth a second listen.',
          savedAt: '2026-01-02T03:00:00.000Z',
          insight: insight(first),
        },
      ]
    : [],
  follows: [
    {
      feedUrl: 'https://feeds.example.com/a.xml',
      title: 'A',
      followedAt: '2026-01-01T00:00:00Z',
      failures: 0,
    },
    {
      feedUrl: 'https://feeds.example.com/b.xml',
      title: 'B',
      followedAt: '2026-01-01T00:00:00Z',
      lastError: 'the feed is 404',
      needsAccess: 'feeds.example.com',
    },
  ],
  briefs: second
    ? [
        {
          day: '2026-01-02',
          createdAt: '2026-01-02T08:00:00.000Z',
          considered: 12,
          items: [
            { insightId: second.id, episodeId: second.episodeId, insight: insight(second), reason: 'New.' },
          ],
        },
      ]
    : [],
};
const COMPACT = serializeArchive(ARCHIVE);
const VALUE = JSON.parse(COMPACT) as unknown;
const PRETTY = JSON.stringify(VALUE, null, 2);
const TOKENS = [
  '"format":"earmark-library",',
  '"version":2,',
  '"episodes":[]',
  '{}',
  ',{"id":"ep_x"}',
  '"__proto__":{}',
];

const CODES = ['not-json', 'truncated', 'not-ours', 'newer', 'invalid'];
const archiveError = typedBy(ArchiveError, (e) => {
  if (!CODES.includes(e.code)) throw new Error(`ArchiveError with unknown code ${String(e.code)}`);
  return e.code;
});

const LISTS = [
  ['episodes', EpisodeRecordSchema, 'id'],
  ['insights', InsightRecordSchema, 'id'],
  ['saved', SavedRecordSchema, 'id'],
  ['follows', FollowRecordSchema, 'feedUrl'],
  ['briefs', BriefRecordSchema, 'day'],
] as const;

function checkRead({ archive, problems }: ReturnType<typeof parseArchive>): void {
  for (const [list, schema, key] of LISTS) {
    const seen = new Set<unknown>();
    for (const record of archive[list]) {
      if (!v.is(schema, record)) throw new Error(`invariant: a ${list} record fails its schema`);
      const id = (record as Record<string, unknown>)[key];
      if (seen.has(id)) throw new Error(`invariant: ${list} ${String(id)} twice`);
      seen.add(id);
    }
  }
  for (const p of problems)
    if (
      !Number.isSafeInteger(p.index) ||
      p.index < 0 ||
      typeof p.reason !== 'string' ||
      !/^[A-Z].*\.$/s.test(p.reason)
    )
      throw new Error(`invariant: problem ${JSON.stringify(p)}`);
  // Written and read again: the same file, nothing skipped.
  const text = serializeArchive(archive);
  const again = parseArchive(text);
  if (serializeArchive(again.archive) !== text)
    throw new Error('invariant: the round trip changed the archive');
  const skipped = again.problems.filter((p) => p.skipped);
  if (skipped.length > 0) throw new Error(`invariant: the round trip skipped ${skipped[0]?.reason}`);
}

const list = fc.oneof(
  { weight: 3, arbitrary: jsonMutant([VALUE]).map((x) => (x as Record<string, unknown>)?.episodes ?? []) },
  fc.array(weird, { maxLength: 5 }),
  weird,
);
const generated = fc
  .record(
    {
      format: fc.oneof({ weight: 5, arbitrary: fc.constant(ARCHIVE_FORMAT) }, weird),
      version: fc.oneof(
        { weight: 5, arbitrary: fc.constant(1) },
        fc.constantFrom(0, 2, 1.5, -1, 2 ** 53),
        weird,
      ),
      exportedAt: fc.oneof(
        fc.constantFrom(
          '2026-01-02T03:04:05Z',
          '2026-02-30',
          '+275760-09-13T00:00:00Z',
          '2026-01-02T25:00:00Z',
        ),
        weird,
      ),
      app: weird,
      episodes: list,
      insights: list,
      saved: list,
      follows: list,
      briefs: list,
    },
    { requiredKeys: [] },
  )
  .map((x) => JSON.stringify(x));

describe('library archive fuzzing', () => {
  const t = tally('library archive (import)');

  for (const [name, inputs] of [
    ['mutated export text', mutant([COMPACT, PRETTY], TOKENS)],
    ['mutated export values', jsonTextMutant([VALUE])],
    ['generated files', generated],
  ] as const)
    it(
      name,
      () => {
        fc.assert(
          fc.property(inputs, (text) => {
            const result = attempt(t, text.length, archiveError, () => parseArchive(text));
            if (result.ok) checkRead(result.value);
          }),
          params(),
        );
      },
      TIMEOUT,
    );
});
