// Feed dates → ISO 8601. RSS asks for RFC 822 ("Tue, 10 Jun 2003 04:00:00 GMT"), and real feeds
// write it many ways: no weekday or a wrong one, full month names, two-digit years, no seconds,
// single-digit hours, "+00:00", US zone names, no zone at all, ISO 8601 instead. Anything we cannot
// read for certain gives undefined rather than a guess (Date.parse is implementation-defined and
// reads "1" as 2001).

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  // Localised abbreviations seen in hand-rolled feeds (German, French, Spanish).
  mär: 3,
  mrz: 3,
  mai: 5,
  okt: 10,
  dez: 12,
  fév: 2,
  fev: 2,
  avr: 4,
  jui: 7, // "juil" (juillet); "juin" is caught first below
  aoû: 8,
  aou: 8,
  déc: 12,
  ene: 1,
  abr: 4,
  ago: 8,
  dic: 12,
};

/** Offsets in minutes of the zone names RFC 822 allows plus the common ones feeds also use. */
const ZONES: Record<string, number> = {
  z: 0,
  ut: 0,
  utc: 0,
  gmt: 0,
  wet: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  akst: -540,
  akdt: -480,
  hst: -600,
  ast: -240,
  adt: -180,
  nst: -210,
  ndt: -150,
  bst: 60,
  // IST is left out on purpose: Irish (+1) or India (+5:30); unknown zones count as UTC.
  cet: 60,
  met: 60,
  cest: 120,
  mest: 120,
  eet: 120,
  eest: 180,
  msk: 180,
  jst: 540,
  kst: 540,
  aest: 600,
  aedt: 660,
  acst: 570,
  awst: 480,
  nzst: 720,
  nzdt: 780,
};

const ISO =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

// [weekday,] D Mon YYYY [H:MM[:SS[.fff]] [am|pm]] [zone]    ("Tue, 10 Jun 2003 04:00:00 GMT")
const RFC822 =
  /^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-zà-ÿ]{3,10})\.?,?[\s-]+(\d{4}|\d{2})(?!\d)(?:(?:,\s*|\s+|T)(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.\d+)?)?\s*([ap]\.?m\.?)?)?\s*(.*)$/i;

// [weekday,] Mon D[,] YYYY [time] [zone]                       ("June 10, 2003 4:00 PM EST")
const US =
  /^([a-zà-ÿ]{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)(?:(?:,\s*|\s+|T)(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.\d+)?)?\s*([ap]\.?m\.?)?)?\s*(.*)$/i;

// A leading weekday: any word before a comma ("Tue,", "Mer,", "Donnerstag,"), or an English one
// without the comma. It is never checked against the date: feeds get it wrong too often.
const WEEKDAY = /^(?:[a-zà-ÿ]+\.?,\s*|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s+)/i;

export function parseFeedDate(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  // Drop a trailing comment ("+0000 (UTC)") and collapse white space; bound the work on garbage.
  const text = raw
    .slice(0, 200)
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return undefined;

  const iso = ISO.exec(text);
  if (iso) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', zone = 'z'] = iso;
    return build(+y!, +mo!, +d!, +h, +mi, +s, zoneOffset(zone));
  }

  const rest = text.replace(WEEKDAY, '');
  const rfc = RFC822.exec(rest);
  if (rfc) {
    const [, d, mon, y, h = '0', mi = '0', s = '0', meridiem, zone = ''] = rfc;
    return fromParts(+d!, mon!, y!, +h, +mi, +s, meridiem, zone);
  }
  const us = US.exec(rest);
  if (us) {
    const [, mon, d, y, h = '0', mi = '0', s = '0', meridiem, zone = ''] = us;
    return fromParts(+d!, mon!, y!, +h, +mi, +s, meridiem, zone);
  }
  return undefined;
}

function fromParts(
  day: number,
  monthName: string,
  yearText: string,
  hour: number,
  minute: number,
  second: number,
  meridiem: string | undefined,
  zone: string,
): string | undefined {
  const month = monthNumber(monthName);
  if (!month) return undefined;
  let year = +yearText;
  // RFC 2822 §4.3: a two-digit year 00–49 is 20xx, 50–99 is 19xx.
  if (yearText.length === 2) year += year < 50 ? 2000 : 1900;
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    const pm = meridiem.charAt(0).toLowerCase() === 'p';
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  return build(year, month, day, hour, minute, second, zoneOffset(zone));
}

function monthNumber(name: string): number | undefined {
  const lower = name.toLowerCase();
  if (lower.startsWith('juin')) return 6;
  const month = MONTHS[lower.slice(0, 3)];
  return month;
}

/** Minutes east of UTC; unknown zones count as UTC (off by hours at most, never by days). */
function zoneOffset(zone: string): number {
  const z = zone.trim().toLowerCase();
  if (!z) return 0;
  const numeric = /^(?:gmt|utc|ut)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(z);
  if (numeric) {
    const [, sign, hh, mm = '0'] = numeric;
    const minutes = +hh! * 60 + +mm;
    return minutes > 14 * 60 ? 0 : sign === '-' ? -minutes : minutes;
  }
  // Own keys only: "constructor" or "__proto__" would find Object.prototype's (and crash the feed).
  return Object.hasOwn(ZONES, z) ? (ZONES[z] ?? 0) : 0;
}

function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  offsetMinutes: number,
): string | undefined {
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59));
  // 31 Feb rolls over to March in Date.UTC: refuse it rather than move the date.
  if (new Date(utc).getUTCDate() !== day) return undefined;
  return new Date(utc - offsetMinutes * 60_000).toISOString();
}
