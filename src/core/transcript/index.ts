// parseTranscript: any transcript body (WebVTT, SRT, Podcasting 2.0 JSON, HTML, plain text,
// YouTube json3/srv3/srv1) to one clean Transcript (DESIGN.md section 4).
//
// The format is sniffed from the content, because the declared type is often wrong (feeds say
// `application/srt` for SRT and for WebVTT alike); the hint only breaks ties (a file of cue
// timings with no WEBVTT signature and no SRT comma is labelled 'vtt' if declared so) and gives
// the language when the file names none. Whatever the input, the only exception thrown is
// TranscriptError, and all work is linear in the input, which is capped at 10 MB of text.
import type { Transcript } from '../types';
import { TranscriptError } from './errors';
import { parseHtml } from './html';
import { isPodcastJson, parsePodcastJson } from './json';
import { normaliseLanguage } from './language';
import { parsePlainText } from './plain';
import { parseSrt } from './srt';
import { parseTiming } from './time';
import { looksLikeVtt, parseVtt } from './vtt';
import { isJson3, parseJson3, parseTimedTextXml } from './youtube';

export { TranscriptError, type TranscriptErrorCode } from './errors';
export { normaliseLanguage } from './language';

export type TranscriptHint = { type?: string; url?: string; language?: string };

/** Bodies above this many characters are refused ('too-large'): 10 MB of text. */
export const MAX_TRANSCRIPT_CHARS = 10 * 1024 * 1024;

type Kind = 'json' | 'vtt' | 'cues' | 'timedtext' | 'html' | 'text';

/** Whether a cue timing line ("… --> …") appears among the first arrows of the body. */
function hasCueTiming(body: string): boolean {
  let at = body.indexOf('-->');
  for (let tries = 0; at >= 0 && tries < 50; tries++) {
    const from = body.lastIndexOf('\n', at) + 1;
    let to = body.indexOf('\n', at);
    if (to < 0) to = body.length;
    if (to - from < 200 && parseTiming(body.slice(from, to).trim())) return true;
    at = body.indexOf('-->', at + 3);
  }
  return false;
}

/** NUL, or many control characters or U+FFFD (bytes that were not text) in the first 4 kB. */
function looksBinary(body: string): boolean {
  const n = Math.min(body.length, 4096);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = body.charCodeAt(i);
    if (c === 0) return true;
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd || (c >= 0x7f && c < 0xa0)) bad++;
  }
  return bad > n * 0.05;
}

function sniff(head: string): Kind {
  const first = head.charAt(0);
  if (first === '{' || first === '[') return 'json';
  if (looksLikeVtt(head)) return 'vtt';
  if (first === '<') {
    const start = head.slice(0, 2048).toLowerCase();
    if (start.includes('<timedtext') || (start.includes('<transcript') && start.includes('<text'))) {
      return 'timedtext';
    }
    if (/<tt[\s>]/.test(start)) {
      throw new TranscriptError('unknown-format', 'TTML (DFXP) transcripts are not supported.');
    }
    return 'html';
  }
  if (hasCueTiming(head)) return 'cues';
  if (looksBinary(head)) {
    throw new TranscriptError('unknown-format', 'The body looks like binary data, not a transcript.');
  }
  return 'text';
}

/**
 * The label of a file of cues with no WEBVTT signature: SRT, unless it was declared WebVTT
 * (type or URL) and nothing in it is SRT's own (a comma before the milliseconds).
 */
function cuesFormat(head: string, hint: TranscriptHint): 'srt' | 'vtt' {
  const declared = (hint.type && /vtt/i.test(hint.type)) || (hint.url && /\.vtt(?:$|[?#])/i.test(hint.url));
  if (!declared) return 'srt';
  const arrow = head.indexOf('-->');
  const lineEnd = head.indexOf('\n', arrow);
  const line = head.slice(head.lastIndexOf('\n', arrow) + 1, lineEnd < 0 ? head.length : lineEnd);
  return line.includes(',') ? 'srt' : 'vtt';
}

function parseJsonBody(body: string): Transcript {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new TranscriptError('malformed', 'The JSON transcript is not valid JSON.');
  }
  if (isPodcastJson(value)) return parsePodcastJson(value);
  if (isJson3(value)) return parseJson3(value);
  throw new TranscriptError(
    'unknown-format',
    'The JSON is neither a Podcasting 2.0 transcript nor YouTube captions.',
  );
}

function parseKind(kind: Kind, body: string, hint: TranscriptHint): Transcript {
  switch (kind) {
    case 'json':
      return parseJsonBody(body);
    case 'vtt':
      return parseVtt(body);
    case 'cues':
      return parseSrt(body, cuesFormat(body, hint));
    case 'timedtext':
      return parseTimedTextXml(body);
    case 'html':
      return parseHtml(body);
    case 'text':
      return parsePlainText(body);
  }
}

/**
 * Parses a transcript body. Throws TranscriptError: 'empty' (nothing, white space, or no text in
 * any cue), 'too-large' (over 10 MB), 'unknown-format' (an HTML page with no transcript, JSON
 * of another shape, binary data, TTML), 'malformed' (broken JSON, a WebVTT with no valid cue).
 */
export function parseTranscript(body: string, given: TranscriptHint = {}): Transcript {
  if (typeof body !== 'string') throw new TranscriptError('empty', 'The transcript is empty.');
  const hint: TranscriptHint = typeof given === 'object' && given !== null ? given : {};
  if (body.length > MAX_TRANSCRIPT_CHARS) {
    throw new TranscriptError('too-large', 'The transcript is larger than 10 MB.');
  }
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  const head = text.trimStart();
  if (head.length === 0) throw new TranscriptError('empty', 'The transcript is empty.');

  let transcript: Transcript;
  try {
    transcript = parseKind(sniff(head), head, hint);
  } catch (err) {
    if (err instanceof TranscriptError) throw err;
    // A parser bug or an engine limit (say, a stack overflow) must still read as a bad file.
    throw new TranscriptError('malformed', 'The transcript could not be read.');
  }
  if (transcript.segments.length === 0) {
    throw new TranscriptError('empty', 'The transcript has no text.');
  }
  if (transcript.language === undefined) {
    const language = normaliseLanguage(hint.language);
    if (language) transcript.language = language;
  }
  return transcript;
}
