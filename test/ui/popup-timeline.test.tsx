// @vitest-environment happy-dom
// The popup's timeline: where insights and the playhead sit on the bar, which insight is being
// heard, and the rendered markers (labels, heard state, seeking, page text kept as text).
import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InsightView } from '../../src/messages';
import { currentInsight, percentAt, Timeline, timelineSpan } from '../../src/ui/popup/timeline';

const insight = (id: string, start: number, end?: number, text = `Insight ${id}`): InsightView => ({
  id: `ins_${id}`,
  text,
  quote: 'q',
  start,
  ...(end !== undefined ? { end } : {}),
  topics: [],
  importance: 3,
});

describe('timelineSpan', () => {
  it.each([
    ['the duration when known', 180, [insight('a', 10)], 5, 180],
    ['past the furthest insight without a duration', undefined, [insight('a', 100, 140)], 5, 140 * 1.2 + 60],
    ['past the playhead when it is further', undefined, [insight('a', 10)], 200, 200 * 1.2 + 60],
    ['nothing without a duration or insights', undefined, [], 30, undefined],
    ['nothing for a zero duration and no insights', 0, [], 30, undefined],
  ] as const)('%s', (_, duration, insights, position, expected) => {
    expect(timelineSpan(duration, [...insights], position)).toBe(expected);
  });
});

describe('percentAt', () => {
  it.each([
    [0, 100, 0],
    [50, 200, 25],
    [300, 200, 100],
    [-5, 200, 0],
    [Number.NaN, 200, 0],
    [10, undefined, 0],
    [10, 0, 0],
  ])('%s s of %s s is %s%%', (seconds, span, expected) => {
    expect(percentAt(seconds, span)).toBe(expected);
  });
});

describe('currentInsight', () => {
  const list = [insight('a', 10, 40), insight('b', 60), insight('c', 120, 150)];
  it.each([
    [5, undefined],
    [10, 'ins_a'],
    [39, 'ins_a'],
    [45, undefined], // past a's end, before b
    [100, 'ins_b'], // b has no end: current until c starts
    [130, 'ins_c'],
    [151, undefined],
  ])('at %s s: %s', (position, expected) => {
    expect(currentInsight(list, position)?.id).toBe(expected);
  });
});

describe('<Timeline>', () => {
  let root: HTMLElement;
  afterEach(() => {
    render(null, root);
    root.remove();
  });
  const mount = (props: Parameters<typeof Timeline>[0]) => {
    root = document.createElement('div');
    document.body.append(root);
    render(<Timeline {...props} />, root);
    return root;
  };

  it('places a marker per insight, heard or not, each seeking to its insight', () => {
    const onSeek = vi.fn();
    const list = [insight('a', 30, 50), insight('b', 90), insight('c', 150)];
    const el = mount({ insights: list, position: 100, duration: 180, onSeek });
    const markers = [...el.querySelectorAll<HTMLButtonElement>('[data-testid="timeline-marker"]')];
    expect(markers.map((m) => Math.round(parseFloat(m.style.left)))).toEqual([17, 50, 83]);
    expect(markers.map((m) => m.dataset.heard)).toEqual(['true', 'true', 'false']);
    expect(markers[0]!.getAttribute('aria-label')).toBe('Jump to insight at 0:30: Insight a (heard)');
    expect(markers[2]!.getAttribute('aria-label')).toBe('Jump to insight at 2:30: Insight c');
    // One tab stop: the next insight not yet heard.
    expect(markers.map((m) => m.tabIndex)).toEqual([-1, -1, 0]);
    markers[1]!.click();
    expect(onSeek).toHaveBeenCalledWith(list[1]);
    const bar = el.querySelector('[role="progressbar"]')!;
    expect(bar.getAttribute('aria-valuetext')).toBe('1:40 of 3:00');
  });

  it('keeps page text as text', () => {
    const text = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    const el = mount({ insights: [insight('a', 5, 9, text)], position: 0, duration: 60, onSeek: () => {} });
    expect(el.querySelector('img, b')).toBeNull();
    expect(el.querySelector('[data-testid="timeline-marker"]')!.getAttribute('title')).toBe(`0:05: ${text}`);
  });

  it('shows no position when neither a duration nor insights say how long the episode is', () => {
    const el = mount({ insights: [], position: 42, duration: undefined, onSeek: () => {} });
    expect(el.querySelector('[data-testid="timeline"]')!.classList.contains('unknown')).toBe(true);
    expect(el.querySelectorAll('[data-testid="timeline-marker"]')).toHaveLength(0);
  });
});
