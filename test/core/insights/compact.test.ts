// The compact transcript: segments merged whole into ~20–40 s paragraphs with stable short ids,
// rendered one line each, and much smaller than the raw WebVTT in tokens.
import { describe, expect, it } from 'vitest';
import {
  compactTranscript,
  estimateTokens,
  renderCompact,
  type Paragraph,
} from '../../../src/core/insights/compact';
import type { Transcript } from '../../../src/core/types';
import { demoTranscript, generatedEpisode, transcriptOf } from './support';

const span = (p: Paragraph): number => (p.end ?? p.start) - p.start;

/** A paragraph's text with the inline speaker labels of mid-paragraph turns taken out. */
function words(p: Paragraph, t: Transcript): string {
  let text = p.text;
  for (const name of new Set(t.segments.map((s) => s.speaker).filter(Boolean))) {
    text = text.split(` ${name}: `).join(' ');
  }
  return text;
}

describe('compactTranscript', () => {
  it.each<[string, () => Transcript]>([
    ['the demo episode', demoTranscript],
    ['a generated 1-hour episode', () => generatedEpisode(60).transcript],
  ])('%s: every segment once, whole and in order, in paragraphs of 20–40 s', (_name, make) => {
    const t = make();
    const paragraphs = compactTranscript(t);
    expect(paragraphs.map((p) => p.id)).toEqual(paragraphs.map((_, i) => `p${i + 1}`));
    // Every segment's text, whole, in order: the paragraphs say exactly what the segments say.
    expect(paragraphs.map((p) => words(p, t)).join(' ')).toBe(t.segments.map((s) => s.text).join(' '));
    const starts = new Set(t.segments.map((s) => s.start));
    for (const p of paragraphs) expect(starts.has(p.start)).toBe(true);
    for (const p of paragraphs) expect(span(p)).toBeLessThanOrEqual(40);
    const inRange = paragraphs.slice(0, -1).filter((p) => span(p) >= 20).length;
    expect(inRange / Math.max(1, paragraphs.length - 1)).toBeGreaterThanOrEqual(0.85);
  });

  it('breaks at a speaker change once a paragraph has 20 s, and names short turns inline', () => {
    const t = transcriptOf([
      [0, 'One.', 'Ada'],
      [5, 'Two.', 'Ben'],
      [10, 'Three.', 'Ada'],
      [15, 'Four.', 'Ada'],
      [20, 'Five.', 'Ada'],
      [25, 'Six.', 'Ben'],
      [30, 'Seven.', 'Ben'],
    ]);
    expect(compactTranscript(t)).toEqual([
      { id: 'p1', start: 0, end: 25, speaker: 'Ada', text: 'One. Ben: Two. Ada: Three. Four. Five.' },
      { id: 'p2', start: 25, end: 35, speaker: 'Ben', text: 'Six. Seven.' },
    ]);
  });

  it('never splits a segment, even one longer than maxSeconds', () => {
    const t = transcriptOf([
      [0, 'Short.'],
      [3, 'A very long segment.'],
      [100, 'After it.'],
    ]);
    t.segments[1]!.end = 95;
    const paragraphs = compactTranscript(t);
    expect(paragraphs.map((p) => p.text)).toEqual(['Short.', 'A very long segment.', 'After it.']);
  });

  it('honours minSeconds and maxSeconds', () => {
    const t = generatedEpisode(60).transcript;
    for (const p of compactTranscript(t, { minSeconds: 5, maxSeconds: 12 }).slice(0, -1)) {
      expect(span(p)).toBeLessThanOrEqual(25); // one segment may be up to 25 s long
    }
    expect(compactTranscript(t, { maxSeconds: 80 }).length).toBeLessThan(compactTranscript(t).length);
  });

  it('gives the same ids to the same transcript, and keeps earlier ids when the end grows', () => {
    const t = generatedEpisode(60).transcript;
    const a = compactTranscript(t);
    expect(compactTranscript(structuredClone(t))).toEqual(a);
    const longer = { ...t, segments: [...t.segments, { start: 4000, end: 4003, text: 'One more thing.' }] };
    expect(compactTranscript(longer).slice(0, a.length - 1)).toEqual(a.slice(0, -1));
  });

  it('skips empty segments and handles an empty transcript', () => {
    expect(compactTranscript({ format: 'text', segments: [] })).toEqual([]);
    const t = transcriptOf([
      [0, '  '],
      [2, 'Words.'],
    ]);
    expect(compactTranscript(t)).toEqual([{ id: 'p1', start: 2, end: 7, text: 'Words.' }]);
  });
});

describe('renderCompact', () => {
  it('writes one line per paragraph: [id clock] Speaker: text', () => {
    const text = renderCompact([
      { id: 'p1', start: 0, end: 30, speaker: 'Ada', text: 'Hello there.' },
      { id: 'p12', start: 845.6, text: 'No speaker here.' },
      { id: 'p200', start: 3725, speaker: 'Ben', text: 'An hour in,\n  and more.' },
    ]);
    expect(text.split('\n')).toEqual([
      '[p1 0:00] Ada: Hello there.',
      '[p12 14:05] No speaker here.',
      '[p200 1:02:05] Ben: An hour in, and more.',
    ]);
  });

  it('has no per-cue timestamps: one clock per paragraph', () => {
    const rendered = renderCompact(compactTranscript(demoTranscript()));
    const lines = rendered.split('\n');
    expect(rendered.match(/\d+:\d\d/g)?.length).toBe(lines.length);
    for (const line of lines) expect(line).toMatch(/^\[p\d+ \d+:\d\d\] (Ada|Ben): \S/);
  });
});

describe('estimateTokens', () => {
  it.each<[string, number]>([
    ['', 0],
    ['abcd', 1],
    ['abcde', 2],
    ['x'.repeat(400), 100],
  ])('%j → %d', (text, tokens) => {
    expect(estimateTokens(text)).toBe(tokens);
  });

  it('the compact form of a generated 1-hour episode is at most 0.6 of the raw WebVTT', () => {
    const { vtt, transcript } = generatedEpisode(60);
    const ratio = estimateTokens(renderCompact(compactTranscript(transcript))) / estimateTokens(vtt);
    expect(ratio).toBeLessThanOrEqual(0.6);
    expect(ratio).toBeGreaterThan(0.3); // the words themselves are all there
  });
});
