// The shapes the audio code passes around: what probing a file's first bytes learns (AudioProbe,
// plain data, so it can be stored with a job), and the pieces the cutter makes.

/** Seconds of audio in a piece: piece k covers [k·PIECE_SECONDS, (k+1)·PIECE_SECONDS). */
export const PIECE_SECONDS = 120;

export type AudioFormat = 'mp3' | 'ogg' | 'wav';

export type Mp3Info = {
  /** MPEG version: 1, 2 or 2.5 (Layer III only). */
  version: 1 | 2 | 2.5;
  /** 1152 for MPEG-1, 576 for MPEG-2 and 2.5. */
  samplesPerFrame: number;
  /** File offset of the first audio frame (after ID3v2 tags and a Xing/Info/VBRI frame). */
  firstFrame: number;
  /** File offset of the Xing/Info/VBRI frame, when there is one (the TOC counts from it). */
  tagFrame?: number;
  /** Every frame has the same bitrate: a byte offset tells the frame index exactly. */
  cbr: boolean;
  /** Bytes per frame: exact on average for CBR (padding alternates), an estimate for VBR. */
  frameBytes: number;
  /** Audio frames in the file, from the Xing/Info/VBRI frame or the byte count (CBR). */
  frames?: number;
  /** Xing table of contents: toc[i] = 256 × (byte offset of i% of the time) / tocBytes. */
  toc?: number[];
  tocBytes?: number;
};

export type OggInfo = {
  codec: 'opus' | 'vorbis';
  /** The logical stream cut (the first Opus or Vorbis one). */
  serial: number;
  /** The pages every piece starts with (Opus: the OpusHead page and a short OpusTags page). */
  headerPages: Uint8Array;
  headerPageCount: number;
  /** Packets that are headers, skipped when reading from the start (Opus 2, Vorbis 3). */
  headerPackets: number;
  /** Granule positions count samples at this rate (Opus: always 48 kHz). */
  granuleRate: number;
  /** Opus: samples at the start that are decoder warm-up, not audio. */
  preSkip: number;
  /** File offset of the first audio page, when the head reached it. */
  audioStart?: number;
};

export type WavInfo = {
  /** The file's fmt chunk (id, size and body), copied into every piece's header. */
  fmtChunk: Uint8Array;
  /** Bytes per sample frame (all channels). */
  blockAlign: number;
  /** File offset of the first sample. */
  dataStart: number;
  /** File offset just past the samples, when the header or the file size says. */
  dataEnd?: number;
};

export type AudioProbe = {
  format: AudioFormat;
  sampleRate: number;
  channels: number;
  /** Seconds, when known (CBR from the byte count; Xing/VBRI frame count; Ogg from the tail's last granule; WAV exact). */
  durationSeconds?: number;
  /** Times of a piece read out of order are estimates (VBR MP3 without exact seeking). */
  approximate?: boolean;
  /** The file's size, when the server said. */
  totalBytes?: number;
  /** In words, for a status line: "MP3, 44.1 kHz stereo, 128 kbit/s". */
  description: string;
  mp3?: Mp3Info;
  ogg?: OggInfo;
  wav?: WavInfo;
};

export type Piece = {
  /** floor(start / pieceSeconds). */
  index: number;
  /** Seconds: the time of the piece's first frame (≈ index × pieceSeconds, within a frame). */
  start: number;
  /** Seconds of audio in the piece. */
  duration: number;
  /** A standalone decodable file: MP3 frames; Ogg header pages + pages; WAV header + samples. */
  bytes: Uint8Array;
  /** The times are estimates (VBR MP3 read out of order). */
  approximate?: boolean;
};

export type CutterOptions = {
  /** File offset the bytes pushed start at (0, or what pieceOffset said). */
  startByte: number;
  pieceSeconds?: number;
};
