// Grounding (DESIGN.md section 4, a contract): every stored insight's quote occurs in the
// transcript, compared after folding case, punctuation and white space, within the segments that
// start in [start, start + 90]. Code, never the model, sets an insight's time: the grounder finds
// the quote in the transcript (in the cited paragraph first, then nearby, then anywhere; tolerant
// of ASR noise) and answers with the start of the segment where it begins and the transcript's
// own words for it, so a stored quote satisfies the invariant by construction.
//
// One grounder is built per transcript (`createGrounder`): the folded text of every segment,
// concatenated with one space between segments, and where each segment's part begins and ends.
// A match is mapped back to the segments' own words by folding just those segments again, with
// a map from folded to original characters. Words (for the fuzzy match) are indexed the first
// time a quote is not found exactly.
import type { Insight, Transcript } from '../types';

export type GroundResult =
  | { ok: true; start: number; end?: number; quote: string; segment: number }
  | { ok: false; reason: 'empty' | 'not-found' | 'ambiguous' };

export type NearWindow = { from: number; to: number };

export type Grounder = {
  /** Finds `quote` in the transcript, in `near` (seconds, e.g. the cited paragraph) first. */
  ground(quote: string, near?: NearWindow): GroundResult;
  /** The contract check: the quote occurs in the segments that start in [start, start + 90]. */
  check(insight: Pick<Insight, 'quote' | 'start'>): boolean;
};

/** The span after an insight's start in which its quote must occur (the contract). */
export const GROUNDING_SPAN_SECONDS = 90;
/** How far around the near window the second search tier looks. */
const NEARBY_SECONDS = 120;
/** Fuzzy match: this share of the quote's words, in order... */
const FUZZY_MIN_SHARE = 0.85;
/** ...within a span of at most this many times the quote's words. */
const FUZZY_MAX_SPAN = 1.3;
/** Exact occurrences looked at per quote (a very short quote can occur thousands of times). */
const MAX_OCCURRENCES = 2000;
/** Seconds compared with this slack (times are kept to the millisecond). */
const EPSILON = 1e-6;

// ---------------------------------------------------------------------------------------------
// Folding

/** What folding does with an ASCII character. */
const enum Fold {
  Space = 0,
  Keep = 1,
  Upper = 2,
  Drop = 3,
  /** '.' or ',': dropped between two digits (1,000 = 1000), a space elsewhere. */
  DigitSeparator = 4,
}

const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 48 && c <= 57) || (c >= 97 && c <= 122)) ASCII[c] = Fold.Keep;
  else if (c >= 65 && c <= 90) ASCII[c] = Fold.Upper;
  else if (c === 39 || c === 96)
    ASCII[c] = Fold.Drop; // ' and ` : "don't" = "dont"
  else if (c === 44 || c === 46) ASCII[c] = Fold.DigitSeparator;
  else ASCII[c] = Fold.Space;
}

/** Apostrophe look-alikes: dropped like ' (’ ‘ ʼ ʻ ´ ′ ＇). */
const APOSTROPHES = new Set([0x2019, 0x2018, 0x02bc, 0x02bb, 0x00b4, 0x2032, 0xff07]);
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const MARK = /\p{M}/u;
const MARKS = /\p{M}+/gu;

/** The folded form of a non-ASCII code point: '' to drop it, ' ' for a separator. */
const foldedCache = new Map<number, string>();

function foldCodePoint(cp: number): string {
  const cached = foldedCache.get(cp);
  if (cached !== undefined) return cached;
  let out: string;
  const ch = String.fromCodePoint(cp);
  if (APOSTROPHES.has(cp) || MARK.test(ch)) out = '';
  else if (cp === 0xdf || cp === 0x1e9e)
    out = 'ss'; // ß ẞ
  else {
    // Diacritics are folded too (é = e), so a quote typed without them still matches.
    const base = ch.normalize('NFKD').replace(MARKS, '').toLowerCase();
    out = '';
    for (const c of base) if (LETTER_OR_DIGIT.test(c)) out += c;
    if (out.length === 0) out = ' ';
  }
  if (foldedCache.size < 10_000) foldedCache.set(cp, out);
  return out;
}

const isDigit = (code: number | undefined): boolean => code !== undefined && code >= 48 && code <= 57;

/**
 * Folds `text`, appending to `sink`: lower case, no diacritics, apostrophes dropped, every other
 * run of punctuation and white space one space, no space at either end. `map` receives, for
 * each folded character, the index in `text` of the character it came from (-1 for a space).
 */
function foldInto(text: string, sink: { out: string; map: number[] | undefined }): void {
  let pendingSpace = false;
  let started = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    let piece: string;
    const source = i;
    if (code < 128) {
      const kind = ASCII[code] as Fold;
      if (kind === Fold.Keep) piece = text[i] as string;
      else if (kind === Fold.Upper) piece = String.fromCharCode(code + 32);
      else if (kind === Fold.Drop) continue;
      else if (
        kind === Fold.DigitSeparator &&
        isDigit(text.charCodeAt(i - 1)) &&
        isDigit(text.charCodeAt(i + 1))
      )
        continue;
      else piece = ' ';
    } else {
      const cp = text.codePointAt(i) as number;
      piece = foldCodePoint(cp);
      if (cp > 0xffff) i++;
      if (piece.length === 0) continue;
    }
    if (piece === ' ') {
      if (started) pendingSpace = true;
      continue;
    }
    if (pendingSpace) {
      sink.out += ' ';
      sink.map?.push(-1);
      pendingSpace = false;
    }
    sink.out += piece;
    if (sink.map) for (let k = 0; k < piece.length; k++) sink.map.push(source);
    started = true;
  }
}

/**
 * The form quotes and transcripts are compared in: case, diacritics, punctuation (quote marks,
 * dashes and apostrophe variants included) and white space folded. "Don’t — STOP!" → "dont stop".
 */
export function foldForMatch(text: string): string {
  if (isAscii(text)) return foldAscii(text);
  const sink = { out: '', map: undefined };
  foldInto(text, sink);
  return sink.out;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

/** `foldInto` for ASCII text, with regular expressions (several times faster; same result). */
function foldAscii(text: string): string {
  return text
    .replace(/(?<=\d)[.,](?=\d)/g, '')
    .replace(/['`]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The folded text and, for each folded character, its index in `text` (-1 for a space). */
export function foldWithMap(text: string): { folded: string; map: number[] } {
  const sink: { out: string; map: number[] } = { out: '', map: [] };
  foldInto(text, sink);
  return { folded: sink.out, map: sink.map };
}

// ---------------------------------------------------------------------------------------------
// The index of a transcript

/** Scripts written without spaces between words: a quote may begin or end inside a run of them. */
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

type Index = {
  /** Every segment's folded text, one space between non-empty ones. */
  text: string;
  /** Where each segment's folded text begins and ends in `text`. */
  segFrom: Int32Array;
  segTo: Int32Array;
  starts: Float64Array;
  /** Whether segment starts never decrease (then a time range is a range of segments). */
  sorted: boolean;
};

type Words = {
  /** Each word's id (interned folded word) and where it begins and ends in the folded text. */
  ids: Int32Array;
  from: Int32Array;
  to: Int32Array;
  intern: Map<string, number>;
  numeric: Uint8Array;
};

function buildIndex(transcript: Transcript): Index {
  const segments = transcript.segments;
  const n = segments.length;
  const segFrom = new Int32Array(n);
  const segTo = new Int32Array(n);
  const starts = new Float64Array(n);
  const parts: string[] = [];
  let length = 0;
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const seg = segments[i] as Transcript['segments'][number];
    starts[i] = seg.start;
    if (i > 0 && seg.start < (starts[i - 1] as number)) sorted = false;
    const folded = foldForMatch(seg.text);
    if (folded.length > 0) {
      if (length > 0) {
        parts.push(' ');
        length++;
      }
      parts.push(folded);
    }
    segFrom[i] = length;
    length += folded.length;
    segTo[i] = length;
  }
  return { text: parts.join(''), segFrom, segTo, starts, sorted };
}

/** The segment whose folded text holds folded offset `at` (the last one beginning at or before it). */
function segmentAt(index: Index, at: number): number {
  let lo = 0;
  let hi = index.segFrom.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((index.segFrom[mid] as number) <= at) lo = mid;
    else hi = mid - 1;
  }
  // Empty segments share their offset with the next one: step to the one that holds `at`.
  while (lo > 0 && (index.segTo[lo] as number) <= at && lo + 1 < index.segFrom.length) lo++;
  return lo;
}

function buildWords(index: Pick<Index, 'text'>): Words {
  const list = index.text.length > 0 ? index.text.split(' ') : [];
  const count = list.length;
  const intern = new Map<string, number>();
  const ids = new Int32Array(count);
  const from = new Int32Array(count);
  const to = new Int32Array(count);
  const numeric: number[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const word = list[i] as string;
    let id = intern.get(word);
    if (id === undefined) {
      id = intern.size;
      intern.set(word, id);
      numeric.push(/\d/.test(word) ? 1 : 0);
    }
    ids[i] = id;
    from[i] = at;
    to[i] = at + word.length;
    at += word.length + 1;
  }
  return { ids, from, to, intern, numeric: Uint8Array.from(numeric) };
}

// ---------------------------------------------------------------------------------------------
// The grounder

/** A place the quote was found: folded offsets [from, to) and how well it matched. */
type Match = { from: number; to: number; score: number };

type Tier = { lo: number; hi: number } | undefined;

/** Words that close a sentence or a quotation, kept on the stored quote after its last word. */
const CLOSERS = /^[.!?…。？！"'”’»)\]]+/u;

export function createGrounder(transcript: Transcript): Grounder {
  const segments = transcript.segments;
  const index = buildIndex(transcript);
  let words: Words | undefined;
  let counts: { want: Int32Array; have: Int32Array } | undefined;

  const startOf = (seg: number): number => index.starts[seg] as number;

  /** The segment range [a, b] whose starts are in [from, to] (sorted transcripts), or undefined. */
  function segmentRange(from: number, to: number): { a: number; b: number } | undefined {
    const n = index.starts.length;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((index.starts[mid] as number) < from - EPSILON) lo = mid + 1;
      else hi = mid;
    }
    const a = lo;
    hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((index.starts[mid] as number) <= to + EPSILON) lo = mid + 1;
      else hi = mid;
    }
    const b = lo - 1;
    return a <= b ? { a, b } : undefined;
  }

  /** The folded text of the segments that start in [from, to]. */
  function foldedWithin(from: number, to: number): string {
    if (index.sorted) {
      const range = segmentRange(from, to);
      if (!range) return '';
      return index.text.slice(index.segFrom[range.a], index.segTo[range.b]);
    }
    const parts: string[] = [];
    for (let i = 0; i < segments.length; i++) {
      const s = startOf(i);
      if (s >= from - EPSILON && s <= to + EPSILON && index.segTo[i]! > index.segFrom[i]!) {
        parts.push(index.text.slice(index.segFrom[i], index.segTo[i]));
      }
    }
    return parts.join(' ');
  }

  function check(insight: Pick<Insight, 'quote' | 'start'>): boolean {
    if (typeof insight.quote !== 'string' || !Number.isFinite(insight.start)) return false;
    const folded = foldForMatch(insight.quote);
    if (folded.length === 0) return false;
    return foldedWithin(insight.start, insight.start + GROUNDING_SPAN_SECONDS).includes(folded);
  }

  /** Whether a match of `folded` at [from, to) begins and ends on word boundaries. */
  function onBoundaries(folded: string, from: number, to: number): boolean {
    const text = index.text;
    const startOk = from === 0 || text.charCodeAt(from - 1) === 32 || UNSPACED.test(folded.charAt(0));
    const endOk =
      to === text.length || text.charCodeAt(to) === 32 || UNSPACED.test(folded.charAt(folded.length - 1));
    return startOk && endOk;
  }

  function exactMatches(folded: string): Match[] {
    const found: Match[] = [];
    for (let at = index.text.indexOf(folded); at >= 0; at = index.text.indexOf(folded, at + 1)) {
      if (onBoundaries(folded, at, at + folded.length)) {
        found.push({ from: at, to: at + folded.length, score: 1 });
        if (found.length >= MAX_OCCURRENCES) break;
      }
    }
    return found;
  }

  /**
   * Fuzzy matches: spans of at most 1.3× the quote's words holding at least 85% of them in
   * order, every number of the quote among them and no other number. Found with a sliding
   * window of word counts, then an alignment (longest common subsequence) where it could hold.
   */
  function fuzzyMatches(folded: string, tier: Tier): Match[] {
    words ??= buildWords(index);
    const w = words;
    const quoteWords = folded.split(' ');
    const n = quoteWords.length;
    const need = Math.ceil(n * FUZZY_MIN_SHARE);
    const span = Math.max(n, Math.floor(n * FUZZY_MAX_SPAN));
    const q = quoteWords.map((word) => w.intern.get(word) ?? -1);
    const quoteNumbers = quoteWords.filter((word) => /\d/.test(word)).length;
    // A number the transcript never says cannot be matched: no fuzzy match then.
    if (q.some((id, i) => id < 0 && /\d/.test(quoteWords[i] as string))) return [];
    let present = 0;
    for (const id of q) if (id >= 0) present++;
    if (present < need) return [];

    // Word counts in a sliding window, against the quote's: typed arrays over the vocabulary,
    // reset after each quote (only the quote's words are ever touched).
    const vocabulary = w.intern.size;
    if (!counts || counts.want.length < vocabulary) {
      counts = { want: new Int32Array(vocabulary), have: new Int32Array(vocabulary) };
    }
    const { want, have } = counts;
    for (const id of q) if (id >= 0) want[id]!++;
    // The match begins with a matched word, and at most n - need quote words go unmatched: the
    // first word of a match is one of the quote's first n - need + 1 words.
    const starters = new Uint8Array(vocabulary);
    for (const id of q.slice(0, n - need + 1)) if (id >= 0) starters[id] = 1;
    const ids = w.ids;
    const total = ids.length;
    const lo = tier?.lo ?? 0;
    const hi = tier?.hi ?? total;
    let overlap = 0;
    const windowEnd = Math.min(total, lo + span);
    for (let p = lo; p < windowEnd; p++) {
      const id = ids[p] as number;
      if (want[id]! > 0 && have[id]!++ < want[id]!) overlap++;
    }

    const found: Match[] = [];
    let lastEnd = -1;
    for (let p = lo; p < hi; p++) {
      if (p > lo) {
        const out = ids[p - 1] as number;
        if (want[out]! > 0 && --have[out]! < want[out]!) overlap--;
        if (p + span - 1 < total) {
          const id = ids[p + span - 1] as number;
          if (want[id]! > 0 && have[id]!++ < want[id]!) overlap++;
        }
      }
      if (overlap < need || starters[ids[p] as number] === 0) continue;
      const m = align(q, w, p, Math.min(total, p + span), need, quoteNumbers);
      if (!m) continue;
      // Consecutive starts find the same place: keep the best of overlapping ones.
      const prev = found[found.length - 1];
      if (prev && m.fromWord <= lastEnd) {
        if (m.score > prev.score) found[found.length - 1] = toMatch(w, m);
      } else found.push(toMatch(w, m));
      lastEnd = Math.max(lastEnd, m.toWord);
    }
    for (const id of q) if (id >= 0) want[id] = 0;
    have.fill(0);
    return found;
  }

  /** The matches whose first character lies in a segment starting in [from, to]. */
  function within(matches: Match[], from: number, to: number): Match[] {
    return matches.filter((m) => {
      const s = startOf(segmentAt(index, m.from));
      return s >= from - EPSILON && s <= to + EPSILON;
    });
  }

  /** The word range of the segments starting in [from, to], for the fuzzy search. */
  function wordRange(from: number, to: number): Tier {
    words ??= buildWords(index);
    if (!index.sorted) return undefined;
    const range = segmentRange(from, to);
    if (!range) return { lo: 0, hi: 0 };
    const a = index.segFrom[range.a] as number;
    const b = index.segTo[range.b] as number;
    return { lo: lowerBound(words.from, a), hi: lowerBound(words.from, b + 1) };
  }

  /** The best of `matches` (score, then closeness to `near`), or 'ambiguous'. */
  function pick(matches: Match[], near: NearWindow | undefined): Match | 'ambiguous' | undefined {
    if (matches.length === 0) return undefined;
    const best = Math.max(...matches.map((m) => m.score));
    const top = matches.filter((m) => m.score === best);
    if (top.length === 1) return top[0];
    if (!near) return 'ambiguous';
    const distance = (m: Match): number => {
      const s = startOf(segmentAt(index, m.from));
      return s < near.from ? near.from - s : s > near.to ? s - near.to : 0;
    };
    top.sort((x, y) => distance(x) - distance(y) || x.from - y.from);
    const [first, second] = top;
    if (first && second && distance(first) === distance(second) && distance(first) > 0) return 'ambiguous';
    return first;
  }

  /** The transcript's own words for folded [from, to), and where they are. */
  function resolve(m: Match): GroundResult {
    const a = segmentAt(index, m.from);
    const b = segmentAt(index, m.to - 1);
    const startText = (segments[a] as Transcript['segments'][number]).text;
    const endText = (segments[b] as Transcript['segments'][number]).text;
    // Folded offsets back to the segments' own text (each segment folds on its own the same way).
    const origFrom = foldWithMap(startText).map[m.from - (index.segFrom[a] as number)] as number;
    const last = foldWithMap(endText).map[m.to - 1 - (index.segFrom[b] as number)] as number;
    // The last folded character may stand for a surrogate pair.
    let origTo = last + ((endText.codePointAt(last) ?? 0) > 0xffff ? 2 : 1);
    // Keep a sentence end or closing quote mark right after the last word.
    const closer = CLOSERS.exec(endText.slice(origTo, origTo + 4));
    if (closer) origTo += closer[0].length;
    let quote: string;
    if (a === b) quote = startText.slice(origFrom, origTo);
    else {
      const parts = [startText.slice(origFrom)];
      for (let i = a + 1; i < b; i++) parts.push((segments[i] as Transcript['segments'][number]).text);
      parts.push(endText.slice(0, origTo));
      quote = parts
        .map((p) => p.trim())
        .filter(Boolean)
        .join(' ');
    }
    quote = quote.trim();
    const segA = segments[a] as Transcript['segments'][number];
    const segB = segments[b] as Transcript['segments'][number];
    const result: GroundResult = { ok: true, start: segA.start, quote, segment: a };
    const end = segB.end ?? segB.start;
    if (Number.isFinite(end)) result.end = end;
    // The invariant, asserted: a match too long for the 90-second span is no match.
    return check(result) ? result : { ok: false, reason: 'not-found' };
  }

  function ground(quote: string, near?: NearWindow): GroundResult {
    const folded = typeof quote === 'string' ? foldForMatch(quote) : '';
    if (folded.length === 0) return { ok: false, reason: 'empty' };
    const hasNear = near !== undefined && Number.isFinite(near.from) && Number.isFinite(near.to);
    const win = hasNear
      ? { from: Math.min(near.from, near.to), to: Math.max(near.from, near.to) }
      : undefined;
    const tiers: (NearWindow | undefined)[] = win
      ? [win, { from: win.from - NEARBY_SECONDS, to: win.to + NEARBY_SECONDS }, undefined]
      : [undefined];

    const exact = exactMatches(folded);
    for (const tier of tiers) {
      const chosen = pick(tier ? within(exact, tier.from, tier.to) : exact, win);
      if (chosen === 'ambiguous') return { ok: false, reason: 'ambiguous' };
      if (chosen) {
        const r = resolve(chosen);
        if (r.ok) return r;
      }
    }
    if (exact.length > 0) return { ok: false, reason: 'not-found' };
    for (const tier of tiers) {
      const range = tier ? wordRange(tier.from, tier.to) : undefined;
      let fuzzy = fuzzyMatches(folded, range);
      if (tier) fuzzy = within(fuzzy, tier.from, tier.to);
      const chosen = pick(fuzzy, win);
      if (chosen === 'ambiguous') return { ok: false, reason: 'ambiguous' };
      if (chosen) {
        const r = resolve(chosen);
        if (r.ok) return r;
      }
    }
    return { ok: false, reason: 'not-found' };
  }

  return { ground, check };
}

function lowerBound(arr: Int32Array, value: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((arr[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The alignment table, reused between calls (alignments are small: quote × 1.3 quote). */
let scratch = new Int32Array(1024);

type Alignment = { fromWord: number; toWord: number; score: number };

/**
 * Aligns the quote's words `q` with the transcript's words [p, end) (longest common
 * subsequence), and accepts it when at least `need` words match, the match begins at p, and
 * every number is matched on both sides. Score: matched words, less a little for extra words.
 */
function align(
  q: readonly number[],
  w: Words,
  p: number,
  end: number,
  need: number,
  quoteNumbers: number,
): Alignment | undefined {
  const n = q.length;
  const m = end - p;
  const cols = m + 1;
  const size = (n + 1) * cols;
  if (scratch.length < size) scratch = new Int32Array(size * 2);
  const dp = scratch;
  dp.fill(0, 0, size);
  for (let i = 1; i <= n; i++) {
    const qi = q[i - 1] as number;
    for (let j = 1; j <= m; j++) {
      const k = i * cols + j;
      if (qi >= 0 && qi === w.ids[p + j - 1]) dp[k] = (dp[k - cols - 1] as number) + 1;
      else dp[k] = Math.max(dp[k - cols] as number, dp[k - 1] as number);
    }
  }
  // The shortest prefix of the window that reaches the best count: the span ends there.
  let best = 0;
  let bestJ = 0;
  for (let j = 1; j <= m; j++) {
    const v = dp[n * cols + j] as number;
    if (v > best) {
      best = v;
      bestJ = j;
    }
  }
  if (best < need) return undefined;
  // Walk back to find which transcript words matched.
  const matched = new Uint8Array(bestJ);
  let i = n;
  let j = bestJ;
  let matchedNumbers = 0;
  while (i > 0 && j > 0) {
    const k = i * cols + j;
    const qi = q[i - 1] as number;
    if (qi >= 0 && qi === w.ids[p + j - 1] && dp[k] === (dp[k - cols - 1] as number) + 1) {
      matched[j - 1] = 1;
      if (w.numeric[qi]) matchedNumbers++;
      i--;
      j--;
    } else if ((dp[k - cols] as number) >= (dp[k - 1] as number)) i--;
    else j--;
  }
  if (!matched[0]) return undefined;
  if (matchedNumbers !== quoteNumbers) return undefined;
  for (let t = 0; t < bestJ; t++) {
    if (!matched[t] && w.numeric[w.ids[p + t] as number]) return undefined;
  }
  const extra = bestJ - best;
  return { fromWord: p, toWord: p + bestJ - 1, score: best / n - extra * 0.001 };
}

function toMatch(w: Words, a: Alignment): Match {
  return { from: w.from[a.fromWord] as number, to: w.to[a.toWord] as number, score: a.score };
}

/** Grounds one quote (builds a grounder: for many quotes, use `createGrounder` once). */
export function groundQuote(transcript: Transcript, quote: string, near?: NearWindow): GroundResult {
  return createGrounder(transcript).ground(quote, near);
}

/** The contract check for one insight (for many, use `createGrounder(transcript).check`). */
export function satisfiesGrounding(
  transcript: Transcript,
  insight: Pick<Insight, 'quote' | 'start'>,
): boolean {
  return createGrounder(transcript).check(insight);
}
