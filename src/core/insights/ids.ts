// Stable insight ids: the same quote at the same second always gets the same id, whichever run
// or engine finds it, so a resumed job writes over what it already stored instead of adding twice.
import { foldForMatch } from './grounding';

/** cyrb53: a fast 53-bit string hash (not cryptographic; collisions are what we must avoid by chance only). */
function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** `ins_` + a short hash of the folded quote and the start rounded to the second, e.g. `ins_1k3f9x0q2m`. */
export function insightId(quote: string, start: number): string {
  const second = Number.isFinite(start) ? Math.round(start) : 0;
  return `ins_${hash53(`${foldForMatch(quote)}@${second}`)
    .toString(36)
    .padStart(11, '0')}`;
}
