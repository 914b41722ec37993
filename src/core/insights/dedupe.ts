// Near-duplicate insights: the same claim found twice (two windows that overlap in topic, a
// resumed job, a recap that repeats an earlier point) is kept once, with the higher importance.
import type { Insight } from '../types';
import { foldForMatch } from './grounding';

/** Two insights whose quotes begin this close (seconds) and share words are the same moment. */
const SAME_MOMENT_SECONDS = 30;
/** Texts this similar (word Jaccard) and this close in time say the same thing. */
const SIMILAR_TEXT = 0.6;
const SIMILAR_TEXT_SECONDS = 120;
/** Texts this similar say the same thing wherever they are (a recap of an earlier claim). */
const SAME_TEXT = 0.8;
/** A quote of this many words found inside another is a duplicate wherever it is. */
const MIN_CONTAINED_WORDS = 5;

const words = (text: string): Set<string> => new Set(foldForMatch(text).split(' ').filter(Boolean));

/** |A ∩ B| / |A ∪ B| of two word sets (0 when both are empty). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let common = 0;
  for (const w of a) if (b.has(w)) common++;
  return common / (a.size + b.size - common);
}

/**
 * Whether two insights are one: the same id; one quote inside the other (at the same moment,
 * or a quote of 5 words or more anywhere); quotes that start
 * within 30 s and share most words (Jaccard ≥ 0.6); texts alike (Jaccard ≥ 0.6) within 120 s;
 * or texts nearly the same (≥ 0.8) anywhere.
 */
export function isNearDuplicate(a: Insight, b: Insight): boolean {
  if (a.id === b.id) return true;
  const qa = foldForMatch(a.quote);
  const qb = foldForMatch(b.quote);
  const apart = Math.abs(a.start - b.start);
  // One quote inside the other: the same words, unless a short phrase merely recurs elsewhere.
  const [shorter, longer] = qa.length <= qb.length ? [qa, qb] : [qb, qa];
  if (shorter.length > 0 && longer.includes(shorter)) {
    if (apart <= SAME_MOMENT_SECONDS || shorter.split(' ').length >= MIN_CONTAINED_WORDS) return true;
  }
  const quoteWords = [words(a.quote), words(b.quote)] as const;
  if (apart <= SAME_MOMENT_SECONDS && jaccard(...quoteWords) >= SIMILAR_TEXT) return true;
  const text = jaccard(words(a.text), words(b.text));
  return text >= SAME_TEXT || (apart <= SIMILAR_TEXT_SECONDS && text >= SIMILAR_TEXT);
}

/**
 * `existing` and `incoming` as one list without near-duplicates, in time order. Of two
 * near-duplicates the one with the higher importance stays; on a tie, the one already there
 * (its id is what was stored). Within `incoming`, duplicates of each other are merged too.
 */
export function mergeInsights(existing: readonly Insight[], incoming: readonly Insight[]): Insight[] {
  const kept: Insight[] = [];
  for (const insight of [...existing, ...incoming]) {
    const twin = kept.findIndex((k) => isNearDuplicate(k, insight));
    if (twin < 0) kept.push(insight);
    else if (insight.importance > (kept[twin] as Insight).importance) kept[twin] = insight;
  }
  return kept.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
