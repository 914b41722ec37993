// Bad input gives an AudioError with a code and words naming the format, never another exception,
// never a hang, never memory without bound.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AudioError,
  MAX_PIECE_BYTES,
  PieceCutter,
  probeAudio,
  type AudioErrorCode,
  type AudioProbe,
} from '../../../src/core/audio';
import { GrowBuffer } from '../../../src/core/audio/bytes';
import { encodeMp3, encodeWav, toneEpisode } from '../../support/tone-audio';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

function failure(fn: () => unknown): AudioError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AudioError);
    return error as AudioError;
  }
  throw new Error('did not fail');
}

function noise(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const mp3 = encodeMp3(toneEpisode(6, 44100), 44100, 64);
const opus = new Uint8Array(readFileSync('public/demo/episode.opus'));
const wav = encodeWav(toneEpisode(3, 8000), 8000);

describe('probeAudio: what it refuses, in words', () => {
  it.each<[string, Uint8Array, AudioErrorCode, RegExp]>([
    ['nothing', new Uint8Array(0), 'empty', /empty/],
    ['only zeros', new Uint8Array(4096), 'empty', /zeros/],
    [
      'an M4A',
      bytes([0, 0, 0, 32], 'ftypM4A ', [0, 0, 0, 0], 'M4A mp42isom'),
      'unsupported',
      /AAC in an MP4 file \(\.m4a\)/,
    ],
    ['an MP4', bytes([0, 0, 0, 24], 'ftypisom', [0, 0, 2, 0], 'isomiso2'), 'unsupported', /MP4 file/],
    ['FLAC', bytes('fLaC', [0, 0, 0, 34]), 'unsupported', /FLAC/],
    ['WebM', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81]), 'unsupported', /WebM/],
    ['AIFF', bytes('FORM', [0, 0, 1, 0], 'AIFFCOMM'), 'unsupported', /AIFF/],
    ['a RIFF AVI', bytes('RIFF', [0, 0, 1, 0], 'AVI LIST'), 'unsupported', /RIFF file that is not WAV/],
    ['an HLS playlist', bytes('#EXTM3U\n#EXT-X-VERSION:3\n'), 'unsupported', /streaming playlist/],
    [
      'a web page',
      bytes('\n  <!DOCTYPE html><html><body>Not found</body></html>'),
      'unsupported',
      /web page/,
    ],
    ['WMA', bytes([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11]), 'unsupported', /Windows Media/],
    [
      'random bytes',
      noise(100_000, 9),
      'unsupported',
      /does not recognize.*MP3, Ogg \(Opus or Vorbis\) and WAV/,
    ],
    [
      'a WAV without a format chunk',
      bytes('RIFF', [36, 0, 0, 0], 'WAVEdata', [0, 0, 0, 0]),
      'malformed',
      /damaged/,
    ],
    [
      'an Ogg page with a bad CRC',
      opus.slice(0, 100).map((b, i) => (i === 30 ? b ^ 1 : b)),
      'malformed',
      /Ogg/,
    ],
  ])('%s', (_, input, code, words) => {
    const error = failure(() => probeAudio(input, input.length));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(words);
  });

  it('names raw AAC (ADTS), whose frames start like MP3 frames', () => {
    // ADTS frames of 200 bytes: sync, MPEG-4, layer 0, no CRC; length in 13 bits.
    const frame = new Uint8Array(200);
    frame.set([0xff, 0xf1, 0x50, 0x80 | (200 >> 11), (200 >> 3) & 0xff, ((200 & 7) << 5) | 0x1f, 0xfc]);
    const file = new Uint8Array(2000);
    for (let i = 0; i < 10; i++) file.set(frame, i * 200);
    expect(failure(() => probeAudio(file, file.length)).message).toMatch(/raw AAC/);
  });

  it('names MPEG Layer II', () => {
    // 128 kbit/s, 44.1 kHz Layer II frames: 417 bytes.
    const frame = new Uint8Array(417);
    frame.set([0xff, 0xfd, 0x80, 0xc4]); // index 8 = 128 kbit/s in Layer II
    const file = new Uint8Array(417 * 8);
    for (let i = 0; i < 8; i++) file.set(frame, i * 417);
    expect(failure(() => probeAudio(file, file.length)).message).toMatch(/MPEG Layer II/);
  });

  it('finds MP3 frames only in chains: a stray sync word in a short head is not MP3', () => {
    expect(
      failure(() => probeAudio(bytes([0xff, 0xfb, 0x90, 0x64], noise(300, 2) as unknown as number[]))).code,
    ).toBe('unsupported');
  });

  it('describes what it found, in words', () => {
    expect(probeAudio(mp3, mp3.length).description).toBe('MP3, 44.1 kHz mono, 64 kbit/s');
    expect(probeAudio(wav, wav.length).description).toBe('WAV, 8 kHz mono, 16-bit');
    expect(probeAudio(opus.subarray(0, 262144), opus.length, opus.subarray(-65536)).description).toMatch(
      /^Ogg Opus, mono, 2\d kbit\/s$/,
    );
  });
});

describe('never anything but AudioError, never a hang', () => {
  const probes: [string, AudioProbe][] = [
    ['mp3', probeAudio(mp3, mp3.length)],
    ['ogg', probeAudio(opus.subarray(0, 262144), opus.length, opus.subarray(-65536))],
    ['wav', probeAudio(wav, wav.length)],
  ];

  it('probeAudio on arbitrary bytes (and mutations of real files)', () => {
    const seeds = [mp3.subarray(0, 3000), opus.subarray(0, 3000), wav.subarray(0, 3000)];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 4000 }),
          fc
            .tuple(fc.nat(2), fc.array(fc.tuple(fc.nat(2999), fc.nat(255)), { maxLength: 20 }))
            .map(([s, edits]) => {
              const b = seeds[s]!.slice();
              for (const [at, v] of edits) b[at] = v;
              return b;
            }),
        ),
        (input) => {
          try {
            probeAudio(input, input.length, input.subarray(-500));
          } catch (error) {
            expect(error).toBeInstanceOf(AudioError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it.each(probes)('a %s cutter fed arbitrary bytes, from any offset', (_, probe) => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 20_000 }),
        fc.nat(100_000),
        fc.integer({ min: 1, max: 5000 }),
        (input, start, chunk) => {
          const cutter = new PieceCutter(probe, { startByte: start, pieceSeconds: 1 });
          try {
            for (let at = 0; at < input.length; at += chunk) cutter.push(input.subarray(at, at + chunk));
            for (const piece of cutter.end()) expect(piece.bytes.length).toBeGreaterThan(0);
          } catch (error) {
            expect(error).toBeInstanceOf(AudioError);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each(probes)('a %s cutter gives up on endless garbage instead of reading it all', (_, probe) => {
    const cutter = new PieceCutter(probe, { startByte: 1000 });
    const garbage = noise(1 << 20, 4);
    let error: unknown;
    let read = 0;
    try {
      for (; read < 40 << 20; read += garbage.length) cutter.push(garbage);
      cutter.end();
    } catch (e) {
      error = e;
    }
    if (probe.format === 'wav') {
      // WAV has no sync to lose: any bytes are samples. It still holds one piece at a time.
      expect(error).toBeUndefined();
    } else {
      expect(error).toBeInstanceOf(AudioError);
      expect((error as AudioError).code).toBe('malformed');
      expect(read).toBeLessThanOrEqual(18 << 20);
    }
  });

  it('a piece larger than the cap is an error in words, not memory without end', () => {
    const buffer = new GrowBuffer();
    buffer.append(new Uint8Array(MAX_PIECE_BYTES - 10));
    const error = failure(() => buffer.append(new Uint8Array(11)));
    expect(error.code).toBe('malformed');
    expect(error.message).toMatch(/larger than 64 MB/);
  });
});
