// The library's full-text index: one MiniSearch over the user's insights and episodes, for the
// library's search box (`search`) and for "related insights", what other episodes said about the
// same thing (`related`). Pure TypeScript, no extension API: the background builds it from the
// database, keeps a snapshot next to the library (`toJSON`) and restores it on start-up
// (`fromJSON`) instead of re-indexing every insight; a snapshot of another INDEX_VERSION is
// refused with IndexFormatError and the caller rebuilds.
import MiniSearch, {
  type AsPlainObject,
  type Options,
  type Query,
  type SearchOptions,
  type SearchResult,
} from 'minisearch';
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

/** Bump when the fields, tokenizer or stop words change: older snapshots are then rebuilt. */
export const INDEX_VERSION = 1;

/** A snapshot that is not one of this INDEX_VERSION (or not a snapshot at all). */
export class IndexFormatError extends Error {
  override name = 'IndexFormatError';
}

/**
 * The document MiniSearch holds. An insight has text, topics and quote; an episode has title and
 * show. Insights do not repeat their episode's title and show: on 50,000 insights that was a
 * quarter of the index (and of the snapshot's load time) for words the episode's own document
 * holds once; `search` credits an insight with its episode's match instead.
 */
type Doc = {
  /** 'i:' + insight id or 'e:' + episode id: one id space for both kinds. */
  key: string;
  episodeId?: string;
  text?: string;
  /** The quote's terms that the text lacks (the local engine's quote is its text's sentence). */
  quote?: string;
  /** One a line: stored as one string, not an array (50,000 fewer objects to load). */
  topics?: string;
  title?: string;
  show?: string;
};

const INSIGHT = 'i:';
const EPISODE = 'e:';

/** Longest query looked at: a pasted page must not cost more than a sentence. */
const MAX_QUERY_CHARS = 200;
const MAX_QUERY_TERMS = 12;
/** Longest term indexed (longer runs are ids, hashes or unsegmented junk). */
const MAX_TERM_CHARS = 40;
const DEFAULT_RELATED = 3;
const DEFAULT_SEARCH = 20;
/** How much more a shared topic term weighs in `related` than a shared word of the text. */
const TOPIC_BOOST = 3.5;
/**
 * `related` asks with the asked insight's most specific terms (fewest documents first, a topic
 * term counting as TOPIC_BOOST times fewer) while their documents add up to at most this: a
 * query's time is proportional to the documents it scores (~2 µs each), and a word in a tenth of
 * the library says little about what is related.
 */
const RELATED_POSTINGS = 800;
const RELATED_MAX_TERMS = 12;
/** How many of MiniSearch's best candidates `related` re-ranks by exactly shared topics. */
const RELATED_POOL = 40;
const SHARED_TERMS_SHOWN = 4;
/**
 * The last word of a query matches as a prefix from this many letters: a 3-letter prefix expands
 * to hundreds of words ("pri": price, print, prison, private...), 30–100 ms on 50,000 insights.
 */
const MIN_PREFIX = 4;
/**
 * Search matches words of MIN_FUZZY+ letters within 20% of their letters (a typo), unless the
 * word as typed is in more documents than FUZZY_MAX_DOCUMENTS: then it is no typo, and its
 * neighbours ("think": thing, thin) would only add thousands of results to score.
 */
const MIN_FUZZY = 4;
const FUZZY_MAX_DOCUMENTS = 500;
/**
 * Search's any-word fallback asks the word being typed and, of the others, the most specific
 * while their documents add up to this: a common word would add thousands of results (~2 µs
 * each) that rank below those of the rarer words anyway.
 */
const SEARCH_ANY_POSTINGS = 3000;
/** In search's any-word fallback, an insight whose episode's title or show matched weighs this much more. */
const EPISODE_MATCH_BOOST = 1.5;

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
function terms(text: string): string[] {
  const out = new Set<string>();
  for (const word of tokenize(text)) {
    const t = processTerm(word);
    if (t) out.add(t);
  }
  return [...out];
}

/** A topic as compared: case, width and spacing do not matter ("Open-Weight  models" = "open-weight models"). */
const topicKey = (topic: string): string => topic.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

const FIELDS = ['text', 'topics', 'quote', 'title', 'show'] as const;
const fieldId = (field: (typeof FIELDS)[number]): number => FIELDS.indexOf(field);

const OPTIONS: Options<Doc> = {
  idField: 'key',
  fields: [...FIELDS],
  // Only what results need: the episode (to group, and to leave out the asked insight's own)
  // and the topics (to tell exactly which are shared). The kind is in the key.
  storeFields: ['episodeId', 'topics'],
  tokenize,
  processTerm,
};

/** The search box: everything is searched, topics and titles weigh more than the body. */
const SEARCH_OPTIONS: SearchOptions = {
  boost: { text: 1, topics: 2, quote: 0.7, title: 2, show: 2 },
  prefix: (term, i, all) => i === all.length - 1 && term.length >= MIN_PREFIX,
  maxFuzzy: 2,
};

/**
 * Related insights: exact terms only (no prefix or fuzzy: faster and more precise), a shared
 * topic term counting TOPIC_BOOST times a shared word. Quotes are left out: they are the text's
 * evidence, not more of its meaning.
 */
const RELATED_OPTIONS: SearchOptions = {
  fields: ['topics', 'text'],
  boost: { topics: TOPIC_BOOST, text: 1 },
  prefix: false,
  fuzzy: false,
  combineWith: 'OR',
};

/** A term `related` asks by what it costs: documents to score, a topic term's worth TOPIC_BOOST words. */
const cost = (ask: { field: 'topics' | 'text'; df: number }): number =>
  ask.field === 'topics' ? ask.df / TOPIC_BOOST : ask.df;

/** MiniSearch's inverted index as it is inside: term → field id → document short id → frequency. */
type Postings = { get(term: string): Map<number, Map<number, number>> | undefined };

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

function insightDoc(item: IndexedInsight): Doc {
  const inText = new Set(terms(item.text));
  const quoteOnly = terms(item.quote).filter((t) => !inText.has(t));
  return {
    key: INSIGHT + item.id,
    episodeId: item.episodeId,
    text: item.text,
    topics: item.topics.map((t) => t.replace(/\s+/g, ' ')).join('\n'),
    ...(quoteOnly.length > 0 ? { quote: quoteOnly.join(' ') } : {}),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

type Stored = { episodeId?: string; topics?: string };

export class LibraryIndex {
  private constructor(private readonly mini: MiniSearch<Doc>) {}

  static empty(): LibraryIndex {
    return new LibraryIndex(new MiniSearch<Doc>(OPTIONS));
  }

  /** Throws IndexFormatError if the JSON is not a snapshot of this INDEX_VERSION (the caller then rebuilds). */
  static fromJSON(json: string): LibraryIndex {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (err) {
      throw new IndexFormatError('index snapshot: not JSON', { cause: err });
    }
    if (!isRecord(parsed)) throw new IndexFormatError('index snapshot: not an object');
    if (parsed.version !== INDEX_VERSION)
      throw new IndexFormatError(
        `index snapshot: version ${String(parsed.version)}, expected ${INDEX_VERSION}`,
      );
    const index = parsed.index;
    const fieldIds = isRecord(index) ? index.fieldIds : undefined;
    if (
      !isRecord(index) ||
      typeof index.documentCount !== 'number' ||
      !Array.isArray(index.index) ||
      !isRecord(index.documentIds) ||
      !isRecord(index.fieldLength) ||
      !isRecord(index.storedFields) ||
      !isRecord(fieldIds) ||
      Object.keys(fieldIds).join() !== FIELDS.join()
    )
      throw new IndexFormatError('index snapshot: not a MiniSearch index of these fields');
    try {
      // loadJS (public, though undocumented) takes the object parsed above; loadJSON would take
      // it as a string and parse it again, doubling the start-up time.
      return new LibraryIndex(MiniSearch.loadJS(index as unknown as AsPlainObject, OPTIONS));
    } catch (err) {
      throw new IndexFormatError('index snapshot: MiniSearch could not load it', { cause: err });
    }
  }

  /** A snapshot for fromJSON: {"version": INDEX_VERSION, "index": <MiniSearch's JSON>}. */
  toJSON(): string {
    return JSON.stringify({ version: INDEX_VERSION, index: this.mini });
  }

  /** Documents indexed: insights and episodes. */
  get size(): number {
    return this.mini.documentCount;
  }

  /** Whether an insight or an episode with this id is indexed. */
  has(id: string): boolean {
    return this.mini.has(INSIGHT + id) || this.mini.has(EPISODE + id);
  }

  /** Adds insights; one already indexed (same id) is replaced, and of one id twice the last wins. */
  addInsights(items: IndexedInsight[]): void {
    const fresh = new Map<string, Doc>();
    for (const item of items) {
      const doc = insightDoc(item);
      if (this.mini.has(doc.key)) this.mini.replace(doc);
      else fresh.set(doc.key, doc);
    }
    this.mini.addAll([...fresh.values()]);
  }

  /** Adds an episode (found by its title and show), or replaces it. */
  upsertEpisode(episode: IndexedEpisode): void {
    const doc: Doc = { key: EPISODE + episode.id, title: episode.title, show: episode.show };
    if (this.mini.has(doc.key)) this.mini.replace(doc);
    else this.mini.add(doc);
  }

  /** Removes an insight; nothing happens if it is not indexed. */
  removeInsight(id: string): void {
    if (this.mini.has(INSIGHT + id)) this.mini.discard(INSIGHT + id);
  }

  /**
   * Insights whose text or topics hold `term` (as processed: lowercase, no stop words), counting
   * removed ones until MiniSearch vacuums them.
   */
  documentFrequency(term: string): number {
    return this.fieldFrequency(term, 'text') + this.fieldFrequency(term, 'topics');
  }

  /**
   * Documents whose `field` holds `term`. Workaround: MiniSearch (7.2) has no public
   * document-frequency API, so this reads its private inverted index, `_index` (term → field id
   * → document → frequency); a MiniSearch without one gives 0 (then `related` asks with every
   * term: slower, never wrong), and the unit tests fail.
   */
  private fieldFrequency(term: string, field: (typeof FIELDS)[number]): number {
    const postings = (this.mini as unknown as { _index?: Postings })._index;
    if (typeof postings?.get !== 'function') return 0;
    return postings.get(term)?.get(fieldId(field))?.size ?? 0;
  }

  /**
   * Insights of other episodes about the same thing as `of`, best first (default 3). A hit
   * shares at least one topic (compared ignoring case and spaces) or two meaningful words.
   */
  related(of: IndexedInsight, options: { limit?: number } = {}): RelatedHit[] {
    const limit = options.limit ?? DEFAULT_RELATED;
    if (limit <= 0) return [];
    const topicTerms = terms(of.topics.join('\n'));
    const query = this.relatedQuery(topicTerms, terms(of.text));
    if (!query) return [];
    const self = INSIGHT + of.id;
    const results = this.mini.search(query, {
      ...RELATED_OPTIONS,
      filter: (r) => r.episodeId !== undefined && r.episodeId !== of.episodeId && r.id !== self,
    });

    const wanted = new Map<string, string>();
    for (const t of of.topics) if (topicKey(t) && !wanted.has(topicKey(t))) wanted.set(topicKey(t), t);
    const topicSet = new Set(topicTerms);
    const hits: RelatedHit[] = [];
    for (const r of results.slice(0, Math.max(RELATED_POOL, limit * 4))) {
      const hit = relatedHit(r, wanted, topicSet);
      if (hit) hits.push(hit);
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, limit);
  }

  /**
   * What `related` asks: topic terms in others' topics, words of the text in others' texts, the
   * most specific first (fewest documents; a topic term's count divided by TOPIC_BOOST) while
   * their documents add up to RELATED_POSTINGS. The most specific is asked however common.
   */
  private relatedQuery(topicTerms: string[], textTerms: string[]): Query | null {
    const asks = [
      ...topicTerms.map((term) => ({
        term,
        field: 'topics' as const,
        df: this.fieldFrequency(term, 'topics'),
      })),
      ...textTerms.map((term) => ({ term, field: 'text' as const, df: this.fieldFrequency(term, 'text') })),
    ].sort((a, b) => cost(a) - cost(b));
    const picked = { topics: [] as string[], text: [] as string[] };
    let spent = 0;
    let count = 0;
    for (const ask of asks) {
      if (count >= RELATED_MAX_TERMS) break;
      if (count > 0 && spent + ask.df > RELATED_POSTINGS) continue;
      picked[ask.field].push(ask.term);
      spent += ask.df;
      count++;
    }
    const queries: Query[] = [];
    if (picked.topics.length > 0)
      queries.push({
        queries: [picked.topics.join(' ')],
        fields: ['topics'],
        boost: { topics: TOPIC_BOOST },
      });
    if (picked.text.length > 0) queries.push({ queries: [picked.text.join(' ')], fields: ['text'] });
    return queries.length > 0 ? { combineWith: 'OR', queries } : null;
  }

  /**
   * Documents of any kind whose fields hold `term` exactly (see fieldFrequency).
   */
  private termFrequency(term: string): number {
    return FIELDS.reduce((n, field) => n + this.fieldFrequency(term, field), 0);
  }

  /** The words search's any-word fallback asks, in the query's order (the last one, being typed, always). */
  private specificWords(words: string[]): string[] {
    const typing = words[words.length - 1] as string;
    const others = words
      .slice(0, -1)
      .map((word, i) => ({ word, i, df: this.termFrequency(word) }))
      .sort((a, b) => a.df - b.df);
    const kept = new Set<number>();
    let spent = 0;
    for (const { i, df } of others) {
      if (kept.size > 0 && spent + df > SEARCH_ANY_POSTINGS) break;
      kept.add(i);
      spent += df;
    }
    return [...words.slice(0, -1).filter((_, i) => kept.has(i)), typing];
  }

  /**
   * The search box: every word must match (the last one as a prefix, words of 4+ letters
   * within 20% of their letters unless common), or, if nothing matches all, any word, an insight of an
   * episode whose title or show matched counting more. Insights and episodes come back apart,
   * each best first and at most `limit` (default 20). Any string is a query.
   */
  search(query: string, options: { limit?: number } = {}): SearchHits {
    const limit = options.limit ?? DEFAULT_SEARCH;
    const hits: SearchHits = { insights: [], episodes: [] };
    const words = terms(query.slice(0, MAX_QUERY_CHARS)).slice(0, MAX_QUERY_TERMS);
    if (words.length === 0 || limit <= 0) return hits;
    const asked: SearchOptions = {
      ...SEARCH_OPTIONS,
      fuzzy: (term) =>
        term.length >= MIN_FUZZY && this.termFrequency(term) <= FUZZY_MAX_DOCUMENTS ? 0.2 : false,
    };
    // A word in no document, too short for fuzzy or prefix matching, cannot match: every word
    // together then matches nothing, so skip straight to any word.
    const expandable = (w: string, i: number): boolean =>
      w.length >= MIN_FUZZY || (i === words.length - 1 && w.length >= MIN_PREFIX);
    const unmatchable = words.some((w, i) => !expandable(w, i) && this.termFrequency(w) === 0);
    let results = unmatchable ? [] : this.mini.search(words.join(' '), { ...asked, combineWith: 'AND' });
    if (results.length === 0 && words.length > 1) {
      results = this.mini.search(this.specificWords(words).join(' '), { ...asked, combineWith: 'OR' });
      const episodes = new Set(results.filter((r) => (r.id as string).startsWith(EPISODE)).map((r) => r.id));
      if (episodes.size > 0) {
        for (const r of results)
          if (episodes.has(EPISODE + String(r.episodeId))) r.score *= EPISODE_MATCH_BOOST;
        results.sort((a, b) => b.score - a.score);
      }
    }
    for (const r of results) {
      const key = r.id as string;
      if (key.startsWith(INSIGHT)) {
        if (hits.insights.length < limit)
          hits.insights.push({
            id: key.slice(INSIGHT.length),
            episodeId: String(r.episodeId),
            score: r.score,
          });
      } else if (hits.episodes.length < limit) {
        hits.episodes.push({ id: key.slice(EPISODE.length), score: r.score });
      }
      if (hits.insights.length >= limit && hits.episodes.length >= limit) break;
    }
    return hits;
  }
}

/**
 * A candidate of `related` as a hit, or null when it shares too little. Its score is the sum of
 * what each shared term is worth (MiniSearch's score multiplies that by the count of terms
 * matched, which would let four common words outweigh a topic), times 1.5 for each topic shared
 * as a whole, the surest sign of one subject.
 */
function relatedHit(
  r: SearchResult,
  wanted: Map<string, string>,
  topicTerms: Set<string>,
): RelatedHit | null {
  const stored = r as SearchResult & Stored;
  const theirs = new Set((stored.topics ?? '').split('\n').map(topicKey));
  const sharedTopics = [...wanted].filter(([key]) => theirs.has(key)).map(([, spelling]) => spelling);
  const matched = r.terms;
  if (sharedTopics.length === 0 && matched.length < 2) return null;
  const sharedTerms = [
    ...matched.filter((t) => topicTerms.has(t)),
    ...matched.filter((t) => !topicTerms.has(t)),
  ].slice(0, SHARED_TERMS_SHOWN);
  return {
    id: (r.id as string).slice(INSIGHT.length),
    episodeId: String(stored.episodeId),
    score: (r.score / Math.max(1, r.queryTerms.length)) * (1 + 0.5 * sharedTopics.length),
    sharedTopics,
    sharedTerms,
    reason: relatedReason(sharedTopics, sharedTerms),
  };
}
