// YouTube captions in the three shapes the timedtext endpoint serves: json3
// (`{ events: [{ tStartMs, dDurationMs, segs: [{ utf8, tOffsetMs }] }] }`), srv3
// (`<timedtext format="3"><body><p t d><s t>…</s></p>`) and srv1
// (`<transcript><text start dur>…</text>`, whose text is entity-encoded twice: `&amp;#39;`).
// srv3 and srv1 are read into json3's event shape, then all three go one way:
// - an event whose segs carry word offsets (automatic captions) gives one piece a word, merged
//   into sentence-sized segments; its words are glued or spaced as the segs spell it;
// - any other event (a caption line) is one piece;
// - events without segs and "\n"-only segs (the window's line breaks) are skipped.
import type { Transcript } from '../types';
import { TranscriptError } from './errors';
import { parseMarkup } from './markup';
import { mergePieces, piece, type Piece } from './segments';
import { cleanCueText, foldSpace, speakerChangeMark } from './text';
import { MAX_SECONDS, ms } from './time';

type Seg = { utf8: string; tOffsetMs?: number };
type CaptionEvent = { tStartMs: number; dDurationMs?: number; segs: Seg[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Milliseconds from a time field or attribute (`scale` 1000 for srv1's seconds), or undefined when
 * it is no time or past MAX_SECONDS (the sums of such times overflow to Infinity).
 */
function millis(value: unknown, scale = 1): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(n) && n >= 0 && n * scale <= MAX_SECONDS * 1000 ? n * scale : undefined;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 160;
}

/** Whether a parsed JSON value is YouTube json3 captions. */
export function isJson3(value: unknown): value is { events: unknown[] } {
  return isRecord(value) && Array.isArray(value.events);
}

function eventsFromJson3(value: { events: unknown[] }): CaptionEvent[] {
  const events: CaptionEvent[] = [];
  for (const e of value.events) {
    if (!isRecord(e) || !Array.isArray(e.segs)) continue;
    const tStartMs = millis(e.tStartMs);
    if (tStartMs === undefined) continue;
    const segs: Seg[] = [];
    for (const s of e.segs) {
      if (!isRecord(s) || typeof s.utf8 !== 'string') continue;
      const seg: Seg = { utf8: s.utf8 };
      const offset = millis(s.tOffsetMs);
      if (offset !== undefined) seg.tOffsetMs = offset;
      segs.push(seg);
    }
    const event: CaptionEvent = { tStartMs, segs };
    const duration = millis(e.dDurationMs);
    if (duration !== undefined) event.dDurationMs = duration;
    events.push(event);
  }
  return events;
}

function toTranscript(all: readonly CaptionEvent[]): Transcript {
  const events = all.filter((e) => e.segs.some((s) => s.utf8.trim().length > 0));
  const pieces: Piece[] = [];
  for (let k = 0; k < events.length; k++) {
    const e = events[k] as CaptionEvent;
    const next = events[k + 1];
    let endMs = e.dDurationMs !== undefined ? e.tStartMs + e.dDurationMs : undefined;
    const words = e.segs.some((s) => s.tOffsetMs !== undefined);
    if (!words) {
      const clean = cleanCueText(e.segs.map((s) => s.utf8).join(''));
      const turn = speakerChangeMark(clean.text);
      const one = piece(ms(e.tStartMs / 1000), turn.text, true);
      if (endMs !== undefined) one.end = ms(endMs / 1000);
      if (turn.mark) one.brk = true;
      pieces.push(one);
      continue;
    }
    // Automatic captions: an event stays on screen while the next is spoken; it ends there.
    if (next && (endMs === undefined || next.tStartMs < endMs)) endMs = Math.max(e.tStartMs, next.tStartMs);
    let spaceBefore = true;
    const first = pieces.length;
    for (let i = 0; i < e.segs.length; i++) {
      const seg = e.segs[i] as Seg;
      const text =
        seg.utf8.includes('<') || seg.utf8.includes('&') ? cleanCueText(seg.utf8).text : foldSpace(seg.utf8);
      if (text.length === 0) {
        spaceBefore = true;
        continue;
      }
      const one = piece(ms((e.tStartMs + (seg.tOffsetMs ?? 0)) / 1000), text);
      if (pieces.length > first && !spaceBefore && !isSpace(seg.utf8.charCodeAt(0))) one.glue = true;
      spaceBefore = isSpace(seg.utf8.charCodeAt(seg.utf8.length - 1));
      pieces.push(one);
    }
    for (let i = first; i < pieces.length; i++) {
      const word = pieces[i] as Piece;
      const after = pieces[i + 1];
      if (after) word.end = Math.max(word.start, after.start);
      else if (endMs !== undefined) word.end = Math.max(word.start, ms(endMs / 1000));
    }
    const last = pieces[pieces.length - 1];
    if (last && pieces.length > first) last.soft = true;
  }
  return { format: 'youtube', timed: true, segments: mergePieces(pieces) };
}

export function parseJson3(value: { events: unknown[] }): Transcript {
  return toTranscript(eventsFromJson3(value));
}

/** srv3 (`<p t d>` in milliseconds, `<s t>` offsets) or srv1 (`<text start dur>` in seconds). */
export function parseTimedTextXml(body: string): Transcript {
  const events: CaptionEvent[] = [];
  let event: CaptionEvent | undefined;
  let seg: Seg | undefined;
  let scale = 1;
  parseMarkup(
    body,
    {
      onopentag(name, attribs) {
        if (name === 'p' || name === 'text') {
          scale = name === 'p' ? 1 : 1000; // srv1 counts seconds
          const start = millis(name === 'p' ? attribs.t : attribs.start, scale);
          const duration = millis(name === 'p' ? attribs.d : attribs.dur, scale);
          event = start === undefined ? undefined : { tStartMs: start, segs: [] };
          if (event && duration !== undefined) event.dDurationMs = duration;
          seg = undefined;
        } else if (name === 's' && event) {
          seg = { utf8: '' };
          const offset = millis(attribs.t);
          if (offset !== undefined) seg.tOffsetMs = offset;
          event.segs.push(seg);
        } else if (name === 'br' && event) {
          if (seg) seg.utf8 += '\n';
          else event.segs.push({ utf8: '\n' });
        }
      },
      ontext(text) {
        if (!event) return;
        if (seg) {
          seg.utf8 += text;
        } else {
          const last = event.segs[event.segs.length - 1];
          if (last && last.tOffsetMs === undefined && event.segs.length === 1) last.utf8 += text;
          else event.segs.push({ utf8: text });
        }
      },
      onclosetag(name) {
        if (name === 's') seg = undefined;
        else if ((name === 'p' || name === 'text') && event) {
          events.push(event);
          event = undefined;
        }
      },
    },
    true,
  );
  if (events.length === 0) {
    throw new TranscriptError('malformed', 'The YouTube caption file has no timed text.');
  }
  return toTranscript(events);
}
