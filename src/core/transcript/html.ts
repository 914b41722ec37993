// HTML transcripts as Buzzsprout and others publish them: `<cite>Speaker:</cite>`, then
// `<time>0:00</time>`, then the `<p>` said, repeated; a bare fragment or inside an
// `<html><body>` document (also with the `<cite>` and `<time>` inside the `<p>`). The speaker
// and time carry to the paragraphs after them until the next.
// Paragraphs before the first `<cite>` or `<time>` (a page heading) are not transcript and are
// left out; a page with no such structure at all (an error page) is 'unknown-format'. With
// speakers but no times, starts are estimated from word position as for plain text.
import type { Transcript } from '../types';
import { TranscriptError } from './errors';
import { normaliseLanguage } from './language';
import { parseMarkup } from './markup';
import { countWords, mergePieces, piece, WORDS_PER_SECOND, type Piece } from './segments';
import { dropDecodedTags, foldSpace } from './text';
import { ms, parseClock } from './time';

/** Elements whose text is never transcript. */
const SKIPPED = new Set(['script', 'style', 'head', 'title', 'noscript', 'template', 'svg']);

type Paragraph = { start?: number; speaker?: string; text: string };

function readParagraphs(body: string): { paragraphs: Paragraph[]; timed: boolean; language?: string } {
  const paragraphs: Paragraph[] = [];
  let skipping = 0;
  let mode: 'cite' | 'time' | 'p' | undefined;
  let inParagraph = false;
  let buffer: string[] = [];
  let datetime: string | undefined;
  let speaker: string | undefined;
  let start: number | undefined;
  let structured = false;
  let timed = false;
  let language: string | undefined;

  const close = (): void => {
    const text = foldSpace(dropDecodedTags(buffer.join('')));
    buffer = [];
    if (mode === 'cite') {
      speaker = text.replace(/\s*:$/, '') || undefined;
      structured = true;
    } else if (mode === 'time') {
      const t = parseClock(text) ?? (datetime ? parseClock(datetime) : undefined);
      if (t !== undefined) {
        start = t;
        structured = true;
        timed = true;
      }
    } else if (mode === 'p' && structured && text) {
      const paragraph: Paragraph = { text };
      if (start !== undefined) paragraph.start = start;
      if (speaker !== undefined) paragraph.speaker = speaker;
      paragraphs.push(paragraph);
    }
    mode = undefined;
  };

  parseMarkup(
    body,
    {
      onopentag(name, attribs) {
        if (name === 'html' && attribs.lang) language = normaliseLanguage(attribs.lang);
        if (SKIPPED.has(name)) skipping++;
        if (skipping > 0) return;
        if (name === 'cite' || name === 'time' || name === 'p') {
          if (mode) close();
          if (name === 'p') inParagraph = true;
          mode = name;
          datetime = attribs.datetime;
        } else if (mode && name === 'br') {
          buffer.push(' ');
        }
      },
      ontext(text) {
        if (mode && skipping === 0) buffer.push(text);
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) {
          if (skipping > 0) skipping--;
          return;
        }
        if (skipping > 0) return;
        if (name === mode) close();
        if (name === 'p') inParagraph = false;
        // `<p><cite>Ann:</cite> <time>0:05</time> Hello.</p>`: the words after them are the paragraph.
        else if (inParagraph && mode === undefined && (name === 'cite' || name === 'time')) mode = 'p';
      },
    },
    false,
  );
  if (mode) close();
  const out: { paragraphs: Paragraph[]; timed: boolean; language?: string } = { paragraphs, timed };
  if (language) out.language = language;
  return out;
}

export function parseHtml(body: string): Transcript {
  const { paragraphs, timed, language } = readParagraphs(body);
  if (paragraphs.length === 0) {
    throw new TranscriptError('unknown-format', 'The body is an HTML page with no transcript in it.');
  }
  let words = 0;
  let last = 0;
  const pieces: Piece[] = paragraphs.map((p) => {
    // Untimed: estimated from word position; timed: a paragraph before the first time takes 0.
    const start = timed ? (p.start ?? last) : ms(words / WORDS_PER_SECOND);
    last = start;
    words += countWords(p.text);
    const one = piece(start, p.text, true);
    one.brk = true;
    if (p.speaker !== undefined) one.speaker = p.speaker;
    return one;
  });
  const transcript: Transcript = { format: 'html', timed, segments: mergePieces(pieces) };
  if (language) transcript.language = language;
  return transcript;
}
