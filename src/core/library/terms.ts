// What the library index is made of, shared by its implementations: the shapes it takes and
// gives, and the words it finds things by. Documents and queries go through the same tokenizer
// (letters and digits in any script; Intl.Segmenter for scripts written without spaces) and the
// same processTerm (lowercase, no stop words, no 1-letter or very long terms), so a query term
// and a document term are equal exactly when they should match. Pure TypeScript, no dependency.
import type { EpisodeRecord, InsightRecord } from './records';

export type IndexedInsight = {
  id: string;
  episodeId: string;
  text: string;
  quote: string;
  topics: string[];
  episodeTitle: string;
  show?: string;
};
export type IndexedEpisode = { id: string; title: string; show?: string };
export type RelatedHit = {
  id: string;
  episodeId: string;
  score: number;
  /** Topics of the insight asked about that the hit has too, in the asked insight's spelling. */
  sharedTopics: string[];
  /** A few terms both mention (after stop words), topic terms first. */
  sharedTerms: string[];
  /** For display: "also about: open-weight models, China" or "shares: tariffs, exports". */
  reason: string;
};
export type SearchHits = {
  insights: { id: string; episodeId: string; score: number }[];
  episodes: { id: string; score: number }[];
};

/** Longest term indexed (longer runs are ids, hashes or unsegmented junk). */
export const MAX_TERM_CHARS = 40;

// A short English stop-word list: words that would match half the library and say nothing.
const STOP_WORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being ' +
    'between both but by can could did do does doing down during each few for from further had has have ' +
    'having he her here hers herself him himself his how i if in into is it its itself just me more most ' +
    'my myself no nor not now of off on once only or other our ours ourselves out over own same she ' +
    'should so some such than that the their theirs them themselves then there these they this those ' +
    'through to too under until up very was we were what when where which while who whom why will with ' +
    'would you your yours yourself yourselves ' +
    // In a large share of what podcasts claim ("40 percent of..."); it finds nothing in particular.
    'percent'
  ).split(' '),
);

// Letters (with their combining marks, which Indic scripts need) and digits, in any script.
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
// Scripts written without spaces between words: Intl.Segmenter splits those runs into words.
const UNSPACED = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u;
const HAN = /^\p{sc=Han}$/u;

let segmenter: Intl.Segmenter | null | undefined;

/** Word-like segments of an unspaced run; the run itself where Intl.Segmenter is missing. */
function segmentWords(run: string): string[] {
  if (segmenter === undefined)
    segmenter =
      typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'word' }) : null;
  if (!segmenter) return [run];
  const words: string[] = [];
  for (const s of segmenter.segment(run)) if (s.isWordLike) words.push(s.segment);
  return words;
}

/** Splits text into words, the same way for documents and queries. */
export function tokenize(text: string): string[] {
  const words = text.match(WORD) ?? [];
  if (!UNSPACED.test(text)) return words;
  return words.flatMap((w) => (UNSPACED.test(w) ? segmentWords(w) : [w]));
}

/** Lowercases; drops stop words, 1-character terms (a single Han character is a word) and very long runs. */
export function processTerm(term: string): string | null {
  const t = term.toLowerCase();
  if (t.length > MAX_TERM_CHARS || STOP_WORDS.has(t)) return null;
  if (t.length < 2 && !HAN.test(t)) return null;
  return t;
}

/** The meaningful terms of a text, in order, once each. */
export function terms(text: string): string[] {
  const out = new Set<string>();
  for (const word of tokenize(text)) {
    const t = processTerm(word);
    if (t) out.add(t);
  }
  return [...out];
}

/** The meaningful terms of a text with how often each occurs, in order of first occurrence. */
export function termCounts(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const word of tokenize(text)) {
    const t = processTerm(word);
    if (t) out.set(t, (out.get(t) ?? 0) + 1);
  }
  return out;
}

/** A topic as compared: case, width and spacing do not matter ("Open-Weight  models" = "open-weight models"). */
export const topicKey = (topic: string): string => topic.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/** The reason a related insight is shown, from what it shares with the one asked about. */
export function relatedReason(sharedTopics: string[], sharedTerms: string[]): string {
  if (sharedTopics.length > 0) return `also about: ${sharedTopics.join(', ')}`;
  if (sharedTerms.length > 0) return `shares: ${sharedTerms.join(', ')}`;
  return '';
}

/** An insight record and its episode, as the index takes them. */
export function toIndexedInsight(insight: InsightRecord, episode: EpisodeRecord | undefined): IndexedInsight {
  return {
    id: insight.id,
    episodeId: insight.episodeId,
    text: insight.text,
    quote: insight.quote,
    topics: insight.topics,
    episodeTitle: episode?.title ?? '',
    ...(episode?.show ? { show: episode.show } : {}),
  };
}

export function toIndexedEpisode(episode: EpisodeRecord): IndexedEpisode {
  return { id: episode.id, title: episode.title, ...(episode.show ? { show: episode.show } : {}) };
}
