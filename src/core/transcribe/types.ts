// The speech-to-text engines' one interface: a piece of audio in (16 kHz mono PCM), timed
// segments out. Engines: Whisper on the device (whisper.ts) and an OpenAI-compatible
// transcription service (openai.ts). Errors are SttErrors with a code and words for the user.
import type { Segment } from '../types';

/** Every engine is fed this: mono, 16,000 samples a second (what Whisper models take). */
export const STT_SAMPLE_RATE = 16_000;

export type SttResult = {
  /** Times in seconds from the start of the piece. */
  segments: Segment[];
  /** The language the engine heard, BCP 47, when it says. */
  language?: string;
  /** What this piece cost at the service (US dollars), when it has a price. */
  costUsd?: number;
};

export type SttOptions = {
  /** BCP 47; absent: the engine detects it. */
  language?: string;
  /** The words just before the piece, to carry names and spelling over (services that take one). */
  prompt?: string;
  signal?: AbortSignal;
};

export interface SpeechEngine {
  /** Who transcribes, in words: "Whisper tiny (English) on this device", "whisper-1 at api.openai.com". */
  readonly by: string;
  transcribe(pcm: Float32Array, options?: SttOptions): Promise<SttResult>;
}

export type SttErrorCode =
  | 'auth' // the key is missing or refused
  | 'forbidden' // the key may not use this model or endpoint
  | 'not-found' // no such endpoint or model
  | 'too-large' // the piece is over the service's limit
  | 'rate-limit' // too many requests: wait and go on
  | 'quota' // out of credit
  | 'server' // the service failed (5xx)
  | 'network' // unreachable, offline, refused by the browser
  | 'timeout'
  | 'bad-response' // an answer that is not what the wire format says
  | 'model' // the on-device model could not be downloaded or run
  | 'aborted'; // paused by the user

export class SttError extends Error {
  constructor(
    readonly code: SttErrorCode,
    message: string,
    /** Worth trying the same piece again later without changing anything. */
    readonly retryable = false,
    /** For 'rate-limit': seconds the service asked to wait. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'SttError';
  }
}
