// A piece of PCM as a WAV file, for services that take an audio upload: 16-bit PCM, mono, with
// the 44-byte RIFF header every decoder reads. 120 s at 16 kHz is 3.84 MB, well under the 25 MB
// OpenAI takes in one request.

/** A RIFF WAVE file of 16-bit mono PCM (samples clipped to [-1, 1]). */
export function encodeWav16(pcm: Float32Array, sampleRate: number): Uint8Array<ArrayBuffer> {
  const bytes = pcm.length * 2;
  const out = new Uint8Array(44 + bytes);
  const view = new DataView(out.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + bytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true); // bytes a second
  view.setUint16(32, 2, true); // bytes a frame
  view.setUint16(34, 16, true); // bits a sample
  ascii(36, 'data');
  view.setUint32(40, bytes, true);
  for (let i = 0; i < pcm.length; i++) {
    const s = pcm[i]!;
    // NaN (a decoder's glitch) becomes silence rather than a full-scale click.
    const clipped = s > 1 ? 1 : s < -1 ? -1 : s === s ? s : 0;
    view.setInt16(44 + i * 2, Math.round(clipped < 0 ? clipped * 32768 : clipped * 32767), true);
  }
  return out;
}
