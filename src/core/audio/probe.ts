// Telling what a podcast's audio file is from its first bytes, in words when Earmark cannot cut
// it: MP3, Ogg (Opus, Vorbis) and WAV are probed; MP4/M4A, raw AAC, FLAC, WebM, AIFF, WMA, HLS
// playlists and web pages are named and refused.
import { ascii, u32be } from './bytes';
import { AudioError } from './errors';
import { adtsAt, id3v2Size, probeMp3 } from './mp3';
import { probeOgg } from './ogg';
import type { AudioProbe } from './types';
import { probeWav } from './wav';

const unsupported = (what: string) =>
  new AudioError('unsupported', `This episode's audio is ${what}, which Earmark cannot transcribe yet.`);

/**
 * Bytes of ID3v2 tags at the start of a file. When this runs past the head read (a tag with large
 * cover art), read the head again from this offset and pass it to probeAudio with `headOffset`.
 */
export function leadingTagBytes(head: Uint8Array): number {
  return id3v2Size(head, 0);
}

/**
 * What the audio file is, from its first bytes (`head`, file offset `headOffset`, normally 0), its
 * size when the server said, and its last 64 KiB (`tail`; Ogg's duration is in it). Throws
 * AudioError: 'empty', 'unsupported' (in words naming the format) or 'malformed'.
 */
export function probeAudio(
  head: Uint8Array,
  totalBytes?: number,
  tail?: Uint8Array,
  headOffset = 0,
): AudioProbe {
  try {
    return probe(head, totalBytes, tail, headOffset);
  } catch (error) {
    if (error instanceof AudioError) throw error;
    // A parser bug on odd input must still reach the listener as words, not a RangeError.
    throw new AudioError('malformed', "This episode's audio could not be read: the file looks damaged.");
  }
}

function probe(
  head: Uint8Array,
  totalBytes: number | undefined,
  tail: Uint8Array | undefined,
  base: number,
): AudioProbe {
  if (head.length === 0 || totalBytes === 0)
    throw new AudioError('empty', "This episode's audio file is empty.");
  const tags = base === 0 ? id3v2Size(head) : 0;
  if (tags > 0 && tags + 4 > head.length)
    throw new AudioError(
      'malformed',
      `This episode's audio starts with ${Math.ceil(tags / 1024)} KB of tags, more than Earmark read: read again from byte ${tags}.`,
    );
  const at = tags;
  if (base === 0 && tags === 0) {
    if (ascii(head, 0, 'OggS')) return probeOgg(head, totalBytes, tail);
    if ((ascii(head, 0, 'RIFF') || ascii(head, 0, 'RF64')) && ascii(head, 8, 'WAVE'))
      return probeWav(head, totalBytes);
  }
  const named = nameFormat(head, at);
  if (named) throw named;
  const mp3 = probeMp3(head, base, at, totalBytes, tail);
  if (mp3) return mp3;
  // Raw AAC (ADTS) frames: their sync word is MP3's with layer bits 00.
  for (let i = head.indexOf(0xff, at); i >= 0 && i < at + 4096; i = head.indexOf(0xff, i + 1))
    if ((head[i + 1]! & 0xf6) === 0xf0 && adtsAt(head, i)) throw unsupported('raw AAC (.aac)');
  if (head.every((b) => b === 0))
    throw new AudioError('empty', "This episode's audio file holds only silence bytes (zeros).");
  throw new AudioError(
    'unsupported',
    "Earmark does not recognize this episode's audio format; it can transcribe MP3, Ogg (Opus or Vorbis) and WAV.",
  );
}

/** An AudioError naming a format that is not MP3, Ogg or WAV, when the bytes at `at` say one. */
function nameFormat(b: Uint8Array, at: number): AudioError | undefined {
  if (ascii(b, at + 4, 'ftyp')) {
    const brand = String.fromCharCode(...b.subarray(at + 8, at + 12));
    if (/^(M4A |M4B |M4P )$/.test(brand)) return unsupported('AAC in an MP4 file (.m4a)');
    return unsupported('in an MP4 file (.m4a or .mp4)');
  }
  if (ascii(b, at + 4, 'moov') || ascii(b, at + 4, 'mdat') || ascii(b, at + 4, 'free'))
    return unsupported('in an MP4 file (.m4a or .mp4)');
  if (ascii(b, at, 'fLaC')) return unsupported('FLAC');
  if (u32be(b, at) === 0x1a45dfa3 && b.length >= at + 4) return unsupported('in a WebM or Matroska file');
  if (ascii(b, at, 'FORM') && (ascii(b, at + 8, 'AIFF') || ascii(b, at + 8, 'AIFC')))
    return unsupported('AIFF');
  if (ascii(b, at, 'RIFF') || ascii(b, at, 'RF64')) return unsupported('in a RIFF file that is not WAV');
  if (ascii(b, at, 'OggS')) return unsupported('an Ogg file behind an ID3 tag');
  if (ascii(b, at, 'ADIF')) return unsupported('raw AAC (.aac)');
  if (ascii(b, at, 'MAC ')) return unsupported("Monkey's Audio (.ape)");
  if (ascii(b, at, 'wvpk')) return unsupported('WavPack');
  if (ascii(b, at, '#!AMR')) return unsupported('AMR');
  if (ascii(b, at, '.snd')) return unsupported('Sun audio (.au)');
  if (b[at] === 0x30 && b[at + 1] === 0x26 && b[at + 2] === 0xb2 && b[at + 3] === 0x75)
    return unsupported('Windows Media Audio (.wma)');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(at, at + 256)).trimStart();
  if (text.startsWith('#EXTM3U')) return unsupported('a streaming playlist (HLS)');
  if (/^(<!doctype html|<html|<\?xml|<rss|<head|<body)/i.test(text))
    return new AudioError(
      'unsupported',
      "The episode's audio address returned a web page or a document, not audio.",
    );
  return undefined;
}
