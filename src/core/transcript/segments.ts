// Pieces of timed text (a cue, a caption line, a paragraph, a single word) merged into readable
// Segments of about a sentence. Every format ends here, so every Transcript follows one rule:
//
// - a segment closes after a sentence end (`.` `?` `!` `…`, not after "Mr." and the like), at a
//   speaker change or a `>>` turn, before a pause longer than 1.5 s, and before it would pass
//   40 words or 25 seconds;
// - a piece that ends at a natural break (`soft`: a cue or caption line) also closes it once the
//   segment has 12 words, so a file of fragmentary cues gives ~1-2 cues a segment while
//   keeping each cue's published time;
// - a single piece longer than 40 words (an HTML paragraph, a long cue) is split at its sentence
//   ends; the parts after the first get starts interpolated by word position between the
//   piece's start and its end (or the next piece's start, or 150 words a minute). They are
//   estimates inside a published span, never text that was not there;
// - punctuation-only pieces ("," "." in word-level files) attach to the previous word with no
//   space; segments with no letter or digit are dropped; times are kept to the millisecond.
import type { Segment } from '../types';
import { ms } from './time';

export type Piece = {
  start: number;
  end?: number;
  /** Clean text: no markup, white space folded. */
  text: string;
  speaker?: string;
  /** A natural break follows (the end of a cue or caption line). */
  soft?: boolean;
  /** Starts a new segment whatever else (a paragraph, a `>>` turn). */
  brk?: boolean;
  /** Joins the previous piece without a space (punctuation, the rest of a split word). */
  glue?: boolean;
};

/**
 * A piece with every field present, so that all pieces share one object shape (the merge loop
 * then stays monomorphic: it runs once a word for word-level files).
 */
export function piece(start: number, text: string, soft = false): Piece {
  return { start, end: undefined, text, speaker: undefined, soft, brk: false, glue: false };
}

export type MergeLimits = { maxWords: number; maxSeconds: number; maxPause: number; softWords: number };

export const LIMITS: MergeLimits = { maxWords: 40, maxSeconds: 25, maxPause: 1.5, softWords: 12 };

/** Speaking rate used when a time must be estimated from word position: 150 words a minute. */
export const WORDS_PER_SECOND = 2.5;

/** . ? ! … 。 ？ ！ */
function isSentenceEnd(code: number): boolean {
  return (
    code === 46 ||
    code === 63 ||
    code === 33 ||
    code === 0x2026 ||
    code === 0x3002 ||
    code === 0xff1f ||
    code === 0xff01
  );
}
/** " ' ” ’ ) ] » } after a sentence end. */
function isCloser(code: number): boolean {
  return (
    code === 34 ||
    code === 39 ||
    code === 41 ||
    code === 93 ||
    code === 125 ||
    code === 0xbb ||
    code === 0x201d ||
    code === 0x2019
  );
}
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'jr', 'sr', 'vs', 'e.g', 'i.e', 'ca']);
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Words in folded text (one space between words). */
export function countWords(text: string): number {
  if (text.length === 0) return 0;
  let n = 1;
  for (let i = text.indexOf(' '); i >= 0; i = text.indexOf(' ', i + 1)) n++;
  return n;
}

/** Whether folded `text` ends a sentence. */
export function endsSentence(text: string): boolean {
  let i = text.length - 1;
  while (i >= 0 && isCloser(text.charCodeAt(i))) i--;
  if (i < 0 || !isSentenceEnd(text.charCodeAt(i))) return false;
  if (text.charCodeAt(i) !== 46) return true;
  const from = text.lastIndexOf(' ', i) + 1;
  if (i - from > 4) return true; // longer than any abbreviation below
  let word = text.slice(from, i).toLowerCase();
  while (word.length > 0 && !LETTER_OR_DIGIT.test(word.charAt(0))) word = word.slice(1);
  return !ABBREVIATIONS.has(word);
}

/** Text made only of punctuation or symbols (no letter, no digit). */
export function isPunctuation(text: string): boolean {
  if (text.length === 0) return false;
  const c = text.charCodeAt(0);
  // Fast path: most words start with an ASCII letter or digit.
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)) return false;
  return !LETTER_OR_DIGIT.test(text);
}

/** Splits one over-long piece at sentence ends (or every maxWords words), interpolating starts. */
function splitLong(whole: Piece, words: string[], nextStart: number | undefined, maxWords: number): Piece[] {
  const total = words.length;
  // Interpolate up to the piece's end, or the next piece's start if sooner (overlapping cues):
  // the parts must not start after the piece that follows.
  let bound = whole.end;
  if (nextStart !== undefined && nextStart >= whole.start && (bound === undefined || nextStart < bound)) {
    bound = nextStart;
  }
  const span = (bound ?? whole.start + total / WORDS_PER_SECOND) - whole.start;
  const groups: { from: number; to: number }[] = [];
  let from = 0;
  for (let i = 0; i < total; i++) {
    // Never cut before a lone punctuation mark ("podcast . Now"): it belongs to this group.
    if (isPunctuation(words[i + 1] ?? '')) continue;
    if (i + 1 - from >= maxWords || endsSentence(words[i] ?? '')) {
      groups.push({ from, to: i + 1 });
      from = i + 1;
    }
  }
  if (from < total) groups.push({ from, to: total });
  const parts: Piece[] = groups.map((g, k) => {
    const part = piece(
      k === 0 ? whole.start : ms(whole.start + (span * g.from) / total),
      words.slice(g.from, g.to).join(' '),
    );
    if (whole.speaker !== undefined) part.speaker = whole.speaker;
    if (k === 0 && whole.brk) part.brk = true;
    if (k === 0 && whole.glue) part.glue = true;
    if (k === groups.length - 1 && whole.soft) part.soft = true;
    return part;
  });
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k] as Piece;
    const next = parts[k + 1];
    // Ends only inside a published span: a piece without an end gives parts without one.
    if (whole.end !== undefined) part.end = next ? next.start : whole.end;
  }
  return parts;
}

function byStart(a: Piece, b: Piece): number {
  return a.start - b.start;
}

/**
 * Merges pieces, given in order of start, into sentence-sized segments (see the file header).
 * `push` copies what it needs and keeps no reference to the piece, so a caller streaming many
 * pieces (a word-level file) may reuse one object for all of them.
 */
export class Merger {
  private readonly out: Segment[] = [];
  private open = false;
  private text = '';
  private wordy = false; // whether the open segment has a letter or digit yet
  private start = 0;
  private end: number | undefined;
  private lastEnd = 0;
  private speaker: string | undefined;
  private words = 0;
  private tail = ''; // the last word piece and what was glued to it, to find sentence ends
  /** An over-long piece waiting for the next piece's start, which bounds its interpolation. */
  private long: Piece | undefined;

  constructor(private readonly limits: MergeLimits = LIMITS) {}

  push(p: Piece): void {
    if (this.long) this.split(p.start);
    if (p.text.length === 0) return;
    if (p.glue && isPunctuation(p.text)) {
      if (this.open) {
        this.add(p, 0);
      } else {
        const prev = this.out[this.out.length - 1];
        if (prev && prev.speaker === p.speaker) prev.text += p.text;
      }
      return;
    }
    const n = countWords(p.text);
    if (n <= this.limits.maxWords) this.take(p, n);
    else this.long = { ...p };
  }

  finish(): Segment[] {
    if (this.long) this.split(undefined);
    this.flush();
    const out = this.out;
    // Sorted by construction; kept true whatever a bug or a strange file might do.
    for (let i = 1; i < out.length; i++) {
      if ((out[i] as Segment).start < (out[i - 1] as Segment).start)
        return out.sort((a, b) => a.start - b.start);
    }
    return out;
  }

  private split(nextStart: number | undefined): void {
    const whole = this.long as Piece;
    this.long = undefined;
    for (const part of splitLong(whole, whole.text.split(' '), nextStart, this.limits.maxWords)) {
      this.take(part, countWords(part.text));
    }
  }

  private flush(): void {
    if (!this.open) return;
    this.open = false;
    if (!this.wordy) return;
    const segment: Segment = { start: this.start, text: this.text };
    if (this.end !== undefined && this.end >= this.start) segment.end = this.end;
    if (this.speaker !== undefined) segment.speaker = this.speaker;
    this.out.push(segment);
  }

  private take(p: Piece, n: number): void {
    const limits = this.limits;
    if (
      this.open &&
      (p.brk ||
        p.speaker !== this.speaker ||
        p.start - this.lastEnd > limits.maxPause ||
        this.words + n > limits.maxWords ||
        (p.end ?? p.start) - this.start > limits.maxSeconds)
    ) {
      this.flush();
    }
    this.add(p, n);
  }

  private add(p: Piece, n: number): void {
    if (!this.open) {
      this.open = true;
      this.start = p.start;
      this.end = undefined;
      this.lastEnd = p.start;
      this.speaker = p.speaker;
      this.words = 0;
      this.wordy = false;
      this.text = p.text;
      this.tail = p.text;
    } else if (p.glue) {
      this.text += p.text;
      this.tail += p.text;
    } else {
      this.text += ` ${p.text}`;
      this.tail = p.text;
    }
    if (!this.wordy) this.wordy = !isPunctuation(p.text);
    this.words += n;
    if (p.end !== undefined && (this.end === undefined || p.end > this.end)) this.end = p.end;
    const reach = p.end ?? p.start;
    if (reach > this.lastEnd) this.lastEnd = reach;
    if (endsSentence(this.tail) || (p.soft && this.words >= this.limits.softWords)) this.flush();
  }
}

/** Merges pieces into sentence-sized segments (see the file header). Pieces need not be sorted. */
export function mergePieces(input: readonly Piece[], limits: MergeLimits = LIMITS): Segment[] {
  let pieces = input;
  for (let i = 1; i < pieces.length; i++) {
    if ((pieces[i] as Piece).start < (pieces[i - 1] as Piece).start) {
      pieces = [...input].sort(byStart); // stable: equal starts keep their order
      break;
    }
  }
  const merger = new Merger(limits);
  for (const p of pieces) merger.push(p);
  return merger.finish();
}
