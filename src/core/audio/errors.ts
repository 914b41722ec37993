// The one error the audio code throws: a code the driver can act on and words for the listener.
// Anything that goes wrong reading a podcast's bytes (a format Earmark cannot cut, a damaged
// file, nothing there) ends up as an AudioError, never as a RangeError from deep in a parser.

export type AudioErrorCode =
  | 'unsupported' // a format Earmark cannot cut or decode (MP4/AAC, FLAC, WebM…)
  | 'malformed' // looks like a supported format but is damaged, or a piece could not be decoded
  | 'empty'; // no bytes, or no audio in them

export class AudioError extends Error {
  constructor(
    readonly code: AudioErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AudioError';
  }
}

/** Largest piece the cutter will hold: past this the input is not what its header says. */
export const MAX_PIECE_BYTES = 64 * 1024 * 1024;

/** Longest run of bytes the cutter reads without finding audio before it gives up. */
export const MAX_GARBAGE_BYTES = 16 * 1024 * 1024;

export const tooLarge = (): AudioError =>
  new AudioError(
    'malformed',
    `A piece of this episode's audio is larger than ${MAX_PIECE_BYTES / 1024 / 1024} MB, so the file is not what its header says.`,
  );

export const noAudioFound = (): AudioError =>
  new AudioError(
    'malformed',
    `Earmark read ${MAX_GARBAGE_BYTES / 1024 / 1024} MB of this episode's audio without finding any sound in it: the file is damaged.`,
  );
