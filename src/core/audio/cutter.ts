// Cutting an audio stream into pieces of pieceSeconds at frame boundaries, each a standalone file
// a browser decodes, holding only the piece being cut. Piece k covers [k·P, (k+1)·P): it starts
// at the first frame (MP3 frame, Ogg page, WAV sample) whose time is ≥ k·P, so indexes are the
// same whether the stream is read from byte 0 or from pieceOffset(probe, k).
import { AudioError } from './errors';
import { Mp3Demuxer, mp3PieceOffset } from './mp3';
import { OggDemuxer, oggPieceOffset } from './ogg';
import type { Demuxer } from './pieces';
import { PIECE_SECONDS, type AudioProbe, type CutterOptions, type Piece } from './types';
import { WavDemuxer, wavPieceOffset } from './wav';

function checkSeconds(pieceSeconds: number): number {
  if (!(pieceSeconds > 0 && Number.isFinite(pieceSeconds)))
    throw new RangeError(`pieceSeconds must be a positive number, not ${pieceSeconds}`);
  return pieceSeconds;
}

/**
 * The byte offset to start a range request at so that piece `index` comes out whole; undefined
 * when this file cannot be read out of order (then read from byte 0). Ogg: an estimate half a
 * piece early (times stay exact; if the estimate overshoots, the first piece emitted is index + 1).
 */
export function pieceOffset(
  probe: AudioProbe,
  index: number,
  pieceSeconds = PIECE_SECONDS,
): number | undefined {
  checkSeconds(pieceSeconds);
  if (index <= 0) return 0;
  if (probe.durationSeconds !== undefined && index * pieceSeconds >= probe.durationSeconds) return undefined;
  if (probe.mp3) return mp3PieceOffset(probe, probe.mp3, index, pieceSeconds);
  if (probe.ogg) return oggPieceOffset(probe, probe.ogg, index, pieceSeconds);
  if (probe.wav) return wavPieceOffset(probe, probe.wav, index, pieceSeconds);
  return undefined;
}

/** How many pieces the audio makes, when its duration is known. */
export function pieceCount(probe: AudioProbe, pieceSeconds = PIECE_SECONDS): number | undefined {
  checkSeconds(pieceSeconds);
  if (probe.durationSeconds === undefined) return undefined;
  return Math.max(1, Math.ceil(probe.durationSeconds / pieceSeconds - 1e-9));
}

/** Cuts a byte stream into pieces at frame boundaries. Holds only the current piece's bytes. */
export class PieceCutter {
  private readonly demuxer: Demuxer;
  private done = false;

  constructor(probe: AudioProbe, options: CutterOptions) {
    const pieceSeconds = checkSeconds(options.pieceSeconds ?? PIECE_SECONDS);
    const start = Math.max(0, Math.floor(options.startByte));
    if (probe.mp3) this.demuxer = new Mp3Demuxer(probe, probe.mp3, start, pieceSeconds);
    else if (probe.ogg) this.demuxer = new OggDemuxer(probe.ogg, start, pieceSeconds);
    else if (probe.wav) this.demuxer = new WavDemuxer(probe, probe.wav, start, pieceSeconds);
    else throw new AudioError('unsupported', `Earmark cannot cut ${probe.format} audio.`);
  }

  /** Complete pieces, in order. */
  push(bytes: Uint8Array): Piece[] {
    if (this.done) throw new Error('PieceCutter.push after end()');
    const out: Piece[] = [];
    this.guard(() => this.demuxer.push(bytes, out));
    return out;
  }

  /** The last (partial) piece, at the end of the stream. */
  end(): Piece[] {
    if (this.done) return [];
    this.done = true;
    const out: Piece[] = [];
    this.guard(() => this.demuxer.end(out));
    return out;
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      if (error instanceof AudioError) throw error;
      throw new AudioError(
        'malformed',
        "This episode's audio could not be cut into pieces: the file looks damaged.",
      );
    }
  }
}
