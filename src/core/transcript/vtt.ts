// WebVTT: header (with YouTube's `Language:` line), NOTE/STYLE/REGION blocks, cue ids and
// settings, `<v Speaker>` voices, tags and entities, hour-less and seconds-only timings
// (Podnews writes "0.860 --> 7.380"), YouTube's rolling automatic captions.
import type { Transcript } from '../types';
import { cuesToPieces, scanCues, splitLines } from './cues';
import { TranscriptError } from './errors';
import { normaliseLanguage } from './language';
import { mergePieces } from './segments';

/** Whether a body (BOM and leading white space removed) starts with a WebVTT signature. */
export function looksLikeVtt(head: string): boolean {
  if (!head.startsWith('WEBVTT')) return false;
  const c = head.charCodeAt(6);
  return Number.isNaN(c) || c === 32 || c === 9 || c === 10 || c === 13;
}

const VOICE = /<v[\s.>]/;

export function parseVtt(body: string): Transcript {
  const lines = splitLines(body);
  // The header runs to the first empty line; a timing line inside it (a missing blank line) is
  // read as the first cue rather than losing the file.
  let i = 1;
  let language: string | undefined;
  for (; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.length === 0 || line.includes('-->')) break;
    if (line.startsWith('Language:')) language = normaliseLanguage(line.slice(9));
  }
  const cues = scanCues(lines, i, true);
  if (cues.length === 0) throw new TranscriptError('malformed', 'The WebVTT file has no valid cue.');
  // Voices name the speakers; without any, `Name:` prefixes may (some exporters write them).
  const voices = cues.some((cue) => cue.lines.some((line) => VOICE.test(line)));
  const transcript: Transcript = {
    format: 'vtt',
    timed: true,
    segments: mergePieces(cuesToPieces(cues, { prefixes: !voices, strictTags: true })),
  };
  if (language) transcript.language = language;
  return transcript;
}
