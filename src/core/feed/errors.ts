// The one error the feed parser throws: a code the caller can branch on and a message a user can
// read ("the server sent an HTML page, not a podcast feed"). Anything else escaping is a bug.

export type FeedErrorCode = 'empty' | 'not-a-feed' | 'malformed' | 'too-large';

export class FeedError extends Error {
  override name = 'FeedError';
  readonly code: FeedErrorCode;

  constructor(code: FeedErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** 20 MB: the largest feed we parse (characters for a string, bytes for bytes). Real feeds of
 * 3,000+ episodes stay under 10 MB; the fetch guard caps downloads at the same size. */
export const MAX_FEED_SIZE = 20 * 1024 * 1024;
