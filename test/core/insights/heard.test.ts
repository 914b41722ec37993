import { describe, expect, it } from 'vitest';
import { heardInsight } from '../../../src/core/insights/heard';

const list = [{ start: 30 }, { start: 10 }, { start: 95 }];

describe('heardInsight', () => {
  it.each([
    [0, undefined],
    [8.9, undefined],
    [9, 10],
    [29.5, 30],
    [93.9, 30],
    [94, 95],
    [5000, 95],
  ])('at %s s it is the insight at %s s', (position, start) => {
    expect(heardInsight(list, position)?.start).toBe(start);
  });
  it('is nothing for an episode without insights', () => {
    expect(heardInsight([], 100)).toBeUndefined();
  });
});
