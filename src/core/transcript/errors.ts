// The one error the transcript parsers throw. `code` says what went wrong for the resolver (which
// records it as a step the user can read); `message` is one plain sentence.

export type TranscriptErrorCode = 'empty' | 'unknown-format' | 'malformed' | 'too-large';

export class TranscriptError extends Error {
  override name = 'TranscriptError';
  readonly code: TranscriptErrorCode;

  constructor(code: TranscriptErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
