// Segments made into an episode's transcript: estimated times for text-only answers, piece time
// to episode time, and the pieces joined without the repeats Whisper makes.
import { describe, expect, it } from 'vitest';
import { estimateSegments, mergePieces, offsetSegments } from '../../../src/core/transcribe/segments';
import type { Segment } from '../../../src/core/types';

describe('estimateSegments', () => {
  it('gives each sentence a share of the piece by its length', () => {
    const segments = estimateSegments('Short one. A much longer second sentence here!  And a third?', 60);
    expect(segments.map((s) => s.text)).toEqual([
      'Short one.',
      'A much longer second sentence here!',
      'And a third?',
    ]);
    const total = 'Short one.'.length + 'A much longer second sentence here!'.length + 'And a third?'.length;
    expect(segments[0]).toEqual({ start: 0, end: expect.closeTo((60 * 10) / total, 3), text: 'Short one.' });
    expect(segments[1]!.start).toBe(segments[0]!.end);
    expect(segments[2]!.start).toBe(segments[1]!.end);
    expect(segments[2]!.end).toBe(60);
  });

  it('keeps decimals and closing quotes with their sentence', () => {
    expect(estimateSegments('It cost 3.5 dollars. She said "no." Then left.', 10).map((s) => s.text)).toEqual(
      ['It cost 3.5 dollars.', 'She said "no."', 'Then left.'],
    );
  });

  it('cuts a long run without stops every 40 words', () => {
    const text = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');
    const segments = estimateSegments(text, 100);
    expect(segments.map((s) => s.text.split(' ').length)).toEqual([40, 40, 20]);
    expect(segments[1]!.text.startsWith('w40 ')).toBe(true);
    expect(segments.map((s) => s.start)).toEqual([...segments.map((s) => s.start)].sort((a, b) => a - b));
  });

  it('gives nothing for no words', () => {
    expect(estimateSegments('', 120)).toEqual([]);
    expect(estimateSegments(' \n\t ', 120)).toEqual([]);
  });

  it('puts everything at 0 when the duration is unknown', () => {
    for (const d of [0, -5, Number.NaN]) {
      expect(estimateSegments('One. Two.', d)).toEqual([
        { start: 0, end: 0, text: 'One.' },
        { start: 0, end: 0, text: 'Two.' },
      ]);
    }
  });

  it('folds spacing inside a sentence', () => {
    expect(estimateSegments('  Hello\n  there.  ', 4)).toEqual([{ start: 0, end: 4, text: 'Hello there.' }]);
  });
});

describe('offsetSegments', () => {
  it('moves every time by the piece start, keeping other fields and missing ends', () => {
    const moved = offsetSegments(
      [
        { start: 0, end: 2.5, text: 'a', speaker: 'Ada' },
        { start: 119.9, text: 'b' },
      ],
      240,
    );
    expect(moved).toEqual([
      { start: 240, end: 242.5, text: 'a', speaker: 'Ada' },
      { start: 359.9, text: 'b' },
    ]);
    expect('end' in moved[1]!).toBe(false);
  });

  it('does not change its input, and rounds float noise to milliseconds', () => {
    const input: Segment[] = [{ start: 0.1, end: 0.2, text: 'x' }];
    expect(offsetSegments(input, 0.2)).toEqual([{ start: 0.3, end: 0.4, text: 'x' }]);
    expect(input[0]).toEqual({ start: 0.1, end: 0.2, text: 'x' });
  });

  it('is empty for no segments', () => {
    expect(offsetSegments([], 120)).toEqual([]);
  });
});

const seg = (start: number, text: string): Segment => ({ start, end: start + 1, text });

describe('mergePieces', () => {
  it('joins pieces transcribed out of order (playhead first) in time order', () => {
    const merged = mergePieces([
      { index: 2, segments: [seg(241, 'c1'), seg(300, 'c2')] },
      { index: 0, segments: [seg(0, 'a1'), seg(60, 'a2')] },
      { index: 1, segments: [seg(121, 'b1')] },
    ]);
    expect(merged.map((s) => s.text)).toEqual(['a1', 'a2', 'b1', 'c1', 'c2']);
  });

  it('drops a segment repeating the previous one across a piece boundary', () => {
    const merged = mergePieces([
      { index: 0, segments: [seg(100, 'Before.'), seg(119.2, 'On the cut.')] },
      { index: 1, segments: [seg(120, 'on the  cut.'), seg(125, 'After.')] },
    ]);
    expect(merged.map((s) => [s.start, s.text])).toEqual([
      [100, 'Before.'],
      [119.2, 'On the cut.'],
      [125, 'After.'],
    ]);
  });

  it('keeps a line said twice within a piece', () => {
    const merged = mergePieces([{ index: 0, segments: [seg(1, 'No.'), seg(2, 'No.'), seg(3, 'Fine.')] }]);
    expect(merged.map((s) => s.text)).toEqual(['No.', 'No.', 'Fine.']);
  });

  it('collapses a line repeated three or more times in a row (a Whisper loop) to the first', () => {
    const loop = [1, 2, 3, 4].map((t) => seg(200 + t, 'Thank you for watching.'));
    const merged = mergePieces([{ index: 1, segments: [seg(199, 'The end.'), ...loop, seg(210, 'Next.')] }]);
    expect(merged).toEqual([seg(199, 'The end.'), seg(201, 'Thank you for watching.'), seg(210, 'Next.')]);
  });

  it('collapses a loop that runs over a piece boundary', () => {
    const merged = mergePieces([
      { index: 0, segments: [seg(117, 'La.'), seg(118, 'La.')] },
      { index: 1, segments: [seg(121, 'La.'), seg(122, 'Words.')] },
    ]);
    expect(merged.map((s) => [s.start, s.text])).toEqual([
      [117, 'La.'],
      [122, 'Words.'],
    ]);
  });

  it('keeps different lines, and empty input is empty', () => {
    expect(mergePieces([])).toEqual([]);
    expect(mergePieces([{ index: 0, segments: [] }])).toEqual([]);
    const merged = mergePieces([
      { index: 0, segments: [seg(119, 'One.')] },
      { index: 1, segments: [seg(120, 'One more.')] },
    ]);
    expect(merged).toHaveLength(2);
  });
});
