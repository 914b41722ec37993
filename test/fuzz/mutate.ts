// Mutated real inputs for the fuzz suites: a fast-check arbitrary that takes one of a parser's
// fixtures and applies one to four edits: truncation, a deleted, duplicated or swapped span, a
// flipped character (lone surrogates included), an inserted fragment (markup, entity bombs,
// random unicode), deep nesting, a number made huge or NaN-like, or the whole text re-encoded
// wrongly (BOMs, mojibake, UTF-16 read as Latin-1, other line ends). Edits are plain records, so
// fast-check shrinks a failure to the fewest, smallest edits of the simplest fixture.
import fc from 'fast-check';

/** Entity bombs: long, nested or undefined references, and a billion-laughs DTD. */
export const BOMBS = [
  '&amp;'.repeat(5000),
  '&amp;amp;amp;amp;amp;amp;amp;amp;amp;amp;amp;amp;lt;',
  `&#${'9'.repeat(400)};`,
  `&#x${'0'.repeat(400)}41;`,
  '&#x110000;&#xD800;&#0;&#xFFFE;&#-1;&#;&#x;',
  `&${'a'.repeat(5000)};`,
  '&'.repeat(5000),
  '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>' +
    '&d;'.repeat(200),
  '<!ENTITY xxe SYSTEM "file:///etc/passwd">&xxe;',
];

/** Fragments that mean something to some parser (markup, JSON, cue syntax), and a few to none. */
const FRAGMENTS = [
  '<',
  '>',
  '&',
  ';',
  '"',
  "'",
  '\\',
  '/',
  '\n',
  '\r',
  '\n\n',
  '\t',
  ' ',
  '\u00a0',
  '\u2028',
  '\u0000',
  '\uFEFF',
  '\uFFFD',
  '\uFFFE',
  '\uD800',
  '\uDFFF',
  '\uD83D\uDE00',
  'e\u0301',
  '\u202E',
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '<?xml version="1.0"?>',
  '<!DOCTYPE html>',
  '<html>',
  '</',
  '/>',
  '<a href="javascript:alert(1)">',
  '<script>',
  '</script>',
  '<br>',
  '<p>',
  '</p>',
  '&lt;',
  '&nbsp;',
  '&#39;',
  '&#x0;',
  '&unknown;',
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  'null',
  'true',
  '"__proto__":',
  '{"constructor":{"prototype":{}}}',
  '-->',
  ' --> ',
  '00:',
  '99:99:99.999',
  'WEBVTT',
  '>>',
  'SPEAKER:',
  'constructor',
  '__proto__',
  'toString',
  '𝕏',
  '漢字',
  'ß',
  'İ',
];

/** Numbers that break assumptions: huge, negative, NaN-like, non-ASCII digits, not numbers at all. */
export const WEIRD_NUMBERS = [
  'NaN',
  'Infinity',
  '-Infinity',
  '-1',
  '-0',
  '0',
  '1e308',
  '1e999',
  '-1e999',
  '9'.repeat(40),
  '4294967296',
  '9007199254740993',
  '5e-324',
  '0x1F',
  '1_000',
  '1.5.5',
  '.',
  '',
  ' 1 ',
  '١٢٣',
  '１２',
  '00:00:00,000',
  '99:99:99.999',
  'null',
];

/** An element, bracket or wrapper opened (and maybe closed) thousands of times. */
const NESTS: readonly (readonly [string, string])[] = [
  ['<a>', '</a>'],
  ['<div>', '</div>'],
  ['<p>', '</p>'],
  ['<s>', '</s>'],
  ['<item>', '</item>'],
  ['<outline text="x">', '</outline>'],
  ['<v A>', '</v>'],
  ['<![CDATA[', ']]>'],
  ['<!--', '-->'],
  ['[', ']'],
  ['{"a":', '}'],
  ['{"segments":[', ']}'],
  ['(', ')'],
];

const RECODINGS = [
  'bom',
  'two-boms',
  'reversed-bom',
  'mojibake',
  'utf16-as-latin1',
  'crlf',
  'cr',
  'no-newlines',
  'upper',
  'ascii-only',
] as const;
type Recoding = (typeof RECODINGS)[number];

type Edit =
  | { op: 'truncate'; at: number }
  | { op: 'drop-head'; at: number }
  | { op: 'delete'; at: number; len: number }
  | { op: 'duplicate'; at: number; len: number; times: number }
  | { op: 'swap'; a: number; b: number; len: number }
  | { op: 'flip'; at: number; code: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'nest'; at: number; which: number; depth: number; closed: boolean }
  | { op: 'number'; nth: number; value: string }
  | { op: 'recode'; how: Recoding };

const pos = fc.nat();

function editArb(fragments: readonly string[]): fc.Arbitrary<Edit> {
  const text = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...fragments, ...FRAGMENTS) },
    { weight: 1, arbitrary: fc.constantFrom(...BOMBS) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 24 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
  );
  return fc.oneof(
    fc.record({ op: fc.constant('truncate' as const), at: pos }),
    fc.record({ op: fc.constant('drop-head' as const), at: pos }),
    fc.record({ op: fc.constant('delete' as const), at: pos, len: fc.integer({ min: 1, max: 400 }) }),
    fc.record({
      op: fc.constant('duplicate' as const),
      at: pos,
      len: fc.integer({ min: 1, max: 400 }),
      times: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 4, max: 1000 })),
    }),
    fc.record({ op: fc.constant('swap' as const), a: pos, b: pos, len: fc.integer({ min: 1, max: 400 }) }),
    fc.record({ op: fc.constant('flip' as const), at: pos, code: fc.integer({ min: 0, max: 0xffff }) }),
    { weight: 3, arbitrary: fc.record({ op: fc.constant('insert' as const), at: pos, text }) },
    fc.record({
      op: fc.constant('nest' as const),
      at: pos,
      which: fc.nat(NESTS.length - 1),
      depth: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 300, max: 20_000 })),
      closed: fc.boolean(),
    }),
    fc.record({ op: fc.constant('number' as const), nth: pos, value: fc.constantFrom(...WEIRD_NUMBERS) }),
    fc.record({ op: fc.constant('recode' as const), how: fc.constantFrom(...RECODINGS) }),
  );
}

const latin1 = (bytes: Uint8Array): string => {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
};

function recode(s: string, how: Recoding): string {
  switch (how) {
    case 'bom':
      return `\uFEFF${s}`;
    case 'two-boms':
      return `\uFEFF\uFEFF${s}`;
    case 'reversed-bom':
      return `\uFFFE${s}`;
    case 'mojibake':
      return latin1(new TextEncoder().encode(s)); // UTF-8 bytes read as Latin-1
    case 'utf16-as-latin1':
      return `\u00ff\u00fe${s.replace(/[^]/g, (c) => `${c}\u0000`)}`; // UTF-16LE, BOM and all
    case 'crlf':
      return s.replace(/\n/g, '\r\n');
    case 'cr':
      return s.replace(/\n/g, '\r');
    case 'no-newlines':
      return s.replace(/\n/g, ' ');
    case 'upper':
      return s.toUpperCase();
    case 'ascii-only':
      return s.replace(/[^\x20-\x7e\n]/g, '');
  }
}

/** Applies one edit; positions are taken modulo the text's length. */
export function applyEdit(s: string, e: Edit): string {
  const at = (n: number) => n % (s.length + 1);
  switch (e.op) {
    case 'truncate':
      return s.slice(0, at(e.at));
    case 'drop-head':
      return s.slice(at(e.at));
    case 'delete': {
      const i = at(e.at);
      return s.slice(0, i) + s.slice(i + e.len);
    }
    case 'duplicate': {
      const i = at(e.at);
      return s.slice(0, i) + s.slice(i, i + e.len).repeat(e.times + 1) + s.slice(i + e.len);
    }
    case 'swap': {
      const [a, b] = [at(e.a), at(e.b)].sort((x, y) => x - y) as [number, number];
      const len = Math.min(e.len, b - a);
      if (len === 0) return s;
      return (
        s.slice(0, a) + s.slice(b, b + len) + s.slice(a + len, b) + s.slice(a, a + len) + s.slice(b + len)
      );
    }
    case 'flip': {
      const i = at(e.at);
      return s.slice(0, i) + String.fromCharCode(e.code) + s.slice(i + 1);
    }
    case 'insert': {
      const i = at(e.at);
      return s.slice(0, i) + e.text + s.slice(i);
    }
    case 'nest': {
      const i = at(e.at);
      const [open, close] = NESTS[e.which] ?? ['<a>', '</a>'];
      return s.slice(0, i) + open.repeat(e.depth) + (e.closed ? close.repeat(e.depth) : '') + s.slice(i);
    }
    case 'number': {
      const runs = [...s.matchAll(/\d+(?:[.,:]\d+)*/g)];
      const run = runs[e.nth % Math.max(1, runs.length)];
      if (!run) return s;
      return s.slice(0, run.index) + e.value + s.slice(run.index + run[0].length);
    }
    case 'recode':
      return recode(s, e.how);
  }
}

/**
 * A fixture with 1–4 edits. `fragments` are the format's own tokens (tags, keys, timing lines),
 * inserted more often than the generic ones.
 */
export function mutant(seeds: readonly string[], fragments: readonly string[] = []): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(editArb(fragments), { minLength: 1, maxLength: 4 }))
    .map(([seed, edits]) => edits.reduce(applyEdit, seed));
}
