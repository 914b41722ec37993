// Cutting MP3 into pieces: every frame lands in exactly one piece, in order; piece k starts at the
// first frame at or after k·P; times are exact by frame count (MPEG-1 1152 samples a frame,
// MPEG-2 576); reading from pieceOffset(k) gives the same piece k; chunking does not matter;
// tags and garbage never become frames.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  PieceCutter,
  pieceCount,
  pieceOffset,
  probeAudio,
  type AudioProbe,
  type Piece,
} from '../../../src/core/audio';
import { parseFrameHeader } from '../../../src/core/audio/mp3';
import { encodeMp3, toneEpisode } from '../../support/tone-audio';

const P = 10; // seconds a piece: short files still make several pieces

/** The frames of a stream of back-to-back MP3 frames (as lamejs writes them). */
function framesOf(bytes: Uint8Array, from = 0): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let p = from; p < bytes.length;) {
    const h = parseFrameHeader(bytes, p);
    if (!h || p + h.length > bytes.length) break;
    out.push(bytes.subarray(p, p + h.length));
    p += h.length;
  }
  return out;
}

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** Fails with where two byte strings first differ (a full diff of 300 kB would take minutes). */
function expectSameBytes(got: Uint8Array, want: Uint8Array): void {
  if (got.length === want.length && Buffer.from(got).equals(Buffer.from(want))) return;
  let i = 0;
  while (i < got.length && got[i] === want[i]) i++;
  expect.fail(`bytes differ: ${got.length} bytes, expected ${want.length}; first difference at byte ${i}`);
}

/** A piece with its bytes as a digest, to compare lists of pieces quickly. */
const digest = (pieces: Piece[]) =>
  pieces.map(({ bytes, ...rest }) => ({ ...rest, bytes: createHash('sha1').update(bytes).digest('hex') }));

/** A deterministic byte generator (xorshift), for tags and garbage. */
function noise(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** An ID3v2.4 tag of `size` body bytes (noise, as cover art would be). */
function id3v2(size: number): Uint8Array {
  const tag = new Uint8Array(10 + size);
  tag.set([0x49, 0x44, 0x33, 4, 0, 0, (size >> 21) & 127, (size >> 14) & 127, (size >> 7) & 127, size & 127]);
  tag.set(noise(size, 7), 10);
  return tag;
}

function id3v1(): Uint8Array {
  const tag = new Uint8Array(128).fill(0xff); // a genre byte of 0xFF and worse must not sync
  tag.set([0x54, 0x41, 0x47]);
  return tag;
}

function probeOf(file: Uint8Array): AudioProbe {
  return probeAudio(
    file.subarray(0, 256 * 1024),
    file.length,
    file.subarray(Math.max(0, file.length - 65536)),
  );
}

/** All pieces of a file read from `startByte`, pushed in chunks of `chunk` bytes. */
function cut(probe: AudioProbe, file: Uint8Array, startByte = 0, chunk = 65536, pieceSeconds = P): Piece[] {
  const cutter = new PieceCutter(probe, { startByte, pieceSeconds });
  const pieces: Piece[] = [];
  for (let at = startByte; at < file.length; at += chunk)
    pieces.push(...cutter.push(file.subarray(at, at + chunk)));
  pieces.push(...cutter.end());
  return pieces;
}

/** Checks the pieces hold exactly `frames` (from frame `first`), cut at multiples of P, timed by count. */
function expectExactPieces(pieces: Piece[], frames: Uint8Array[], spf: number, rate: number, first = 0) {
  const piecesFrames = pieces.map((p) => framesOf(p.bytes));
  expectSameBytes(concat(piecesFrames.flat()), concat(frames.slice(first)));
  let f = first;
  for (const [i, piece] of pieces.entries()) {
    const n = piecesFrames[i]!.length;
    expect(piece.index).toBe(Math.floor((f * spf) / rate / P + 1e-9));
    expect(piece.start).toBeCloseTo((f * spf) / rate, 9);
    expect(piece.duration).toBeCloseTo((n * spf) / rate, 9);
    // The first frame at or after index·P: the frame before it starts earlier.
    expect(piece.start).toBeGreaterThanOrEqual(piece.index * P - 1e-9);
    if (f > 0 && i > 0) expect(piece.start - spf / rate).toBeLessThan(piece.index * P);
    if (i > 0) expect(piece.index).toBe(pieces[i - 1]!.index + 1);
    f += n;
  }
  expect(f).toBe(frames.length);
}

describe.each([
  { rate: 44100, kbps: 64, spf: 1152, version: 1 },
  { rate: 22050, kbps: 32, spf: 576, version: 2 },
  { rate: 16000, kbps: 32, spf: 576, version: 2 },
])('MP3 at $rate Hz (MPEG-$version)', ({ rate, kbps, spf, version }) => {
  const mp3 = encodeMp3(toneEpisode(35, rate), rate, kbps);
  const frames = framesOf(mp3);
  const probe = probeOf(mp3);

  it('probes the format, and the duration from the byte count (CBR)', () => {
    expect(probe).toMatchObject({ format: 'mp3', sampleRate: rate, channels: 1 });
    expect(probe.mp3).toMatchObject({ version, samplesPerFrame: spf, cbr: true, firstFrame: 0 });
    expect(probe.approximate).toBeUndefined();
    expect(probe.durationSeconds).toBeCloseTo((frames.length * spf) / rate, 6);
    expect(pieceCount(probe, P)).toBe(4);
  });

  it('cuts every frame into exactly one piece, at multiples of the piece length, timed exactly', () => {
    const pieces = cut(probe, mp3);
    expect(pieces.map((p) => p.index)).toEqual([0, 1, 2, 3]);
    expectExactPieces(pieces, frames, spf, rate);
  });

  it('gives the same pieces whether the stream comes in 1, 7 or 65,536 bytes at a time', () => {
    const whole = cut(probe, mp3, 0, mp3.length);
    for (const chunk of [1, 7, 65536]) expect(digest(cut(probe, mp3, 0, chunk))).toEqual(digest(whole));
  });

  it('reads piece k whole from pieceOffset(k), with the same index, time and bytes', () => {
    const all = cut(probe, mp3);
    for (const k of [1, 2, 3]) {
      const offset = pieceOffset(probe, k, P)!;
      expect(offset).toBeGreaterThan(0);
      const pieces = cut(probe, mp3, offset, 4096);
      expect(pieces[0]!.index).toBe(k);
      expect(digest(pieces)).toEqual(digest(all.slice(k)));
    }
  });
});

describe('MP3 with tags', () => {
  const rate = 44100;
  const audio = encodeMp3(toneEpisode(25, rate), rate, 64);
  const frames = framesOf(audio);
  const front = id3v2(300_000); // larger than the head the driver reads: cover art
  const file = concat([front, audio, id3v1()]);

  it('needs the head past a tag larger than it, then finds the frames behind the tag', () => {
    expect(() => probeAudio(file.subarray(0, 256 * 1024), file.length)).toThrow(
      /read again from byte 300010/,
    );
    const probe = probeAudio(
      file.subarray(front.length, front.length + 256 * 1024),
      file.length,
      file.subarray(-65536),
      front.length,
    );
    expect(probe.mp3?.firstFrame).toBe(front.length);
    expect(probe.durationSeconds).toBeCloseTo((frames.length * 1152) / rate, 6);
  });

  it('skips the ID3v2 tag and never makes the ID3v1 tag a frame', () => {
    const small = concat([id3v2(5000), audio, id3v1()]);
    const probe = probeOf(small);
    expect(probe.mp3?.firstFrame).toBe(5010);
    const pieces = cut(probe, small, 0, 1000);
    expectExactPieces(pieces, frames, 1152, rate);
    expect(pieces.at(-1)!.bytes.at(-128)).not.toBe(0x54); // no "TAG" at the end of the last piece
  });

  it('reads from pieceOffset(k) behind a tag', () => {
    const small = concat([id3v2(5000), audio, id3v1()]);
    const probe = probeOf(small);
    const all = cut(probe, small);
    expect(digest(cut(probe, small, pieceOffset(probe, 2, P)!))).toEqual(digest(all.slice(2)));
  });

  it('skips a LAME Info frame: it is not audio', () => {
    const info = infoFrame('Info', frames.length, audio.length);
    const probe = probeOf(concat([info, audio]));
    expect(probe.mp3).toMatchObject({ firstFrame: info.length, cbr: true, frames: frames.length });
    expectExactPieces(cut(probe, concat([info, audio])), frames, 1152, rate);
  });
});

/** A Xing/Info frame (MPEG-1 Layer III, 44.1 kHz, 128 kbit/s, mono) with a frame count, size and TOC. */
function infoFrame(kind: 'Xing' | 'Info', frames: number, bytes: number, toc?: number[]): Uint8Array {
  const frame = new Uint8Array(417);
  frame.set([0xff, 0xfb, 0x90, 0xc4]); // 128 kbit/s, 44.1 kHz, no padding, mono
  const x = 4 + 17;
  frame.set(
    [...kind].map((c) => c.charCodeAt(0)),
    x,
  );
  const view = new DataView(frame.buffer);
  view.setUint32(x + 4, toc ? 7 : 3);
  view.setUint32(x + 8, frames);
  view.setUint32(x + 12, bytes);
  if (toc) frame.set(toc, x + 16);
  return frame;
}

describe('variable bitrate MP3', () => {
  const rate = 44100;
  const pcm = toneEpisode(45, rate);
  const low = framesOf(encodeMp3(pcm, rate, 64));
  const high = framesOf(encodeMp3(pcm, rate, 192));
  // Runs of 3 s at 64 then 192 kbit/s: frame i covers the same samples in both encodings.
  const run = Math.round((3 * rate) / 1152);
  const frames = low.slice(0, high.length).map((f, i) => (Math.floor(i / run) % 2 ? high[i]! : f));
  const audio = concat(frames);
  // The Xing TOC: byte offset (×256 / size) of each percent of the frames.
  const offsets: number[] = [];
  for (let i = 0, at = 0; i < frames.length; at += frames[i]!.length, i++) offsets.push(at);
  const xingBytes = audio.length + 417;
  const toc = Array.from({ length: 100 }, (_, pct) =>
    Math.floor(((417 + offsets[Math.floor((pct / 100) * frames.length)]!) / xingBytes) * 256),
  );
  const file = concat([id3v2(1000), infoFrame('Xing', frames.length, xingBytes, toc), audio]);

  it('is made of frames of both bitrates (the fixture is what it claims)', () => {
    expect(Math.abs(low.length - high.length)).toBeLessThanOrEqual(1);
    const headers = frames.map((f) => parseFrameHeader(f, 0)!);
    expect(new Set(headers.map((h) => h.bitrate))).toEqual(new Set([64, 192]));
    expect(new Set(headers.map((h) => h.sampleRate))).toEqual(new Set([rate]));
  });

  it('probes as VBR: duration from the Xing frame count, times out of order approximate', () => {
    const probe = probeOf(file);
    expect(probe.mp3).toMatchObject({ cbr: false, frames: frames.length, firstFrame: 1010 + 417 });
    expect(probe.approximate).toBe(true);
    expect(probe.durationSeconds).toBeCloseTo((frames.length * 1152) / rate, 9);
  });

  it('cuts from the start exactly: every frame once, times by count', () => {
    const probe = probeOf(file);
    const pieces = cut(probe, file, 0, 777);
    expectExactPieces(pieces, frames, 1152, rate);
    expect(pieces.some((p) => p.approximate)).toBe(false);
  });

  it.each([
    ['with a Xing TOC', file, 1010 + 417],
    ['without a Xing frame (average bitrate of the head)', concat([id3v2(1000), audio]), 1010],
  ])(
    'reads piece k from pieceOffset(k) %s: index k first, times marked approximate',
    (_, input, audioStart) => {
      const probe = probeOf(input);
      expect(probe.approximate).toBe(true);
      const all = cut(probe, input);
      for (const k of [1, 2, 3]) {
        const pieces = cut(probe, input, pieceOffset(probe, k, P)!);
        expect(pieces[0]!.index).toBe(k);
        expect(pieces.every((p) => p.approximate)).toBe(true);
        expect(pieces.map((p) => p.index)).toEqual(all.slice(k).map((p) => p.index));
        // Whole frames from where the estimate landed to the end, each once.
        const got = pieces.flatMap((p) => framesOf(p.bytes));
        const firstAt = frames.length - got.length;
        expect(firstAt).toBeGreaterThan(0);
        expectSameBytes(concat(got), concat(frames.slice(firstAt)));
        // The estimate of where piece k starts is within a few seconds of the truth.
        expect(Math.abs((firstAt * 1152) / rate - k * P)).toBeLessThan(audioStart === 1010 ? 3 : 1.5);
      }
    },
  );
});

describe('MP3 damaged in the middle', () => {
  const rate = 44100;
  const audio = encodeMp3(toneEpisode(25, rate), rate, 64);
  const frames = framesOf(audio);

  it('skips garbage between frames, losing only the frame before it (garbage may have cut it short)', () => {
    const at = 500;
    const file = concat([concat(frames.slice(0, at)), noise(10_000, 3), concat(frames.slice(at))]);
    const probe = probeOf(file);
    const got = cut(probe, file, 0, 4096).flatMap((p) => framesOf(p.bytes));
    expectSameBytes(concat(got), concat([...frames.slice(0, at - 1), ...frames.slice(at)]));
  });

  it('drops a frame cut short by garbage, and only that frame', () => {
    const at = 700;
    const broken = frames[at]!.subarray(0, 100);
    const file = concat([concat(frames.slice(0, at)), broken, noise(3000, 5), concat(frames.slice(at + 1))]);
    const got = cut(probeOf(file), file, 0, 4096).flatMap((p) => framesOf(p.bytes));
    expectSameBytes(concat(got), concat([...frames.slice(0, at), ...frames.slice(at + 1)]));
  });

  it('drops a truncated last frame', () => {
    const file = audio.subarray(0, audio.length - 50);
    const pieces = cut(probeOf(file), file);
    expectSameBytes(concat(pieces.flatMap((p) => framesOf(p.bytes))), concat(frames.slice(0, -1)));
    expect(pieces.at(-1)!.bytes.length).toBe(concat(framesOf(pieces.at(-1)!.bytes)).length);
  });

  it('holds no more than one piece: no piece exceeds its frames', () => {
    const pieces = cut(probeOf(audio), audio, 0, 65536, 2);
    const maxFrame = Math.max(...frames.map((f) => f.length));
    for (const p of pieces)
      expect(p.bytes.length).toBeLessThanOrEqual((Math.ceil((2 * rate) / 1152) + 1) * maxFrame);
  });
});

describe('a last piece of a single frame', () => {
  const rate = 44100;
  const audio = encodeMp3(toneEpisode(8, rate), rate, 64);
  const frames = framesOf(audio);
  // Pieces such that piece 2 is the last frame alone.
  const pieceSeconds = ((frames.length - 1) * 1152) / rate / 2;

  it('gets a silent frame after it (browsers do not decode a one-frame MP3), and no more time', () => {
    const pieces = cut(probeOf(audio), audio, 0, 65536, pieceSeconds);
    expect(pieces.map((p) => p.index)).toEqual([0, 1, 2]);
    const last = framesOf(pieces[2]!.bytes);
    expect(last).toHaveLength(2);
    expectSameBytes(last[0]!, frames.at(-1)!);
    expect(parseFrameHeader(last[1]!, 0)).toMatchObject({ sampleRate: rate, crc: false });
    expect(last[1]!.subarray(4).every((b) => b === 0)).toBe(true);
    expect(pieces[2]!.duration).toBeCloseTo(1152 / rate, 9);
    expectSameBytes(
      concat(pieces.slice(0, 2).flatMap((p) => framesOf(p.bytes))),
      concat(frames.slice(0, -1)),
    );
  });
});
