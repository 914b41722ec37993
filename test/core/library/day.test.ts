// Days of the daily list: a save belongs to the local date of its instant, and day arithmetic
// follows the calendar, across midnight, daylight saving changes, month and year ends. Dates
// are built from local components, so these hold in any time zone the tests run in (the suite
// was also run under TZ=Europe/London, America/New_York, Australia/Lord_Howe,
// America/Santiago (where a midnight is skipped) and Pacific/Kiritimati.
import { describe, expect, it } from 'vitest';
import { formatDay, isDay, localDay, shiftDay } from '../../../src/core/library/day';

describe('localDay', () => {
  it.each([
    ['the last millisecond of a day', new Date(2026, 10, 29, 23, 59, 59, 999), '2026-11-29'],
    ['the first millisecond of the next', new Date(2026, 10, 29, 23, 59, 59, 1000), '2026-11-30'],
    ['midnight', new Date(2026, 10, 30, 0, 0, 0, 0), '2026-11-30'],
    ['the last millisecond of a year', new Date(2026, 11, 31, 23, 59, 59, 999), '2026-12-31'],
    ['the first of the next year', new Date(2027, 0, 1, 0, 0, 0, 0), '2027-01-01'],
    ['a leap day', new Date(2028, 1, 29, 12), '2028-02-29'],
    ['a year before 1000, padded', new Date(999, 0, 5), '0999-01-05'],
  ])('%s', (_name, date, expected) => {
    expect(localDay(date)).toBe(expected);
  });

  it('moves to the next day exactly one millisecond after the last of the day', () => {
    const last = new Date(2026, 10, 29, 23, 59, 59, 999);
    expect(localDay(last)).toBe('2026-11-29');
    expect(localDay(new Date(last.getTime() + 1))).toBe('2026-11-30');
  });

  it('gives every day of a year once, in order, through both daylight saving changes', () => {
    // Each local midnight (as the zone has it: where midnight is skipped, the first instant of the
    // day) and the instant before it. A day of 23 or 25 hours shows up as a wrong or missing day.
    const days: string[] = [];
    for (let d = 0; d < 366; d++) {
      const start = new Date(2026, 0, 1 + d);
      days.push(localDay(start));
      expect(localDay(new Date(start.getTime() - 1))).toBe(shiftDay(localDay(start), -1));
    }
    expect(days[0]).toBe('2026-01-01');
    expect(days[365]).toBe('2027-01-01');
    for (let i = 1; i < days.length; i++) expect(days[i]).toBe(shiftDay(days[i - 1]!, 1));
  });

  it('keeps 00:30 and 23:30 on one day on the days clocks change (EU and US dates)', () => {
    for (const [y, m, d] of [
      [2026, 2, 29], // EU spring forward (last Sunday of March)
      [2026, 9, 25], // EU fall back
      [2026, 2, 8], // US spring forward
      [2026, 10, 1], // US fall back
    ] as const) {
      const noon = new Date(y, m, d, 12);
      const day = localDay(noon);
      expect(localDay(new Date(y, m, d, 0, 30))).toBe(day);
      expect(localDay(new Date(y, m, d, 23, 30))).toBe(day);
      expect(localDay(new Date(y, m, d + 1, 0, 30))).toBe(shiftDay(day, 1));
    }
  });

  it('refuses an invalid date rather than writing NaN-NaN-NaN', () => {
    expect(() => localDay(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('isDay', () => {
  it.each(['2026-11-29', '2026-01-01', '2026-12-31', '2028-02-29', '2000-02-29', '0001-01-01'])(
    'accepts %s',
    (s) => {
      expect(isDay(s)).toBe(true);
    },
  );

  it.each([
    ['not a leap year', '2026-02-29'],
    ['1900 is not a leap year', '1900-02-29'],
    ['month 13', '2026-13-01'],
    ['month 0', '2026-00-10'],
    ['day 0', '2026-11-00'],
    ['31 April', '2026-04-31'],
    ['unpadded', '2026-1-5'],
    ['with a time', '2026-11-29T00:00:00Z'],
    ['slashes', '2026/11/29'],
    ['a trailing newline', '2026-11-29\n'],
    ['empty', ''],
  ])('refuses %s', (_name, s) => {
    expect(isDay(s)).toBe(false);
  });

  it.each([undefined, null, 20261129, new Date(2026, 10, 29)])('refuses a non-string (%s)', (s) => {
    expect(isDay(s)).toBe(false);
  });
});

describe('shiftDay', () => {
  it.each([
    ['2026-11-29', 1, '2026-11-30'],
    ['2026-11-30', 1, '2026-12-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2026-03-28', 1, '2026-03-29'], // the EU spring change: still one calendar day
    ['2026-03-29', 1, '2026-03-30'],
    ['2026-10-25', -1, '2026-10-24'],
    ['2026-11-29', 0, '2026-11-29'],
    ['2026-11-29', 365, '2027-11-29'],
    ['2026-11-29', -7, '2026-11-22'],
    ['0050-01-01', -1, '0049-12-31'], // no 1900s surprise for years below 100
  ])('%s %+d → %s', (day, n, expected) => {
    expect(shiftDay(day, n)).toBe(expected);
  });

  it.each([
    ['not a day', '2026-02-30', 1],
    ['a fraction of a day', '2026-11-29', 0.5],
    ['NaN days', '2026-11-29', Number.NaN],
    ['past year 9999', '9999-12-31', 1],
    ['before year 0', '0000-01-01', -1],
  ])('throws RangeError for %s', (_name, day, n) => {
    expect(() => shiftDay(day, n)).toThrow(RangeError);
  });
});

describe('formatDay', () => {
  it.each([
    ['2026-11-29', '29 November 2026'],
    ['2026-01-01', '1 January 2026'],
    ['2028-02-29', '29 February 2028'],
    ['0999-12-09', '9 December 999'],
  ])('%s → %s', (day, expected) => {
    expect(formatDay(day)).toBe(expected);
  });

  it('throws for a string that is not a day', () => {
    expect(() => formatDay('29/11/2026')).toThrow(RangeError);
  });
});
