// Podcasting 2.0 JSON: line-level and word-level files, white-space and punctuation segments,
// merged into sentence-sized segments.
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../../src/core/transcript/index';
import type { Segment } from '../../../src/core/types';
import { errorCode, fixture, parseChecked } from './support';

type Raw = { speaker?: unknown; startTime?: unknown; endTime?: unknown; body?: unknown };

function segments(raw: Raw[]): Segment[] {
  const t = parseChecked(JSON.stringify({ version: '1.0.0', segments: raw }));
  if (t instanceof Error) throw t;
  expect(t.format).toBe('json');
  expect(t.timed).toBe(true);
  return t.segments;
}

/** One word a segment, `step` seconds apart from `start`. */
function words(text: string, start = 0, step = 0.3, speaker = 'Host'): Raw[] {
  return text
    .split(' ')
    .map((body, i) => ({ speaker, startTime: start + i * step, endTime: start + i * step + 0.25, body }));
}

describe('Podcasting 2.0 JSON', () => {
  it('word-level: sentences, punctuation attached, ends kept', () => {
    expect(segments(words('I am your father. Luke, I am! Really?'))).toEqual([
      { start: 0, end: 1.15, speaker: 'Host', text: 'I am your father.' },
      { start: 1.2, end: 2.05, speaker: 'Host', text: 'Luke, I am!' },
      { start: 2.1, end: 2.35, speaker: 'Host', text: 'Really?' },
    ]);
  });

  it('splits at a speaker change and at a pause over 1.5 s', () => {
    const got = segments([
      ...words('so we began', 0),
      ...words('and then', 3),
      ...words('I disagree', 3.7, 0.3, 'Guest'),
    ]);
    expect(got.map((s) => [s.start, s.speaker, s.text])).toEqual([
      [0, 'Host', 'so we began'],
      [3, 'Host', 'and then'],
      [3.7, 'Guest', 'I disagree'],
    ]);
  });

  it('caps a segment at 40 words and 25 seconds', () => {
    const long = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');
    const byWords = segments(words(long, 0, 0.2));
    expect(byWords.map((s) => s.text.split(' ').length)).toEqual([40, 40, 20]);
    const slow = segments(words(long.split(' ').slice(0, 30).join(' '), 0, 1.2));
    expect(slow.every((s) => (s.end ?? s.start) - s.start <= 25)).toBe(true);
    expect(slow.length).toBe(2);
    expect(slow.map((s) => s.text).join(' ')).toBe(long.split(' ').slice(0, 30).join(' '));
  });

  it('spelled-out spacing: " " segments separate, everything else is glued', () => {
    const t = parseTranscript(fixture('words-spaced.json'));
    expect(t.segments.map((s) => [s.start, s.end, s.speaker, s.text])).toEqual([
      [0.221, 1.987, 'Speaker 1', "It's Friday, the 2nd of June."],
      [4.34, 6.2, 'Speaker 2', 'The last word in podcasting'],
      [8.5, 8.8, 'Speaker 2', 'news!'],
      [9, 9.6, 'Speaker 2', '"Quoted words"'],
    ]);
  });

  it('word-level without spacing: closing punctuation to the left, opening to the right, & apart', () => {
    const got = segments(words('He said ( quietly ) : salt & pepper , please .'));
    expect(got.map((s) => s.text)).toEqual(['He said (quietly): salt & pepper, please.']);
  });

  it('line-level with each caption split in two segments of the same times (Buzzsprout)', () => {
    const got = segments([
      { speaker: 'James C', startTime: 0.035, endTime: 3.455, body: "it's Friday, the 5th of" },
      { speaker: 'James C', startTime: 0.035, endTime: 3.455, body: 'May 20, 23.' },
      { speaker: 'Jingles', startTime: 4.26, endTime: 8.37, body: 'The last word in' },
      { speaker: 'Jingles', startTime: 4.26, endTime: 8.37, body: 'podcasting news. This is the Pod' },
      { speaker: 'Jingles', startTime: 8.38, endTime: 12.69, body: 'News weekly review with James' },
      { speaker: 'Jingles', startTime: 8.38, endTime: 12.69, body: 'Kirkland and Sam Sethi.' },
    ]);
    expect(got.map((s) => [s.start, s.end, s.speaker, s.text])).toEqual([
      [0.035, 3.455, 'James C', "it's Friday, the 5th of May 20, 23."],
      [
        4.26,
        12.69,
        'Jingles',
        'The last word in podcasting news. This is the Pod News weekly review with James Kirkland and Sam Sethi.',
      ],
    ]);
  });

  it('tolerates string times, missing speakers, negative and missing times, markup, out-of-order segments', () => {
    const got = segments([
      { startTime: '5.5', endTime: '6', body: 'Later.' },
      { startTime: -1, endTime: 0.5, body: '<i>Early</i> &amp; first.' },
      { body: 'No time: the time of the segment before it in the file.' },
      { startTime: 7, body: 42 },
      { startTime: 7, body: '   ' },
      'not a segment' as Raw,
      null as unknown as Raw,
    ]);
    expect(got.map((s) => [s.start, s.text])).toEqual([
      [0, 'Early & first.'],
      [0, 'No time: the time of the segment before it in the file.'],
      [5.5, 'Later.'],
    ]);
    expect(got.every((s) => s.speaker === undefined)).toBe(true);
  });

  // Found by fuzzing (test/fuzz/podcast-json.fuzz.test.ts): 1e308 s became a start of Infinity.
  it('takes a time past MAX_SECONDS as no time at all, never as Infinity', () => {
    const got = segments([
      { startTime: 1, endTime: 2, body: 'First.' },
      { startTime: 1e308, endTime: 1e308, body: 'Absurd.' },
    ]);
    expect(got.map((s) => [s.start, s.end, s.text])).toEqual([
      [1, 2, 'First.'],
      [1, undefined, 'Absurd.'],
    ]);
  });

  it('episode.json (word-level) reads as sentences', () => {
    const t = parseTranscript(fixture('episode.json'));
    expect(t.segments.map((s) => s.start)).toEqual([0, 4, 9, 14, 20, 24, 30, 37]);
    expect(t.segments[6]?.text).toBe(
      'That transfer is why a good night’s sleep before an exam beats a late night of cramming.',
    );
  });

  it.each([
    ['no segments', '{"version":"1.0.0","segments":[]}', 'empty'],
    ['segments without a body', '{"version":"1.0.0","segments":[{"startTime":1},[2],3]}', 'malformed'],
    ['only white space', '{"segments":[{"startTime":1,"body":" "},{"startTime":2,"body":"\\n"}]}', 'empty'],
    ['another JSON shape', '{"title":"Episode 1","chapters":[]}', 'unknown-format'],
    ['an array', '[{"startTime":1,"body":"hi"}]', 'unknown-format'],
    ['segments that is not an array', '{"segments":{"0":{"body":"hi"}}}', 'unknown-format'],
    ['broken JSON', '{"version":"1.0.0","segments":[{"body":"cut', 'malformed'],
  ])('%s → %s', (_name, body, code) => {
    expect(errorCode(() => parseTranscript(body))).toBe(code);
  });
});
