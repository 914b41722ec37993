// The transcript's sentences, each with the segment it begins in. Segments are about a sentence
// already, but a segment may hold several and a sentence may run over several (caption cues):
// each segment is split with Intl.Segmenter in the transcript's language (a regular expression
// where there is none), and a piece that does not end a sentence runs on into the next segment
// of the same speaker. Segmenting segment by segment keeps it linear: ICU's sentence iterator
// over one long string grows much faster than its length.
import type { Segment, Transcript } from '../../types';

export type Sentence = {
  /** The words as the transcript has them (segments' texts joined with one space). */
  text: string;
  /** The segment it begins in, and that segment's start. */
  segment: number;
  start: number;
  speaker?: string;
  /** Its place in the episode's sentence list. */
  index: number;
};

/** A sentence of more words than this is closed at the next segment boundary. */
const MAX_WORDS = 45;
const END = /[.!?…。？！](?:["'”’»)\]]*)$/u;
const MAYBE_SEVERAL = /[.!?…。？！]["'”’»)\]]*\s+\S/u;
const FALLBACK_SPLIT = /(?<=[.!?…。？！]["'”’»)\]]*)\s+/u;

type Split = (text: string) => string[];

function splitter(language: string | undefined): Split {
  const Seg = (Intl as { Segmenter?: typeof Intl.Segmenter }).Segmenter;
  if (Seg) {
    try {
      const segmenter = new Seg(language ?? 'en', { granularity: 'sentence' });
      return (text) => {
        const out: string[] = [];
        for (const s of segmenter.segment(text)) {
          const t = s.segment.trim();
          if (t) out.push(t);
        }
        return out;
      };
    } catch {
      // An unknown language tag: the regular expression below.
    }
  }
  return (text) => text.split(FALLBACK_SPLIT).filter(Boolean);
}

const wordCount = (text: string): number => (text.match(/\S+/g) ?? []).length;

export function splitSentences(transcript: Transcript, language?: string): Sentence[] {
  const split = splitter(language ?? transcript.language);
  const out: Sentence[] = [];
  let open: { parts: string[]; words: number; segment: number; seg: Segment } | undefined;

  const close = (): void => {
    if (!open) return;
    const s: Sentence = {
      text: open.parts.join(' '),
      segment: open.segment,
      start: open.seg.start,
      index: out.length,
    };
    if (open.seg.speaker) s.speaker = open.seg.speaker;
    out.push(s);
    open = undefined;
  };

  transcript.segments.forEach((seg, i) => {
    const text = seg.text.trim();
    if (!text) return;
    if (open && open.seg.speaker !== seg.speaker) close();
    const pieces = MAYBE_SEVERAL.test(text) ? split(text) : [text];
    for (const piece of pieces) {
      const words = wordCount(piece);
      if (open && open.words + words > MAX_WORDS) close();
      if (open) {
        open.parts.push(piece);
        open.words += words;
      } else open = { parts: [piece], words, segment: i, seg };
      if (END.test(piece)) close();
    }
  });
  close();
  return out;
}
