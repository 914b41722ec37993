// Which cards the playhead has reached: table-driven over a small episode.
import { describe, expect, it } from 'vitest';
import { STACK_SIZE, byStart, reachedCount, stackOf } from '../../../src/content/cards/timeline';
import type { InsightView } from '../../../src/messages';

const at = (id: string, start: number): InsightView => ({
  id,
  text: id,
  quote: '',
  start,
  topics: [],
  importance: 3,
});
const sorted = byStart([at('c', 30), at('a', 10), at('b2', 20), at('b1', 20), at('d', 40)]);

describe('byStart', () => {
  it('orders by start, ties by id', () => {
    expect(sorted.map((i) => i.id)).toEqual(['a', 'b1', 'b2', 'c', 'd']);
  });
});

describe('reachedCount', () => {
  it.each<[number, number]>([
    [0, 0],
    [9.99, 0],
    [10, 1], // a card shows at its start, not before
    [19, 1],
    [20, 3], // two insights at the same moment
    [39.9, 4],
    [40, 5],
    [1e6, 5],
    [Number.NaN, 0],
    [Number.POSITIVE_INFINITY, 0], // a live stream's clock says nothing of the episode
  ])('at %s → %s', (time, expected) => {
    expect(reachedCount(sorted, time)).toBe(expected);
  });

  it('is 0 for an episode with no insights', () => {
    expect(reachedCount([], 100)).toBe(0);
  });
});

describe('stackOf', () => {
  const ids = (reached: number, dismissed: string[] = []) =>
    stackOf(sorted, reached, new Set(dismissed)).map((i) => i.id);

  it(`keeps the last ${STACK_SIZE} reached, oldest first`, () => {
    expect(ids(0)).toEqual([]);
    expect(ids(1)).toEqual(['a']);
    expect(ids(5)).toEqual(['b2', 'c', 'd']);
  });

  it('leaves dismissed cards out without bringing older ones back', () => {
    expect(ids(5, ['d'])).toEqual(['b2', 'c']);
    expect(ids(5, ['b2', 'c', 'd'])).toEqual([]);
  });
});
