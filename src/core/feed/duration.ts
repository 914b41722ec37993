// <itunes:duration> in all the forms real feeds write it → seconds, or undefined when the value is
// empty, zero, negative, absurd or not a duration. Apple asks for seconds ("3723") or
// "H:MM:SS"/"MM:SS"; feeds also write "62:03", "01:02:03.5", "3723.000000", "1h2m3s", "45 min",
// "PT1H2M3S" and "1.02.03".

/** Two days, as EpisodeHint's limit: a longer "duration" is a live stream or a typo (often ms). */
export const MAX_DURATION_SECONDS = 172_800;

const PLAIN = /^\d+(?:[.,]\d+)?$/;
// H:MM:SS or MM:SS, with an optional fraction of a second. Only the first part may exceed 59.
const CLOCK = /^(\d+):(\d{1,2})(?::(\d{1,2}))?(?:[.,](\d+))?$/;
const DOTTED = /^(\d+)\.(\d{2})\.(\d{2})$/;
const UNITS =
  /^(?:(\d+(?:\.\d+)?)\s*h(?:ours?|rs?)?\.?)?\s*(?:(\d+(?:\.\d+)?)\s*m(?:in(?:ute)?s?)?\.?)?\s*(?:(\d+(?:\.\d+)?)\s*s(?:ec(?:ond)?s?)?\.?)?$/i;
const ISO = /^P(?:(\d+)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

export function parseDuration(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const text = raw.trim();
  if (!text || text.length > 40) return undefined;
  return valid(read(text));
}

function read(text: string): number | undefined {
  if (PLAIN.test(text)) return Number(text.replace(',', '.'));

  const clock = CLOCK.exec(text);
  if (clock) {
    const [, a, b, c, fraction] = clock;
    const frac = fraction ? Number(`0.${fraction}`) : 0;
    if (c === undefined) return +b! > 59 ? undefined : +a! * 60 + +b! + frac;
    return +b! > 59 || +c > 59 ? undefined : +a! * 3600 + +b! * 60 + +c + frac;
  }

  const dotted = DOTTED.exec(text);
  if (dotted) {
    const [, h, m, s] = dotted;
    return +m! > 59 || +s! > 59 ? undefined : +h! * 3600 + +m! * 60 + +s!;
  }

  if (/^p/i.test(text)) {
    const iso = ISO.exec(text);
    if (!iso || !/\d/.test(text)) return undefined;
    const [, d = '0', h = '0', m = '0', s = '0'] = iso;
    return +d * 86_400 + +h * 3600 + +m * 60 + +s;
  }

  const units = UNITS.exec(text);
  if (units && /\d/.test(text)) {
    const [, h = '0', m = '0', s = '0'] = units;
    return +h * 3600 + +m * 60 + +s;
  }
  return undefined;
}

function valid(seconds: number | undefined): number | undefined {
  if (seconds === undefined || !Number.isFinite(seconds)) return undefined;
  if (seconds <= 0 || seconds > MAX_DURATION_SECONDS) return undefined;
  return Math.round(seconds * 1000) / 1000;
}
