// MPEG audio Layer III (MP3): frame headers, the Xing/Info/VBRI frame, probing a file's head, and
// cutting a stream of frames into pieces. A position is trusted as a frame only when a chain of
// frames of the same stream follows it (the bytes 0xFFFx turn up in any compressed data), and once
// locked each frame must be followed by the next one's header (else: resync from the next byte).
// Times come from counting frames; read out of order, from the byte offset (CBR: exact) or from
// the Xing table of contents / average bitrate (VBR: an estimate, marked approximate).
import { ascii, ByteQueue, u32be, u32le } from './bytes';
import { AudioError, MAX_GARBAGE_BYTES, noAudioFound } from './errors';
import { PieceBuilder, type Demuxer } from './pieces';
import type { AudioProbe, Mp3Info, Piece } from './types';

type FrameHeader = {
  version: 1 | 2 | 2.5;
  layer: 1 | 2 | 3;
  /** kbit/s */
  bitrate: number;
  sampleRate: number;
  channels: 1 | 2;
  samplesPerFrame: number;
  /** Bytes in the frame, header included. */
  length: number;
  /** A CRC follows the header. */
  crc: boolean;
};

type StreamKey = Pick<FrameHeader, 'version' | 'layer' | 'sampleRate'>;

const BITRATES: Record<string, readonly number[]> = {
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  '2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES: Record<number, readonly number[]> = {
  3: [44100, 48000, 32000], // MPEG-1
  2: [22050, 24000, 16000], // MPEG-2
  0: [11025, 12000, 8000], // MPEG-2.5
};

/** The frame header at `i`, or undefined when the 4 bytes there are not one (or are missing). */
export function parseFrameHeader(b: Uint8Array, i: number): FrameHeader | undefined {
  if (i < 0 || i + 4 > b.length || b[i] !== 0xff) return undefined;
  const b1 = b[i + 1]!;
  const b2 = b[i + 2]!;
  const b3 = b[i + 3]!;
  if ((b1 & 0xe0) !== 0xe0) return undefined;
  const vbits = (b1 >> 3) & 3;
  const lbits = (b1 >> 1) & 3;
  const brIndex = b2 >> 4;
  const srIndex = (b2 >> 2) & 3;
  // Reserved values (and free format, which cannot be framed without decoding) are not frames.
  if (vbits === 1 || lbits === 0 || brIndex === 0 || brIndex === 15 || srIndex === 3 || (b3 & 3) === 2)
    return undefined;
  const version = vbits === 3 ? 1 : vbits === 2 ? 2 : 2.5;
  const layer = (4 - lbits) as 1 | 2 | 3;
  const bitrate = BITRATES[`${version === 1 ? 1 : 2}-${layer}`]![brIndex]!;
  const sampleRate = SAMPLE_RATES[vbits]![srIndex]!;
  const padding = (b2 >> 1) & 1;
  const samplesPerFrame = layer === 1 ? 384 : layer === 3 && version !== 1 ? 576 : 1152;
  const length =
    layer === 1
      ? (Math.floor((12 * bitrate * 1000) / sampleRate) + padding) * 4
      : Math.floor(((samplesPerFrame / 8) * bitrate * 1000) / sampleRate) + padding;
  return {
    version,
    layer,
    bitrate,
    sampleRate,
    channels: b3 >> 6 === 3 ? 1 : 2,
    samplesPerFrame,
    length,
    crc: (b1 & 1) === 0,
  };
}

const sameStream = (h: FrameHeader, key: StreamKey): boolean =>
  h.version === key.version && h.layer === key.layer && h.sampleRate === key.sampleRate;

/** A tag that may follow the last frame: ID3v1, APEv2, Lyrics3, or an ID3v2 in the middle. */
function isTagAt(b: Uint8Array, p: number): boolean {
  return ascii(b, p, 'TAG') || ascii(b, p, 'APETAGEX') || ascii(b, p, 'LYRICSBEGIN') || ascii(b, p, 'ID3');
}

/**
 * Whether `count` frames of one stream (and of `key`'s, when given) follow each other from `i`:
 * true, false, or undefined when more bytes are needed to tell. At the end of the stream, frames
 * that run to the end (or to a tag) count.
 */
function chainAt(
  b: Uint8Array,
  i: number,
  key: StreamKey | undefined,
  count: number,
  atEnd: boolean,
): boolean | undefined {
  let p = i;
  let first: FrameHeader | undefined;
  for (let n = 0; n < count; n++) {
    if (p + 4 > b.length) {
      if (!atEnd) return undefined;
      // The last frame must be whole unless two frames before it were.
      return p <= b.length ? n >= 1 : n >= 2;
    }
    const h = parseFrameHeader(b, p);
    if (!h || (key && !sameStream(h, key)) || (first && !sameStream(h, first)))
      return n >= 1 && isTagAt(b, p) ? true : false;
    first ??= h;
    p += h.length;
  }
  return true;
}

/** Bytes of ID3v2 tags at `offset` (several may follow each other); may run past the bytes given. */
export function id3v2Size(b: Uint8Array, offset = 0): number {
  let p = offset;
  while (ascii(b, p, 'ID3') && p + 10 <= b.length) {
    const s = b.subarray(p + 6, p + 10);
    if ((s[0]! | s[1]! | s[2]! | s[3]!) & 0x80) break; // sizes are syncsafe: a set high bit is not a tag
    const size = (s[0]! << 21) | (s[1]! << 14) | (s[2]! << 7) | s[3]!;
    p += 10 + size + (b[p + 5]! & 0x10 ? 10 : 0);
  }
  return p - offset;
}

/** Bytes of tags at the end of a file (ID3v1, APEv2, Lyrics3v2), read from its last bytes. */
function trailingTagSize(tail: Uint8Array): number {
  let end = tail.length;
  for (let guard = 0; guard < 4; guard++) {
    if (end >= 128 && ascii(tail, end - 128, 'TAG')) end -= 128;
    else if (end >= 32 && ascii(tail, end - 32, 'APETAGEX')) {
      const size = u32le(tail, end - 32 + 12);
      const hasHeader = (tail[end - 32 + 23]! & 0x80) !== 0;
      end -= size + (hasHeader ? 32 : 0);
    } else if (end >= 15 && ascii(tail, end - 9, 'LYRICS200')) {
      const size = Number(String.fromCharCode(...tail.subarray(end - 15, end - 9)));
      if (!Number.isInteger(size)) break;
      end -= size + 15;
    } else break;
    if (end < 0) return tail.length;
  }
  return tail.length - end;
}

type VbrTag = { kind: 'Xing' | 'Info' | 'VBRI'; frames?: number; bytes?: number; toc?: number[] };

/** The Xing/Info (LAME) or VBRI frame's counts, when the frame at `i` is one. */
function readVbrTag(b: Uint8Array, i: number, h: FrameHeader): VbrTag | undefined {
  const end = Math.min(b.length, i + h.length);
  const side = h.version === 1 ? (h.channels === 1 ? 17 : 32) : h.channels === 1 ? 9 : 17;
  for (const x of [i + 4 + side, i + 6 + side]) {
    const kind = ascii(b, x, 'Xing') ? 'Xing' : ascii(b, x, 'Info') ? 'Info' : undefined;
    if (!kind || x + 8 > end) continue;
    const flags = u32be(b, x + 4);
    const tag: VbrTag = { kind };
    let q = x + 8;
    if (flags & 1 && q + 4 <= end) {
      tag.frames = u32be(b, q);
      q += 4;
    }
    if (flags & 2 && q + 4 <= end) {
      tag.bytes = u32be(b, q);
      q += 4;
    }
    if (flags & 4 && q + 100 <= end) tag.toc = Array.from(b.subarray(q, q + 100));
    return tag;
  }
  if (ascii(b, i + 36, 'VBRI') && i + 36 + 18 <= end) {
    return { kind: 'VBRI', bytes: u32be(b, i + 36 + 10), frames: u32be(b, i + 36 + 14) };
  }
  return undefined;
}

/** An ADTS (raw AAC) frame chain at i: AAC, not MP3, though its sync word looks alike. */
export function adtsAt(b: Uint8Array, i: number): boolean {
  let p = i;
  for (let n = 0; n < 3; n++) {
    if (p + 7 > b.length) return n >= 1;
    if (b[p] !== 0xff || (b[p + 1]! & 0xf6) !== 0xf0) return false;
    const length = ((b[p + 3]! & 3) << 11) | (b[p + 4]! << 3) | (b[p + 5]! >> 5);
    if (length < 7) return false;
    p += length;
  }
  return true;
}

const khz = (rate: number): string =>
  `${(rate / 1000).toLocaleString('en-US', { maximumFractionDigits: 2 })} kHz`;

/**
 * Probes MP3 whose first frame chain starts at head[i] (the head starts at file offset `base`).
 * Returns undefined when there is no chain of frames in the head.
 */
export function probeMp3(
  head: Uint8Array,
  base: number,
  from: number,
  totalBytes: number | undefined,
  tail: Uint8Array | undefined,
): AudioProbe | undefined {
  const whole = totalBytes !== undefined && base + head.length >= totalBytes;
  let i = from;
  for (; ; i++) {
    i = head.indexOf(0xff, i);
    if (i < 0) return undefined;
    if (chainAt(head, i, undefined, 4, whole)) break;
  }
  const h = parseFrameHeader(head, i)!;
  if (h.layer !== 3)
    throw new AudioError(
      'unsupported',
      `This episode's audio is MPEG Layer ${h.layer === 2 ? 'II (.mp2)' : 'I'}, which Earmark cannot transcribe yet.`,
    );
  const tag = readVbrTag(head, i, h);
  const firstFrame = i + (tag ? h.length : 0);
  // Bitrates of the frames in the head: all equal means constant bitrate.
  let p = firstFrame;
  let frames = 0;
  let bytes = 0;
  let bitrate = -1;
  let constant = true;
  for (;;) {
    const f = parseFrameHeader(head, p);
    if (!f || !sameStream(f, h) || p + f.length > head.length) break;
    if (bitrate >= 0 && f.bitrate !== bitrate) constant = false;
    bitrate = f.bitrate;
    frames++;
    bytes += f.length;
    p += f.length;
  }
  const spf = h.samplesPerFrame;
  const cbr = tag ? tag.kind === 'Info' : constant;
  const first = parseFrameHeader(head, firstFrame) ?? h;
  const audioEnd =
    totalBytes !== undefined ? totalBytes - (tail ? trailingTagSize(tail) : 0) - base : undefined;
  let frameBytes: number;
  if (cbr) frameBytes = (125 * spf * first.bitrate) / h.sampleRate;
  else if (tag?.frames && tag.bytes) frameBytes = tag.bytes / tag.frames;
  else if (frames > 0) frameBytes = bytes / frames;
  else frameBytes = (125 * spf * first.bitrate) / h.sampleRate;

  const info: Mp3Info = {
    version: h.version,
    samplesPerFrame: spf,
    firstFrame: base + firstFrame,
    cbr,
    frameBytes,
  };
  if (tag) info.tagFrame = base + i;
  if (tag?.frames) info.frames = tag.frames;
  else if (cbr && audioEnd !== undefined)
    info.frames = Math.max(0, Math.round((audioEnd - firstFrame) / frameBytes));
  if (tag?.toc && !cbr) {
    info.toc = tag.toc;
    const tocBytes = tag.bytes ?? (audioEnd !== undefined ? audioEnd - i : undefined);
    if (tocBytes) info.tocBytes = tocBytes;
  }
  const probe: AudioProbe = {
    format: 'mp3',
    sampleRate: h.sampleRate,
    channels: first.channels,
    description: `MP3${cbr ? '' : ' (variable bitrate)'}, ${khz(h.sampleRate)} ${first.channels === 1 ? 'mono' : 'stereo'}, ${
      cbr ? first.bitrate : Math.round((frameBytes * h.sampleRate) / spf / 125)
    } kbit/s`,
    mp3: info,
  };
  if (totalBytes !== undefined) probe.totalBytes = totalBytes;
  if (info.frames !== undefined) probe.durationSeconds = (info.frames * spf) / h.sampleRate;
  else if (audioEnd !== undefined)
    probe.durationSeconds = ((audioEnd - firstFrame) / frameBytes) * (spf / h.sampleRate);
  if (!cbr) probe.approximate = true;
  return probe;
}

/** Index of the first frame of piece k: the first frame whose time ≥ k·pieceSeconds. */
function firstFrameOfPiece(k: number, pieceSeconds: number, sampleRate: number, spf: number): number {
  return Math.max(0, Math.ceil((k * pieceSeconds * sampleRate) / spf - 1e-9));
}

function pieceOfFrame(f: number, pieceSeconds: number, sampleRate: number, spf: number): number {
  return Math.floor((f * spf) / (sampleRate * pieceSeconds) + 1e-9);
}

/** VBR: the byte offset where second t of the audio is, estimated (Xing TOC, else the average bitrate). */
function estimateByte(probe: AudioProbe, info: Mp3Info, t: number): number {
  const { toc, tocBytes, tagFrame } = info;
  if (toc && tocBytes && tagFrame !== undefined && probe.durationSeconds) {
    const pct = Math.min(99.999, Math.max(0, (t / probe.durationSeconds) * 100));
    const at = Math.floor(pct);
    const a = toc[at]!;
    const b = at < 99 ? toc[at + 1]! : 256;
    return tagFrame + ((a + (b - a) * (pct - at)) / 256) * tocBytes;
  }
  return info.firstFrame + ((t * probe.sampleRate) / info.samplesPerFrame) * info.frameBytes;
}

/** VBR: the time at a byte offset, estimated (the inverse of estimateByte). */
function estimateTime(probe: AudioProbe, info: Mp3Info, byte: number): number {
  const { toc, tocBytes, tagFrame } = info;
  if (toc && tocBytes && tagFrame !== undefined && probe.durationSeconds) {
    const x = ((byte - tagFrame) / tocBytes) * 256;
    let at = 0;
    while (at < 99 && toc[at + 1]! <= x) at++;
    const a = toc[at]!;
    const b = at < 99 ? toc[at + 1]! : 256;
    const pct = at + (b > a ? Math.min(1, Math.max(0, (x - a) / (b - a))) : 0);
    return (pct / 100) * probe.durationSeconds;
  }
  return (((byte - info.firstFrame) / info.frameBytes) * info.samplesPerFrame) / probe.sampleRate;
}

export function mp3PieceOffset(probe: AudioProbe, info: Mp3Info, k: number, pieceSeconds: number): number {
  if (k <= 0) return 0;
  if (info.cbr) {
    // Two frames early: padding makes a frame's offset vary by a byte from the average.
    const f = firstFrameOfPiece(k, pieceSeconds, probe.sampleRate, info.samplesPerFrame);
    return info.firstFrame + Math.floor(Math.max(0, f - 2) * info.frameBytes);
  }
  return Math.max(info.firstFrame, Math.floor(estimateByte(probe, info, k * pieceSeconds)));
}

/** A frame of silence like `header`'s (no CRC, no padding): zero side info reads no main data. */
function silentFrame(header: Uint8Array): Uint8Array {
  const h = Uint8Array.from(header);
  h[1]! |= 0x01;
  h[2]! &= ~0x02;
  const frame = new Uint8Array(parseFrameHeader(h, 0)?.length ?? 4);
  frame.set(h);
  return frame;
}

export class Mp3Demuxer implements Demuxer {
  private readonly q: ByteQueue;
  private readonly key: StreamKey;
  private readonly fromStart: boolean;
  private readonly spf: number;
  private readonly rate: number;
  private readonly piece = new PieceBuilder();
  private skipTo: number;
  private locked = false;
  /** Index of the next frame; undefined until the first frame of a stream read from its middle. */
  private frame: number | undefined;
  private firstPiece = true;
  private garbage = 0;
  /** Frames in the piece being cut, and the last one's header (for a silent frame). */
  private pieceFrames = 0;
  private lastHeader = new Uint8Array(4);

  constructor(
    private readonly probe: AudioProbe,
    private readonly info: Mp3Info,
    startByte: number,
    private readonly pieceSeconds: number,
  ) {
    this.fromStart = startByte <= info.firstFrame;
    this.q = new ByteQueue(startByte);
    this.skipTo = this.fromStart ? info.firstFrame : startByte;
    this.frame = this.fromStart ? 0 : undefined;
    this.key = { version: info.version, layer: 3, sampleRate: probe.sampleRate };
    this.spf = info.samplesPerFrame;
    this.rate = probe.sampleRate;
  }

  push(bytes: Uint8Array, out: Piece[]): void {
    this.q.push(bytes);
    this.run(out, false);
  }

  end(out: Piece[]): void {
    this.run(out, true);
    // Browsers refuse an MP3 of one frame (too little to recognise the format): a last piece of
    // one frame gets a silent frame after it, which decodes to zeros and adds no time.
    if (this.pieceFrames === 1)
      this.piece.append(silentFrame(this.lastHeader), (this.frame! * this.spf) / this.rate);
    this.piece.finish(out);
  }

  private run(out: Piece[], atEnd: boolean): void {
    const q = this.q;
    for (;;) {
      if (q.pos < this.skipTo) {
        q.consume(this.skipTo - q.pos);
        if (q.pos < this.skipTo) return;
      }
      const b = q.view();
      if (b.length === 0) return;
      if (!this.locked) {
        if (!this.sync(b, atEnd)) return;
        continue;
      }
      const h = parseFrameHeader(b, 0);
      if (!h || !sameStream(h, this.key)) {
        if (b.length < 4 && !atEnd) return;
        this.locked = false;
        continue;
      }
      if (b.length < h.length + 4 && !atEnd) return; // the frame and the next one's header
      if (b.length < h.length) {
        q.consume(b.length); // a truncated last frame
        return;
      }
      if (b.length >= h.length + 4) {
        const next = parseFrameHeader(b, h.length);
        if (!(next && sameStream(next, this.key)) && !isTagAt(b, h.length)) {
          // Garbage after the frame: it may have cut this frame short too. Resync past it.
          this.locked = false;
          q.consume(1);
          continue;
        }
      }
      this.add(b.subarray(0, h.length), out);
      q.consume(h.length);
    }
  }

  /** Skips to the next chain of frames; false when more bytes are needed. */
  private sync(b: Uint8Array, atEnd: boolean): boolean {
    let i = 0;
    let keep = Math.max(0, b.length - 3); // a header may straddle the end
    let found = false;
    for (;;) {
      i = b.indexOf(0xff, i);
      if (i < 0) break;
      const r = chainAt(b, i, this.key, 4, atEnd);
      if (r === true) {
        found = true;
        keep = i;
        break;
      }
      if (r === undefined) {
        keep = i;
        break;
      }
      i++;
    }
    const skipped = found ? keep : atEnd ? b.length : keep;
    this.q.consume(skipped);
    this.garbage += skipped;
    if (this.garbage > MAX_GARBAGE_BYTES) throw noAudioFound();
    if (!found) return false;
    this.locked = true;
    this.garbage = 0;
    if (this.frame === undefined) this.frame = this.frameAt(this.q.pos);
    return true;
  }

  /** Index of the frame at a file offset, in a stream read from its middle. */
  private frameAt(pos: number): number {
    const { info, pieceSeconds } = this;
    if (info.cbr) return Math.max(0, Math.round((pos - info.firstFrame) / info.frameBytes));
    this.piece.approximate = true;
    const t = estimateTime(this.probe, info, pos);
    // Read from pieceOffset(k), the estimate lands within a frame of k·pieceSeconds: that frame
    // starts piece k, so the piece is whole and its index the one asked for.
    const k = Math.round(t / pieceSeconds);
    if (Math.abs(t - k * pieceSeconds) < Math.min(2, pieceSeconds / 10))
      return firstFrameOfPiece(k, pieceSeconds, this.rate, this.spf);
    return Math.max(0, Math.round((t * this.rate) / this.spf));
  }

  private add(frame: Uint8Array, out: Piece[]): void {
    const f = this.frame!;
    const { pieceSeconds, rate, spf } = this;
    const k = pieceOfFrame(f, pieceSeconds, rate, spf);
    if (this.piece.index !== k) {
      if (this.piece.index !== undefined) this.piece.finish(out);
      // The first piece of a stream read from its middle is kept only if it starts at its boundary.
      const keep = !this.firstPiece || this.fromStart || f === firstFrameOfPiece(k, pieceSeconds, rate, spf);
      this.firstPiece = false;
      this.piece.begin(k, (f * spf) / rate, keep);
      this.pieceFrames = 0;
    }
    this.piece.append(frame, ((f + 1) * spf) / rate);
    this.pieceFrames++;
    this.lastHeader.set(frame.subarray(0, 4));
    this.frame = f + 1;
  }
}
