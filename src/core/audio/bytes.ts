// Byte plumbing the cutters share: a queue of stream bytes with their position in the file
// (consumed from the front, compacted in place, so holding it costs about what is pending), and
// the growing buffer of the piece being cut (capped: a piece over MAX_PIECE_BYTES is an error).
import { MAX_PIECE_BYTES, tooLarge } from './errors';

/** Bytes read from the stream but not yet cut, and the file offset of the first one. */
export class ByteQueue {
  private buf = new Uint8Array(0);
  private from = 0;
  private to = 0;

  constructor(
    /** File offset of the first byte held. */
    public pos: number,
  ) {}

  get length(): number {
    return this.to - this.from;
  }

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const live = this.to - this.from;
    if (this.to + bytes.length > this.buf.length) {
      const need = live + bytes.length;
      // Grow by doubling; shrink back when a big chunk has gone, so a 64 MB push is not held forever.
      if (need > this.buf.length || this.buf.length > 4 * need + (1 << 20)) {
        const next = new Uint8Array(Math.max(need * 2, 1 << 16));
        next.set(this.buf.subarray(this.from, this.to));
        this.buf = next;
      } else {
        this.buf.copyWithin(0, this.from, this.to);
      }
      this.from = 0;
      this.to = live;
    }
    this.buf.set(bytes, this.to);
    this.to += bytes.length;
  }

  /** The pending bytes; valid until the next push. */
  view(): Uint8Array {
    return this.buf.subarray(this.from, this.to);
  }

  consume(n: number): void {
    const k = Math.max(0, Math.min(n, this.length));
    this.from += k;
    this.pos += k;
    if (this.from === this.to) this.from = this.to = 0;
  }
}

/** The bytes of the piece being cut. */
export class GrowBuffer {
  private buf = new Uint8Array(1 << 16);
  length = 0;

  append(bytes: Uint8Array): void {
    const need = this.length + bytes.length;
    if (need > MAX_PIECE_BYTES) throw tooLarge();
    if (need > this.buf.length) {
      const next = new Uint8Array(Math.min(MAX_PIECE_BYTES, Math.max(need, this.buf.length * 2)));
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    this.buf.set(bytes, this.length);
    this.length = need;
  }

  /** A copy of the bytes held; the buffer is emptied (its memory kept for the next piece). */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.length);
    this.length = 0;
    return out;
  }

  clear(): void {
    this.length = 0;
  }

  /** Writes into bytes already appended (a header's sizes, once known). */
  patch(offset: number, bytes: Uint8Array): void {
    this.buf.set(bytes, offset);
  }
}

export const ascii = (bytes: Uint8Array, at: number, text: string): boolean => {
  if (at < 0 || at + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
};

export const u32be = (b: Uint8Array, at: number): number =>
  ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

export const u32le = (b: Uint8Array, at: number): number =>
  (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

export const u16le = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
