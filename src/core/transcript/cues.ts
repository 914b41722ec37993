// What WebVTT and SRT share: blocks of "timing line + text lines", read line by line, and the
// turning of cue text into Pieces (speakers, YouTube's rolling windows, `>>` turns).
import { piece, type Piece } from './segments';
import { cleanCueText, speakerChangeMark, speakerPrefix } from './text';
import { parseTiming } from './time';

export type RawCue = { start: number; end?: number; lines: string[] };

/** Lines without their terminators (CRLF, CR or LF). */
export function splitLines(body: string): string[] {
  return body.includes('\r') ? body.split(/\r\n|\r|\n/) : body.split('\n');
}

function isBlank(line: string, strict: boolean): boolean {
  // WebVTT ends a cue only at an empty line (YouTube cues start with a line holding one space);
  // SRT files in the wild use lines of spaces as separators too.
  return strict ? line.length === 0 : line.trim().length === 0;
}

const SKIPPED_BLOCK = /^(?:NOTE|STYLE|REGION)(?:[ \t]|$)/;

/**
 * Cues from `lines[from…]`. A line with a valid timing starts a cue wherever it is (even inside
 * another cue's text, as WebVTT requires); an id or SRT index line before a timing is skipped;
 * in WebVTT, NOTE, STYLE and REGION blocks are skipped. Text found after a blank line with no
 * timing before it is dropped in WebVTT (the spec) and kept as more of the previous cue in SRT
 * (some SRT files put blank lines inside a cue).
 */
export function scanCues(lines: readonly string[], from: number, vtt: boolean): RawCue[] {
  const cues: RawCue[] = [];
  let cue: RawCue | undefined;
  const timing = (line: string): RawCue | undefined => {
    if (!line.includes('-->')) return undefined;
    const t = parseTiming(line);
    if (!t) return undefined;
    const next: RawCue = { start: t.start, lines: [] };
    if (t.end !== undefined) next.end = t.end;
    return next;
  };
  for (let i = from; i < lines.length; i++) {
    const line = lines[i] as string;
    if (isBlank(line, vtt)) {
      cue = undefined;
      continue;
    }
    const started = timing(line);
    if (started) {
      cue = started;
      cues.push(cue);
      continue;
    }
    if (cue) {
      cue.lines.push(line);
      continue;
    }
    if (vtt && SKIPPED_BLOCK.test(line)) {
      while (i + 1 < lines.length && !isBlank(lines[i + 1] as string, true)) i++;
      continue;
    }
    const next = lines[i + 1];
    const after = next === undefined ? undefined : timing(next);
    if (after) {
      // This line was a cue id or an SRT index; the next one starts the cue.
      cue = after;
      cues.push(cue);
      i++;
      continue;
    }
    if (!vtt) cues[cues.length - 1]?.lines.push(line);
  }
  return cues;
}

type Line = { text: string; voice?: string };

/**
 * YouTube's automatic captions (VTT, and SRT converted from them) show a rolling window: each
 * cue repeats the previous cue's last line, then adds one, and short "hold" cues repeat a line
 * alone. Recognised when at least two cues, and 30% of them, begin with the previous cue's last
 * line; a rare repeated line ("Yeah." twice) in an ordinary file does not qualify.
 */
function isRolling(cues: readonly Line[][]): boolean {
  let repeats = 0;
  for (let i = 1; i < cues.length; i++) {
    const prev = cues[i - 1] as Line[];
    const first = cues[i]?.[0]?.text;
    if (first && first === prev[prev.length - 1]?.text) repeats++;
  }
  return repeats >= 2 && repeats >= 0.3 * (cues.length - 1);
}

/** How many leading lines of `cur` repeat the trailing lines of `prev` (at most 3). */
function overlap(prev: readonly Line[], cur: readonly Line[]): number {
  for (let k = Math.min(3, prev.length, cur.length); k > 0; k--) {
    let same = true;
    for (let j = 0; j < k && same; j++) same = prev[prev.length - k + j]?.text === cur[j]?.text;
    if (same) return k;
  }
  return 0;
}

export type CueOptions = {
  /** Recognise `Name:` prefixes and carry the speaker forward to later cues until the next one. */
  prefixes: boolean;
  /** WebVTT: every `<` opens a tag. */
  strictTags?: boolean;
};

/** Cues as pieces: one a cue, or one per speaker when a cue holds several voices. */
export function cuesToPieces(cues: readonly RawCue[], { prefixes, strictTags = false }: CueOptions): Piece[] {
  const cleaned: Line[][] = cues.map((cue) => {
    const lines: Line[] = [];
    for (const raw of cue.lines) {
      const line = cleanCueText(raw, strictTags);
      if (line.text.length > 0) lines.push(line);
    }
    return lines;
  });
  const rolling = isRolling(cleaned);
  const pieces: Piece[] = [];
  let carried: string | undefined;
  for (let c = 0; c < cues.length; c++) {
    const cue = cues[c] as RawCue;
    let lines = cleaned[c] as Line[];
    if (rolling && c > 0) lines = lines.slice(overlap(cleaned[c - 1] as Line[], lines));
    let voice: string | undefined;
    let open: Piece | undefined;
    for (const line of lines) {
      const turn = speakerChangeMark(line.text); // ">> JOHN: hi": the turn mark comes first
      let text = turn.text;
      let speaker: string | undefined;
      if (line.voice !== undefined) voice = line.voice;
      if (prefixes) {
        if (line.voice !== undefined) carried = line.voice;
        const named = speakerPrefix(text);
        if (named) {
          carried = named.speaker;
          text = named.rest.trim();
        }
        speaker = carried;
      } else {
        speaker = voice;
      }
      if (open && !turn.mark && open.speaker === speaker) {
        if (text) open.text = open.text ? `${open.text} ${text}` : text;
        continue;
      }
      open = piece(cue.start, text, true);
      if (cue.end !== undefined) open.end = cue.end;
      if (speaker !== undefined) open.speaker = speaker;
      if (turn.mark) open.brk = true;
      pieces.push(open);
    }
  }
  return pieces;
}
