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
import { isPunctuation, mergePieces, piece, type Piece } from './segments';
import { cleanCueText, foldSpace } from './text';
import { ms } from './time';

/** Opening brackets and quotes, which attach to the word after them. */
const OPENING = /^[(["“‘¿¡«]+$/;
/** Closing punctuation, which attaches to the word before it ("&" or "—" stand apart). */
const CLOSING = /^[.,;:!?…%)\]}"'”’»。、，！？]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function seconds(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? ms(Math.max(0, n)) : undefined;
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

export function parsePodcastJson(value: { segments: unknown[] }): Transcript {
  const segments = value.segments;
  let explicit = false;
  for (const s of segments) {
    if (!isRecord(s) || typeof s.body !== 'string' || s.body.length === 0) continue;
    if (isSpace(s.body.charCodeAt(0)) || isSpace(s.body.charCodeAt(s.body.length - 1))) {
      explicit = true;
      break;
    }
  }

  const pieces: Piece[] = [];
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
    const text = isPlainWord(raw) ? raw : cleanCueText(raw).text;
    if (text.length === 0) {
      spaceBefore = true;
      continue;
    }
    const start = seconds(s.startTime) ?? lastStart;
    lastStart = start;
    const one = piece(start, text);
    const end = seconds(s.endTime);
    if (end !== undefined && end >= start) one.end = end;
    if (typeof s.speaker === 'string') {
      if (s.speaker !== rawSpeaker) {
        rawSpeaker = s.speaker;
        speaker = foldSpace(rawSpeaker) || undefined;
      }
      if (speaker) one.speaker = speaker;
    }
    if (text.includes(' ')) one.soft = true; // a line, not a word: a natural place to break
    if (explicit) {
      if (!spaceBefore && !isSpace(raw.charCodeAt(0)) && pieces.length > 0) one.glue = true;
      spaceBefore = isSpace(raw.charCodeAt(raw.length - 1));
    } else if (opening) {
      one.glue = true;
    }
    const punctuation = isPunctuation(text);
    if (!explicit && punctuation && CLOSING.test(text)) one.glue = true;
    opening = !explicit && punctuation && OPENING.test(text);
    // Buzzsprout writes each caption as two segments with the same times: one piece again.
    const prev = pieces[pieces.length - 1];
    if (
      prev?.soft &&
      one.soft &&
      !explicit &&
      prev.start === one.start &&
      prev.end === one.end &&
      prev.speaker === one.speaker
    ) {
      prev.text += ` ${text}`;
      continue;
    }
    pieces.push(one);
  }
  if (segments.length > 0 && bodies === 0) {
    throw new TranscriptError('malformed', 'The JSON transcript has segments but none with a body.');
  }
  return { format: 'json', timed: true, segments: mergePieces(pieces) };
}
