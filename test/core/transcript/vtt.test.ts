// WebVTT, table-driven: each feature on a small inline file, then the hand-written fixtures.
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../../src/core/transcript/index';
import type { Segment } from '../../../src/core/types';
import { errorCode, fixture, parseChecked } from './support';

const vtt = (...lines: string[]): string => ['WEBVTT', '', ...lines].join('\n');

function segments(body: string): Segment[] {
  const t = parseChecked(body);
  if (t instanceof Error) throw t;
  expect(t.format).toBe('vtt');
  expect(t.timed).toBe(true);
  return t.segments;
}

describe('WebVTT features', () => {
  it.each<[string, string, Partial<Segment>[]]>([
    [
      'a BOM before the signature',
      '\uFEFFWEBVTT\n\n00:01.000 --> 00:02.000\nHello.',
      [{ start: 1, end: 2, text: 'Hello.' }],
    ],
    [
      'header text, NOTE, STYLE and REGION blocks',
      [
        'WEBVTT - a title',
        'X-TIMESTAMP-MAP=LOCAL:00:00:00.000,MPEGTS:0',
        '',
        'NOTE a comment',
        'over two lines',
        '',
        'STYLE',
        '::cue { color: red }',
        '',
        'REGION',
        'id:fred width:40%',
        '',
        '00:01.000 --> 00:02.000',
        'Only this.',
      ].join('\n'),
      [{ start: 1, text: 'Only this.' }],
    ],
    [
      'cue ids and cue settings',
      vtt(
        'intro',
        '00:00:01.000 --> 00:00:02.000 align:start position:10% line:0',
        'One.',
        '',
        '42',
        '00:00:03.000 --> 00:00:04.000 vertical:rl',
        'Two.',
      ),
      [
        { start: 1, end: 2, text: 'One.' },
        { start: 3, end: 4, text: 'Two.' },
      ],
    ],
    [
      'voices, with classes, closing tags and none',
      vtt(
        '00:01.000 --> 00:02.000',
        '<v Mary>No way!</v>',
        '',
        '00:02.000 --> 00:03.000',
        '<v.loud Joe Bloggs>Yes way.',
        '',
        '00:03.000 --> 00:04.000',
        '<v>Who said that?</v>',
      ),
      [
        { start: 1, speaker: 'Mary', text: 'No way!' },
        { start: 2, speaker: 'Joe Bloggs', text: 'Yes way.' },
        { start: 3, text: 'Who said that?' }, // and no speaker: checked below
      ],
    ],
    [
      'two voices in one cue are two segments',
      vtt('00:05.000 --> 00:07.000', '<v Ann>- Tea?</v>', '<v Bob>- Please.</v>'),
      [
        { start: 5, speaker: 'Ann', text: '- Tea?' },
        { start: 5, speaker: 'Bob', text: '- Please.' },
      ],
    ],
    [
      'class, italic, bold, underline, ruby and lang tags',
      vtt(
        '00:01.000 --> 00:02.000',
        '<c.yellow.bg_blue>This</c> <i>is</i> <b>very</b> <u>much</u> <lang fr>très</lang> <ruby>漢<rt>kan</rt></ruby>.',
      ),
      [{ text: 'This is very much très 漢.' }],
    ],
    [
      'entities',
      vtt(
        '00:01.000 --> 00:02.000',
        'Q&amp;A: 1 &lt; 2 &gt; 0, a&nbsp;b, &#39;quoted&#39;, it&#x2019;s &copy;&lrm;.',
      ),
      [{ text: "Q&A: 1 < 2 > 0, a b, 'quoted', it’s ©\u200e." }],
    ],
    [
      'inline timestamps',
      vtt(
        '00:00.000 --> 00:02.000',
        '<00:00.500>Hee!<00:01.500> Hee!',
        '',
        '00:02.000 --> 00:04.000',
        'so<00:00:02.400><c> today</c><00:00:02.720><c> we</c>',
      ),
      [
        { start: 0, text: 'Hee! Hee!' },
        { start: 2, text: 'so today we' },
      ],
    ],
    [
      'hour-less, seconds-only and comma timings',
      vtt(
        '01:05.500 --> 01:07.000',
        'A.',
        '',
        '0.860 --> 7.380',
        'B.',
        '',
        '1:01.080 --> 1:02.000',
        'C.',
        '',
        '00:00:09,500 --> 00:00:10,000',
        'D.',
      ),
      [
        { start: 0.86, end: 7.38, text: 'B.' },
        { start: 9.5, end: 10, text: 'D.' },
        { start: 61.08, end: 62, text: 'C.' },
        { start: 65.5, end: 67, text: 'A.' },
      ],
    ],
    [
      'a timing line inside cue text starts a new cue; empty cues are dropped',
      vtt(
        '00:00.000 --> 00:02.000',
        'First.',
        '00:02.000 --> 00:04.000',
        'Second.',
        '',
        '00:06.000 --> 00:08.000',
        '00:06.000 --> 00:08.000',
        'Third.',
      ),
      [
        { start: 0, text: 'First.' },
        { start: 2, text: 'Second.' },
        { start: 6, text: 'Third.' },
      ],
    ],
    [
      'multi-line cues are one line of text',
      vtt('00:01.000 --> 00:04.000', '- It will perforate your stomach.', '- You could die.'),
      [{ start: 1, end: 4, text: '- It will perforate your stomach. - You could die.' }],
    ],
    [
      'a header with no blank line before the first cue',
      'WEBVTT\n00:11.000 --> 00:13.000\nTest.',
      [{ start: 11, end: 13, text: 'Test.' }],
    ],
    [
      'text after a blank line inside a cue is not a cue (the spec)',
      vtt('00:01.000 --> 00:02.000', 'Kept.', '', 'Dropped, it has no timing.'),
      [{ start: 1, text: 'Kept.' }],
    ],
    [
      'a line repeated by chance is kept (not a rolling window)',
      vtt(
        '00:01.000 --> 00:02.000',
        'Yeah.',
        '',
        '00:02.000 --> 00:03.000',
        'Yeah.',
        '',
        '00:03.000 --> 00:04.000',
        'Right.',
      ),
      [
        { start: 1, text: 'Yeah.' },
        { start: 2, text: 'Yeah.' },
        { start: 3, text: 'Right.' },
      ],
    ],
    [
      '>> starts a new turn',
      vtt(
        '00:01.000 --> 00:02.000',
        '&gt;&gt; Are you ready',
        '',
        '00:02.000 --> 00:03.000',
        '&gt;&gt; I am',
      ),
      [
        { start: 1, text: 'Are you ready' },
        { start: 2, text: 'I am' },
      ],
    ],
    [
      'CRLF line endings',
      'WEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\nWindows.\r\n\r\n00:02.000 --> 00:03.000\r\nLines.\r\n',
      [
        { start: 1, text: 'Windows.' },
        { start: 2, text: 'Lines.' },
      ],
    ],
  ])('%s', (_name, body, expected) => {
    const got = segments(body);
    expect(got).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(got[i]).toMatchObject(e));
    for (const [i, e] of expected.entries()) if (!('speaker' in e)) expect(got[i]?.speaker).toBeUndefined();
  });

  it('merges fragment cues into sentence-sized segments, keeping each start', () => {
    const got = segments(
      vtt(
        '00:00.000 --> 00:02.000',
        'When you first get started in',
        '',
        '00:02.000 --> 00:04.000',
        'podcasting, it is almost guaranteed',
        '',
        '00:04.000 --> 00:06.000',
        'that you will make mistakes. But',
        '',
        '00:06.000 --> 00:08.000',
        'not all of them.',
      ),
    );
    // A cue boundary closes a segment once it has 12 words; a sentence end always does.
    expect(got.map((s) => [s.start, s.end, s.text])).toEqual([
      [
        0,
        6,
        'When you first get started in podcasting, it is almost guaranteed that you will make mistakes. But',
      ],
      [6, 8, 'not all of them.'],
    ]);
  });

  it('keeps the language the file declares, normalised', () => {
    expect(
      parseTranscript('WEBVTT\nKind: captions\nLanguage: en_us\n\n00:01.000 --> 00:02.000\nHi.').language,
    ).toBe('en-US');
  });

  it.each([
    ['a header and no cue', 'WEBVTT\n\nNOTE nothing here\n', 'malformed'],
    ['a header and a broken timing', 'WEBVTT\n\n00:01.000 ---> 00:02.000\nText', 'malformed'],
    ['cues with no text', 'WEBVTT\n\n00:01.000 --> 00:02.000\n\n00:03.000 --> 00:04.000\n<i></i>\n', 'empty'],
  ])('%s: %s', (_name, body, code) => {
    expect(errorCode(() => parseTranscript(body))).toBe(code);
  });
});

describe('WebVTT fixtures', () => {
  it('episode.vtt: BOM, NOTE and STYLE, ids, settings, voices, tags and entities', () => {
    const t = parseTranscript(fixture('episode.vtt'));
    expect(t.language).toBe('en-US');
    expect(t.segments).toHaveLength(8);
    expect(t.segments[0]).toEqual({
      start: 0,
      end: 3.8,
      speaker: 'Maya Chen',
      text: 'Welcome back to Field Notes, the show about how things really work.',
    });
    expect(t.segments[1]?.text).toBe(
      "Today we're talking about sleep & memory with a researcher who studies both.",
    );
    expect(t.segments[2]).toMatchObject({
      speaker: 'Tom Okafor',
      text: "Thanks for having me, it's a topic I could talk about for hours.",
    });
    expect(t.segments.map((s) => s.speaker)).toEqual([
      'Maya Chen',
      'Maya Chen',
      'Tom Okafor',
      'Tom Okafor',
      'Maya Chen',
      'Tom Okafor',
      'Tom Okafor',
      'Maya Chen',
    ]);
  });

  it('podnews-seconds.vtt: seconds-only, hour-less and comma timings', () => {
    const t = parseTranscript(fixture('podnews-seconds.vtt'));
    expect(t.segments.map((s) => [s.start, s.end, s.speaker])).toEqual([
      [0.86, 7.38, 'SPEAKER_1'],
      [10.1, 13.48, 'SPEAKER_1'],
      [56.44, 61.08, 'SPEAKER_1'],
      [61.46, 71.36, 'SPEAKER_2'],
      [3599.5, 3601.25, 'SPEAKER_2'],
    ]);
    expect(t.segments[3]?.text).toBe('Nobody really knows yet, but we will find out.');
  });

  it('youtube-auto.vtt: rolling windows lose their repeated lines, no word twice', () => {
    const t = parseTranscript(fixture('youtube-auto.vtt'));
    expect(t.language).toBe('en');
    const words = t.segments.flatMap((s) => s.text.split(' '));
    expect(words.join(' ')).toBe(
      "so today we're going to look at how bread dough rises and why the yeast needs warmth first we mix the flour",
    );
    expect(t.segments[0]?.start).toBe(0.16);
    expect(t.segments.every((s) => s.text.split(' ').length >= 5)).toBe(true); // not word-sized
  });
});
