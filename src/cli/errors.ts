// The errors the command-line tool turns into its one line on stderr, and the exit code each gives.
import { DirectoryError } from '../core/directory';
import { FeedError } from '../core/feed';
import { TranscriptError } from '../core/transcript';
import { YouTubeError } from '../core/youtube';

/** Exit codes: 1 the input was bad (missing, unreadable, unparsable); 2 the command line was. */
export const EXIT = { ok: 0, badInput: 1, usage: 2 } as const;

/** A problem the user can fix, with the exit code that says which kind. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.badInput,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(message, EXIT.usage);

/** One line for stderr (without the "earmark: " prefix) and the exit code, for any error. */
export function describe(error: unknown): { line: string; exitCode: number } {
  if (error instanceof CliError) return { line: error.message, exitCode: error.exitCode };
  if (isInputError(error)) return { line: sentence(error.message), exitCode: EXIT.badInput };
  // Anything else is a bug in Earmark: still one line, never a stack trace.
  const message = error instanceof Error ? error.message : String(error);
  return { line: `internal error: ${oneLine(message)}`, exitCode: EXIT.badInput };
}

/** The errors src/core throws for input it cannot read (as opposed to its own bugs). */
export function isInputError(error: unknown): error is Error {
  return (
    error instanceof TranscriptError ||
    error instanceof FeedError ||
    error instanceof YouTubeError ||
    error instanceof DirectoryError
  );
}

/** A core message as the tail of "earmark: <source>: …": one line, lower-case start, no full stop. */
export function sentence(message: string): string {
  const line = oneLine(message).replace(/\.$/, '');
  // "The JSON is…" → "the JSON is…", but "TTML (DFXP) transcripts…" keeps its capitals.
  return /^[A-Z][a-z]/.test(line) ? line.charAt(0).toLowerCase() + line.slice(1) : line;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
