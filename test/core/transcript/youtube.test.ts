// YouTube captions: json3, srv3 and srv1, automatic (word-level) and manual.
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../../src/core/transcript/index';
import { errorCode, fixture } from './support';

describe('YouTube captions', () => {
  it('json3 automatic captions: words merged, "\\n" events and events without segs skipped', () => {
    const t = parseTranscript(fixture('json3-auto.json'));
    expect(t.format).toBe('youtube');
    expect(t.timed).toBe(true);
    expect(t.segments.map((s) => [s.start, s.text])).toEqual([
      [0.16, "so today we're going to look at how bread dough rises and why the yeast needs warmth"],
      [9.5, 'first we mix the flour'],
    ]);
  });

  it('json3 manual captions: a line an event, styled segs joined, >> turns', () => {
    const t = parseTranscript(fixture('json3-manual.json'));
    expect(t.segments.map((s) => [s.start, s.end, s.text])).toEqual([
      [0, 2.5, 'Welcome to the kitchen.'],
      [2.5, 5.5, 'Today: bread and patience.'],
      [6, 8, 'Is it hard?'],
      [8, 10.5, 'Not at all, it takes time.'],
    ]);
  });

  it('srv3: <p t d> with <s t> word offsets, <br/>, entities', () => {
    const t = parseTranscript(fixture('srv3.xml'));
    expect(t.format).toBe('youtube');
    expect(t.segments.map((s) => [s.start, s.text])).toEqual([
      [0.16, "so today we're going to look at how bread dough rises."],
      [9.5, 'First we mix the flour.'],
      [12, 'A manual line & a second line.'],
    ]);
  });

  it('srv1: seconds, doubly encoded entities, escaped tags, empty texts', () => {
    const t = parseTranscript(fixture('srv1.xml'));
    expect(t.segments.map((s) => [s.start, s.end, s.text])).toEqual([
      [0.5, 2.6, "Welcome to the kitchen, it's warm in here."],
      [2.6, 6, 'Bread & butter is the classic.'],
      [9.1, 12.1, 'Patience is the secret ingredient.'],
    ]);
  });

  // Found by fuzzing (test/fuzz/youtube-captions.fuzz.test.ts): times past MAX_SECONDS overflowed
  // to a start or end of Infinity (srv1's seconds times 1000, or a start plus a duration).
  it.each([
    [
      'json3',
      '{"events":[{"tStartMs":1e308,"segs":[{"utf8":"Lost."}]},{"tStartMs":1000,"dDurationMs":1e308,"segs":[{"utf8":"Kept."}]}]}',
      [[1, undefined, 'Kept.']],
    ],
    [
      'srv1',
      '<transcript><text start="1e308" dur="1">Lost.</text><text start="1" dur="1e308">Kept.</text></transcript>',
      [[1, undefined, 'Kept.']],
    ],
    [
      'srv3',
      '<timedtext format="3"><body><p t="1000" d="500"><s>one</s><s t="1e308"> two</s></p></body></timedtext>',
      [[1, 1.5, 'one two']],
    ],
  ])('%s: a time past MAX_SECONDS is no time, never Infinity', (_name, body, expected) => {
    const t = parseTranscript(body);
    expect(t.segments.map((s) => [s.start, s.end, s.text])).toEqual(expected);
  });

  it.each([
    [
      'json3 with no caption text',
      '{"events":[{"tStartMs":0,"dDurationMs":10},{"tStartMs":5,"segs":[{"utf8":"\\n"}]}]}',
      'empty',
    ],
    ['srv3 with no <p>', '<timedtext format="3"><body></body></timedtext>', 'malformed'],
  ])('%s → %s', (_name, body, code) => {
    expect(errorCode(() => parseTranscript(body))).toBe(code);
  });
});
