// Windows over a long episode's compact transcript: consecutive runs of paragraphs, each small
// enough for one request, that together cover every paragraph exactly once (nothing truncated).
// They are worked on with the window around the listener's position first, then the ones after
// it (what they are about to hear), then the earlier ones, nearest first.
import { estimateTokens, renderParagraph, type Paragraph } from './compact';

export type Window = {
  /** The window's place in time order (0 = the episode's start). */
  index: number;
  paragraphs: Paragraph[];
  /** Seconds: the first paragraph's start and the last one's end (or start). */
  from: number;
  to: number;
};

export type WindowOptions = {
  /** The most prompt tokens (estimateTokens of the rendered lines) a window may hold. */
  maxTokens: number;
  /** The listener's position in seconds: its window comes first. */
  position?: number;
};

/** The tokens a paragraph adds to a prompt: its line and the line break. */
export function paragraphTokens(p: Paragraph): number {
  return estimateTokens(`${renderParagraph(p)}\n`);
}

/**
 * Cuts the paragraphs into windows of at most `maxTokens` each, of even size (the episode's
 * tokens over the fewest windows that can hold them), and orders them for work: the window
 * holding `position` (or the last one starting before it), the following ones, then the earlier
 * ones from nearest to farthest. Without a position: time order. A paragraph larger than
 * `maxTokens` on its own gets a window to itself (it is never cut).
 */
export function planWindows(paragraphs: readonly Paragraph[], opts: WindowOptions): Window[] {
  const maxTokens = Math.max(1, opts.maxTokens);
  const tokens = paragraphs.map(paragraphTokens);
  const total = tokens.reduce((a, b) => a + b, 0);
  // Aim for windows of even size, so the last one is not a sliver.
  const target = total / Math.max(1, Math.ceil(total / maxTokens));

  const windows: Window[] = [];
  let run: Paragraph[] = [];
  let size = 0;
  const flush = (): void => {
    const first = run[0];
    const last = run[run.length - 1];
    if (!first || !last) return;
    windows.push({ index: windows.length, paragraphs: run, from: first.start, to: last.end ?? last.start });
    run = [];
    size = 0;
  };
  for (const [i, p] of paragraphs.entries()) {
    const t = tokens[i] as number;
    if (run.length > 0 && (size + t > maxTokens || size >= target)) flush();
    run.push(p);
    size += t;
  }
  flush();
  return orderFrom(windows, opts.position);
}

/** Windows in work order: the one at `position`, the later ones, then the earlier ones backwards. */
function orderFrom(windows: Window[], position: number | undefined): Window[] {
  if (position === undefined || !Number.isFinite(position) || windows.length === 0) return windows;
  let at = 0;
  for (const w of windows) if (w.from <= position) at = w.index;
  return [...windows.slice(at), ...windows.slice(0, at).reverse()];
}
