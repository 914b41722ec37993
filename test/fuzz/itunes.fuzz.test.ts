// Apple's iTunes Lookup and Search answers under fuzzing, read as the background reads them (bytes
// → text → JSON → parseLookup / parseSearch → bestShowMatch): the fixtures mutated as text and as
// JSON values, and values of any shape at all. Each ends in a Lookup or shows whose every field
// is valid, or a DirectoryError. Also appleIds, which reads the ids out of any pasted address.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import {
  appleIds,
  bestShowMatch,
  DirectoryError,
  parseLookup,
  parseSearch,
  type DirectoryShow,
  type Lookup,
} from '../../src/core/directory';
import { jsonMutant, weird } from './json-mutate';
import { mutant } from './mutate';
import { attempt, params, Tally, tally, TIMEOUT, typedBy } from './runs';

const read = (name: string) => readFileSync(new URL(`../fixtures/itunes/${name}`, import.meta.url), 'utf8');
const TEXTS = ['lookup.json', 'search.json'].map(read);
const VALUES = TEXTS.map((s) => JSON.parse(s) as unknown);
const TOKENS = [
  '"kind":"podcast",',
  '"wrapperType":"podcastEpisode",',
  '"collectionId":',
  '"results":[]',
  ',{}',
  '"feedUrl":',
];

// DirectoryError has no code: its message says which check refused the answer.
const directoryError = typedBy(DirectoryError, (e) => {
  if (/not JSON/.test(e.message)) return 'DirectoryError: not JSON';
  if (/no results/.test(e.message)) return 'DirectoryError: no results list';
  return `DirectoryError: ${e.message.slice(0, 40)}`;
});

/** As background/transcripts.ts reads an answer: a body that is not JSON is a DirectoryError. */
function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new DirectoryError('Apple’s answer is not JSON.');
  }
}

const DIGITS = /^\d{1,20}$/;
const isHttp = (s: unknown) => typeof s === 'string' && /^https?:\/\//i.test(s) && URL.canParse(s);
const isText = (s: unknown) => typeof s === 'string' && s === s.trim() && s !== '' && s.length <= 1000;

function checkShow(s: DirectoryShow): void {
  if (!DIGITS.test(s.collectionId) || !isText(s.name))
    throw new Error(`invariant: show ${JSON.stringify(s)}`);
  if (s.artist !== undefined && !isText(s.artist)) throw new Error('invariant: artist');
  for (const u of [s.feedUrl, s.artwork])
    if (u !== undefined && !isHttp(u)) throw new Error(`invariant: ${u}`);
}

function checkLookup(l: Lookup): void {
  if (l.show) checkShow(l.show);
  for (const e of l.episodes) {
    if (!DIGITS.test(e.trackId) || !isText(e.title))
      throw new Error(`invariant: episode ${JSON.stringify(e)}`);
    if (e.url !== undefined && !isHttp(e.url)) throw new Error(`invariant: episode url ${e.url}`);
    if (e.guid !== undefined && !isText(e.guid)) throw new Error('invariant: guid');
    if (e.published !== undefined && new Date(e.published).toISOString() !== e.published)
      throw new Error(`invariant: published ${e.published}`);
    if (e.durationSeconds !== undefined && !(Number.isFinite(e.durationSeconds) && e.durationSeconds >= 0))
      throw new Error(`invariant: duration ${e.durationSeconds}`);
  }
}

function checkSearch(shows: (DirectoryShow & { feedUrl: string })[], name: string): void {
  const ids = new Set<string>();
  for (const s of shows) {
    checkShow(s);
    if (!isHttp(s.feedUrl) || ids.has(s.collectionId))
      throw new Error(`invariant: search result ${s.collectionId}`);
    ids.add(s.collectionId);
  }
  const best = bestShowMatch(shows, name);
  if (best !== undefined && !shows.includes(best)) throw new Error('invariant: bestShowMatch made up a show');
}

const showName = fc.oneof(
  fc.constantFrom(
    'The Example Show',
    'example show!',
    'THE EXAMPLE SHOW™',
    'Example & Friends',
    '',
    ' ',
    '™',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
});

describe('iTunes directory fuzzing', () => {
  const l = tally('Apple iTunes Lookup JSON');
  const s = tally('Apple iTunes Search JSON');
  const u = tally('Apple Podcasts address (appleIds)');
  const scratch = new Tally('appleIds');

  const both = (value: () => unknown, size: number, name: string) => {
    const lookup = attempt(l, size, directoryError, () => parseLookup(value()));
    if (lookup.ok) checkLookup(lookup.value);
    const search = attempt(s, size, directoryError, () => parseSearch(value()));
    if (search.ok) checkSearch(search.value, name);
  };

  it(
    'mutated fixture text',
    () => {
      fc.assert(
        fc.property(mutant(TEXTS, TOKENS), showName, (text, name) => {
          const bytes = new TextEncoder().encode(text);
          both(() => json(new TextDecoder().decode(bytes)), text.length, name);
        }),
        params(),
      );
    },
    TIMEOUT,
  );

  it(
    'mutated fixture values',
    () => {
      fc.assert(
        fc.property(jsonMutant(VALUES), showName, (value, name) => both(() => value, 0, name)),
        params(),
      );
    },
    TIMEOUT,
  );

  it(
    'values of any shape',
    () => {
      const results = fc.oneof(anything, fc.array(fc.oneof(anything, weird), { maxLength: 20 }));
      fc.assert(
        fc.property(
          fc.oneof(
            anything,
            results.map((r) => ({ results: r })),
          ),
          showName,
          (value, name) => both(() => value, 0, name),
        ),
        params(),
      );
    },
    TIMEOUT,
  );

  it(
    'appleIds on any address',
    () => {
      const address = fc.oneof(
        fc.webUrl({ withQueryParameters: true }),
        fc
          .tuple(
            fc.constantFrom(
              'https://podcasts.apple.com',
              'http://itunes.apple.com',
              'https://EMBED.podcasts.apple.com',
              'https://apple.com.evil.example',
            ),
            fc.constantFrom('', '/us', '/gb'),
            fc.constantFrom('/podcast', '/podcast/some-show', '/podcast/a/b'),
            fc.oneof(fc.nat().map(String), fc.constantFrom('9'.repeat(25), '', '-1', '1e3')),
            fc.constantFrom('', '?i=1000700000123', '?i=x', '?i=' + '9'.repeat(30), '/', '#x'),
          )
          .map(([host, country, path, id, rest]) => `${host}${country}${path}/id${id}${rest}`),
        fc.string({ unit: 'binary', maxLength: 60 }),
      );
      fc.assert(
        fc.property(address, (raw) => {
          // appleIds never throws: undefined is its refusal.
          const ids = attempt(
            scratch,
            raw.length,
            () => undefined,
            () => appleIds(raw),
          );
          const value = ids.ok ? ids.value : undefined;
          if (value) u.accept();
          else u.reject('undefined');
          if (
            value &&
            (!DIGITS.test(value.collectionId) ||
              (value.episodeId !== undefined && !DIGITS.test(value.episodeId)))
          )
            throw new Error(`invariant: ids ${JSON.stringify(value)}`);
        }),
        params(),
      );
    },
    TIMEOUT,
  );
});
