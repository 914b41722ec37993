// Bad input of every kind only ever gives a TranscriptError or a valid Transcript, quickly:
// random bytes, truncated files, huge and hostile bodies, and ~500 seeded random mutations of
// the fixtures (a PRNG, so a failure replays: the seed and mutation are in the test name).
import { describe, expect, it } from 'vitest';
import { MAX_TRANSCRIPT_CHARS, parseTranscript, TranscriptError } from '../../../src/core/transcript/index';
import { FIXTURES, errorCode, fixture, parseChecked } from './support';
import { prng } from '../../../scripts/lib/prng';

/** Characters that matter to some parser, and a few that matter to none. */
const SHARDS = [
  '<',
  '>',
  '&',
  ';',
  '-->',
  '\n',
  '\n\n',
  ':',
  ',',
  '.',
  '"',
  '{',
  '}',
  '[',
  ']',
  '<v ',
  '</',
  '&amp;',
  '&#',
  'WEBVTT',
  '00:',
  '9',
  ' ',
  '\t',
  '\uFEFF',
  '\u0000',
  'é',
  '漢',
  '>>',
  '<p>',
  '<time>',
  '<cite>',
  '"body":',
  '"segments":',
];

type Mutation = (s: string, r: () => number) => string;

const pick = (r: () => number, n: number): number => Math.floor(r() * n);

const MUTATIONS: Record<string, Mutation> = {
  truncate: (s, r) => s.slice(0, pick(r, s.length)),
  delete: (s, r) => {
    const at = pick(r, s.length);
    return s.slice(0, at) + s.slice(at + 1 + pick(r, 40));
  },
  insert: (s, r) => {
    const at = pick(r, s.length);
    return s.slice(0, at) + (SHARDS[pick(r, SHARDS.length)] ?? '') + s.slice(at);
  },
  duplicate: (s, r) => {
    const at = pick(r, s.length);
    const piece = s.slice(at, at + pick(r, 200));
    return s.slice(0, at) + piece + piece + s.slice(at);
  },
  swap: (s, r) => {
    const a = pick(r, s.length);
    const b = pick(r, s.length);
    const [x, y] = a < b ? [a, b] : [b, a];
    return s.slice(0, x) + s.slice(y) + s.slice(x, y);
  },
  replaceChar: (s, r) => {
    const at = pick(r, s.length);
    return s.slice(0, at) + String.fromCharCode(pick(r, 0x3000)) + s.slice(at + 1);
  },
  shuffleLines: (s, r) =>
    s
      .split('\n')
      .map((line) => [r(), line] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, line]) => line)
      .join('\n'),
};

function expectSafe(body: string): void {
  const result = parseChecked(body); // fails on any other exception, or on a broken output rule
  if (result instanceof TranscriptError)
    expect(['empty', 'unknown-format', 'malformed', 'too-large']).toContain(result.code);
}

describe('garbage in, TranscriptError or a valid transcript out', () => {
  it('random bytes', () => {
    const r = prng(1);
    for (let i = 0; i < 50; i++) {
      const length = 1 + pick(r, 2000);
      const bytes = Array.from({ length }, () => String.fromCharCode(pick(r, 256)));
      expectSafe(bytes.join(''));
    }
  });

  it.each(FIXTURES)('%s cut at every 7th position', (name) => {
    const body = fixture(name);
    for (let at = 0; at < body.length; at += 7) expectSafe(body.slice(0, at));
  });

  it.each([
    ['10 MB and one character', () => 'x'.repeat(MAX_TRANSCRIPT_CHARS + 1), 'too-large'],
    ['deeply nested JSON arrays', () => '['.repeat(500_000) + ']'.repeat(500_000), 'unknown-format'],
    [
      'deeply nested JSON objects',
      () => '{"a":'.repeat(200_000) + '1' + '}'.repeat(200_000),
      'unknown-format',
    ],
    [
      'segments of nested arrays',
      () => `{"segments":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      'malformed',
    ],
    ['unclosed nesting', () => '['.repeat(1_000_000), 'malformed'],
    ['a storm of arrows', () => '-->'.repeat(1_000_000), undefined],
    ['a storm of arrow lines', () => ' --> \n'.repeat(300_000), undefined],
    ['timing lines with no text', () => '00:00:01,000 --> 00:00:02,000\n\n'.repeat(100_000), 'empty'],
    ['a WebVTT of timing lines', () => `WEBVTT\n\n${'00:00.000 --> 00:01.000\n'.repeat(100_000)}`, 'empty'],
    ['open tags without end', () => `WEBVTT\n\n00:00.000 --> 00:01.000\n${'<v '.repeat(300_000)}`, undefined],
    ['angle brackets', () => '<'.repeat(2_000_000), undefined],
    ['entities', () => '&amp;'.repeat(500_000), undefined],
    ['a 5 MB single line', () => 'word '.repeat(1_000_000), undefined],
    ['colons for the speaker pattern', () => 'Aa '.repeat(1_000_000) + ':', undefined],
    ['HTML nesting', () => '<p><cite>'.repeat(200_000), undefined],
  ])('%s, in time', (_name, make, code) => {
    const body = make();
    const t0 = performance.now();
    if (code) expect(errorCode(() => parseTranscript(body))).toBe(code);
    else expectSafe(body);
    expect(performance.now() - t0).toBeLessThan(4000);
  });
});

describe('500 seeded mutations of the fixtures', () => {
  const names = Object.keys(MUTATIONS);
  const cases: [string, string][] = [];
  for (let seed = 1; seed <= 500; seed++) {
    const r = prng(seed * 7919);
    const file = FIXTURES[seed % FIXTURES.length] as string;
    let body = fixture(file);
    const applied: string[] = [];
    for (let k = 1 + pick(r, 4); k > 0; k--) {
      const name = names[pick(r, names.length)] as string;
      body = (MUTATIONS[name] as Mutation)(body, r);
      applied.push(name);
    }
    cases.push([`seed ${seed}: ${file} ${applied.join('+')}`, body]);
  }

  it.each(cases)('%s', (_name, body) => {
    expectSafe(body);
  });
});
