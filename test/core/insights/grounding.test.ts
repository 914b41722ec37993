// Grounding (DESIGN.md section 4): quotes found where they really are, tolerant of case,
// punctuation and ASR noise, never of invented words or changed numbers; the stored quote is
// always the transcript's own words, so it satisfies the contract check.
import { describe, expect, it } from 'vitest';
import {
  createGrounder,
  foldForMatch,
  foldWithMap,
  groundQuote,
  satisfiesGrounding,
  type GroundResult,
  type NearWindow,
} from '../../../src/core/insights/grounding';
import { prng } from '../../../scripts/lib/prng';
import { demoTranscript, generatedEpisode, transcriptOf } from './support';

const transcript = transcriptOf([
  [0, 'Welcome back to the show.', 'Ada'],
  [4.5, 'Most of what you hear is forgotten within a day, unless you come back to it.', 'Ada'],
  [9.5, 'Spacing your reviews over several days works better', 'Ben'],
  [14, 'than cramming them into one sitting.', 'Ben'],
  [60, 'Right.', 'Ada'],
  [130, 'A short daily list of five saved ideas gets reviewed far more often than a long archive.', 'Ben'],
  [200, 'Sales grew 40% in 2023, which nobody expected.', 'Ada'],
  [300, 'Don’t copy the quote — write the note in your own words.', 'Ben'],
  [310, 'The café in Zürich serves the best coffee in town.', 'Ada'],
  [400, 'Sleep before the exam matters more than one more hour of study.', 'Ben'],
  [900, 'Sleep before the exam matters more than one more hour of study.', 'Ada'],
  [1000, 'Right.', 'Ben'],
]);

type Case = [
  name: string,
  quote: string,
  near: NearWindow | undefined,
  expected: Partial<Extract<GroundResult, { ok: true }>> | 'empty' | 'not-found' | 'ambiguous',
];

describe('groundQuote', () => {
  it.each<Case>([
    [
      'a good quote, verbatim',
      'Most of what you hear is forgotten within a day',
      { from: 4.5, to: 20 },
      { start: 4.5, end: 9.5, segment: 1, quote: 'Most of what you hear is forgotten within a day' },
    ],
    [
      'a whole sentence keeps its full stop',
      'A short daily list of five saved ideas gets reviewed far more often than a long archive.',
      { from: 130, to: 150 },
      {
        start: 130,
        quote: 'A short daily list of five saved ideas gets reviewed far more often than a long archive.',
      },
    ],
    [
      'changed case, punctuation, curly quotes and dashes',
      '"DON\'T copy the quote - write the note in your own words!"',
      { from: 300, to: 320 },
      { start: 300, quote: 'Don’t copy the quote — write the note in your own words.' },
    ],
    [
      'diacritics left out',
      'the cafe in zurich serves the best coffee',
      undefined,
      { start: 310, quote: 'The café in Zürich serves the best coffee' },
    ],
    [
      'a quote the model placed at another time: the real time wins',
      'a short daily list of five saved ideas gets reviewed far more often',
      { from: 10, to: 30 },
      { start: 130, segment: 5 },
    ],
    [
      'a quote spanning two segments starts at the first',
      'works better than cramming them into one sitting',
      { from: 9.5, to: 30 },
      {
        start: 9.5,
        end: 19,
        segment: 2,
        quote: 'works better than cramming them into one sitting.',
      },
    ],
    [
      'one word misheard by the speech recogniser: accepted, with the transcript’s words',
      'A short daily list of five safe ideas gets reviewed far more often than a long archive',
      { from: 130, to: 150 },
      {
        start: 130,
        quote: 'A short daily list of five saved ideas gets reviewed far more often than a long archive.',
      },
    ],
    [
      'one word dropped and one added: still in order within 1.3× the length',
      'Most of what you hear is quickly forgotten within a day unless you come back',
      undefined,
      { start: 4.5, quote: 'Most of what you hear is forgotten within a day, unless you come back' },
    ],
    [
      'an invented quote is rejected',
      'A long archive gets reviewed far more often than a short daily list of ideas',
      { from: 130, to: 150 },
      'not-found',
    ],
    [
      'a paraphrase is rejected',
      'Reviewing over several days beats cramming everything into a single session',
      undefined,
      'not-found',
    ],
    [
      'a different number is rejected',
      'Sales grew 50% in 2023, which nobody expected',
      undefined,
      'not-found',
    ],
    ['a different year is rejected', 'Sales grew 40% in 2024, which nobody expected', undefined, 'not-found'],
    [
      'a number wrong in an otherwise fuzzy match is rejected',
      'A short daily list of six saved ideas gets reviewed far more often than a long archive of 5',
      undefined,
      'not-found',
    ],
    ['an empty quote', '', undefined, 'empty'],
    ['a quote of punctuation only', ' — “ ” … ', undefined, 'empty'],
    [
      'a quote said twice, no hint where: ambiguous',
      'Sleep before the exam matters more than one more hour of study.',
      undefined,
      'ambiguous',
    ],
    [
      'a quote said twice: the one in the cited paragraph',
      'Sleep before the exam matters more than one more hour of study.',
      { from: 880, to: 920 },
      { start: 900, segment: 10 },
    ],
    [
      'a quote said twice: the one nearer the cited paragraph',
      'sleep before the exam matters more',
      { from: 450, to: 480 },
      { start: 400, segment: 9 },
    ],
    [
      'a short quote inside the cited paragraph',
      'right',
      { from: 990, to: 1010 },
      { start: 1000, segment: 11 },
    ],
    ['a part of a word is not a word', 'ales grew 40', undefined, 'not-found'],
  ])('%s', (_name, quote, near, expected) => {
    const result = groundQuote(transcript, quote, near);
    if (typeof expected === 'string') {
      expect(result).toEqual({ ok: false, reason: expected });
      return;
    }
    expect(result).toMatchObject({ ok: true, ...expected });
    if (result.ok) {
      // Whatever the model wrote, what is stored satisfies the contract.
      expect(satisfiesGrounding(transcript, { quote: result.quote, start: result.start })).toBe(true);
      expect(transcript.segments.map((s) => s.start)).toContain(result.start);
    }
  });

  it('finds every demo claim quoted loosely, at its real second, whatever time the model claimed', () => {
    const demo = demoTranscript();
    const grounder = createGrounder(demo);
    const loose: [string, number][] = [
      ['most of what you hear in a podcast is forgotten within a day', 20.354],
      ['RETRIEVING AN IDEA BY TESTING YOURSELF ON IT FIXES IT IN MEMORY', 52.455],
      ['writing a claim in your own words beats copying the quote, word-for-word', 70.12],
      ['Spacing your reviews over several days works better than cramming them into 1 sitting', 88.421],
    ];
    for (const [quote, start] of loose) {
      const result = grounder.ground(quote, { from: 150, to: 175 });
      if (quote.includes(' 1 ')) {
        // "1" for "one": a number the transcript does not say, so no fuzzy match.
        expect(result).toEqual({ ok: false, reason: 'not-found' });
        continue;
      }
      expect(result).toMatchObject({ ok: true, start });
    }
  });
});

describe('satisfiesGrounding', () => {
  it.each<[string, string, number, boolean]>([
    ['the quote at its segment’s start', 'Most of what you hear is forgotten', 4.5, true],
    ['folded case and punctuation', 'most of what YOU hear, is forgotten!', 4.5, true],
    ['a start up to 90 s before the segment', 'A short daily list of five saved ideas', 40, true],
    ['a start more than 90 s before the segment', 'A short daily list of five saved ideas', 39, false],
    ['a start after the segment began', 'A short daily list of five saved ideas', 131, false],
    ['across two segments inside the span', 'works better than cramming them', 9.5, true],
    ['words not in the transcript', 'A short daily list of six saved ideas', 130, false],
    ['a misheard word is not folded away', 'A short daily list of five safe ideas', 130, false],
    ['an empty quote', '', 130, false],
  ])('%s', (_name, quote, start, expected) => {
    expect(satisfiesGrounding(transcript, { quote, start })).toBe(expected);
  });

  it('checks transcripts whose segments are out of order too', () => {
    const shuffled = transcriptOf([
      [50, 'Second thing said.'],
      [10, 'First thing said.'],
    ]);
    expect(satisfiesGrounding(shuffled, { quote: 'first thing said', start: 10 })).toBe(true);
    expect(satisfiesGrounding(shuffled, { quote: 'second thing said', start: 10 })).toBe(true);
    expect(satisfiesGrounding(shuffled, { quote: 'first thing said', start: 50 })).toBe(false);
  });
});

describe('foldForMatch', () => {
  it.each<[string, string]>([
    ['Hello, World!', 'hello world'],
    ['  many   spaces\tand\nlines  ', 'many spaces and lines'],
    ['Don’t — stop… “now”', 'dont stop now'],
    ["rock 'n' roll", 'rock n roll'],
    ['well-known e-mail', 'well known e mail'],
    ['1,000 people; 3.5 percent', '1000 people 35 percent'],
    ['Crème brûlée, São Paulo, Straße', 'creme brulee sao paulo strasse'],
    ['ÉCOLE', 'ecole'],
    ['Ｆｕｌｌ width', 'full width'],
    ['日本語のテキスト。', '日本語のテキスト'],
    ['¿Qué tal?', 'que tal'],
    ['', ''],
  ])('%j → %j', (text, folded) => {
    expect(foldForMatch(text)).toBe(folded);
  });

  it('folds ASCII text the same on the fast path and the general one', () => {
    const random = prng(7);
    const alphabet = 'aZ09 .,\'`-!?\t\n:;"()[]';
    for (let n = 0; n < 500; n++) {
      let text = '';
      const length = Math.floor(random() * 30);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(foldForMatch(text), JSON.stringify(text)).toBe(foldWithMap(text).folded);
    }
  });
});

describe('a long episode', () => {
  // Its speed is held by the benchmarks (npm run bench), not here.
  it('grounds misheard and mistimed quotes across a 3-hour transcript', () => {
    const { transcript: long } = generatedEpisode(180, 3);
    const segments = long.segments;
    const quotes = Array.from({ length: 20 }, (_, i) => {
      const seg = segments[Math.floor(((i + 0.5) / 20) * segments.length)]!;
      const words = seg.text.split(' ');
      // Every third quote has a misheard word, every other one a wrong time from the model.
      if (i % 3 === 0 && words.length > 8) words[3] = 'zebra';
      const near =
        i % 2 ? { from: seg.start + 600, to: seg.start + 630 } : { from: seg.start, to: seg.start + 30 };
      return { quote: words.join(' '), near };
    });
    const grounder = createGrounder(long);
    let found = 0;
    for (const { quote, near } of quotes) if (grounder.ground(quote, near).ok) found++;
    expect(found).toBeGreaterThanOrEqual(18);
  });
});
