// ~500 seeded random mutations of the fixtures (cuts, deletions, duplications, stray markup,
// bad entities, random characters): parseFeed must return a valid Feed or throw a FeedError,
// nothing else, and quickly. The seed is fixed, so a failure is reproducible.
import { describe, expect, it } from 'vitest';
import { FeedError, parseFeed } from '../../../src/core/feed';
import { expectValidFeed, fixture } from './fixtures';
import { prng } from '../../../scripts/lib/prng';

const SOURCES = [
  'pc20-official-ns.xml',
  'pc20-legacy-ns.xml',
  'durations.xml',
  'atom.xml',
  'quirks.xml',
  'tracking.xml',
  'rss1-rdf.xml',
  'zero-items.xml',
].map(fixture);

const TOKENS = [
  '<',
  '>',
  '&',
  '"',
  "'",
  '/',
  ']]>',
  '<![CDATA[',
  '<!--',
  '-->',
  '<?',
  '?>',
  '</item>',
  '<item>',
  '</channel>',
  '<channel>',
  '<rss>',
  '</rss>',
  '<title>',
  '</title>',
  '&amp;',
  '&#0;',
  '&#x110000;',
  '&#99999999999;',
  '&nbsp',
  '&unknown;',
  '\u0000',
  '\uFFFD',
  '\uD800',
  '<!DOCTYPE html>',
  '<html>',
  'xmlns:podcast="https://podcastindex.org/namespace/1.0"',
  'xmlns=""',
  '<podcast:transcript url="x"/>',
  '<itunes:duration>',
  '99:99:99',
  ' url=',
  '=',
  '<a:b:c>',
  '<:>',
  '<pubDate>',
  'Tue, 31 Feb 2024',
];

type Mutation = (s: string, rnd: () => number) => string;
const at = (s: string, rnd: () => number): number => Math.floor(rnd() * (s.length + 1));
const MUTATIONS: Mutation[] = [
  (s, r) => s.slice(0, at(s, r)), // truncate
  (s, r) => s.slice(at(s, r)), // lose the start
  (s, r) => {
    const i = at(s, r);
    return s.slice(0, i) + s.slice(i + 1 + Math.floor(r() * 200)); // delete a range
  },
  (s, r) => {
    const i = at(s, r);
    const j = Math.min(s.length, i + Math.floor(r() * 400));
    return s.slice(0, j) + s.slice(i, j) + s.slice(j); // duplicate a range
  },
  (s, r) => {
    const i = at(s, r);
    return s.slice(0, i) + TOKENS[Math.floor(r() * TOKENS.length)] + s.slice(i); // insert a token
  },
  (s, r) => {
    const i = at(s, r);
    return s.slice(0, i) + String.fromCharCode(Math.floor(r() * 0x3000)) + s.slice(i + 1); // replace a char
  },
  (s, r) => {
    const i = at(s, r);
    const j = at(s, r);
    const [a, b] = i < j ? [i, j] : [j, i];
    return s.slice(0, a) + s.slice(b) + s.slice(a, b); // move a block to the end
  },
  (s, r) => s.replace(/</g, (m) => (r() < 0.02 ? '' : m)), // drop some "<"
  (s, r) => s.replace(/>/g, (m) => (r() < 0.02 ? '' : m)), // drop some ">"
  (s, r) => s.replace(/"/g, (m) => (r() < 0.05 ? '' : m)), // break some attribute quotes
];

describe('parseFeed under random mutation', () => {
  const rnd = prng(0xea4a4c);
  const cases = Array.from({ length: 500 }, (_, n) => {
    let s = SOURCES[n % SOURCES.length] ?? '';
    const steps = 1 + Math.floor(rnd() * 4);
    for (let k = 0; k < steps; k++)
      s = (MUTATIONS[Math.floor(rnd() * MUTATIONS.length)] ?? ((x) => x))(s, rnd);
    return s;
  });

  it('returns a valid Feed or throws a FeedError for each of 500 mutated feeds', () => {
    const outcomes = { feed: 0, error: 0 };
    cases.forEach((input, n) => {
      const t0 = performance.now();
      try {
        expectValidFeed(parseFeed(input));
        outcomes.feed++;
      } catch (err) {
        if (!(err instanceof FeedError)) throw new Error(`case ${n} threw ${String(err)}`, { cause: err });
        expect(['empty', 'not-a-feed', 'malformed', 'too-large']).toContain(err.code);
        expect(err.message.length).toBeGreaterThan(0);
        outcomes.error++;
      }
      expect(performance.now() - t0, `case ${n} took too long`).toBeLessThan(500);
    });
    // Both outcomes occur, so the mutations really reach the error paths and the lenient paths.
    expect(outcomes.feed).toBeGreaterThan(50);
    expect(outcomes.error).toBeGreaterThan(20);
  });
});
