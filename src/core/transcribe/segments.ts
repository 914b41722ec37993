// Segments from a speech-to-text engine, made into one episode's transcript: times estimated
// when a service gives text only, moved from piece time to episode time, and the pieces joined
// (in time order, with the repeats Whisper makes at a piece's edges and in silence removed).
import type { Segment } from '../types';

/** A sentence longer than this is cut into parts, so a paragraph without stops still gets times. */
const MAX_WORDS = 40;

/**
 * Times for a text that came without them: one segment a sentence, spread over the piece by
 * character count (speech runs at a roughly even rate of characters a second).
 */
export function estimateSegments(text: string, durationSeconds: number): Segment[] {
  const sentences = splitSentences(text);
  const total = sentences.reduce((n, s) => n + s.length, 0);
  if (total === 0) return [];
  const duration = Number.isFinite(durationSeconds) && durationSeconds > 0 ? durationSeconds : 0;
  const out: Segment[] = [];
  let before = 0;
  for (const sentence of sentences) {
    const start = (duration * before) / total;
    before += sentence.length;
    const end = (duration * before) / total;
    out.push({ start: round(start), end: round(end), text: sentence });
  }
  return out;
}

function splitSentences(text: string): string[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return [];
  // A space after a stop (. ! ? …, maybe closing a quote) ends a sentence; "3.5" does not.
  const sentences = flat.split(/(?<=[.!?…。！？]["'”’)\]]*)\s+/);
  const out: string[] = [];
  for (const raw of sentences) {
    const words = raw.trim().split(' ').filter(Boolean);
    for (let i = 0; i < words.length; i += MAX_WORDS) out.push(words.slice(i, i + MAX_WORDS).join(' '));
  }
  return out.filter((s) => s.length > 0);
}

/** Piece-relative segments made episode-absolute: every time moved by `start` seconds. */
export function offsetSegments(segments: readonly Segment[], start: number): Segment[] {
  return segments.map((s) => ({
    ...s,
    start: round(s.start + start),
    ...(s.end !== undefined ? { end: round(s.end + start) } : {}),
  }));
}

/** Whisper loops on one line in silence and music; this many in a row is a loop, not speech. */
const LOOP_RUN = 3;

/**
 * One transcript from the pieces (their segments already episode-absolute, see offsetSegments),
 * whatever order they were transcribed in: sorted by time; a segment that repeats the previous
 * one's text exactly across a piece boundary is dropped (a word said on the cut is heard by both
 * pieces); a line repeated LOOP_RUN or more times in a row is kept once, as Whisper's
 * hallucinated loops are. Two in a row inside a piece stay ("No. No.").
 */
export function mergePieces(pieces: readonly { index: number; segments: readonly Segment[] }[]): Segment[] {
  const tagged = [...pieces]
    .sort((a, b) => a.index - b.index)
    .flatMap((p) => p.segments.map((segment) => ({ piece: p.index, segment })));
  // Stable: segments at the same start keep their piece's order.
  tagged.sort((a, b) => a.segment.start - b.segment.start || a.piece - b.piece);

  // Runs of the same text (LOOP_RUN or more, across pieces too) kept as their first segment.
  const unlooped: typeof tagged = [];
  for (let i = 0; i < tagged.length;) {
    let j = i + 1;
    while (j < tagged.length && sameText(tagged[i]!.segment, tagged[j]!.segment)) j++;
    unlooped.push(...(j - i >= LOOP_RUN ? [tagged[i]!] : tagged.slice(i, j)));
    i = j;
  }
  const merged: Segment[] = [];
  let prev: (typeof tagged)[number] | undefined;
  for (const item of unlooped) {
    const repeat = prev && prev.piece !== item.piece && sameText(prev.segment, item.segment);
    prev = item;
    if (!repeat) merged.push(item.segment);
  }
  return merged;
}

/** The same words: exactly, apart from spacing and case. */
const sameText = (a: Segment, b: Segment): boolean => key(a.text) === key(b.text) && key(a.text) !== '';
const key = (text: string): string => text.replace(/\s+/g, ' ').trim().toLowerCase();

/** Milliseconds are all a transcript needs; no 119.99999999 from float sums. */
const round = (seconds: number): number => Math.round(seconds * 1000) / 1000;
