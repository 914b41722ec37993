import { describe, expect, it } from 'vitest';
import { formatClock } from '../../../src/core/text/time';

describe('formatClock', () => {
  it.each([
    [0, '0:00'],
    [5, '0:05'],
    [59.99, '0:59'],
    [60, '1:00'],
    [65, '1:05'],
    [599, '9:59'],
    [3599, '59:59'],
    [3600, '1:00:00'],
    [3723, '1:02:03'],
    [36_000 + 61, '10:01:01'],
    [172_800, '48:00:00'],
  ])('%s s → %s', (seconds, expected) => {
    expect(formatClock(seconds)).toBe(expected);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'shows a placeholder, not a bogus time, for %s',
    (seconds) => {
      expect(formatClock(seconds)).toBe('–:––');
    },
  );
});
