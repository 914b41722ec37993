// Cutting WAV: each piece is a valid WAV (the file's fmt chunk, a data chunk of its own size) of
// the samples from the first sample at or after k·P; exact from any sample-aligned offset.
import { describe, expect, it } from 'vitest';
import {
  AudioError,
  PieceCutter,
  pieceOffset,
  probeAudio,
  type AudioProbe,
  type Piece,
} from '../../../src/core/audio';
import { decodeWav, encodeWav, toneEpisode } from '../../support/tone-audio';

function cut(probe: AudioProbe, file: Uint8Array, startByte = 0, chunk = 65536, pieceSeconds = 10): Piece[] {
  const cutter = new PieceCutter(probe, { startByte, pieceSeconds });
  const pieces: Piece[] = [];
  for (let at = startByte; at < file.length; at += chunk)
    pieces.push(...cutter.push(file.subarray(at, at + chunk)));
  pieces.push(...cutter.end());
  return pieces;
}

const samplesOf = (piece: Piece) => decodeWav(piece.bytes).pcm;

describe.each([
  { rate: 16000, channels: 1 },
  { rate: 44100, channels: 2 },
  { rate: 22050, channels: 1, pieceSeconds: 7.3 }, // boundaries between samples: rounds up
])('WAV $rate Hz, $channels channel(s)', ({ rate, channels, pieceSeconds = 10 }) => {
  const mono = toneEpisode(32, rate);
  const interleaved = new Float32Array(mono.length * channels);
  for (let i = 0; i < mono.length; i++)
    for (let c = 0; c < channels; c++) interleaved[i * channels + c] = mono[i]!;
  const file = encodeWav(interleaved, rate, channels);
  const probe = probeAudio(file.subarray(0, 256 * 1024), file.length);
  const pieces = cut(probe, file, 0, 65536, pieceSeconds);

  it('probes the format and the exact duration', () => {
    expect(probe).toMatchObject({ format: 'wav', sampleRate: rate, channels, durationSeconds: 32 });
  });

  it('cuts valid WAVs holding every sample once, starting at the first sample ≥ k·P', () => {
    expect(pieces.map((p) => p.index)).toEqual(pieces.map((_, i) => i));
    expect(pieces.length).toBe(Math.ceil(32 / pieceSeconds));
    let at = 0;
    for (const piece of pieces) {
      const pcm = samplesOf(piece);
      expect(decodeWav(piece.bytes).sampleRate).toBe(rate);
      expect(at).toBe(Math.max(0, Math.ceil(piece.index * pieceSeconds * rate - 1e-6)));
      expect(piece.start).toBeCloseTo(at / rate, 9);
      expect(piece.duration).toBeCloseTo(pcm.length / rate, 9);
      // 16-bit round trip of the episode's samples.
      for (const i of [0, 1, pcm.length >> 1, pcm.length - 1]) expect(pcm[i]!).toBeCloseTo(mono[at + i]!, 3);
      at += pcm.length;
    }
    expect(at).toBe(mono.length);
  });

  it('gives the same pieces in chunks of 1, 7 and 65,536 bytes, and from pieceOffset(k)', () => {
    const key = (ps: Piece[]) =>
      ps.map((p) => [p.index, p.start, p.duration, p.bytes.length, p.bytes[100], p.bytes.at(-1)]);
    for (const chunk of [7, 65536])
      expect(key(cut(probe, file, 0, chunk, pieceSeconds))).toEqual(key(pieces));
    expect(key(cut(probe, file.subarray(0, 50_000), 0, 1, pieceSeconds))).toEqual(
      key(cut(probe, file.subarray(0, 50_000), 0, 65536, pieceSeconds)),
    );
    for (const k of [1, 2]) {
      const from = cut(probe, file, pieceOffset(probe, k, pieceSeconds)!, 4096, pieceSeconds);
      expect(key(from)).toEqual(key(pieces.slice(k)));
      expect(Buffer.from(from[0]!.bytes).equals(Buffer.from(pieces[k]!.bytes))).toBe(true);
    }
  });
});

describe('WAV edge cases', () => {
  const pcm = toneEpisode(12, 8000);
  const file = encodeWav(pcm, 8000);

  it('takes a streamed data size (0xFFFFFFFF) as "to the end of the file"', () => {
    const streamed = file.slice();
    new DataView(streamed.buffer).setUint32(40, 0xffffffff, true);
    const probe = probeAudio(streamed, streamed.length);
    expect(probe.durationSeconds).toBe(12);
    expect(cut(probe, streamed).reduce((n, p) => n + samplesOf(p).length, 0)).toBe(pcm.length);
  });

  it('ignores chunks after the samples (a LIST chunk is not audio)', () => {
    const list = new Uint8Array([...new TextEncoder().encode('LIST'), 4, 0, 0, 0, 1, 2, 3, 4]);
    const withList = new Uint8Array([...file, ...list]);
    const probe = probeAudio(withList, withList.length);
    expect(cut(probe, withList).reduce((n, p) => n + samplesOf(p).length, 0)).toBe(pcm.length);
  });

  it('drops a half sample frame at the end of a truncated file', () => {
    const truncated = file.subarray(0, file.length - 1);
    const probe = probeAudio(truncated, truncated.length);
    expect(cut(probe, truncated).reduce((n, p) => n + samplesOf(p).length, 0)).toBe(pcm.length - 1);
  });

  it.each([
    ['compressed (µ-law)', 7, 8, 'unsupported', /compressed/],
    ['12-bit', 1, 12, 'unsupported', /12-bit/],
  ])('refuses %s WAV in words', (_, tag, bits, code, words) => {
    const odd = file.slice();
    new DataView(odd.buffer).setUint16(20, tag, true);
    new DataView(odd.buffer).setUint16(34, bits, true);
    let error: unknown;
    try {
      probeAudio(odd, odd.length);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AudioError);
    expect((error as AudioError).code).toBe(code);
    expect((error as AudioError).message).toMatch(words);
  });

  it('refuses to cut pieces larger than the cap (a byte rate no podcast has)', () => {
    const huge = file.slice();
    const view = new DataView(huge.buffer);
    view.setUint16(22, 8, true); // 8 channels
    view.setUint32(24, 384000, true);
    view.setUint16(32, 16, true);
    const probe = probeAudio(huge, huge.length);
    expect(() => new PieceCutter(probe, { startByte: 0 })).toThrow(AudioError);
  });
});
