// Caption clock times ("01:02:03.456", "02:03.456", "1:01.080", "0.860", "00:00:01,000") and
// cue timing lines ("start --> end settings"), read by hand rather than by regular expression so
// that a hostile line costs time linear in its length.

/**
 * The latest time a file may give (about 31 years). Later ones ("startTime": 1e308) are nonsense,
 * and arithmetic on them overflows to Infinity: readers take them as no time at all.
 */
export const MAX_SECONDS = 1e9;

/** Rounds seconds to whole milliseconds, the precision every Segment keeps. */
export function ms(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

const ZERO = 48;

function isDigit(code: number): boolean {
  return code >= ZERO && code <= ZERO + 9;
}

/**
 * Seconds from a clock, or undefined when `s` is not one. Accepted, leniently, because real files
 * use them all: `h:mm:ss.ttt` (any number of hour digits), `mm:ss.ttt` and `m:ss.ttt` (hour-less
 * WebVTT, Podnews), seconds only `s.ttt` (Podnews), `,` as the decimal separator (SRT), and any
 * number of fraction digits or none. Seconds (and minutes under hours) must be two digits below 60.
 */
export function parseClock(s: string): number | undefined {
  const n = s.length;
  if (n === 0 || n > 24) return undefined;
  // Up to three colon-separated parts, most significant first; no arrays: this runs twice a cue.
  let count = 0;
  let seconds = 0;
  let i = 0;
  for (;;) {
    const from = i;
    let value = 0;
    while (i < n && isDigit(s.charCodeAt(i))) value = value * 10 + (s.charCodeAt(i++) - ZERO);
    const width = i - from;
    if (width === 0) return undefined;
    count++;
    const last = i >= n || s.charCodeAt(i) !== 58; /* : */
    if (count > 1) {
      // Under a larger unit, minutes and seconds have two digits (minutes may have one: "1:01.080").
      if (value > 59 || width > 2 || (last && width !== 2)) return undefined;
    }
    seconds = seconds * 60 + value;
    if (last) break;
    if (count === 3) return undefined;
    i++;
  }
  let fraction = 0;
  if (i < n) {
    const sep = s.charCodeAt(i);
    if (sep !== 46 /* . */ && sep !== 44 /* , */) return undefined;
    i++;
    let scale = 0.1;
    const from = i;
    while (i < n && isDigit(s.charCodeAt(i))) {
      fraction += (s.charCodeAt(i++) - ZERO) * scale;
      scale /= 10;
    }
    if (i === from || i !== n) return undefined;
  }
  return ms(seconds + fraction);
}

export type Timing = { start: number; end?: number; settings: string };

/**
 * Reads a cue timing line, `start --> end [settings]`, with spaces or tabs (or nothing) around
 * the arrow and settings possibly glued to the end time. Undefined when the line is not one.
 * An end before the start is dropped rather than trusted.
 */
export function parseTiming(line: string): Timing | undefined {
  const arrow = line.indexOf('-->');
  if (arrow < 0 || arrow > 40) return undefined;
  const start = parseClock(line.slice(0, arrow).trim());
  if (start === undefined) return undefined;
  let i = arrow + 3;
  const n = line.length;
  while (i < n && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  const from = i;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (!isDigit(c) && c !== 58 && c !== 46 && c !== 44) break;
    i++;
  }
  // "00:00:04,000" is a time; "00:00:04,000," is not, so back off a trailing separator.
  let to = i;
  while (to > from && !isDigit(line.charCodeAt(to - 1))) to--;
  const end = parseClock(line.slice(from, to));
  if (end === undefined) return undefined;
  const timing: Timing = { start, settings: line.slice(to).trim() };
  if (end >= start) timing.end = end;
  return timing;
}
