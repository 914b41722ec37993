// Windows over a long episode: every paragraph exactly once, none over the token budget (but a
// paragraph that is over it alone), the listener's window first, then later, then earlier ones.
import { describe, expect, it } from 'vitest';
import { compactTranscript, type Paragraph } from '../../../src/core/insights/compact';
import { paragraphTokens, planWindows, type Window } from '../../../src/core/insights/windows';
import { generatedEpisode } from './support';

const paragraphs3h = (): Paragraph[] => compactTranscript(generatedEpisode(180).transcript);
const tokens = (w: Window): number => w.paragraphs.reduce((n, p) => n + paragraphTokens(p), 0);

function expectCoverage(windows: Window[], paragraphs: Paragraph[]): void {
  const inTimeOrder = [...windows].sort((a, b) => a.index - b.index);
  expect(inTimeOrder.map((w) => w.index)).toEqual(inTimeOrder.map((_, i) => i));
  expect(inTimeOrder.flatMap((w) => w.paragraphs)).toEqual(paragraphs);
  for (const w of windows) {
    expect(w.from).toBe(w.paragraphs[0]!.start);
    const last = w.paragraphs[w.paragraphs.length - 1]!;
    expect(w.to).toBe(last.end ?? last.start);
  }
}

describe('planWindows', () => {
  it.each<[string, number, number | undefined, (n: number, at: number) => number[]]>([
    ['no position: time order', 8000, undefined, (n) => [...Array(n).keys()]],
    ['position at the start', 8000, 0, (n) => [...Array(n).keys()]],
    [
      'position in the middle: that window, the later ones, then the earlier ones nearest first',
      8000,
      5400,
      (n, at) => [
        ...Array.from({ length: n - at }, (_, i) => at + i),
        ...Array.from({ length: at }, (_, i) => at - 1 - i),
      ],
    ],
    ['position past the end: the last window first', 5000, 99_999, (n) => [...Array(n).keys()].reverse()],
  ])('a 3-hour transcript, %s', (_name, maxTokens, position, order) => {
    const paragraphs = paragraphs3h();
    const windows = planWindows(paragraphs, { maxTokens, ...(position !== undefined ? { position } : {}) });
    expect(windows.length).toBeGreaterThan(2);
    expectCoverage(windows, paragraphs);
    for (const w of windows) expect(tokens(w)).toBeLessThanOrEqual(maxTokens);
    const at = position === undefined ? 0 : windows[0]!.index;
    if (position !== undefined && position > 0 && position < 99_999) {
      expect(windows[0]!.from).toBeLessThanOrEqual(position);
      expect(windows[0]!.to).toBeGreaterThanOrEqual(position - 60);
    }
    expect(windows.map((w) => w.index)).toEqual(order(windows.length, at));
  });

  it('makes windows of even size rather than a last sliver', () => {
    const windows = planWindows(paragraphs3h(), { maxTokens: 8000 });
    const sizes = windows.map(tokens);
    expect(Math.min(...sizes)).toBeGreaterThan(Math.max(...sizes) * 0.6);
  });

  it('gives a lone oversized paragraph its own window, and cuts nothing', () => {
    const paragraphs: Paragraph[] = [
      { id: 'p1', start: 0, end: 20, text: 'Short one.' },
      { id: 'p2', start: 20, end: 60, text: 'word '.repeat(400).trim() },
      { id: 'p3', start: 60, end: 80, text: 'Short two.' },
      { id: 'p4', start: 80, end: 100, text: 'Short three.' },
    ];
    const windows = planWindows(paragraphs, { maxTokens: 100 });
    expect(windows.map((w) => w.paragraphs.map((p) => p.id))).toEqual([['p1'], ['p2'], ['p3', 'p4']]);
    expect(windows[1]!.paragraphs[0]!.text).toBe(paragraphs[1]!.text);
  });

  it('a short episode is one window; no paragraphs, no windows', () => {
    const paragraphs = compactTranscript(generatedEpisode(10).transcript);
    expect(planWindows(paragraphs, { maxTokens: 50_000, position: 300 })).toEqual([
      { index: 0, paragraphs, from: paragraphs[0]!.start, to: paragraphs.at(-1)!.end },
    ]);
    expect(planWindows([], { maxTokens: 1000 })).toEqual([]);
  });
});
