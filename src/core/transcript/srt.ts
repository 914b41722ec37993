// SRT (SubRip): index lines, `00:00:01,000 --> 00:00:04,000` (or with `.`), multi-line cues,
// `<i>`/`<font>` tags, and `Name:` speaker prefixes that appear only when the speaker changes
// (Buzzsprout, Podcasting 2.0's own captions): the speaker is carried to the following cues.
// Files with cue timings but no WEBVTT signature land here too, labelled 'vtt' when the
// declared type says so.
import type { Transcript } from '../types';
import { cuesToPieces, scanCues, splitLines } from './cues';
import { TranscriptError } from './errors';
import { mergePieces } from './segments';

export function parseSrt(body: string, format: 'srt' | 'vtt' = 'srt'): Transcript {
  const cues = scanCues(splitLines(body), 0, false);
  if (cues.length === 0) throw new TranscriptError('malformed', 'The subtitle file has no valid cue.');
  return { format, timed: true, segments: mergePieces(cuesToPieces(cues, { prefixes: true })) };
}
