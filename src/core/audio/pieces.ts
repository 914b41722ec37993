// The piece being cut, shared by the format cutters: its index, first time, bytes so far; and
// whether it is kept (a piece the stream entered midway is dropped, so every piece is whole).
import { GrowBuffer } from './bytes';
import type { Piece } from './types';

export interface Demuxer {
  push(bytes: Uint8Array, out: Piece[]): void;
  end(out: Piece[]): void;
}

export class PieceBuilder {
  private readonly buf = new GrowBuffer();
  /** Index of the piece being cut; undefined before the first frame. */
  index: number | undefined;
  private start = 0;
  private end = 0;
  private keep = false;
  private audioBytes = 0;
  approximate = false;

  get length(): number {
    return this.buf.length;
  }

  /** Starts piece `index` at `start` seconds; `prefix` (headers) goes first. Drops it unless `keep`. */
  begin(index: number, start: number, keep: boolean, prefix?: Uint8Array): void {
    this.index = index;
    this.start = this.end = start;
    this.keep = keep;
    this.audioBytes = 0;
    if (keep && prefix) this.buf.append(prefix);
  }

  /** Adds audio that lasts until `end` seconds. */
  append(bytes: Uint8Array, end: number): void {
    this.end = end;
    if (!this.keep) return;
    this.buf.append(bytes);
    this.audioBytes += bytes.length;
  }

  patch(offset: number, bytes: Uint8Array): void {
    this.buf.patch(offset, bytes);
  }

  /** Bytes of audio (not headers) in the piece so far. */
  get audio(): number {
    return this.audioBytes;
  }

  /** Emits the piece (when kept and not empty). `beforeTake` may patch the header's sizes. */
  finish(out: Piece[], beforeTake?: () => void): void {
    if (this.index !== undefined && this.keep && this.audioBytes > 0) {
      beforeTake?.();
      const piece: Piece = {
        index: this.index,
        start: this.start,
        duration: Math.max(0, this.end - this.start),
        bytes: this.buf.take(),
      };
      if (this.approximate) piece.approximate = true;
      out.push(piece);
    } else {
      this.buf.clear();
    }
    this.index = undefined;
    this.keep = false;
    this.audioBytes = 0;
  }
}
