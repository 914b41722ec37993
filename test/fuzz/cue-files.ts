// Generated WebVTT and SRT files for the fuzz suites: headers, NOTE/STYLE blocks, cue ids and SRT
// indexes, timing lines whose clocks are valid, nearly valid or nonsense (hours of 20 digits, 60
// minutes, NaN, commas and dots mixed), settings, and cue text full of voices, classes, inline
// timestamps, entities, speaker prefixes and `>>` turns. Built from parts, so each file is close
// to a real one in a way a random string never is.
import fc from 'fast-check';
import { WEIRD_NUMBERS } from './mutate';

const two = (n: number) => String(n).padStart(2, '0');
const three = (n: number) => String(n).padStart(3, '0');

/** A clock as a caption file writes it, or as a broken one does. */
export const clock: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.nat(99), fc.nat(59), fc.nat(59), fc.nat(999), fc.constantFrom('.', ','))
      .map(([h, m, s, ms, sep]) => `${two(h)}:${two(m)}:${two(s)}${sep}${three(ms)}`),
  },
  fc.tuple(fc.nat(59), fc.nat(59), fc.nat(999)).map(([m, s, ms]) => `${two(m)}:${two(s)}.${three(ms)}`),
  fc.tuple(fc.nat(100_000), fc.nat(999)).map(([s, ms]) => `${s}.${three(ms)}`),
  fc.tuple(fc.nat(9), fc.nat(59), fc.nat(999)).map(([m, s, ms]) => `${m}:${two(s)}.${three(ms)}`),
  fc.constantFrom(
    ...WEIRD_NUMBERS,
    '00:60:00.000',
    '00:00:60.000',
    '-00:00:01.000',
    '00:00:01',
    '1:2:3',
    '00:00:00.',
    `00:00:00.${'9'.repeat(30)}`,
    `${'9'.repeat(20)}:00.000`,
    '00:00:00:00.000',
    '０１:００.０００',
  ),
  fc.string({ maxLength: 14 }),
);

const word = fc.constantFrom(
  'so',
  'today',
  'we',
  'talk',
  'Mr.',
  'sleep',
  'memory.',
  'why?',
  '2023',
  ',',
  '.',
  '…',
  '—',
  '“quoted”',
  '漢字',
  'café',
  '',
);

/** A line of cue text, from words, markup and the odd random string. */
export const cueLine: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: word },
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          '<v Maya Chen>',
          '<v.loud Tom>',
          '<v>',
          '</v>',
          '<c.colorE5E5E5>',
          '</c>',
          '<i>',
          '</i>',
          '<b>',
          '<font color="#fff">',
          '<00:00:01.000>',
          '<99:99:99.999>',
          '<ruby>漢<rt>kan</rt></ruby>',
          '<lang en>',
          '&amp;',
          '&lt;',
          '&nbsp;',
          '&#39;',
          '&#x1F600;',
          '&bogus;',
          '>> ',
          'MAYA CHEN: ',
          'Speaker 1: ',
          '[Music]',
          '<',
          '<v It',
          ' ',
          '\t',
        ),
      },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
    ),
    { maxLength: 14 },
  )
  .map((parts) => parts.join(' '));

const arrow = fc.constantFrom(' --> ', '-->', '\t-->\t', ' -->', '--> ', ' ---> ', ' -> ', ' --> --> ');
const settings = fc.constantFrom('', ' align:start position:0%', ' line:85%', ' size:50% vertical:rl', 'x');

const cue = (srt: boolean) =>
  fc.record({
    id: srt
      ? fc.oneof(fc.nat(5000).map(String), fc.constant(''), fc.constantFrom('-1', 'x'))
      : fc.constantFrom('', 'intro-1', '1', 'NOTE'),
    start: clock,
    arrow,
    end: clock,
    settings,
    lines: fc.array(cueLine, { maxLength: 4 }),
    blank: fc.constantFrom('\n', '\n\n', '\n \n', ''),
  });

const block = (srt: boolean) =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: cue(srt).map(
        (c) =>
          `${c.id ? `${c.id}\n` : ''}${c.start}${c.arrow}${c.end}${c.settings}\n${c.lines.join('\n')}\n${c.blank}`,
      ),
    },
    fc.constantFrom(
      'NOTE a comment\nwith two lines\n\n',
      'STYLE\n::cue { color: red }\n\n',
      'REGION\nid:x\n\n',
      '\n\n\n',
    ),
    fc.string({ unit: 'binary', maxLength: 30 }).map((s) => `${s}\n\n`),
  );

/** A whole WebVTT file: a header (or a broken one) and up to 40 blocks. */
export const vttFile: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(
      'WEBVTT\n\n',
      'WEBVTT - title\nKind: captions\nLanguage: en\n\n',
      '\uFEFFWEBVTT\n\n',
      'WEBVTT\nLanguage: xx-$$\n',
      'WEBVTT\n',
      'WEBVTTX\n\n',
      'webvtt\n\n',
      '',
    ),
    fc.array(block(false), { maxLength: 40 }),
    fc.constantFrom('\n', '\r\n', '\r'),
  )
  .map(([header, blocks, nl]) => (header + blocks.join('')).replace(/\n/g, nl));

/** A whole SRT file: up to 40 numbered blocks. */
export const srtFile: fc.Arbitrary<string> = fc
  .tuple(fc.array(block(true), { maxLength: 40 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([blocks, nl]) => blocks.join('').replace(/\n/g, nl));
