// Generated audio whose content says where in the episode it is: second s of a "tone episode"
// is a sine at toneHz(s). A test server that receives any piece of it (decoded, resampled, as a
// WAV) can tell which seconds of the episode the piece holds, and so answer like a speech-to-text
// service would: with the scripted words said in those seconds, timed from the piece's start.
// Encoders: WAV (16-bit PCM) by hand, MP3 with lamejs (a dev dependency, for tests and benches).
import { Mp3Encoder } from '@breezystack/lamejs';

/** The tone of second `s`: 300 Hz, then 20 Hz higher each second (s < 300 stays under 6.3 kHz). */
export const toneHz = (s: number): number => 300 + 20 * (s % 300);

/** `seconds` of tone episode at `sampleRate`, mono, amplitude 0.5. */
export function toneEpisode(seconds: number, sampleRate: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRate));
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    const f = toneHz(Math.floor(i / sampleRate));
    phase += (2 * Math.PI * f) / sampleRate;
    if (phase > 2 * Math.PI) phase -= 2 * Math.PI;
    out[i] = 0.5 * Math.sin(phase);
  }
  return out;
}

function toInt16(pcm: Float32Array): Int16Array {
  const out = new Int16Array(pcm.length);
  for (let i = 0; i < pcm.length; i++)
    out[i] = Math.max(-32768, Math.min(32767, Math.round(pcm[i]! * 32767)));
  return out;
}

/** A RIFF WAVE file of 16-bit PCM. */
export function encodeWav(pcm: Float32Array, sampleRate: number, channels = 1): Uint8Array {
  const data = toInt16(pcm);
  const out = new Uint8Array(44 + data.byteLength);
  const view = new DataView(out.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + data.byteLength, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, data.byteLength, true);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 44);
  return out;
}

/** A constant-bitrate MP3 (lamejs), frames only: no ID3 tag, no Info frame. */
export function encodeMp3(pcm: Float32Array, sampleRate: number, kbps = 64): Uint8Array {
  const encoder = new Mp3Encoder(1, sampleRate, kbps);
  const samples = toInt16(pcm);
  const parts: Uint8Array[] = [];
  const block = 1152 * 16;
  for (let i = 0; i < samples.length; i += block) {
    const out = encoder.encodeBuffer(samples.subarray(i, i + block));
    if (out.length) parts.push(new Uint8Array(out.buffer, out.byteOffset, out.length).slice());
  }
  const end = encoder.flush();
  if (end.length) parts.push(new Uint8Array(end.buffer, end.byteOffset, end.length).slice());
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Reads a 16-bit PCM WAV (any rate, channels mixed to mono). */
export function decodeWav(bytes: Uint8Array): { sampleRate: number; pcm: Float32Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a WAV file');
  let offset = 12;
  let sampleRate = 0;
  let channels = 1;
  let bits = 16;
  while (offset + 8 <= bytes.length) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (view.getUint16(body, true) !== 1) throw new Error('WAV is not PCM');
      channels = view.getUint16(body + 2, true);
      sampleRate = view.getUint32(body + 4, true);
      bits = view.getUint16(body + 14, true);
    } else if (id === 'data') {
      if (bits !== 16 || !sampleRate) throw new Error('WAV is not 16-bit PCM with a fmt chunk');
      const frames = Math.floor(Math.min(size, bytes.length - body) / (2 * channels));
      const pcm = new Float32Array(frames);
      for (let i = 0; i < frames; i++) {
        let sum = 0;
        for (let c = 0; c < channels; c++) sum += view.getInt16(body + (i * channels + c) * 2, true);
        pcm[i] = sum / channels / 32768;
      }
      return { sampleRate, pcm };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAV has no data chunk');
}

/** Frequency of a stretch of audio, from its zero crossings. */
function frequencyOf(pcm: Float32Array, from: number, to: number, sampleRate: number): number {
  let crossings = 0;
  let first = -1;
  let last = -1;
  for (let i = from + 1; i < to; i++) {
    if (pcm[i - 1]! < 0 && pcm[i]! >= 0) {
      crossings++;
      if (first < 0) first = i;
      last = i;
    }
  }
  return crossings > 1 ? ((crossings - 1) * sampleRate) / (last - first) : 0;
}

/**
 * Where a piece of tone episode lies in the episode: the episode second at which the piece
 * starts (fractional), or undefined when it is not tone episode (silence, noise, too short).
 * Reads each whole second of the piece; the boundaries between tones fix the phase.
 */
export function locateTone(pcm: Float32Array, sampleRate: number): number | undefined {
  const step = Math.round(sampleRate / 20); // 50 ms
  const window = step * 4; // 200 ms: 4 Hz+ resolution, tones are 20 Hz apart
  const seconds: { at: number; s: number }[] = [];
  for (let from = 0; from + window <= pcm.length; from += step) {
    const f = frequencyOf(pcm, from, from + window, sampleRate);
    const s = Math.round((f - 300) / 20);
    if (s >= 0 && Math.abs(toneHz(s) - f) < 5) seconds.push({ at: from / sampleRate, s });
  }
  if (seconds.length < 4) return undefined;
  // A window that starts in second s says the piece starts at or after s - at; the windows that
  // start right at a boundary say it exactly. The 95th percentile, against a stray window.
  const starts = seconds.map(({ at, s }) => s - at).sort((a, b) => a - b);
  return starts[Math.floor((starts.length - 1) * 0.95)];
}
