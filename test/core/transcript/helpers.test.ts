// The small readers every format uses: clock times, cue timing lines, language tags, speaker
// prefixes and cue text cleaning.
import { describe, expect, it } from 'vitest';
import { normaliseLanguage } from '../../../src/core/transcript/language';
import { cleanCueText, foldSpace, speakerPrefix, stripTags } from '../../../src/core/transcript/text';
import { parseClock, parseTiming } from '../../../src/core/transcript/time';

describe('parseClock', () => {
  it.each([
    ['00:00:01.000', 1],
    ['01:02:03.456', 3723.456],
    ['02:03.456', 123.456],
    ['1:01.080', 61.08], // Podnews: one-digit minutes, no hours
    ['0.860', 0.86], // Podnews: seconds only
    ['3599.5', 3599.5],
    ['00:00:01,500', 1.5], // SRT comma
    ['3601,25', 3601.25],
    ['000:00:00.000', 0],
    ['120:00.000', 7200], // minutes:seconds, as hour-less files mean it
    ['00:00.00', 0], // two fraction digits
    ['00:00:05', 5],
    ['1:00:00:00', undefined],
    ['12', 12],
    ['00:00:00.0004', 0],
  ])('%s → %s', (clock, seconds) => {
    expect(parseClock(clock)).toBe(seconds);
  });

  it.each([
    '',
    'abc',
    '00:60.000',
    '00:000.000',
    '00.00.000',
    '1:2',
    '00:00:01.',
    '-1.0',
    '1e3',
    ' 1.0',
    '1.0 ',
    '00:00:01.000x',
  ])('refuses %j', (clock) => {
    expect(parseClock(clock)).toBeUndefined();
  });
});

describe('parseTiming', () => {
  it.each([
    ['00:00:01.000 --> 00:00:04.000', { start: 1, end: 4, settings: '' }],
    ['00:00:01,000 --> 00:00:04,000', { start: 1, end: 4, settings: '' }],
    [
      '00:01.000 --> 00:04.000 align:start position:10%',
      { start: 1, end: 4, settings: 'align:start position:10%' },
    ],
    ['00:00:25.000\t\t-->\t\t00:00:27.000', { start: 25, end: 27, settings: '' }],
    ['00:00:25.000-->00:00:27.000', { start: 25, end: 27, settings: '' }],
    ['00:00.000 --> 00:01.000line:40% size:40%', { start: 0, end: 1, settings: 'line:40% size:40%' }],
    ['0.860 --> 7.380', { start: 0.86, end: 7.38, settings: '' }],
    ['00:00:09,000 --> 00:00:05,000', { start: 9, settings: '' }], // an end before the start is dropped
    [
      '00:00:01,000 --> 00:00:04,000 X1:40 X2:600 Y1:20 Y2:50',
      { start: 1, end: 4, settings: 'X1:40 X2:600 Y1:20 Y2:50' },
    ],
  ])('%j', (line, timing) => {
    expect(parseTiming(line)).toEqual(timing);
  });

  it.each([
    '00:01.000 ---> 00:02.000',
    'a --> b',
    '00:00.000 00:00.001',
    '-->',
    '00:01.000 -->',
    'Hello --> there',
  ])('refuses %j', (line) => {
    expect(parseTiming(line)).toBeUndefined();
  });
});

describe('normaliseLanguage', () => {
  it.each([
    ['EN', 'en'],
    ['en_US', 'en-US'],
    ['en-us', 'en-US'],
    [' fr ', 'fr'],
    ['zh-hant-tw', 'zh-Hant-TW'],
    ['es-419', 'es-419'],
    ['de-CH-1996', 'de-CH-1996'],
    ['', undefined],
    ['english language', undefined],
    ['12', undefined],
    ['en-', undefined],
    [undefined, undefined],
  ])('%j → %j', (tag, normalised) => {
    expect(normaliseLanguage(tag)).toBe(normalised);
  });
});

describe('speakerPrefix', () => {
  it.each([
    ['Maya Chen: Welcome back.', { speaker: 'Maya Chen', rest: 'Welcome back.' }],
    ['Adam Curry:', { speaker: 'Adam Curry', rest: '' }],
    ['Speaker 1: hello', { speaker: 'Speaker 1', rest: 'hello' }],
    ['SPEAKER_1: hello', { speaker: 'SPEAKER_1', rest: 'hello' }],
    ["Norma-Jean O'Brien: hi", { speaker: "Norma-Jean O'Brien", rest: 'hi' }],
    ['José María López Ortega: hola', { speaker: 'José María López Ortega', rest: 'hola' }],
  ])('%j', (line, named) => {
    expect(speakerPrefix(line)).toEqual(named);
  });

  it.each([
    'the end: not a name',
    'One Two Three Four Five: five words is a sentence, not a name',
    'Time 10:30 is not a speaker',
    'Note:glued to the word',
    'Well, Maya: no',
    'https://example.com is a link',
  ])('ignores %j', (line) => {
    expect(speakerPrefix(line)).toBeUndefined();
  });
});

describe('cue text', () => {
  it.each([
    ['<v Mary>No way!</v>', 'No way!', 'Mary'],
    ['<v.loud Joe>That&apos;s awesome!</v>', "That's awesome!", 'Joe'],
    ['<v.first.loud Joe Bloggs>Hee!</v> Hee!', 'Hee! Hee!', 'Joe Bloggs'],
    ['<v>Nobody</v>', 'Nobody', undefined],
    ['<c.yellow>bright</c> <i>and</i> <b>bold</b> <u>under</u>', 'bright and bold under', undefined],
    ['<ruby>漢<rt>kan</rt>字<rt>ji</rt></ruby>', '漢字', undefined],
    ['<lang en-GB>colour</lang>', 'colour', undefined],
    ['so<00:00:00.400><c> today</c><00:00:00.720><c> we</c>', 'so today we', undefined],
    ['Q&amp;A &lt;3 a &gt; b a&nbsp;b &#39;x&#39; &#x2019; &copy;', "Q&A <3 a > b a b 'x' ’ ©", undefined],
    ['<i>two</i>\nlines', 'two lines', undefined],
    ['<font color="#ff0">yellow</font>', 'yellow', undefined],
    ['x < y and y > z', 'x < y and y > z', undefined],
    ["<v It's an unterminated tag", "It's an unterminated tag", undefined],
    // Escaped markup (srv1 writes `&lt;i&gt;`) is still markup once decoded: it goes too.
    ['&lt;i&gt;decoded markup&lt;/i&gt; goes too', 'decoded markup goes too', undefined],
    // Found by fuzzing (test/fuzz/srt.fuzz.test.ts): removing a tag joined the `<` before it to the
    // words after it, which read as a tag again.
    ['to <&lt;a><a>a memory', 'to a memory', undefined],
    ['&lt;&lt;a&gt;b', 'b', undefined],
  ])('%j → %j', (raw, text, voice) => {
    const clean = cleanCueText(raw);
    expect(clean.text).toBe(text);
    expect(clean.voice).toBe(voice);
  });

  it('follows the WebVTT rule that every < opens a tag when strict', () => {
    expect(cleanCueText("< 00:01.000>That's awesome!", true).text).toBe("That's awesome!");
    expect(cleanCueText("< 00:01.000>That's awesome!").text).toBe("< 00:01.000>That's awesome!");
  });

  it('stays linear on hostile markup', () => {
    const hostile = '<a'.repeat(200_000) + '<v '.repeat(100_000);
    const t0 = performance.now();
    stripTags(hostile);
    foldSpace(' \t'.repeat(500_000));
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
