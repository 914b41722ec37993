// The daily brief's ranking: which of the day's insights (from episodes the user heard and from
// new episodes of followed shows) make the brief, in what order, and the plain words saying why
// each is there. Pure TypeScript, no extension API. The rules:
//
// 1. Novelty. A candidate is out when its insight was saved or was in an earlier brief, or when it
//    says the same thing as one of those (the similarity of their words reaches NEAR_DUPLICATE:
//    the same claim from another episode, engine or extraction). Picks are not near-duplicates of
//    each other either.
// 2. Importance is the main signal. score = importance + interest bonus, and the bonus stays below
//    1: it orders the items of one importance level, it never lifts one over a higher level.
// 3. Interest: how close a candidate is to what the user saved, 0..1. Its topics: the share of
//    them the user saved insights about (a topic counts fully from TOPIC_SUPPORT saved insights).
//    Its words: their mean similarity with its WORD_NEIGHBOURS most similar saved insights (those
//    from WORD_CLOSE: below, words in common are happenstance), over NEAR_DUPLICATE. Topics weigh
//    TOPIC_WEIGHT times words. Only ever a bonus: with nothing saved, or nothing close, it is 0.
// 4. Diversity: at most MAX_PER_EPISODE picks from one episode, even when that leaves the brief
//    short. Fewer than `limit` good picks is a short brief; it is never padded.
// 5. Deterministic: equal scores go by importance, then episode (in the order the candidates come
//    in), then start time, then id.
//
// Words and topics are terms as the search index has them (terms.ts: its tokenizer and stop
// words), stemmed lightly so "markets" is "market". A text is a unit vector of its terms weighted
// by rarity (idf, among every insight looked at). Each insight is turned into terms once; the
// saved and earlier insights go into an inverted index, so a candidate meets only those sharing a
// word with it, not every saved insight.
import { stem } from '../insights/local/lexicon';
import { processTerm, tokenize } from '../library/terms';
import type { Insight } from '../types';

export type BriefCandidate = {
  insight: Insight;
  episodeId: string;
  episodeTitle: string;
  show?: string;
  /** From a new episode of a followed show (found by the scanner), else an episode the user heard. */
  origin: 'followed' | 'heard';
};

export type BriefContext = {
  /** What the user saved (any day): their interests, and things not to repeat. */
  saved: Insight[];
  /** Items of earlier briefs: never repeated, near-duplicates of them are not novel. */
  earlier: Insight[];
};

export type BriefPick = { candidate: BriefCandidate; score: number; reason: string };

export const DEFAULT_LIMIT = 5;
/** Picks from one episode at most: one long episode must not fill the brief. */
export const MAX_PER_EPISODE = 2;
/**
 * Word similarity (cosine, idf weights) from which two insights say the same thing. On the tests'
 * insights, among 40 and among 3,000 others: paraphrases of one claim score 0.41 to 0.72, different
 * claims on one subject at most 0.23 ("steel tariffs barely move car prices" against "steel
 * tariffs cost carmakers more than they protected jobs"). Topics are left out of it: two claims
 * on one subject share their topics as often as two wordings of one claim (with a quarter of the
 * weight on topics those two groups overlapped: 0.34 and 0.35 at worst).
 */
export const NEAR_DUPLICATE = 0.33;
/** A topic of the candidate counts fully as an interest once the user saved this many insights about it. */
const TOPIC_SUPPORT = 3;
/**
 * Word interest is the mean similarity of this many most similar saved insights: several saved
 * insights in the same words say more than one that happens to match.
 */
const WORD_NEIGHBOURS = 3;
/**
 * A saved insight counts in word interest from this similarity: two unrelated insights of a big
 * library often share a word or two ("rates", "China": about 0.04 to 0.1 for 12-word insights
 * among 5,000); insights on one subject share more of their specific words.
 */
const WORD_CLOSE = 0.1;
/** Topics weigh this many times words in interest (compact-index's related uses 3.5). */
const TOPIC_WEIGHT = 3;
/** Interest below this (a common word or two in common) is no interest: no bonus, no claim. */
const INTEREST_MIN = 0.08;
/** The bonus for full interest; below 1, so importance stays the main signal (rule 2). */
const INTEREST_WEIGHT = 0.9;
/**
 * The walk through the index leaves out a candidate's most common words (their postings are most
 * of it in a big library) while what they could add to a similarity stays within COMMON_BUDGET,
 * and only words with more than COMMON_POSTINGS postings (a small library is walked whole). A
 * saved insight that shares nothing but those is never looked at: it is no near-duplicate (0.1 is
 * far below NEAR_DUPLICATE) and would not be among the most similar. The others get their share.
 */
const COMMON_BUDGET = 0.1;
const COMMON_POSTINGS = 100;
/** Topics or words named in "close to what you saved about …". */
const LABELS_SHOWN = 2;

/** Term ids, ascending, and their weights (idf, scaled to unit length). */
type Vector = { ids: Int32Array; weights: Float64Array };

/** An insight as compared: its words, and each of its topics as term ids. */
type Doc = { words: Vector; topics: number[][] };

/** Turns texts into term ids, counting in how many insights each word is. */
class Vocabulary {
  /** A word as found to its term's id (-1: not a term). */
  private readonly words = new Map<string, number>();
  /** A term, stemmed, to its id. */
  private readonly ids = new Map<string, number>();
  /** Per term id: the insights whose text has it. */
  readonly df: number[] = [];
  /** Per term id: the first spelling seen, to name it in a reason. */
  readonly spelling: string[] = [];
  /** Per term id: the last insight counted in `df` (each counts once). */
  private readonly last: number[] = [];
  docs = 0;

  /** An insight's word ids (counted in `df`, ascending) and its topics' term ids. */
  parse(insight: Insight): { words: number[]; topics: number[][] } {
    const doc = this.docs++;
    const words: number[] = [];
    for (const id of this.termIds(insight.text))
      if (this.last[id] !== doc) {
        this.last[id] = doc;
        this.df[id] = (this.df[id] as number) + 1;
        words.push(id);
      }
    return { words: words.sort((a, b) => a - b), topics: insight.topics.map((t) => this.termIds(t)) };
  }

  private termIds(text: string): number[] {
    const out: number[] = [];
    const words = PLAIN.test(text) ? (text.toLowerCase().match(PLAIN_WORD) ?? []) : tokenize(text);
    for (const word of words) {
      let id = this.words.get(word);
      if (id === undefined) {
        const term = processTerm(word);
        const key = term === null ? '' : stem(term, 'en');
        id = key ? (this.ids.get(key) ?? this.add(key, term as string)) : -1;
        this.words.set(word, id);
      }
      if (id >= 0) out.push(id);
    }
    return out;
  }

  /** The id of a word's term, -1 when it is no term or was never seen. */
  idOf(word: string): number {
    const term = processTerm(word);
    return term === null ? -1 : (this.ids.get(stem(term, 'en')) ?? -1);
  }

  private add(key: string, spelling: string): number {
    const id = this.df.length;
    this.ids.set(key, id);
    this.df.push(0);
    this.last.push(-1);
    this.spelling.push(spelling);
    return id;
  }
}

// terms.ts's tokenizer, made quicker for text in which only ASCII letters and digits can be
// words (its tokenize finds just those there, and it is most of the time spent on a big library).
// Other text goes through tokenize itself. Either way every word then goes through processTerm.
const PLAIN = /^[\t\n\r\x20-\x7e\u00a0\u00ab\u00bb\u2000-\u206f]*$/;
const PLAIN_WORD = /[a-z0-9]+/g;

/** Term ids with idf weights, scaled to unit length. */
function unit(ids: number[], vocabulary: Vocabulary): Vector {
  const weights = new Float64Array(ids.length);
  let norm = 0;
  ids.forEach((id, i) => {
    const w = Math.log(1 + vocabulary.docs / Math.max(1, vocabulary.df[id] as number));
    weights[i] = w;
    norm += w * w;
  });
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] as number) / norm;
  return { ids: Int32Array.from(ids), weights };
}

/** The cosine similarity of two vectors. */
function cosine({ ids: a, weights: wa }: Vector, { ids: b, weights: wb }: Vector): number {
  let s = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) s += (wa[i++] as number) * (wb[j++] as number);
    else if (x < y) i++;
    else j++;
  }
  return s;
}

/** The weight of term `id` in a vector, 0 when it is not there. */
function weightOf(vector: Vector, id: number): number {
  const { ids } = vector;
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ids[mid] as number) < id) lo = mid + 1;
    else hi = mid;
  }
  return ids[lo] === id ? (vector.weights[lo] as number) : 0;
}

/** The saved and earlier insights' words, per term (compressed rows), and each term's largest weight. */
type Postings = { offsets: Int32Array; docs: Int32Array; weights: Float64Array; maxWeight: Float64Array };

function invert(vectors: Vector[], terms: number): Postings {
  const offsets = new Int32Array(terms + 1);
  for (const { ids } of vectors) for (const id of ids) offsets[id + 1] = (offsets[id + 1] as number) + 1;
  for (let t = 0; t < terms; t++) offsets[t + 1] = (offsets[t + 1] as number) + (offsets[t] as number);
  const next = offsets.slice(0, terms);
  const docs = new Int32Array(offsets[terms] as number);
  const weights = new Float64Array(docs.length);
  const maxWeight = new Float64Array(terms);
  vectors.forEach(({ ids, weights: ws }, d) => {
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      const w = ws[i] as number;
      const k = next[id] as number;
      next[id] = k + 1;
      docs[k] = d;
      weights[k] = w;
      if (w > (maxWeight[id] as number)) maxWeight[id] = w;
    }
  });
  return { offsets, docs, weights, maxWeight };
}

/** What the saved and earlier insights say of one candidate. */
type Finding = {
  /** It says the same as one of them. */
  repeat: boolean;
  /** 0..1, rule 3. */
  interest: number;
  /** Its topics the user saved insights about (indexes), most first; see `topicShares`. */
  topics: TopicShare[];
  /** Its most similar saved insights (indexes into the context), most similar first. */
  neighbours: number[];
};

/** Compares candidates with the saved and earlier insights (words) and the saved topics. */
class Comparison {
  private readonly index: Postings;
  /** Per term id: saved insights with it among their topics' terms. */
  private readonly topicSupport: Int32Array;
  private readonly savedTopics: boolean;
  // Scratch space for one candidate: similarity so far, and the insights reached (each once).
  private readonly dots: Float64Array;
  private readonly reached: Int32Array;
  private readonly seen: Uint8Array;
  private readonly skipped: number[] = [];
  private readonly best: Neighbour[] = [];
  private readonly top = new Float64Array(WORD_NEIGHBOURS);

  constructor(
    readonly context: Doc[],
    private readonly saved: Uint8Array,
    vocabulary: Vocabulary,
  ) {
    const terms = vocabulary.df.length;
    this.index = invert(
      context.map((doc) => doc.words),
      terms,
    );
    this.topicSupport = new Int32Array(terms);
    const counted = new Int32Array(terms).fill(-1);
    context.forEach((doc, d) => {
      if (saved[d] === 0) return;
      for (const topic of doc.topics)
        for (const id of topic)
          if (counted[id] !== d) {
            counted[id] = d;
            this.topicSupport[id] = (this.topicSupport[id] as number) + 1;
          }
    });
    this.savedTopics = this.topicSupport.some((n) => n > 0);
    this.dots = new Float64Array(context.length);
    this.reached = new Int32Array(context.length);
    this.seen = new Uint8Array(context.length);
  }

  find(doc: Doc): Finding {
    const { words } = doc;
    const { offsets, docs, weights, maxWeight } = this.index;
    const { dots, reached, seen, skipped, saved } = this;

    // The walk: every insight sharing a word, but for the candidate's most common words (most
    // postings first) while what they could add stays within COMMON_BUDGET.
    let n = 0;
    let left = COMMON_BUDGET;
    skipped.length = 0;
    for (const i of byPostings(words.ids, offsets)) {
      const id = words.ids[i] as number;
      const w = words.weights[i] as number;
      const most = w * (maxWeight[id] as number);
      const postings = (offsets[id + 1] as number) - (offsets[id] as number);
      if (most <= left && postings > COMMON_POSTINGS) {
        left -= most;
        skipped.push(i);
        continue;
      }
      for (let k = offsets[id] as number, end = offsets[id + 1] as number; k < end; k++) {
        const d = docs[k] as number;
        dots[d] = (dots[d] as number) + w * (weights[k] as number);
        if (seen[d] === 0) {
          seen[d] = 1;
          reached[n++] = d;
        }
      }
    }
    const unwalked = COMMON_BUDGET - left;

    // The insights reached, twice. First the few most similar saved ones on the walked words
    // alone: with the skipped words' share the last of them can only be closer, so one that would
    // stay below it even with all of that share can be passed over. Then, where it could matter,
    // the skipped words' share is added (a lookup in the insight's words) and the real ones kept.
    const top = this.top.fill(0); // descending
    for (let k = 0; k < n; k++) {
      const d = reached[k] as number;
      const s = dots[d] as number;
      if (saved[d] === 0 || s <= (top[WORD_NEIGHBOURS - 1] as number)) continue;
      let at = WORD_NEIGHBOURS - 1;
      for (; at > 0 && s > (top[at - 1] as number); at--) top[at] = top[at - 1] as number;
      top[at] = s;
    }
    const from = Math.max(WORD_CLOSE, top[WORD_NEIGHBOURS - 1] as number) - unwalked;
    let repeat = false;
    const best = this.best;
    best.length = 0;
    for (let k = 0; k < n; k++) {
      const d = reached[k] as number;
      let s = dots[d] as number;
      dots[d] = 0;
      seen[d] = 0;
      if (repeat) continue; // out anyway: only the scratch space is cleared
      const nearDuplicate = s + unwalked >= NEAR_DUPLICATE;
      const neighbour = saved[d] === 1 && s >= from;
      if (!nearDuplicate && !neighbour) continue;
      if (skipped.length > 0) s += share(words, skipped, (this.context[d] as Doc).words);
      if (s >= NEAR_DUPLICATE) repeat = true;
      if (!neighbour || s < WORD_CLOSE) continue;
      // Most similar first; equal: the one listed first.
      let at = best.length;
      while (at > 0 && isBefore(s, d, best[at - 1] as Neighbour)) at--;
      if (at >= WORD_NEIGHBOURS) continue;
      best.splice(at, 0, { d, s });
      if (best.length > WORD_NEIGHBOURS) best.pop();
    }

    // Scaled so that saved insights as close as can be without saying the same thing count 1.
    let wordInterest = 0;
    for (const b of best) wordInterest += b.s;
    wordInterest = Math.min(1, wordInterest / WORD_NEIGHBOURS / NEAR_DUPLICATE);
    const topics = this.topicShares(doc);
    let interest = wordInterest;
    if (topics.length > 0 && this.savedTopics) {
      const topicInterest = topics.reduce((sum, t) => sum + t.support, 0) / topics.length;
      interest = (wordInterest + TOPIC_WEIGHT * topicInterest) / (1 + TOPIC_WEIGHT);
    }
    return {
      repeat,
      interest,
      topics: topics.filter((t) => t.support > 0).sort((a, b) => b.support - a.support || a.topic - b.topic),
      neighbours: best.map((b) => b.d),
    };
  }

  /** Whether the user saved insights with this term among their topics' (-1: no term). */
  savedAbout(id: number): boolean {
    return id >= 0 && (this.topicSupport[id] as number) > 0;
  }

  /** How much the user saved about each topic (with terms) of a candidate. */
  private topicShares(doc: Doc): TopicShare[] {
    const out: TopicShare[] = [];
    doc.topics.forEach((ids, topic) => {
      if (ids.length === 0) return;
      let support = 0;
      let whole = true;
      for (const id of ids) {
        const saved = this.topicSupport[id] as number;
        support += Math.min(1, saved / TOPIC_SUPPORT);
        whole &&= saved > 0;
      }
      out.push({ topic, support: support / ids.length, whole });
    });
    return out;
  }
}

type Neighbour = { d: number; s: number };

/**
 * A candidate's topic and how much the user saved about it, 0..1: per term of the topic, the saved
 * insights with it among their topics' terms (up to TOPIC_SUPPORT), averaged. `whole`: about
 * every term ("AI safety" against saved "AI safety", not only "AI").
 */
type TopicShare = { topic: number; support: number; whole: boolean };

const isBefore = (s: number, d: number, other: Neighbour): boolean =>
  s > other.s || (s === other.s && d < other.d);

/** What the terms `which` (indexes into `vector`) add to its similarity with `other`. */
function share(vector: Vector, which: number[], other: Vector): number {
  let s = 0;
  for (const i of which) s += (vector.weights[i] as number) * weightOf(other, vector.ids[i] as number);
  return s;
}

/** Indexes of a vector's terms, the one with most postings first. */
function byPostings(ids: Int32Array, offsets: Int32Array): number[] {
  const postings = (i: number): number =>
    (offsets[(ids[i] as number) + 1] as number) - (offsets[ids[i] as number] as number);
  return [...ids.keys()].sort((a, b) => postings(b) - postings(a) || a - b);
}

/** What the candidate has in common with what the user saved: its topics, else its rarest shared words. */
function interestLabel(
  candidate: Insight,
  doc: Doc,
  finding: Finding,
  comparison: Comparison,
  vocabulary: Vocabulary,
): string {
  // A topic in its own words when the user saved about all of it, else the words of it they did
  // ("AI" of "AI safety" when they saved about AI only).
  const topics = finding.topics.map(({ topic, whole }) => {
    const text = oneLine(candidate.topics[topic] ?? '');
    if (whole) return text;
    return tokenize(text)
      .filter((word) => comparison.savedAbout(vocabulary.idOf(word)))
      .join(' ');
  });
  const named = [...new Set(topics.filter(Boolean))];
  if (named.length > 0) return joinLabels(named.slice(0, LABELS_SHOWN));
  const theirs = new Set(finding.neighbours.flatMap((d) => [...(comparison.context[d] as Doc).words.ids]));
  const { ids, weights } = doc.words;
  const words = [...ids.keys()]
    .filter((i) => theirs.has(ids[i] as number))
    .sort((a, b) => (weights[b] as number) - (weights[a] as number) || a - b)
    .map((i) => vocabulary.spelling[ids[i] as number] as string);
  return joinLabels(words.slice(0, LABELS_SHOWN));
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

const joinLabels = (labels: string[]): string =>
  labels.length <= 1
    ? (labels[0] ?? '')
    : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;

/** The line under an item: only the signals that put it there. */
function reasonFor(candidate: BriefCandidate, interest: string | undefined): string {
  const parts = [`Importance ${candidate.insight.importance} of 5`];
  const show = oneLine(candidate.show ?? '');
  if (candidate.origin === 'followed')
    parts.push(show ? `new episode of ${show}` : 'new episode of a show you follow');
  else parts.push('from an episode you heard');
  if (interest !== undefined)
    parts.push(interest ? `close to what you saved about ${interest}` : 'close to what you saved');
  return parts.join(' · ');
}

type Ranked = {
  candidate: BriefCandidate;
  doc: Doc;
  finding: Finding;
  bonus: number;
  score: number;
  episodeOrder: number;
};

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const startOf = (insight: Insight): number => (Number.isFinite(insight.start) ? insight.start : 0);

/** Best first; ties by importance, episode order, start, id (rule 5). */
function byRank(a: Ranked, b: Ranked): number {
  return (
    b.score - a.score ||
    b.candidate.insight.importance - a.candidate.insight.importance ||
    a.episodeOrder - b.episodeOrder ||
    startOf(a.candidate.insight) - startOf(b.candidate.insight) ||
    compareIds(a.candidate.insight.id, b.candidate.insight.id)
  );
}

/**
 * The brief: at most `limit` (5) candidates, best first, each with its score (importance plus
 * the interest bonus) and the reason shown under it. See the rules at the top of this file.
 */
export function rankBrief(
  candidates: BriefCandidate[],
  context: BriefContext,
  options: { limit?: number } = {},
): BriefPick[] {
  const limit = Math.floor(options.limit ?? DEFAULT_LIMIT);
  if (!(limit > 0) || candidates.length === 0) return [];

  // Rule 1: what was saved or shown before is out by its id.
  const savedIds = new Set(context.saved.map((i) => i.id));
  const shown = new Set([...savedIds, ...context.earlier.map((i) => i.id)]);
  const fresh = candidates.filter((c) => !shown.has(c.insight.id));
  if (fresh.length === 0) return [];
  const before = [...context.saved, ...context.earlier.filter((i) => !savedIds.has(i.id))];
  const isSaved = Uint8Array.from(before, (_, i) => (i < context.saved.length ? 1 : 0));

  // Terms once per insight; weights once every word's rarity is known.
  const vocabulary = new Vocabulary();
  const parsed = [...fresh.map((c) => c.insight), ...before].map((i) => vocabulary.parse(i));
  const all = parsed.map(({ words, topics }): Doc => ({ words: unit(words, vocabulary), topics }));
  const docs = all.slice(0, fresh.length);
  const beforeDocs = all.slice(fresh.length);
  const comparison = new Comparison(beforeDocs, isSaved, vocabulary);

  const episodeOrder = new Map<string, number>();
  for (const c of candidates)
    if (!episodeOrder.has(c.episodeId)) episodeOrder.set(c.episodeId, episodeOrder.size);
  const ranked: Ranked[] = [];
  fresh.forEach((candidate, i) => {
    const doc = docs[i] as Doc;
    const finding = comparison.find(doc);
    if (finding.repeat) return;
    const bonus = finding.interest >= INTEREST_MIN ? INTEREST_WEIGHT * Math.min(1, finding.interest) : 0;
    ranked.push({
      candidate,
      doc,
      finding,
      bonus,
      score: candidate.insight.importance + bonus,
      episodeOrder: episodeOrder.get(candidate.episodeId) as number,
    });
  });
  ranked.sort(byRank);

  // Rules 1 and 4 among the picks: no near-duplicates of each other, a few per episode.
  const picks: Ranked[] = [];
  const perEpisode = new Map<string, number>();
  const ids = new Set<string>();
  for (const r of ranked) {
    if (picks.length >= limit) break;
    const { episodeId, insight } = r.candidate;
    if ((perEpisode.get(episodeId) ?? 0) >= MAX_PER_EPISODE || ids.has(insight.id)) continue;
    if (picks.some((p) => cosine(r.doc.words, p.doc.words) >= NEAR_DUPLICATE)) continue;
    picks.push(r);
    ids.add(insight.id);
    perEpisode.set(episodeId, (perEpisode.get(episodeId) ?? 0) + 1);
  }

  return picks.map((r) => {
    const label =
      r.bonus > 0 ? interestLabel(r.candidate.insight, r.doc, r.finding, comparison, vocabulary) : undefined;
    return { candidate: r.candidate, score: r.score, reason: reasonFor(r.candidate, label) };
  });
}
