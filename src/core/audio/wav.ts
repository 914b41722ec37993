// WAV (RIFF WAVE, and RF64): the fmt and data chunks, and cutting the samples into pieces, each
// with a header of its own (the file's fmt chunk, a data chunk of the piece's size). Integer PCM
// and IEEE float, as browsers decode them. Times are exact: a sample frame is blockAlign bytes.
import { ascii, ByteQueue, u16le, u32le } from './bytes';
import { AudioError, MAX_PIECE_BYTES } from './errors';
import { PieceBuilder, type Demuxer } from './pieces';
import type { AudioProbe, Piece, WavInfo } from './types';

const PCM = 1;
const FLOAT = 3;
const EXTENSIBLE = 0xfffe;

export function probeWav(head: Uint8Array, totalBytes: number | undefined): AudioProbe {
  const malformed = (why: string) =>
    new AudioError('malformed', `This episode's WAV audio is damaged: ${why}.`);
  let at = 12;
  let fmt: Uint8Array | undefined;
  while (at + 8 <= head.length) {
    const size = u32le(head, at + 4);
    const body = at + 8;
    if (ascii(head, at, 'fmt ')) {
      if (size < 16 || body + size > head.length) throw malformed('its format chunk is cut short');
      fmt = head.subarray(at, body + size);
    } else if (ascii(head, at, 'data')) {
      if (!fmt) throw malformed('its samples come before their format');
      return wavProbe(fmt, body, size, totalBytes);
    }
    at = body + size + (size % 2);
  }
  throw new AudioError(
    'malformed',
    fmt
      ? "This episode's WAV audio has more than 256 KB of headers before its samples, which Earmark does not read."
      : "This episode's WAV audio is damaged: it has no format chunk.",
  );
}

function wavProbe(
  fmt: Uint8Array,
  dataStart: number,
  dataSize: number,
  totalBytes: number | undefined,
): AudioProbe {
  let tag = u16le(fmt, 8);
  const channels = u16le(fmt, 10);
  const sampleRate = u32le(fmt, 12);
  const blockAlign = u16le(fmt, 20);
  const bits = u16le(fmt, 22);
  if (tag === EXTENSIBLE && fmt.length >= 8 + 40) tag = u16le(fmt, 8 + 24); // the sub-format GUID's first bytes
  const pcm = tag === PCM && [8, 16, 24, 32].includes(bits);
  const float = tag === FLOAT && (bits === 32 || bits === 64);
  if (!pcm && !float)
    throw new AudioError(
      'unsupported',
      `This episode's WAV audio is ${tag === PCM || tag === FLOAT ? `${bits}-bit` : 'compressed'} (format ${tag}), which Earmark cannot transcribe yet; it reads 8-, 16-, 24- and 32-bit PCM and float WAV.`,
    );
  if (!channels || !sampleRate || blockAlign !== (channels * bits) / 8)
    throw new AudioError(
      'malformed',
      "This episode's WAV audio is damaged: its format chunk does not add up.",
    );
  // Streams write a data size of 0 or 0xFFFFFFFF (and RF64 keeps the real one elsewhere): then the
  // samples run to the end of the file.
  let dataEnd: number | undefined = dataStart + dataSize;
  if (dataSize === 0 || dataSize === 0xffffffff || (totalBytes !== undefined && dataEnd > totalBytes))
    dataEnd = totalBytes;
  const fmtChunk = fmt.slice();
  const info: WavInfo = { fmtChunk, blockAlign, dataStart };
  if (dataEnd !== undefined) info.dataEnd = dataEnd;
  const probe: AudioProbe = {
    format: 'wav',
    sampleRate,
    channels,
    description: `WAV, ${sampleRate / 1000} kHz ${channels === 1 ? 'mono' : channels === 2 ? 'stereo' : `${channels} channels`}, ${bits}-bit${float ? ' float' : ''}`,
    wav: info,
  };
  if (totalBytes !== undefined) probe.totalBytes = totalBytes;
  if (dataEnd !== undefined)
    probe.durationSeconds = Math.floor((dataEnd - dataStart) / blockAlign) / sampleRate;
  return probe;
}

const firstSampleOfPiece = (k: number, pieceSeconds: number, rate: number): number =>
  Math.max(0, Math.ceil(k * pieceSeconds * rate - 1e-6));

export function wavPieceOffset(probe: AudioProbe, info: WavInfo, k: number, pieceSeconds: number): number {
  if (k <= 0) return 0;
  return info.dataStart + firstSampleOfPiece(k, pieceSeconds, probe.sampleRate) * info.blockAlign;
}

export class WavDemuxer implements Demuxer {
  private readonly q: ByteQueue;
  private readonly piece = new PieceBuilder();
  private readonly header: Uint8Array;
  private readonly rate: number;
  private firstPiece = true;
  private readonly fromStart: boolean;

  constructor(
    probe: AudioProbe,
    private readonly info: WavInfo,
    startByte: number,
    private readonly pieceSeconds: number,
  ) {
    this.rate = probe.sampleRate;
    if (info.blockAlign * this.rate * pieceSeconds > MAX_PIECE_BYTES - 1024)
      throw new AudioError(
        'unsupported',
        `This episode's WAV audio has too many bytes a second (${info.blockAlign * this.rate}) for Earmark to cut it into pieces.`,
      );
    this.fromStart = startByte <= info.dataStart;
    // Start at a sample frame: the first whole one at or after startByte.
    const frame = this.fromStart ? 0 : Math.ceil((startByte - info.dataStart) / info.blockAlign);
    this.q = new ByteQueue(startByte);
    this.skipTo = info.dataStart + frame * info.blockAlign;
    const { fmtChunk } = info;
    const fmtLength = fmtChunk.length + (fmtChunk.length % 2); // chunks are padded to an even size
    this.header = new Uint8Array(12 + fmtLength + 8);
    this.header.set(new TextEncoder().encode('RIFF'), 0);
    this.header.set(new TextEncoder().encode('WAVE'), 8);
    this.header.set(fmtChunk, 12);
    this.header.set(new TextEncoder().encode('data'), 12 + fmtLength);
  }

  private skipTo: number;

  push(bytes: Uint8Array, out: Piece[]): void {
    this.q.push(bytes);
    this.run(out);
  }

  end(out: Piece[]): void {
    this.run(out);
    this.finish(out);
  }

  private run(out: Piece[]): void {
    const { q, info, rate, pieceSeconds } = this;
    for (;;) {
      if (q.pos < this.skipTo) {
        q.consume(this.skipTo - q.pos);
        if (q.pos < this.skipTo) return;
      }
      const end = info.dataEnd ?? Infinity;
      const available = Math.min(q.length, end - q.pos);
      if (available < info.blockAlign) {
        if (q.pos >= end) q.consume(q.length); // chunks after the samples
        return;
      }
      const frame = (q.pos - info.dataStart) / info.blockAlign;
      const k = Math.floor(frame / (pieceSeconds * rate) + 1e-9);
      if (this.piece.index !== k) {
        if (this.piece.index !== undefined) this.finish(out);
        const keep =
          !this.firstPiece || this.fromStart || frame === firstSampleOfPiece(k, pieceSeconds, rate);
        this.firstPiece = false;
        this.piece.begin(k, frame / rate, keep, this.header);
      }
      const boundary = firstSampleOfPiece(k + 1, pieceSeconds, rate);
      const frames = Math.min(Math.floor(available / info.blockAlign), boundary - frame);
      const n = frames * info.blockAlign;
      this.piece.append(q.view().subarray(0, n), (frame + frames) / rate);
      q.consume(n);
    }
  }

  private finish(out: Piece[]): void {
    this.piece.finish(out, () => {
      const size = new Uint8Array(4);
      const view = new DataView(size.buffer);
      view.setUint32(0, this.piece.length - 8, true);
      this.piece.patch(4, size);
      view.setUint32(0, this.piece.audio, true);
      this.piece.patch(this.header.length - 4, size);
    });
  }
}
