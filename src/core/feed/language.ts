// Language tags as feeds write them ("EN", "en-us", "en_GB", "English") → BCP 47 casing
// ("en", "en-US", "en-GB", "en"), or undefined when the value names no language.

/** Names seen instead of codes in real feeds' <language>, lower-cased. */
const NAMES: Record<string, string> = {
  english: 'en',
  german: 'de',
  deutsch: 'de',
  french: 'fr',
  français: 'fr',
  francais: 'fr',
  spanish: 'es',
  español: 'es',
  espanol: 'es',
  italian: 'it',
  italiano: 'it',
  portuguese: 'pt',
  português: 'pt',
  dutch: 'nl',
  nederlands: 'nl',
  japanese: 'ja',
  chinese: 'zh',
  russian: 'ru',
  swedish: 'sv',
  norwegian: 'no',
  danish: 'da',
  finnish: 'fi',
  polish: 'pl',
  turkish: 'tr',
  korean: 'ko',
  arabic: 'ar',
  hebrew: 'he',
  hindi: 'hi',
};

const CANONICAL = /^[a-z]{2,3}(?:-[A-Z]{2})?$/;

export function normaliseLanguage(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (CANONICAL.test(raw)) return raw; // the common case, "en" or "en-US", as is
  const value = raw.trim().toLowerCase();
  if (!value) return undefined;
  // Own keys only: "__proto__" or "constructor" would find Object.prototype's.
  const named = Object.hasOwn(NAMES, value) ? NAMES[value] : undefined;
  if (named) return named;
  // The first tag of a list ("en, fr") or of a value with trailing words ("en-US garbage").
  const parts = (value.split(/[\s,;]/)[0] ?? '').split(/[-_]/);
  const primary = parts[0] ?? '';
  if (!/^[a-z]{2,3}$/.test(primary)) return undefined;
  const out = [primary];
  for (const part of parts.slice(1)) {
    // A malformed subtag ends the tag: "en-US-!" keeps "en-US".
    if (!/^[a-z0-9]{1,8}$/.test(part)) break;
    if (/^[a-z]{4}$/.test(part))
      out.push(part.charAt(0).toUpperCase() + part.slice(1)); // script: Latn
    else if (/^([a-z]{2}|\d{3})$/.test(part))
      out.push(part.toUpperCase()); // region: US, 419
    else out.push(part); // variant or extension
  }
  return out.join('-');
}
