// Plain text transcripts (text/plain in feeds): no times at all.
//
// Timing decision: the contract needs a `start` on every segment, so starts are ESTIMATED from
// word position at 150 words a minute (2.5 words a second: the first word is at 0 s, the 300th
// at 120 s) and the Transcript says `timed: false`, so nothing downstream shows or seeks to them
// as published times. `end` is left out (it is not known).
//
// Segments: paragraphs (split at blank lines) and speaker turns (`Name:` at a line start, carried
// to later paragraphs until the next one) are never merged; inside them each sentence is a
// segment, and a run of words with no sentence end is cut every 40 words. Line breaks inside a
// paragraph are wrapping, not structure.
import type { Transcript } from '../types';
import { splitLines } from './cues';
import { endsSentence, LIMITS, mergePieces, piece, WORDS_PER_SECOND, type Piece } from './segments';
import { cleanCueText, speakerPrefix } from './text';
import { ms } from './time';

export function parsePlainText(body: string): Transcript {
  const pieces: Piece[] = [];
  let words = 0;
  let speaker: string | undefined;
  let brk = true;

  const addTurnText = (text: string): void => {
    // Each sentence (or 40-word run) of one paragraph or turn becomes a piece.
    const list = text.split(' ');
    let from = 0;
    for (let i = 0; i < list.length; i++) {
      if (i + 1 - from < LIMITS.maxWords && !endsSentence(list[i] ?? '') && i + 1 < list.length) continue;
      const one = piece(ms(words / WORDS_PER_SECOND), list.slice(from, i + 1).join(' '));
      if (speaker !== undefined) one.speaker = speaker;
      if (brk) one.brk = true;
      brk = false;
      words += i + 1 - from;
      from = i + 1;
      pieces.push(one);
    }
  };

  let paragraph: string[] = [];
  const endParagraph = (): void => {
    if (paragraph.length > 0) addTurnText(paragraph.join(' '));
    paragraph = [];
    brk = true;
  };

  for (const raw of splitLines(body)) {
    const line = cleanCueText(raw).text;
    if (line.length === 0) {
      endParagraph();
      continue;
    }
    const named = speakerPrefix(line);
    if (named) {
      endParagraph();
      speaker = named.speaker;
      const rest = named.rest.trim();
      if (rest) paragraph.push(rest);
    } else {
      paragraph.push(line);
    }
  }
  endParagraph();
  const segments = mergePieces(pieces, { ...LIMITS, maxPause: Number.POSITIVE_INFINITY });
  return { format: 'text', timed: false, segments };
}
