// Podcast audio for speech-to-text: probe a file's first bytes, then cut its byte stream into
// standalone pieces of PIECE_SECONDS (MP3, Ogg Opus/Vorbis, WAV), holding one piece at a time.
// Decoding a piece to 16 kHz mono PCM happens in a DOM context (src/offscreen/decode.ts).
export { PIECE_SECONDS } from './types';
export type { AudioFormat, AudioProbe, CutterOptions, Mp3Info, OggInfo, Piece, WavInfo } from './types';
export { AudioError, MAX_PIECE_BYTES, type AudioErrorCode } from './errors';
export { leadingTagBytes, probeAudio } from './probe';
export { pieceCount, pieceOffset, PieceCutter } from './cutter';
