// The WAV a piece is uploaded as: what the test server (and any decoder) reads back.
import { describe, expect, it } from 'vitest';
import { encodeWav16 } from '../../../src/core/transcribe/wav';
import { decodeWav, locateTone, toneEpisode } from '../../support/tone-audio';

describe('encodeWav16', () => {
  it('round-trips through decodeWav within one 16-bit step', () => {
    const pcm = toneEpisode(3, 16_000);
    const wav = encodeWav16(pcm, 16_000);
    expect(wav.length).toBe(44 + pcm.length * 2);
    const back = decodeWav(wav);
    expect(back.sampleRate).toBe(16_000);
    expect(back.pcm.length).toBe(pcm.length);
    let worst = 0;
    for (let i = 0; i < pcm.length; i++) worst = Math.max(worst, Math.abs(back.pcm[i]! - pcm[i]!));
    expect(worst).toBeLessThanOrEqual(1 / 32_767);
    expect(locateTone(back.pcm, back.sampleRate)).toBeCloseTo(0, 1);
  });

  it('writes a mono 16-bit PCM header', () => {
    const wav = encodeWav16(new Float32Array(10), 16_000);
    const view = new DataView(wav.buffer);
    const tag = (at: number) => String.fromCharCode(...wav.subarray(at, at + 4));
    expect([tag(0), tag(8), tag(12), tag(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(view.getUint32(4, true)).toBe(36 + 20);
    expect(view.getUint16(20, true)).toBe(1);
    expect(view.getUint16(22, true)).toBe(1);
    expect(view.getUint32(24, true)).toBe(16_000);
    expect(view.getUint32(28, true)).toBe(32_000);
    expect(view.getUint16(32, true)).toBe(2);
    expect(view.getUint16(34, true)).toBe(16);
    expect(view.getUint32(40, true)).toBe(20);
  });

  it('clips out-of-range samples and makes NaN silence', () => {
    const wav = encodeWav16(Float32Array.from([2, -2, 1, -1, Number.NaN, 0.5]), 8_000);
    const view = new DataView(wav.buffer);
    const samples = [0, 1, 2, 3, 4, 5].map((i) => view.getInt16(44 + i * 2, true));
    expect(samples).toEqual([32767, -32768, 32767, -32768, 0, 16384]);
  });

  it('is a header alone for no samples', () => {
    const wav = encodeWav16(new Float32Array(0), 16_000);
    expect(wav.length).toBe(44);
    expect(decodeWav(wav).pcm.length).toBe(0);
  });
});
