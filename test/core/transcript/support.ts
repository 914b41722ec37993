// Shared by the transcript tests: fixture loading and the invariants every Transcript keeps.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { parseTranscript, TranscriptError, type TranscriptHint } from '../../../src/core/transcript/index';
import type { Transcript } from '../../../src/core/types';

/** A file of test/fixtures/transcripts, as text. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/transcripts/${name}`, import.meta.url), 'utf8');
}

export const FIXTURES = [
  'episode.vtt',
  'episode.srt',
  'episode.json',
  'episode.html',
  'plain.txt',
  'podnews-seconds.vtt',
  'youtube-auto.vtt',
  'words-spaced.json',
  'json3-auto.json',
  'json3-manual.json',
  'srv3.xml',
  'srv1.xml',
  'error-404.html',
];

/** Markup left in text: `<` followed by a tag name, `/` or `!`. */
const TAG = /<[a-zA-Z/!?]/;

/** What is wrong with a transcript, or undefined when it keeps every output rule. */
export function problem(t: Transcript): string | undefined {
  if (!['vtt', 'srt', 'json', 'html', 'text', 'youtube'].includes(t.format)) return `format ${t.format}`;
  if (!Array.isArray(t.segments) || t.segments.length === 0) return 'no segments';
  let previous = 0;
  for (const [i, s] of t.segments.entries()) {
    if (!Number.isFinite(s.start) || s.start < 0) return `segment ${i}: start ${s.start}`;
    if (s.start < previous) return `segment ${i}: start ${s.start} before ${previous}`;
    previous = s.start;
    if (Math.round(s.start * 1000) / 1000 !== s.start) return `segment ${i}: start ${s.start} not in ms`;
    if (s.end !== undefined && (!Number.isFinite(s.end) || s.end < s.start))
      return `segment ${i}: end ${s.end}`;
    if (typeof s.text !== 'string' || s.text.trim().length === 0) return `segment ${i}: empty text`;
    if (s.text !== s.text.trim() || /\s{2}/.test(s.text)) return `segment ${i}: unfolded white space`;
    if (TAG.test(s.text)) return `segment ${i}: markup in «${s.text}»`;
    if (s.speaker !== undefined && s.speaker.trim().length === 0) return `segment ${i}: blank speaker`;
  }
  return undefined;
}

/** Parses and checks the invariants; the transcript, or the TranscriptError thrown. */
export function parseChecked(body: string, hint?: TranscriptHint): Transcript | TranscriptError {
  let t: Transcript;
  try {
    t = parseTranscript(body, hint);
  } catch (err) {
    if (err instanceof TranscriptError) return err;
    throw err;
  }
  expect(problem(t), 'output rule').toBeUndefined();
  return t;
}

/** The transcript's words: segment texts joined, white space folded. */
export function joined(t: Transcript): string {
  return t.segments
    .map((s) => s.text)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The TranscriptError code `fn` throws (fails if it throws anything else or nothing). */
export function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TranscriptError);
    const e = err as TranscriptError;
    expect(e.message).toMatch(/^[A-Z].*\.$/); // one clear sentence
    return e.code;
  }
  throw new Error('expected a TranscriptError, nothing was thrown');
}
