// The library's full-text index, on typed arrays of its own: for the library's search box
// (`search`) and for "related insights", what other episodes said about the same thing
// (`related`). Pure TypeScript, no dependency, no extension API: the background builds it from
// the database, keeps a binary snapshot next to the library (`toSnapshot`, a Uint8Array) and
// restores it on start-up (`fromSnapshot`) instead of re-indexing every insight; a snapshot of
// another INDEX_VERSION, or damaged, is refused with IndexFormatError and the caller rebuilds.
//
// Why not a kept library: the first version was a MiniSearch index. At 50,000 insights its
// snapshot took ~700–840 ms to load after a worker restart (target 300), a search's p95 was
// 13–17 ms (target 10) and each snapshot write blocked the worker ~1 s; this one loads in ~20 ms,
// answers in ~1 ms and writes in ~30 ms (bench/README.md).
//
// How it is laid out. Every document (an insight or an episode) has a number; what the index
// knows of it is in arrays indexed by that number: its kind, its episode (an index into the
// episode ids), its length in each field, and its topics (ids of normalized topic names). A
// sorted dictionary of terms maps each term to one run of postings per field (insight text,
// topics, quote; episode title, show), in one Uint32Array: a posting is the document's number
// times 256 plus how often the term occurs in that field (at most 255). Documents added later get
// higher numbers and their postings go to small per-term lists; a removed or replaced document is
// only marked dead (skipped when scoring). `toSnapshot` (or enough additions) merges the lists
// into the arrays, drops the dead and numbers the documents again; the snapshot is those arrays
// as bytes plus every string (ids, terms, topic names) as one UTF-8 block, so loading is one copy,
// one TextDecoder and cheap checks. Scores are BM25 (k1 1.2, b 0.7, +0.5 as in BM25+) per field.
import {
  MAX_TERM_CHARS,
  relatedReason,
  termCounts,
  terms,
  topicKey,
  type IndexedEpisode,
  type IndexedInsight,
  type RelatedHit,
  type SearchHits,
} from './terms';

export {
  processTerm,
  relatedReason,
  toIndexedEpisode,
  toIndexedInsight,
  tokenize,
  type IndexedEpisode,
  type IndexedInsight,
  type RelatedHit,
  type SearchHits,
} from './terms';

/**
 * Bump when the snapshot's layout, the fields, the tokenizer or the stop words change: older
 * snapshots are then refused and rebuilt. 1 was the MiniSearch JSON of search-index.ts.
 */
export const INDEX_VERSION = 2;

/** A snapshot that is not one of this INDEX_VERSION (or not a snapshot at all, or damaged). */
export class IndexFormatError extends Error {
  override name = 'IndexFormatError';
}

// Fields. Insights have text, topics and quote (the quote's terms that the text lacks: the local
// engine's quote is its text's sentence); episodes have title and show. Insights do not repeat
// their episode's title and show: `search` credits an insight with its episode's match instead.
const TEXT = 0;
const TOPICS = 1;
const QUOTE = 2;
const TITLE = 3;
const SHOW = 4;
const FIELDS = 5;
/** Where a field's length is kept among a document's three length bytes. */
const SLOT: readonly number[] = [0, 1, 2, 0, 1];
/** The search box: topics and titles weigh more than the body. */
const SEARCH_BOOST: readonly number[] = [1, 2, 0.7, 2, 2];

const DEAD = 0;
const INSIGHT = 1;
const EPISODE = 2;

/** A posting is doc * 256 + frequency: document numbers stay below 2^24. */
const MAX_DOCS = 1 << 24;
const MAX_TF = 255;

const K1 = 1.2;
const B = 0.7;
const DELTA = 0.5;

/** Longest query looked at: a pasted page must not cost more than a sentence. */
const MAX_QUERY_CHARS = 200;
const MAX_QUERY_TERMS = 12;
const DEFAULT_RELATED = 3;
const DEFAULT_SEARCH = 20;
/** How much more a shared topic term weighs in `related` than a shared word of the text. */
const TOPIC_BOOST = 3.5;
/**
 * `related` asks with the asked insight's most specific terms (fewest documents first, a topic
 * term counting as TOPIC_BOOST times fewer) while their postings add up to at most this (the most
 * specific is asked however common): a query's time is proportional to the postings it reads
 * (a few ns each), and a word in a fifth of the library says little about what is related.
 */
const RELATED_POSTINGS = 10_000;
/** At most 32: the terms a document matched are a bit mask. */
const RELATED_MAX_TERMS = 16;
const SHARED_TERMS_SHOWN = 4;
/** The last word of a query matches as a prefix from this many letters. */
const MIN_PREFIX = 3;
/**
 * Search matches words of MIN_FUZZY+ letters within one edit (a letter wrong, missing, extra,
 * or two swapped), two from FUZZY_TWO letters, but only when the word as typed (and, for the
 * last, as a prefix) is in at most FUZZY_FEW documents: a word found often is no typo, and its
 * neighbours ("think": thing, thin) would only add noise.
 */
const MIN_FUZZY = 5;
const FUZZY_TWO = 8;
const FUZZY_FEW = 20;
const FUZZY_WEIGHT: readonly number[] = [1, 0.45, 0.25];
/** A term the last word is a prefix of weighs PREFIX_WEIGHT plus the share of it typed. */
const PREFIX_WEIGHT = 0.4;
/**
 * Search's any-word fallback asks the word being typed and, of the others, the most specific
 * while their postings add up to this: a common word would add thousands of results that rank
 * below those of the rarer words anyway.
 */
const SEARCH_ANY_POSTINGS = 20_000;
/** An insight whose episode's title or show matched a word of the query weighs this much more. */
const EPISODE_MATCH_BOOST = 1.5;
/** Additions are merged into the arrays when their postings outnumber the arrays' (and this). */
const MERGE_MIN_POSTINGS = 50_000;
/** Dead documents are dropped when they outnumber the live ones (and this). */
const MERGE_MIN_DEAD = 10_000;

// The snapshot: a header of 16 little words, then the Uint32 sections, then the byte sections.
const MAGIC = 0x4b494d45; // "EMIK" in a little-endian word: a big-endian reader sees no magic
const HEADER_WORDS = 16;
const H_MAGIC = 0;
const H_VERSION = 1;
const H_DOCS = 2;
const H_EPISODES = 3;
const H_TERMS = 4;
const H_POSTINGS = 5;
const H_TOPICS = 6;
const H_REFS = 7;
const H_STRING_BYTES = 8;
const H_STRING_CHARS = 9;

/** Postings of one term added since the arrays were built, per field. */
type Added = { base: number; lists: (number[] | null)[] };
/** A term as found: its place in the sorted dictionary (or -1) and its additions. */
type TermRef = { term: string; base: number; added: Added | undefined };
type Expansion = { ref: TermRef; weight: number };

/** What the arrays hold: what a snapshot is, and what the index is after a merge. */
type Base = {
  docs: number;
  kind: Uint8Array;
  docEp: Uint32Array;
  /** Three per document: text, topics, quote lengths (an episode: title, show, 0), at most 255. */
  lens: Uint8Array;
  topicOff: Uint32Array;
  topicRefs: Uint32Array;
  /** An insight's id, an episode's id. */
  docIds: string[];
  epIds: string[];
  /** Sorted (UTF-16 code units), unique. */
  terms: string[];
  /** Offsets of each term's postings per field: term * FIELDS + field, and one more. */
  offsets: Uint32Array;
  postings: Uint32Array;
  /** Normalized topic names (topicKey), sorted, unique. */
  topicKeys: string[];
};

const popcount = (x: number): number => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};

/** The first index of a sorted array whose string is not below `s`. */
function lowerBound(sorted: readonly string[], s: string, hi = sorted.length): number {
  let lo = 0;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function indexOfSorted(sorted: readonly string[], s: string, hi = sorted.length): number {
  const i = lowerBound(sorted, s, hi);
  return i < hi && sorted[i] === s ? i : -1;
}

/** Letters present, folded to 32 bits: one edit changes at most two bits. */
function signature(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h |= 1 << (s.charCodeAt(i) & 31);
  return h;
}

/** The dictionary's terms by length: `order[start[n]..start[n + 1]]` are those of n code units. */
type ByLength = { order: Uint32Array; start: Uint32Array; signatures: Uint32Array };

function sortByLength(terms: readonly string[]): ByLength {
  const start = new Uint32Array(MAX_TERM_CHARS + 2);
  for (const t of terms) {
    const n = Math.min(t.length, MAX_TERM_CHARS) + 1;
    start[n] = (start[n] as number) + 1;
  }
  for (let n = 1; n < start.length; n++) start[n] = (start[n] as number) + (start[n - 1] as number);
  const next = start.slice();
  const order = new Uint32Array(terms.length);
  const signatures = new Uint32Array(terms.length);
  terms.forEach((t, i) => {
    const n = Math.min(t.length, MAX_TERM_CHARS);
    const k = next[n] as number;
    next[n] = k + 1;
    order[k] = i;
    signatures[k] = signature(t);
  });
  return { order, start, signatures };
}

/** Whether a[i..] and b[j..] are within `budget` edits (insert, delete, substitute, swap two adjacent). */
function withinEdits(a: string, i: number, b: string, j: number, budget: number): boolean {
  while (i < a.length && j < b.length && a.charCodeAt(i) === b.charCodeAt(j)) {
    i++;
    j++;
  }
  const restA = a.length - i;
  const restB = b.length - j;
  if (restA === 0 || restB === 0) return restA + restB <= budget;
  if (budget === 0) return false;
  if (
    restA >= 2 &&
    restB >= 2 &&
    a.charCodeAt(i) === b.charCodeAt(j + 1) &&
    a.charCodeAt(i + 1) === b.charCodeAt(j) &&
    withinEdits(a, i + 2, b, j + 2, budget - 1)
  )
    return true;
  return (
    withinEdits(a, i + 1, b, j + 1, budget - 1) ||
    withinEdits(a, i + 1, b, j, budget - 1) ||
    withinEdits(a, i, b, j + 1, budget - 1)
  );
}

/** The edit distance of two terms if at most `max`, else -1. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return -1;
  for (let d = 1; d <= max; d++) if (withinEdits(a, 0, b, 0, d)) return d;
  return -1;
}

/** BM25's idf, kept above zero (a term counted in more documents than live ones still matches). */
const idf = (df: number, n: number): number => Math.log(1 + (Math.max(n - df, 0) + 0.5) / (df + 0.5));

type TypedArray = Uint8Array | Uint32Array | Int32Array | Float64Array;

/** A copy of `a` with room for `n` (the rest zero). */
function grown<T extends TypedArray>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a.subarray(0, Math.min(a.length, n)) as never);
  return b;
}

/** The best `k` (document, score) pairs, kept as a heap with the worst at the top. */
class TopK {
  readonly docs: number[] = [];
  readonly scores: number[] = [];
  constructor(private readonly k: number) {}

  /** Whether (s, d) ranks below (s2, d2): lower score, or the same score and a later document. */
  private static worse(s: number, d: number, s2: number, d2: number): boolean {
    return s < s2 || (s === s2 && d > d2);
  }

  push(doc: number, score: number): void {
    const { docs, scores } = this;
    if (docs.length < this.k) {
      let i = docs.length;
      docs.push(doc);
      scores.push(score);
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!TopK.worse(score, doc, scores[parent] as number, docs[parent] as number)) break;
        docs[i] = docs[parent] as number;
        scores[i] = scores[parent] as number;
        i = parent;
      }
      docs[i] = doc;
      scores[i] = score;
      return;
    }
    if (this.k === 0 || !TopK.worse(scores[0] as number, docs[0] as number, score, doc)) return;
    let i = 0;
    const n = docs.length;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (
        right < n &&
        TopK.worse(
          scores[right] as number,
          docs[right] as number,
          scores[child] as number,
          docs[child] as number,
        )
      )
        child = right;
      if (!TopK.worse(scores[child] as number, docs[child] as number, score, doc)) break;
      docs[i] = docs[child] as number;
      scores[i] = scores[child] as number;
      i = child;
    }
    docs[i] = doc;
    scores[i] = score;
  }

  /** Best first. */
  sorted(): { doc: number; score: number }[] {
    return this.docs
      .map((doc, i) => ({ doc, score: this.scores[i] as number }))
      .sort((a, b) => b.score - a.score || a.doc - b.doc);
  }
}

function emptyBase(): Base {
  return {
    docs: 0,
    kind: new Uint8Array(0),
    docEp: new Uint32Array(0),
    lens: new Uint8Array(0),
    topicOff: new Uint32Array(1),
    topicRefs: new Uint32Array(0),
    docIds: [],
    epIds: [],
    terms: [],
    offsets: new Uint32Array(1),
    postings: new Uint32Array(0),
    topicKeys: [],
  };
}

const fail = (why: string, cause?: unknown): never => {
  throw new IndexFormatError(`index snapshot: ${why}`, cause === undefined ? undefined : { cause });
};

export class LibraryIndex {
  // Documents: numbers 0..docs-1; the arrays may be longer (room to grow).
  private docs!: number;
  private kind!: Uint8Array;
  private docEp!: Uint32Array;
  private lens!: Uint8Array;
  private topicOff!: Uint32Array;
  private topicRefs!: Uint32Array;
  private refs!: number;
  private docIds!: string[];
  /** Live insights by id. */
  private insightDoc!: Map<string, number>;
  // Episodes: every episode id an insight or an episode document names.
  private epIds!: string[];
  private epIndex!: Map<string, number>;
  /** An episode's live document, or -1. */
  private epDoc!: Int32Array;
  // Terms: the sorted dictionary and its postings, and what was added since.
  private terms!: string[];
  private offsets!: Uint32Array;
  private postings!: Uint32Array;
  private added!: Map<string, Added>;
  /** Added terms not in the dictionary, sorted when `newSorted`. */
  private newTerms!: string[];
  private newSorted!: boolean;
  private addedPostings!: number;
  /** The dictionary by length, with each term's signature, for fuzzy matching; made on first use. */
  private byLength!: ByLength | null;
  // Topic names: the sorted ones of the arrays, then those added since.
  private topicKeys!: string[];
  private baseTopics!: number;
  private newTopics!: Map<string, number>;
  // Live counts, for BM25: documents of each kind and total length of each field.
  private insights!: number;
  private episodes!: number;
  private dead!: number;
  private fieldTotal!: Float64Array;
  /** Whether anything changed since the arrays were built. */
  private dirty!: boolean;
  // Scratch space of the queries: a score and a mask of matched terms per document touched.
  private score!: Float64Array;
  private mask!: Uint32Array;
  private touched!: Uint32Array;
  private nTouched!: number;

  private constructor(base: Base) {
    this.adopt(base);
  }

  static empty(): LibraryIndex {
    return new LibraryIndex(emptyBase());
  }

  /**
   * The index a snapshot of toSnapshot holds. The bytes are copied (they may be changed or reused
   * afterwards). Throws IndexFormatError if they are not a snapshot of this INDEX_VERSION, or are
   * truncated or damaged (the caller then rebuilds).
   */
  static fromSnapshot(bytes: Uint8Array): LibraryIndex {
    if (!ArrayBuffer.isView(bytes)) fail('not bytes');
    if (bytes.byteLength < HEADER_WORDS * 4) fail(`${bytes.byteLength} bytes, too short`);
    // One copy, aligned for the Uint32 views (and ours: removals mark documents in it).
    const buffer = new ArrayBuffer(bytes.byteLength);
    new Uint8Array(buffer).set(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const header = new Uint32Array(buffer, 0, HEADER_WORDS);
    if (header[H_MAGIC] !== MAGIC) fail('not a library index');
    if (header[H_VERSION] !== INDEX_VERSION)
      fail(`version ${String(header[H_VERSION])}, expected ${INDEX_VERSION}`);
    const docs = header[H_DOCS] as number;
    const eps = header[H_EPISODES] as number;
    const nTerms = header[H_TERMS] as number;
    const nPostings = header[H_POSTINGS] as number;
    const nTopics = header[H_TOPICS] as number;
    const nRefs = header[H_REFS] as number;
    const stringBytes = header[H_STRING_BYTES] as number;
    const stringChars = header[H_STRING_CHARS] as number;
    const nStrings = docs + eps + nTerms + nTopics;
    const words = HEADER_WORDS + nTerms * FIELDS + 1 + nPostings + docs + docs + 1 + nRefs + nStrings;
    const expected = words * 4 + docs * 4 + stringBytes;
    if (bytes.byteLength !== expected) fail(`${bytes.byteLength} bytes, expected ${expected}`);
    if (docs >= MAX_DOCS) fail(`${docs} documents`);

    let at = HEADER_WORDS * 4;
    const u32 = (n: number): Uint32Array => {
      const view = new Uint32Array(buffer, at, n);
      at += n * 4;
      return view;
    };
    const u8 = (n: number): Uint8Array => {
      const view = new Uint8Array(buffer, at, n);
      at += n;
      return view;
    };
    const offsets = u32(nTerms * FIELDS + 1);
    const postings = u32(nPostings);
    const docEp = u32(docs);
    const topicOff = u32(docs + 1);
    const topicRefs = u32(nRefs);
    const lengths = u32(nStrings);
    const kind = u8(docs);
    const lens = u8(docs * 3);
    const utf8 = u8(stringBytes);

    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(utf8);
    } catch (err) {
      return fail('strings are not UTF-8', err);
    }
    if (text.length !== stringChars) fail('strings of the wrong length');
    let pos = 0;
    let next = 0;
    const strings = (n: number): string[] => {
      const out = new Array<string>(n);
      for (let i = 0; i < n; i++) {
        const end = pos + (lengths[next++] as number);
        if (end > text.length) fail('strings of the wrong length');
        out[i] = text.slice(pos, end);
        pos = end;
      }
      return out;
    };
    const docIds = strings(docs);
    const epIds = strings(eps);
    const terms = strings(nTerms);
    const topicKeys = strings(nTopics);
    if (pos !== text.length) fail('strings of the wrong length');

    // Checks that no answer can read outside the arrays, and that the dictionaries are sorted.
    if (offsets[0] !== 0 || offsets[nTerms * FIELDS] !== nPostings) fail('postings out of place');
    for (let i = 1; i <= nTerms * FIELDS; i++)
      if ((offsets[i] as number) < (offsets[i - 1] as number)) fail('postings out of place');
    const maxPosting = docs * 256;
    for (let i = 0; i < nPostings; i++) {
      const p = postings[i] as number;
      if (p >= maxPosting || (p & MAX_TF) === 0) fail('a posting out of range');
    }
    for (let d = 0; d < docs; d++) {
      if ((docEp[d] as number) >= eps) fail('an episode out of range');
      if (kind[d] !== INSIGHT && kind[d] !== EPISODE) fail('a document of no kind');
      if ((topicOff[d + 1] as number) < (topicOff[d] as number)) fail('topics out of place');
    }
    if (topicOff[0] !== 0 || topicOff[docs] !== nRefs) fail('topics out of place');
    for (let i = 0; i < nRefs; i++) if ((topicRefs[i] as number) >= nTopics) fail('a topic out of range');
    for (let i = 1; i < nTerms; i++)
      if (!((terms[i - 1] as string) < (terms[i] as string))) fail('terms unsorted');
    for (let i = 1; i < nTopics; i++)
      if (!((topicKeys[i - 1] as string) < (topicKeys[i] as string))) fail('topics unsorted');

    return new LibraryIndex({
      docs,
      kind,
      docEp,
      lens,
      topicOff,
      topicRefs,
      docIds,
      epIds,
      terms,
      offsets,
      postings,
      topicKeys,
    });
  }

  /**
   * The index as bytes for fromSnapshot: merges what was added into the arrays first (so this
   * index answers exactly as the one loaded from the snapshot will). The bytes are the caller's.
   */
  toSnapshot(): Uint8Array {
    if (this.dirty) this.merge();
    const { docs } = this;
    const eps = this.epIds.length;
    const nTerms = this.terms.length;
    const nTopics = this.topicKeys.length;
    const strings = [...this.docIds, ...this.epIds, ...this.terms, ...this.topicKeys];
    const text = strings.join('');
    const utf8 = new TextEncoder().encode(text);
    const nStrings = strings.length;
    const words =
      HEADER_WORDS + nTerms * FIELDS + 1 + this.postings.length + docs + docs + 1 + this.refs + nStrings;
    const buffer = new ArrayBuffer(words * 4 + docs * 4 + utf8.length);
    const header = new Uint32Array(buffer, 0, HEADER_WORDS);
    header[H_MAGIC] = MAGIC;
    header[H_VERSION] = INDEX_VERSION;
    header[H_DOCS] = docs;
    header[H_EPISODES] = eps;
    header[H_TERMS] = nTerms;
    header[H_POSTINGS] = this.postings.length;
    header[H_TOPICS] = nTopics;
    header[H_REFS] = this.refs;
    header[H_STRING_BYTES] = utf8.length;
    header[H_STRING_CHARS] = text.length;
    let at = HEADER_WORDS * 4;
    const put = (a: Uint32Array | Uint8Array): void => {
      new Uint8Array(buffer, at, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      at += a.byteLength;
    };
    put(this.offsets);
    put(this.postings);
    put(this.docEp.subarray(0, docs));
    put(this.topicOff.subarray(0, docs + 1));
    put(this.topicRefs.subarray(0, this.refs));
    put(Uint32Array.from(strings, (s) => s.length));
    put(this.kind.subarray(0, docs));
    put(this.lens.subarray(0, docs * 3));
    put(utf8);
    return new Uint8Array(buffer);
  }

  /** Documents indexed: insights and episodes. */
  get size(): number {
    return this.insights + this.episodes;
  }

  /** Whether an insight or an episode with this id is indexed. */
  has(id: string): boolean {
    if (this.insightDoc.has(id)) return true;
    const ep = this.epIndex.get(id);
    return ep !== undefined && (this.epDoc[ep] as number) >= 0;
  }

  /** Adds insights; one already indexed (same id) is replaced, and of one id twice the last wins. */
  addInsights(items: IndexedInsight[]): void {
    const last = new Map<string, IndexedInsight>();
    for (const item of items) last.set(item.id, item);
    for (const item of last.values()) {
      const old = this.insightDoc.get(item.id);
      if (old !== undefined) this.kill(old);
      this.addInsight(item);
    }
    this.maybeMerge();
  }

  /** Adds an episode (found by its title and show), or replaces it. */
  upsertEpisode(episode: IndexedEpisode): void {
    const ep = this.internEpisode(episode.id);
    const old = this.epDoc[ep] as number;
    if (old >= 0) this.kill(old);
    const doc = this.newDoc(EPISODE, ep, episode.id);
    const title = termCounts(episode.title);
    const show = termCounts(episode.show ?? '');
    this.lens[doc * 3] = this.addField(doc, TITLE, title);
    this.lens[doc * 3 + 1] = this.addField(doc, SHOW, show);
    this.topicOff[doc + 1] = this.refs;
    this.epDoc[ep] = doc;
    this.tally(doc, 1);
    this.maybeMerge();
  }

  /** Removes an insight; nothing happens if it is not indexed. */
  removeInsight(id: string): void {
    const doc = this.insightDoc.get(id);
    if (doc === undefined) return;
    this.kill(doc);
    this.maybeMerge();
  }

  /**
   * Insights whose text or topics hold `term` (as processed: lowercase, no stop words), one per
   * field, counting removed ones until the next merge.
   */
  documentFrequency(term: string): number {
    const ref = this.lookup(term);
    return ref ? this.df(ref, TEXT) + this.df(ref, TOPICS) : 0;
  }

  /**
   * Insights of other episodes about the same thing as `of`, best first (default 3). A hit
   * shares at least one topic (compared ignoring case and spaces) or two meaningful words.
   */
  related(of: IndexedInsight, options: { limit?: number } = {}): RelatedHit[] {
    const limit = options.limit ?? DEFAULT_RELATED;
    if (!(limit > 0)) return [];
    const topicTerms = terms(of.topics.join('\n'));
    const textTerms = terms(of.text);
    const asks: { ref: TermRef; field: number; df: number; cost: number }[] = [];
    for (const [list, field] of [
      [topicTerms, TOPICS],
      [textTerms, TEXT],
    ] as const)
      for (const term of list) {
        const ref = this.lookup(term);
        const df = ref ? this.df(ref, field) : 0;
        if (ref && df > 0) asks.push({ ref, field, df, cost: field === TOPICS ? df / TOPIC_BOOST : df });
      }
    asks.sort((a, b) => a.cost - b.cost);
    // The terms asked, the most specific first, within the budget; a bit for each distinct term.
    const bits = new Map<string, number>();
    const picked: typeof asks = [];
    let spent = 0;
    for (const ask of asks) {
      if (picked.length >= RELATED_MAX_TERMS) break;
      if (picked.length > 0 && spent + ask.df > RELATED_POSTINGS) continue;
      picked.push(ask);
      spent += ask.df;
      if (!bits.has(ask.ref.term)) bits.set(ask.ref.term, bits.size);
    }
    if (picked.length === 0) return [];

    const ep = this.epIndex.get(of.episodeId) ?? -1;
    for (const { ref, field, df } of picked) {
      const weight = (field === TOPICS ? TOPIC_BOOST : 1) * idf(df, this.insights);
      this.scoreTerm(ref, field, weight, 1 << (bits.get(ref.term) as number), ep);
    }

    // The asked insight's topics, as ids of this index (-1: no other insight has it).
    const wanted: { id: number; spelling: string }[] = [];
    const seen = new Set<string>();
    for (const spelling of of.topics) {
      const key = topicKey(spelling);
      if (!key || seen.has(key)) continue;
      seen.add(key);
      const id = this.topicId(key);
      if (id >= 0) wanted.push({ id, spelling });
    }
    const self = this.insightDoc.get(of.id) ?? -1;
    const { score, mask, touched, topicOff, topicRefs } = this;
    const top = new TopK(limit);
    for (let k = 0; k < this.nTouched; k++) {
      const doc = touched[k] as number;
      if (doc === self) continue;
      let shared = 0;
      if (wanted.length > 0)
        for (let r = topicOff[doc] as number, end = topicOff[doc + 1] as number; r < end; r++) {
          const id = topicRefs[r] as number;
          for (const w of wanted) if (w.id === id) shared++;
        }
      if (shared === 0 && popcount(mask[doc] as number) < 2) continue;
      top.push(doc, (score[doc] as number) * (1 + 0.5 * shared));
    }

    const topicSet = new Set(topicTerms);
    const byBit = [...bits.keys()];
    const hits = top.sorted().map(({ doc, score: s }): RelatedHit => {
      const refs = topicRefs.subarray(topicOff[doc], topicOff[doc + 1]);
      const sharedTopics = wanted.filter((w) => refs.includes(w.id)).map((w) => w.spelling);
      const m = mask[doc] as number;
      const matched = byBit.filter((_, bit) => (m & (1 << bit)) !== 0);
      const sharedTerms = [
        ...matched.filter((t) => topicSet.has(t)),
        ...matched.filter((t) => !topicSet.has(t)),
      ].slice(0, SHARED_TERMS_SHOWN);
      return {
        id: this.docIds[doc] as string,
        episodeId: this.epIds[this.docEp[doc] as number] as string,
        score: s,
        sharedTopics,
        sharedTerms,
        reason: relatedReason(sharedTopics, sharedTerms),
      };
    });
    this.clearScores();
    return hits;
  }

  /**
   * The search box: every word must match (the last one also as a prefix from 3 letters, rare
   * or unknown words of 5+ letters also within an edit or two), or, if nothing matches all, any
   * word. An insight whose episode's title or show matched counts more. Insights and episodes
   * come back apart, each best first and at most `limit` (default 20). Any string is a query.
   */
  search(query: string, options: { limit?: number } = {}): SearchHits {
    const limit = options.limit ?? DEFAULT_SEARCH;
    const words = terms(query.slice(0, MAX_QUERY_CHARS)).slice(0, MAX_QUERY_TERMS);
    if (words.length === 0 || !(limit > 0)) return { insights: [], episodes: [] };
    const expansions = words.map((word, i) => this.expand(word, i === words.length - 1));
    const all = words.map((_, i) => i);
    // A word that matches nothing: every word together matches nothing, go straight to any word.
    if (expansions.every((e) => e.length > 0)) {
      const hits = this.searchWith(expansions, all, true, limit);
      if (hits.insights.length > 0 || hits.episodes.length > 0 || words.length === 1) return hits;
    }
    if (words.length === 1) return { insights: [], episodes: [] };
    return this.searchWith(expansions, this.specificWords(words), false, limit);
  }

  // ----- internals -----

  private adopt(base: Base): void {
    this.docs = base.docs;
    this.kind = base.kind;
    this.docEp = base.docEp;
    this.lens = base.lens;
    this.topicOff = base.topicOff;
    this.topicRefs = base.topicRefs;
    this.refs = base.topicOff[base.docs] as number;
    this.docIds = base.docIds;
    this.epIds = base.epIds;
    this.terms = base.terms;
    this.offsets = base.offsets;
    this.postings = base.postings;
    this.topicKeys = base.topicKeys;
    this.baseTopics = base.topicKeys.length;
    this.newTopics = new Map();
    this.added = new Map();
    this.newTerms = [];
    this.newSorted = true;
    this.addedPostings = 0;
    this.byLength = null;
    this.dirty = false;
    this.dead = 0;
    this.insights = 0;
    this.episodes = 0;
    this.fieldTotal = new Float64Array(FIELDS);
    this.insightDoc = new Map();
    this.epIndex = new Map();
    for (let e = 0; e < base.epIds.length; e++) this.epIndex.set(base.epIds[e] as string, e);
    this.epDoc = new Int32Array(Math.max(16, base.epIds.length)).fill(-1);
    for (let d = 0; d < base.docs; d++) {
      if (base.kind[d] === INSIGHT) this.insightDoc.set(base.docIds[d] as string, d);
      else this.epDoc[base.docEp[d] as number] = d;
      this.tally(d, 1);
    }
    this.score = new Float64Array(base.docs);
    this.mask = new Uint32Array(base.docs);
    this.touched = new Uint32Array(base.docs);
    this.nTouched = 0;
  }

  private internEpisode(id: string): number {
    let ep = this.epIndex.get(id);
    if (ep === undefined) {
      ep = this.epIds.length;
      this.epIds.push(id);
      this.epIndex.set(id, ep);
      if (ep >= this.epDoc.length) this.epDoc = grown(this.epDoc, ep * 2).fill(-1, this.epDoc.length);
    }
    return ep;
  }

  private topicId(key: string): number {
    const i = indexOfSorted(this.topicKeys, key, this.baseTopics);
    return i >= 0 ? i : (this.newTopics.get(key) ?? -1);
  }

  private internTopic(key: string): number {
    let id = this.topicId(key);
    if (id < 0) {
      id = this.topicKeys.length;
      this.topicKeys.push(key);
      this.newTopics.set(key, id);
    }
    return id;
  }

  /** A new document's number, with room in every per-document array. */
  private newDoc(kind: number, ep: number, id: string): number {
    if (this.docs + 1 >= MAX_DOCS) {
      this.merge();
      if (this.docs + 1 >= MAX_DOCS) throw new RangeError(`library index: more than ${MAX_DOCS} documents`);
    }
    const doc = this.docs++;
    if (this.docs > this.kind.length) {
      const room = Math.max(1024, this.docs * 2);
      this.kind = grown(this.kind, room);
      this.docEp = grown(this.docEp, room);
      this.lens = grown(this.lens, room * 3);
      this.topicOff = grown(this.topicOff, room + 1);
      this.score = grown(this.score, room);
      this.mask = grown(this.mask, room);
      this.touched = grown(this.touched, room);
    }
    this.kind[doc] = kind;
    this.docEp[doc] = ep;
    this.docIds.push(id);
    this.dirty = true;
    return doc;
  }

  private addInsight(item: IndexedInsight): void {
    const doc = this.newDoc(INSIGHT, this.internEpisode(item.episodeId), item.id);
    const text = termCounts(item.text);
    const quote = new Map<string, number>();
    for (const t of terms(item.quote)) if (!text.has(t)) quote.set(t, 1);
    const lens = this.lens;
    lens[doc * 3] = this.addField(doc, TEXT, text);
    lens[doc * 3 + 1] = this.addField(doc, TOPICS, termCounts(item.topics.join('\n')));
    lens[doc * 3 + 2] = this.addField(doc, QUOTE, quote);
    const keys = new Set<string>();
    for (const t of item.topics) {
      const key = topicKey(t);
      if (key) keys.add(key);
    }
    if (this.refs + keys.size > this.topicRefs.length)
      this.topicRefs = grown(this.topicRefs, Math.max(1024, (this.refs + keys.size) * 2));
    for (const key of keys) this.topicRefs[this.refs++] = this.internTopic(key);
    this.topicOff[doc + 1] = this.refs;
    this.insightDoc.set(item.id, doc);
    this.tally(doc, 1);
  }

  /** Adds a document's postings in one field; returns the field's length (for BM25), at most 255. */
  private addField(doc: number, field: number, counts: Map<string, number>): number {
    let length = 0;
    for (const [term, tf] of counts) {
      let added = this.added.get(term);
      if (!added) {
        added = { base: indexOfSorted(this.terms, term), lists: [null, null, null, null, null] };
        this.added.set(term, added);
        if (added.base < 0) {
          this.newTerms.push(term);
          this.newSorted = false;
        }
      }
      (added.lists[field] ??= []).push(doc * 256 + Math.min(tf, MAX_TF));
      this.addedPostings++;
      length += tf;
    }
    return Math.min(length, 255);
  }

  /** Marks a document dead: its postings are skipped until the next merge drops them. */
  private kill(doc: number): void {
    const kind = this.kind[doc];
    if (kind === DEAD) return;
    this.tally(doc, -1);
    this.kind[doc] = DEAD;
    this.dead++;
    this.dirty = true;
    if (kind === INSIGHT) {
      const id = this.docIds[doc] as string;
      if (this.insightDoc.get(id) === doc) this.insightDoc.delete(id);
    } else {
      const ep = this.docEp[doc] as number;
      if (this.epDoc[ep] === doc) this.epDoc[ep] = -1;
    }
  }

  /** Counts a live document in (1) or out (-1) of the counts BM25 uses. */
  private tally(doc: number, sign: 1 | -1): void {
    const insight = this.kind[doc] === INSIGHT;
    if (insight) this.insights += sign;
    else this.episodes += sign;
    const first = insight ? TEXT : TITLE;
    for (let slot = 0; slot < (insight ? 3 : 2); slot++)
      this.fieldTotal[first + slot] =
        (this.fieldTotal[first + slot] as number) + sign * (this.lens[doc * 3 + slot] as number);
  }

  private maybeMerge(): void {
    if (
      this.addedPostings > Math.max(MERGE_MIN_POSTINGS, this.postings.length) ||
      this.dead > Math.max(MERGE_MIN_DEAD, this.size)
    )
      this.merge();
  }

  /**
   * Merges the additions into the arrays, drops the dead documents (and the terms, topics and
   * episodes only they had) and numbers the documents again, in the same order.
   */
  private merge(): void {
    const { docs, kind, docEp, lens, topicOff, topicRefs } = this;
    const remap = new Int32Array(docs);
    let live = 0;
    let liveRefs = 0;
    const epUsed = new Uint8Array(this.epIds.length);
    const topicUsed = new Uint8Array(this.topicKeys.length);
    for (let d = 0; d < docs; d++) {
      if (kind[d] === DEAD) {
        remap[d] = -1;
        continue;
      }
      remap[d] = live++;
      epUsed[docEp[d] as number] = 1;
      for (let r = topicOff[d] as number; r < (topicOff[d + 1] as number); r++) {
        topicUsed[topicRefs[r] as number] = 1;
        liveRefs++;
      }
    }

    // Episodes in the same order; topic names and terms sorted again (old and new merged).
    const epRemap = new Int32Array(this.epIds.length).fill(-1);
    const epIds: string[] = [];
    this.epIds.forEach((id, e) => {
      if (epUsed[e]) {
        epRemap[e] = epIds.length;
        epIds.push(id);
      }
    });
    const topicRemap = new Int32Array(this.topicKeys.length).fill(-1);
    const keptTopics = this.topicKeys.map((_, id) => id).filter((id) => topicUsed[id]);
    keptTopics.sort((a, b) => {
      const x = this.topicKeys[a] as string;
      const y = this.topicKeys[b] as string;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    const topicKeys = keptTopics.map((id, i) => {
      topicRemap[id] = i;
      return this.topicKeys[id] as string;
    });

    const nKind = new Uint8Array(live);
    const nEp = new Uint32Array(live);
    const nLens = new Uint8Array(live * 3);
    const nTopicOff = new Uint32Array(live + 1);
    const nTopicRefs = new Uint32Array(liveRefs);
    const docIds = new Array<string>(live);
    let refs = 0;
    for (let d = 0; d < docs; d++) {
      const nd = remap[d] as number;
      if (nd < 0) continue;
      nKind[nd] = kind[d] as number;
      nEp[nd] = epRemap[docEp[d] as number] as number;
      nLens[nd * 3] = lens[d * 3] as number;
      nLens[nd * 3 + 1] = lens[d * 3 + 1] as number;
      nLens[nd * 3 + 2] = lens[d * 3 + 2] as number;
      docIds[nd] = this.docIds[d] as string;
      for (let r = topicOff[d] as number; r < (topicOff[d + 1] as number); r++)
        nTopicRefs[refs++] = topicRemap[topicRefs[r] as number] as number;
      nTopicOff[nd + 1] = refs;
    }

    // Terms: the dictionary and the new terms, merged in order; postings old then added (added
    // documents have higher numbers, so each run stays in document order).
    const oldTerms = this.terms;
    const newTerms = this.sortedNewTerms();
    const addedByBase = new Array<Added | undefined>(oldTerms.length);
    for (const added of this.added.values()) if (added.base >= 0) addedByBase[added.base] = added;
    const total = oldTerms.length + newTerms.length;
    const terms = new Array<string>(total);
    const offsets = new Uint32Array(total * FIELDS + 1);
    const postings = new Uint32Array(this.postings.length + this.addedPostings);
    const old = this.postings;
    const oldOffsets = this.offsets;
    let t = 0;
    let p = 0;
    let i = 0;
    let j = 0;
    while (i < oldTerms.length || j < newTerms.length) {
      let term: string;
      let b = -1;
      let added: Added | undefined;
      if (
        j >= newTerms.length ||
        (i < oldTerms.length && (oldTerms[i] as string) < (newTerms[j] as string))
      ) {
        b = i++;
        term = oldTerms[b] as string;
        added = addedByBase[b];
      } else {
        term = newTerms[j++] as string;
        added = this.added.get(term);
      }
      const start = p;
      for (let f = 0; f < FIELDS; f++) {
        if (b >= 0)
          for (
            let k = oldOffsets[b * FIELDS + f] as number, end = oldOffsets[b * FIELDS + f + 1] as number;
            k < end;
            k++
          ) {
            const posting = old[k] as number;
            const nd = remap[posting >>> 8] as number;
            if (nd >= 0) postings[p++] = nd * 256 + (posting & MAX_TF);
          }
        const list = added?.lists[f];
        if (list)
          for (const posting of list) {
            const nd = remap[Math.floor(posting / 256)] as number;
            if (nd >= 0) postings[p++] = nd * 256 + (posting % 256);
          }
        offsets[t * FIELDS + f + 1] = p;
      }
      if (p > start) terms[t++] = term;
    }
    terms.length = t;
    this.adopt({
      docs: live,
      kind: nKind,
      docEp: nEp,
      lens: nLens,
      topicOff: nTopicOff,
      topicRefs: nTopicRefs,
      docIds,
      epIds,
      terms,
      offsets: offsets.slice(0, t * FIELDS + 1),
      postings: postings.slice(0, p),
      topicKeys,
    });
  }

  private sortedNewTerms(): string[] {
    if (!this.newSorted) {
      this.newTerms.sort();
      this.newSorted = true;
    }
    return this.newTerms;
  }

  /** A term as indexed, or null when no document ever had it. */
  private lookup(term: string): TermRef | null {
    const base = indexOfSorted(this.terms, term);
    const added = this.added.get(term);
    return base >= 0 || added ? { term, base, added } : null;
  }

  private refAt(base: number): TermRef {
    const term = this.terms[base] as string;
    return { term, base, added: this.added.get(term) };
  }

  /** Postings of a term in a field (dead documents too, until the next merge). */
  private df(ref: TermRef, field: number): number {
    const o = ref.base * FIELDS + field;
    const base = ref.base >= 0 ? (this.offsets[o + 1] as number) - (this.offsets[o] as number) : 0;
    return base + (ref.added?.lists[field]?.length ?? 0);
  }

  /** Postings of a term in every field. */
  private dfAll(ref: TermRef): number {
    let n = 0;
    for (let f = 0; f < FIELDS; f++) n += this.df(ref, f);
    return n;
  }

  /** Adds a term's BM25 score in a field, times `weight`, to every live document having it (but those of episode `skipEp`). */
  private scoreTerm(ref: TermRef, field: number, weight: number, bit: number, skipEp: number): void {
    const docsOfKind = field < TITLE ? this.insights : this.episodes;
    const average = docsOfKind > 0 ? (this.fieldTotal[field] as number) / docsOfKind : 0;
    const perLength = average > 0 ? (K1 * B) / average : 0;
    const slot = SLOT[field] as number;
    if (ref.base >= 0) {
      const o = ref.base * FIELDS + field;
      this.scan(
        this.postings,
        this.offsets[o] as number,
        this.offsets[o + 1] as number,
        slot,
        weight,
        perLength,
        bit,
        skipEp,
      );
    }
    const list = ref.added?.lists[field];
    if (list) this.scan(list, 0, list.length, slot, weight, perLength, bit, skipEp);
  }

  private scan(
    list: ArrayLike<number>,
    from: number,
    to: number,
    slot: number,
    weight: number,
    perLength: number,
    bit: number,
    skipEp: number,
  ): void {
    const { kind, docEp, lens, score, mask, touched } = this;
    const constant = K1 * (1 - B);
    let n = this.nTouched;
    for (let i = from; i < to; i++) {
      const posting = list[i] as number;
      const doc = posting >>> 8;
      if (kind[doc] === DEAD || docEp[doc] === skipEp) continue;
      const tf = posting & MAX_TF;
      const s =
        weight * ((tf * (K1 + 1)) / (tf + constant + perLength * (lens[doc * 3 + slot] as number)) + DELTA);
      if (mask[doc] === 0) touched[n++] = doc;
      score[doc] = (score[doc] as number) + s;
      mask[doc] = (mask[doc] as number) | bit;
    }
    this.nTouched = n;
  }

  private clearScores(): void {
    const { score, mask, touched } = this;
    for (let k = 0; k < this.nTouched; k++) {
      const doc = touched[k] as number;
      score[doc] = 0;
      mask[doc] = 0;
    }
    this.nTouched = 0;
  }

  /** What a query word matches: itself; for the last word, the terms it begins; for a rare word, near spellings. */
  private expand(word: string, last: boolean): Expansion[] {
    const out: Expansion[] = [];
    const exact = this.lookup(word);
    if (exact) out.push({ ref: exact, weight: 1 });
    if (last && word.length >= MIN_PREFIX) {
      const weight = (term: string): number =>
        PREFIX_WEIGHT + ((1 - PREFIX_WEIGHT) * word.length) / term.length;
      for (let i = lowerBound(this.terms, word); i < this.terms.length; i++) {
        const term = this.terms[i] as string;
        if (!term.startsWith(word)) break;
        if (term !== word) out.push({ ref: this.refAt(i), weight: weight(term) });
      }
      const fresh = this.sortedNewTerms();
      for (let i = lowerBound(fresh, word); i < fresh.length; i++) {
        const term = fresh[i] as string;
        if (!term.startsWith(word)) break;
        if (term !== word)
          out.push({ ref: { term, base: -1, added: this.added.get(term) }, weight: weight(term) });
      }
    }
    if (word.length >= MIN_FUZZY) {
      let found = 0;
      for (const e of out) if ((found += this.dfAll(e.ref)) > FUZZY_FEW) return out;
      this.addNearSpellings(word, out);
    }
    return out;
  }

  /** Terms within an edit (two for long words) of `word`, not already in `out`. */
  private addNearSpellings(word: string, out: Expansion[]): void {
    const max = word.length >= FUZZY_TWO ? 2 : 1;
    const have = new Set(out.map((e) => e.ref.term));
    const sig = signature(word);
    const { terms } = this;
    const { order, start, signatures } = (this.byLength ??= sortByLength(terms));
    // Only terms of about the word's length, and with about its letters, are compared.
    const from = start[Math.max(0, word.length - max)] as number;
    const to = start[Math.min(MAX_TERM_CHARS, word.length + max) + 1] as number;
    for (let k = from; k < to; k++) {
      if (popcount((signatures[k] as number) ^ sig) > 2 * max) continue;
      const i = order[k] as number;
      const term = terms[i] as string;
      const d = have.has(term) ? -1 : editDistance(word, term, max);
      if (d > 0) out.push({ ref: this.refAt(i), weight: FUZZY_WEIGHT[d] as number });
    }
    for (const term of this.newTerms) {
      if (Math.abs(term.length - word.length) > max || popcount(signature(term) ^ sig) > 2 * max) continue;
      const d = have.has(term) ? -1 : editDistance(word, term, max);
      if (d > 0)
        out.push({ ref: { term, base: -1, added: this.added.get(term) }, weight: FUZZY_WEIGHT[d] as number });
    }
  }

  /** The words search's any-word fallback asks, in the query's order (the last one, being typed, always). */
  private specificWords(words: string[]): number[] {
    const others = words
      .slice(0, -1)
      .map((word, i) => {
        const ref = this.lookup(word);
        return { i, df: ref ? this.dfAll(ref) : 0 };
      })
      .sort((a, b) => a.df - b.df);
    const kept: number[] = [];
    let spent = 0;
    for (const { i, df } of others) {
      if (kept.length > 0 && spent + df > SEARCH_ANY_POSTINGS) break;
      kept.push(i);
      spent += df;
    }
    return [...kept.sort((a, b) => a - b), words.length - 1];
  }

  /** Scores the words asked (indexes into `expansions`) and returns the best documents of each kind. */
  private searchWith(expansions: Expansion[][], asked: number[], every: boolean, limit: number): SearchHits {
    let full = 0;
    for (const w of asked) {
      full |= 1 << w;
      for (const { ref, weight } of expansions[w] as Expansion[])
        for (let f = 0; f < FIELDS; f++) {
          const df = this.df(ref, f);
          if (df > 0)
            this.scoreTerm(
              ref,
              f,
              weight * (SEARCH_BOOST[f] as number) * idf(df, f < TITLE ? this.insights : this.episodes),
              1 << w,
              -1,
            );
        }
    }
    const { score, mask, touched, kind, docEp, epDoc } = this;
    const insights = new TopK(limit);
    const episodes = new TopK(limit);
    for (let k = 0; k < this.nTouched; k++) {
      const doc = touched[k] as number;
      const m = mask[doc] as number;
      if (every && m !== full) continue;
      let s = (score[doc] as number) * popcount(m);
      if (kind[doc] === INSIGHT) {
        const e = epDoc[docEp[doc] as number] as number;
        if (e >= 0 && mask[e] !== 0) s *= EPISODE_MATCH_BOOST;
        insights.push(doc, s);
      } else episodes.push(doc, s);
    }
    const hits: SearchHits = {
      insights: insights.sorted().map(({ doc, score: s }) => ({
        id: this.docIds[doc] as string,
        episodeId: this.epIds[docEp[doc] as number] as string,
        score: s,
      })),
      episodes: episodes.sorted().map(({ doc, score: s }) => ({ id: this.docIds[doc] as string, score: s })),
    };
    this.clearScores();
    return hits;
  }
}
