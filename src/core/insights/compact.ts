// The compact transcript an engine's prompt carries: segments merged into paragraphs of about
// 20–40 seconds, each with a short stable id and its start time, and no per-cue timestamps. A
// model cites a paragraph id and quotes its words; the grounder (grounding.ts) then finds the
// quote's real time. Measured against the raw WebVTT in tokens (estimateTokens).
import { formatClock } from '../text/time';
import type { Segment, Transcript } from '../types';

export type Paragraph = { id: string; start: number; end?: number; speaker?: string; text: string };

export type CompactOptions = {
  /** A paragraph closes at a speaker change once it spans this many seconds. Default 20. */
  minSeconds?: number;
  /** A paragraph never spans more (unless one segment does). Default 40. */
  maxSeconds?: number;
};

const DEFAULT_MIN = 20;
const DEFAULT_MAX = 40;

/** Where a segment's speech ends: its end, else its start (untimed ends are not guessed). */
const segmentEnd = (s: Segment): number => (s.end !== undefined && s.end >= s.start ? s.end : s.start);

/**
 * Segments merged into paragraphs, in order, each segment whole in exactly one paragraph.
 * A paragraph closes before a segment that would make it span more than maxSeconds, and at a
 * speaker change once it spans minSeconds; a shorter turn stays in the paragraph, its speaker
 * named inline ("… Ben: …") so the prompt still says who speaks. Ids are p1, p2, … in order:
 * the same transcript always gives the same ids.
 */
export function compactTranscript(transcript: Transcript, opts: CompactOptions = {}): Paragraph[] {
  const minSeconds = opts.minSeconds ?? DEFAULT_MIN;
  const maxSeconds = Math.max(opts.maxSeconds ?? DEFAULT_MAX, minSeconds);
  const out: Paragraph[] = [];
  let current: { start: number; end: number; speaker?: string; last?: string; parts: string[] } | undefined;

  const close = (): void => {
    if (!current) return;
    const p: Paragraph = { id: `p${out.length + 1}`, start: current.start, text: current.parts.join(' ') };
    if (Number.isFinite(current.end)) p.end = current.end;
    if (current.speaker) p.speaker = current.speaker;
    out.push(p);
    current = undefined;
  };

  for (const seg of transcript.segments) {
    const text = seg.text.trim();
    if (text.length === 0) continue;
    const end = segmentEnd(seg);
    if (current) {
      const tooLong = Math.max(end, seg.start) - current.start > maxSeconds;
      const turn = seg.speaker !== current.last && current.end - current.start >= minSeconds;
      if (tooLong || turn) close();
    }
    if (!current) {
      current = { start: seg.start, end, parts: [text] };
      if (seg.speaker) current.speaker = current.last = seg.speaker;
      continue;
    }
    current.parts.push(seg.speaker && seg.speaker !== current.last ? `${seg.speaker}: ${text}` : text);
    current.last = seg.speaker;
    current.end = Math.max(current.end, end);
  }
  close();
  return out;
}

/** One paragraph as a prompt line: `[p12 14:05] Speaker: text`. */
export function renderParagraph(p: Paragraph): string {
  const text = p.text.replace(/\s+/g, ' ').trim();
  return `[${p.id} ${formatClock(p.start)}] ${p.speaker ? `${p.speaker}: ` : ''}${text}`;
}

/** The prompt text of a compact transcript: one line per paragraph. */
export function renderCompact(paragraphs: readonly Paragraph[]): string {
  return paragraphs.map(renderParagraph).join('\n');
}

/**
 * A rough token count: one token per 4 characters (rounded up), the usual rule of thumb for
 * English prose with Claude's and GPT's tokenizers. It is used to size windows and to compare a
 * compact transcript with the raw WebVTT; it is kind to the VTT, whose timestamps
 * ("00:14:05.120 --> 00:14:09.480") cost more tokens per character than prose, so a ratio
 * measured with it overstates the compact form's share. Not for billing: usage comes from the API.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
