// Decoding one piece of episode audio (a standalone MP3/Ogg/WAV file cut by src/core/audio) into
// what the speech engines take: 16 kHz mono Float32 PCM. Needs Web Audio, so it runs in a DOM
// context (Chrome's offscreen document, Firefox's background page).
import { AudioError } from '../core/audio';
import { STT_SAMPLE_RATE } from '../core/transcribe/types';

/**
 * The piece's audio at STT_SAMPLE_RATE, its channels mixed to mono. Throws AudioError 'malformed'.
 * decodeAudioData detaches the buffer it is given: a piece that owns its whole buffer (as the
 * cutter's do) is handed over as it is and must not be read again; a view into a larger one is copied.
 */
export async function decodePiece(bytes: Uint8Array): Promise<Float32Array> {
  // decodeAudioData resamples to its context's rate; the context renders nothing (1 frame).
  const context = new OfflineAudioContext(1, 1, STT_SAMPLE_RATE);
  let audio: AudioBuffer;
  try {
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    audio = await context.decodeAudioData((whole ? bytes : bytes.slice()).buffer as ArrayBuffer);
  } catch {
    throw new AudioError(
      'malformed',
      "A piece of this episode's audio could not be decoded: the file is damaged or not what it says.",
    );
  }
  if (audio.length === 0)
    throw new AudioError('malformed', "A piece of this episode's audio decoded to no sound at all.");
  if (audio.numberOfChannels === 1) return audio.getChannelData(0);
  const mono = new Float32Array(audio.length);
  const scale = 1 / audio.numberOfChannels;
  for (let c = 0; c < audio.numberOfChannels; c++) {
    const channel = audio.getChannelData(c);
    for (let i = 0; i < mono.length; i++) mono[i]! += channel[i]! * scale;
  }
  return mono;
}
