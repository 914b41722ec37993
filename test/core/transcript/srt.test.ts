// SRT, table-driven, then the hand-written fixture.
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../../src/core/transcript/index';
import type { Segment } from '../../../src/core/types';
import { errorCode, fixture, parseChecked } from './support';

function segments(body: string): Segment[] {
  const t = parseChecked(body);
  if (t instanceof Error) throw t;
  expect(t.format).toBe('srt');
  expect(t.timed).toBe(true);
  return t.segments;
}

describe('SRT features', () => {
  it.each<[string, string, [number, number | undefined, string | undefined, string][]]>([
    [
      'index lines, comma and dot timings, multi-line cues',
      '1\n00:00:01,000 --> 00:00:04,000\nThe first cue\nhas two lines.\n\n2\n00:00:05.000 --> 00:00:06.500\nDots work too.\n',
      [
        [1, 4, undefined, 'The first cue has two lines.'],
        [5, 6.5, undefined, 'Dots work too.'],
      ],
    ],
    [
      'speaker prefixes carried forward until the next one',
      [
        '1\n00:00:00,179 --> 00:00:02,399\nTravis: When you first get\nstarted in podcasting, it is a lot.',
        '2\n00:00:02,400 --> 00:00:04,799\nAnd that is fine, really.',
        '3\n00:00:05,000 --> 00:00:07,000\nSarah: I agree with that.',
        '4\n00:00:07,500 --> 00:00:09,000\nTotally.',
        '5\n00:00:09,500 --> 00:00:11,000\nAdam Curry: Hello everybody.',
      ].join('\n\n'),
      [
        [0.179, 2.399, 'Travis', 'When you first get started in podcasting, it is a lot.'],
        [2.4, 4.799, 'Travis', 'And that is fine, really.'],
        [5, 7, 'Sarah', 'I agree with that.'],
        [7.5, 9, 'Sarah', 'Totally.'],
        [9.5, 11, 'Adam Curry', 'Hello everybody.'],
      ],
    ],
    [
      'only Word Word: with at most 4 capitalised words is a speaker',
      [
        '1\n00:00:01,000 --> 00:00:02,000\nThe answer: yes.',
        '2\n00:00:02,000 --> 00:00:03,000\nOne Two Three Four Five: no.',
        '3\n00:00:03,000 --> 00:00:04,000\nMeet at 10:30 then.',
      ].join('\n\n'),
      [
        [1, 2, undefined, 'The answer: yes.'],
        [2, 3, undefined, 'One Two Three Four Five: no.'],
        [3, 4, undefined, 'Meet at 10:30 then.'],
      ],
    ],
    [
      'a speaker change on the second line of a cue',
      '1\n00:00:01,000 --> 00:00:03,000\nAnn: Tea?\nBob: Please.\n',
      [
        [1, 3, 'Ann', 'Tea?'],
        [1, 3, 'Bob', 'Please.'],
      ],
    ],
    [
      '>> turn marks before a name (broadcast captions)',
      '1\n00:00:01,000 --> 00:00:02,000\n&gt;&gt; JOHN: Good evening.\n\n2\n00:00:02,000 --> 00:00:03,000\n>> MARY SMITH: Hello, John.\n',
      [
        [1, 2, 'JOHN', 'Good evening.'],
        [2, 3, 'MARY SMITH', 'Hello, John.'],
      ],
    ],
    [
      '<i>, <b> and <font> tags, entities',
      '1\n00:00:01,000 --> 00:00:02,000\n<i>Quietly</i>, <font color="#FFFF00" size="3">loudly</font> &amp; <b>boldly</b>.\n',
      [[1, 2, undefined, 'Quietly, loudly & boldly.']],
    ],
    [
      'lines of spaces between cues, CRLF, no index lines, no final newline',
      '00:00:01,000 --> 00:00:02,000\r\nNo index.\r\n   \r\n00:00:03,000 --> 00:00:04,000\r\nStill fine.',
      [
        [1, 2, undefined, 'No index.'],
        [3, 4, undefined, 'Still fine.'],
      ],
    ],
    [
      'a blank line inside a cue keeps the text that follows',
      '1\n00:00:01,000 --> 00:00:03,000\nA first paragraph.\n\nA second one, no timing.\n\n2\n00:00:04,000 --> 00:00:05,000\nNext.\n',
      [
        [1, 3, undefined, 'A first paragraph. A second one, no timing.'],
        [4, 5, undefined, 'Next.'],
      ],
    ],
    [
      'cues out of order are sorted',
      '2\n00:00:05,000 --> 00:00:06,000\nLater.\n\n1\n00:00:01,000 --> 00:00:02,000\nEarlier.\n',
      [
        [1, 2, undefined, 'Earlier.'],
        [5, 6, undefined, 'Later.'],
      ],
    ],
  ])('%s', (_name, body, expected) => {
    expect(segments(body).map((s) => [s.start, s.end, s.speaker, s.text])).toEqual(expected);
  });

  it('merges fragment cues into readable segments: a cue end closes one after 12 words', () => {
    const body = [
      '1\n00:00:00,000 --> 00:00:02,000\nAlban: It is so nice to\nshow up',
      '2\n00:00:02,000 --> 00:00:04,000\nand record this show. And\nTravis has put',
      '3\n00:00:04,000 --> 00:00:06,000\ntogether an outline already,\nwhich is great',
      '4\n00:00:06,000 --> 00:00:08,000\nfor all of us.',
    ].join('\n\n');
    expect(segments(body).map((s) => [s.start, s.end, s.text])).toEqual([
      [0, 4, 'It is so nice to show up and record this show. And Travis has put'],
      [4, 8, 'together an outline already, which is great for all of us.'],
    ]);
  });

  it('is labelled vtt only when declared so and nothing in it is SRT’s own', () => {
    const dots = '00:00:01.000 --> 00:00:02.000\nHi.\n';
    expect(parseTranscript(dots, { type: 'text/vtt' }).format).toBe('vtt');
    expect(parseTranscript(dots, { url: 'https://example.com/ep.vtt?x=1' }).format).toBe('vtt');
    expect(parseTranscript(dots, { type: 'application/srt' }).format).toBe('srt');
    expect(parseTranscript('1\n00:00:01,000 --> 00:00:02,000\nHi.\n', { type: 'text/vtt' }).format).toBe(
      'srt',
    );
  });

  it('a file of cue timings and no text is empty', () => {
    expect(
      errorCode(() =>
        parseTranscript('1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\n'),
      ),
    ).toBe('empty');
  });
});

describe('SRT fixture', () => {
  it('episode.srt: speakers only on change, carried forward', () => {
    const t = parseTranscript(fixture('episode.srt'), { type: 'application/srt', language: 'EN' });
    expect(t.format).toBe('srt');
    expect(t.language).toBe('en');
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
    expect(t.segments[3]).toEqual({
      start: 14,
      end: 19.4,
      speaker: 'Tom Okafor',
      text: 'Most people think sleep is just rest, but the brain is busy replaying the day.',
    });
  });
});
