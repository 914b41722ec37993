// Language tags as feeds and caption files write them ("EN", "en_US", "zh-hant-tw") turned into
// the BCP 47 casing the rest of Earmark compares against ("en", "en-US", "zh-Hant-TW").

const PRIMARY = /^[a-z]{2,3}$/i;
const SUBTAG = /^[a-z0-9]{1,8}$/i;

/** A normalised tag, or undefined when `tag` is missing or not a language tag at all. */
export function normaliseLanguage(tag: string | undefined | null): string | undefined {
  if (typeof tag !== 'string') return undefined;
  const trimmed = tag.trim();
  if (trimmed.length === 0 || trimmed.length > 35) return undefined;
  const parts = trimmed.replace(/_/g, '-').split('-');
  const [primary, ...rest] = parts;
  if (primary === undefined || !PRIMARY.test(primary)) return undefined;
  const out = [primary.toLowerCase()];
  for (const part of rest) {
    if (!SUBTAG.test(part)) return undefined;
    if (part.length === 4 && /^[a-z]+$/i.test(part)) {
      out.push(part.charAt(0).toUpperCase() + part.slice(1).toLowerCase()); // script: Hant
    } else if ((part.length === 2 && /^[a-z]+$/i.test(part)) || /^\d{3}$/.test(part)) {
      out.push(part.toUpperCase()); // region: US, 419
    } else {
      out.push(part.toLowerCase());
    }
  }
  return out.join('-');
}
