// Days of the daily list: 'YYYY-MM-DD' in the user's local time zone. A saved insight belongs to
// the local date of the instant it was saved; day arithmetic is calendar arithmetic (a day is not
// always 24 hours: daylight saving time changes make some 23 or 25).

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function format(year: number, month: number, day: number): string {
  if (year < 0 || year > 9999) throw new RangeError(`year ${year} is outside 0000–9999`);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The parts of a valid day string, or undefined. */
function parts(day: unknown): { year: number; month: number; day: number } | undefined {
  if (typeof day !== 'string') return undefined;
  const m = DAY.exec(day);
  if (!m) return undefined;
  const [year, month, date] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || date < 1 || date > daysInMonth(year, month)) return undefined;
  return { year, month, day: date };
}

/** The local calendar date of an instant, 'YYYY-MM-DD'. Throws RangeError for an invalid Date. */
export function localDay(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
  return format(date.getFullYear(), date.getMonth() + 1, date.getDate());
}

/** Whether a value is a real calendar day written 'YYYY-MM-DD' ('2026-02-29' is not). */
export function isDay(s: unknown): s is string {
  return parts(s) !== undefined;
}

/** The day n days after (n < 0: before) a day, by the calendar. Throws RangeError on bad input. */
export function shiftDay(day: string, n: number): string {
  const p = parts(day);
  if (!p) throw new RangeError(`not a day: ${JSON.stringify(day)}`);
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a whole number of days: ${n}`);
  // UTC has no daylight saving time, so this is pure calendar arithmetic. setUTCFullYear, not
  // Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const d = new Date(0);
  d.setUTCFullYear(p.year, p.month - 1, p.day + n);
  if (Number.isNaN(d.getTime())) throw new RangeError(`day out of range: ${day} + ${n}`);
  return format(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** A day in words, British style and the same in every locale: '2026-11-29' → '29 November 2026'. */
export function formatDay(day: string): string {
  const p = parts(day);
  if (!p) throw new RangeError(`not a day: ${JSON.stringify(day)}`);
  return `${p.day} ${MONTHS[p.month - 1]} ${p.year}`;
}
