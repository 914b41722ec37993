// Podcasting 2.0 JSON transcripts: `{ version, segments: [{ speaker, startTime, endTime, body }] }`.
// Publishers fill `segments` with anything from whole lines (Buzzsprout: two per caption, with
// the same times) to single words, sometimes with separate white-space (" ") and punctuation
// (",") segments. All are merged into sentence-sized segments (segments.ts).
//
// Spacing: when the file spells white space out (a " " segment, or a body starting or ending
// with a space), it is followed exactly: a body with no white space before it is glued to the
// previous one ("2023" + "." = "2023."). Otherwise words are joined with single spaces, a
// closing-punctuation body ("," "." "?!") attaches to the previous word and an opening one
// ("(" "“") to the next.
//
// Consecutive line segments with the same start, end and speaker (Buzzsprout splits each caption
// in two that way) are read as the one caption they are.
import type { Transcript } from '../types';
import { TranscriptError } from './errors';
import { isPunctuation, Merger, mergePieces, piece, type Piece } from './segments';
import { cleanCueText, foldSpace } from './text';
import { MAX_SECONDS, ms } from './time';

/** Opening brackets and quotes, which attach to the word after them. */
const OPENING = /^[(["“‘¿¡«]+$/;
/** Closing punctuation, which attaches to the word before it ("&" or "—" stand apart). */
const CLOSING = /^[.,;:!?…%)\]}"'”’»。、，！？]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function seconds(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(n) && n <= MAX_SECONDS ? ms(Math.max(0, n)) : undefined;
}

/** A body with no markup, no entity and no white space (most bodies of word-level files). */
function isPlainWord(body: string): boolean {
  if (body.length === 0) return false;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c <= 32 || c === 38 /* & */ || c === 60 /* < */ || c === 160 || c >= 0x1680) return false;
  }
  return true;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 160;
}

/** Whether a parsed JSON value has the Podcasting 2.0 transcript shape. */
export function isPodcastJson(value: unknown): value is { segments: unknown[] } {
  return isRecord(value) && Array.isArray(value.segments);
}

/**
 * Whether the file writes its spacing out (a " " segment, or a body starting or ending with one).
 * Such files do it between every two words, so the first thousand segments tell.
 */
function spellsOutSpacing(segments: readonly unknown[]): boolean {
  const n = Math.min(segments.length, 1000);
  for (let i = 0; i < n; i++) {
    const item = segments[i];
    if (typeof item !== 'object' || item === null) continue;
    const body = (item as Record<string, unknown>).body;
    if (typeof body !== 'string' || body.length === 0) continue;
    if (isSpace(body.charCodeAt(0)) || isSpace(body.charCodeAt(body.length - 1))) return true;
  }
  return false;
}

/** Whether the segments' starts never go back (nearly always): the pieces can then be streamed. */
function inTimeOrder(segments: readonly unknown[]): boolean {
  let last = 0;
  for (const item of segments) {
    if (typeof item !== 'object' || item === null) continue;
    const s = item as Record<string, unknown>;
    if (typeof s.body !== 'string') continue;
    const time = s.startTime;
    const start =
      typeof time === 'number' && time >= 0 && time <= MAX_SECONDS ? time : (seconds(time) ?? last);
    if (start < last) return false;
    last = start;
  }
  return true;
}

export function parsePodcastJson(value: { segments: unknown[] }): Transcript {
  const segments = value.segments;
  const explicit = spellsOutSpacing(segments);
  // Word-level files hold tens of thousands of segments: in time order (the usual case) their
  // pieces stream into the merger through two reused objects, so no piece is allocated.
  const ordered = inTimeOrder(segments);
  const merger = new Merger();
  const collected: Piece[] = [];
  const emit = (p: Piece): void => {
    if (ordered) merger.push(p);
    else collected.push({ ...p });
  };
  const slots = [piece(0, ''), piece(0, '')];
  let held: Piece | undefined; // the last piece, held back in case the next one pairs with it
  let count = 0;

  let bodies = 0;
  let lastStart = 0;
  let spaceBefore = true; // explicit mode: was there white space since the last piece?
  let opening = false; // implicit mode: the last piece was an opening bracket or quote
  let rawSpeaker: string | undefined; // the last speaker seen, and its folded form
  let speaker: string | undefined;
  for (const item of segments) {
    if (typeof item !== 'object' || item === null) continue;
    const s = item as Record<string, unknown>;
    const raw = s.body;
    if (typeof raw !== 'string') continue;
    bodies++;
    const plain = isPlainWord(raw);
    const text = plain ? raw : cleanCueText(raw).text;
    if (text.length === 0) {
      spaceBefore = true;
      continue;
    }
    const start = seconds(s.startTime) ?? lastStart;
    lastStart = start;
    const end = seconds(s.endTime);
    if (typeof s.speaker === 'string' && s.speaker !== rawSpeaker) {
      rawSpeaker = s.speaker;
      speaker = foldSpace(rawSpeaker) || undefined;
    } else if (typeof s.speaker !== 'string') {
      rawSpeaker = undefined;
      speaker = undefined;
    }
    const one = slots[count & 1] as Piece; // never the held one
    one.start = start;
    one.end = end !== undefined && end >= start ? end : undefined;
    one.text = text;
    one.speaker = speaker;
    one.soft = !plain && text.includes(' '); // a line, not a word: a natural place to break
    one.brk = false;
    one.glue = false;
    if (explicit) {
      if (!spaceBefore && !isSpace(raw.charCodeAt(0)) && count > 0) one.glue = true;
      spaceBefore = isSpace(raw.charCodeAt(raw.length - 1));
    } else if (opening) {
      one.glue = true;
    }
    const punctuation = isPunctuation(text);
    if (!explicit && punctuation && CLOSING.test(text)) one.glue = true;
    opening = !explicit && punctuation && OPENING.test(text);
    // Buzzsprout writes each caption as two segments with the same times: one piece again.
    if (
      held?.soft &&
      one.soft &&
      !explicit &&
      held.start === one.start &&
      held.end === one.end &&
      held.speaker === one.speaker
    ) {
      held.text += ` ${text}`;
      continue;
    }
    if (held) emit(held);
    held = one;
    count++;
  }
  if (held) emit(held);
  if (segments.length > 0 && bodies === 0) {
    throw new TranscriptError('malformed', 'The JSON transcript has segments but none with a body.');
  }
  return { format: 'json', timed: true, segments: ordered ? merger.finish() : mergePieces(collected) };
}
