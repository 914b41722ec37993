// Ogg (Opus or Vorbis): pages, their CRC, probing the head (codec, header pages) and the tail
// (duration from the last granule position), and cutting a stream of pages into pieces. A page is
// trusted when "OggS", version 0 and its CRC check out. Every piece starts with the stream's
// header pages (Opus: OpusHead and a short OpusTags of our own, so cover art is not copied into
// each piece), its pages renumbered to follow them (Firefox's Ogg reader checks), and a packet
// continued from the previous piece cut off its first page. Times come from granule positions:
// a page's audio starts where the previous page's granule says, so they are exact in any order.
import { ascii, ByteQueue, concatBytes, u16le, u32le } from './bytes';
import { AudioError, MAX_GARBAGE_BYTES, noAudioFound } from './errors';
import { PieceBuilder, type Demuxer } from './pieces';
import type { AudioProbe, OggInfo, Piece } from './types';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/** The page's CRC, computed with its CRC field taken as zero. */
export function pageCrc(page: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < page.length; i++) {
    const byte = i >= 22 && i < 26 ? 0 : page[i]!;
    crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  }
  return crc;
}

export type OggPage = {
  /** Bytes in the page, header included. */
  length: number;
  flags: number;
  /** Granule position; undefined when -1 (no packet ends on the page). */
  granule: number | undefined;
  serial: number;
  seq: number;
  lacing: Uint8Array;
  /** Offset of the body from the page's start. */
  body: number;
};

const CONTINUED = 1;
const BOS = 2;
const EOS = 4;
/** Largest possible page: 27 + 255 + 255 × 255. */
const MAX_PAGE = 65307;

/** The page at b[i]: a page, 'short' when more bytes are needed, or undefined when it is not one. */
export function pageAt(b: Uint8Array, i: number): OggPage | 'short' | undefined {
  if (i + 4 <= b.length && !ascii(b, i, 'OggS')) return undefined;
  if (i + 27 > b.length) return 'short';
  if (b[i + 4] !== 0) return undefined;
  const segments = b[i + 26]!;
  if (i + 27 + segments > b.length) return 'short';
  const lacing = b.subarray(i + 27, i + 27 + segments);
  let size = 0;
  for (const l of lacing) size += l;
  const length = 27 + segments + size;
  if (i + length > b.length) return 'short';
  if (pageCrc(b.subarray(i, i + length)) !== u32le(b, i + 22)) return undefined;
  const lo = u32le(b, i + 6);
  const hi = u32le(b, i + 10);
  return {
    length,
    flags: b[i + 5]!,
    granule: lo === 0xffffffff && hi === 0xffffffff ? undefined : hi * 2 ** 32 + lo,
    serial: u32le(b, i + 14),
    seq: u32le(b, i + 18),
    lacing,
    body: 27 + segments,
  };
}

const packetsEnding = (lacing: Uint8Array): number => lacing.reduce((n, l) => n + (l < 255 ? 1 : 0), 0);

/** A page of whole packets (used for the OpusTags header we write). */
export function makePage(opts: {
  flags: number;
  granule: number | undefined;
  serial: number;
  seq: number;
  lacing: readonly number[];
  body: Uint8Array;
}): Uint8Array {
  const page = new Uint8Array(27 + opts.lacing.length + opts.body.length);
  const view = new DataView(page.buffer);
  page.set([0x4f, 0x67, 0x67, 0x53, 0, opts.flags]);
  const g = opts.granule;
  view.setUint32(6, g === undefined ? 0xffffffff : g % 2 ** 32, true);
  view.setUint32(10, g === undefined ? 0xffffffff : Math.floor(g / 2 ** 32), true);
  view.setUint32(14, opts.serial, true);
  view.setUint32(18, opts.seq, true);
  page[26] = opts.lacing.length;
  page.set(opts.lacing, 27);
  page.set(opts.body, 27 + opts.lacing.length);
  view.setUint32(22, pageCrc(page), true);
  return page;
}

function lacingOf(length: number): number[] {
  const out: number[] = new Array<number>(Math.floor(length / 255)).fill(255);
  out.push(length % 255);
  return out;
}

function opusTagsPage(serial: number): Uint8Array {
  const vendor = new TextEncoder().encode('Earmark');
  const body = new Uint8Array(8 + 4 + vendor.length + 4);
  body.set(new TextEncoder().encode('OpusTags'));
  new DataView(body.buffer).setUint32(8, vendor.length, true);
  body.set(vendor, 12);
  return makePage({ flags: 0, granule: 0, serial, seq: 1, lacing: lacingOf(body.length), body });
}

/** Renumbers a page (a copy) and, when asked, cuts off the end of a packet begun on an earlier page. */
function rewritePage(src: Uint8Array, page: OggPage, seq: number, strip: boolean): Uint8Array | undefined {
  if (strip && page.flags & CONTINUED) {
    const end = page.lacing.findIndex((l) => l < 255);
    if (end < 0) return undefined; // all of it continues that packet
    const lacing = Array.from(page.lacing.subarray(end + 1));
    if (lacing.length === 0) return undefined;
    let skip = 0;
    for (let j = 0; j <= end; j++) skip += page.lacing[j]!;
    return makePage({
      flags: page.flags & ~CONTINUED,
      granule: lacing.some((l) => l < 255) ? page.granule : undefined,
      serial: page.serial,
      seq,
      lacing,
      body: src.subarray(page.body + skip, page.length),
    });
  }
  const out = src.slice(0, page.length);
  new DataView(out.buffer).setUint32(18, seq, true);
  new DataView(out.buffer).setUint32(22, pageCrc(out), true);
  return out;
}

const CODECS: [string, string][] = [
  ['OpusHead', 'opus'],
  ['\x01vorbis', 'vorbis'],
  ['\x7fFLAC', 'FLAC'],
  ['Speex   ', 'Speex'],
  ['\x80theora', 'Theora video'],
  ['fishead\0', 'skeleton'],
  ['OVP80', 'VP8 video'],
];

/** Probes an Ogg file from its head (and its tail, for the duration). */
export function probeOgg(
  head: Uint8Array,
  totalBytes: number | undefined,
  tail: Uint8Array | undefined,
): AudioProbe {
  const malformed = () =>
    new AudioError('malformed', "This episode's Ogg audio is damaged: its first pages do not read.");
  let at = 0;
  const codecs: { serial: number; codec: string; page: OggPage; offset: number }[] = [];
  // The BOS pages come first, one per logical stream.
  for (;;) {
    const page = pageAt(head, at);
    if (page === undefined || page === 'short') {
      if (codecs.length) break;
      throw malformed();
    }
    if (!(page.flags & BOS)) break;
    const body = head.subarray(at + page.body, at + page.length);
    const codec = CODECS.find(([magic]) => ascii(body, 0, magic))?.[1] ?? 'unknown';
    codecs.push({ serial: page.serial, codec, page, offset: at });
    at += page.length;
  }
  const chosen = codecs.find((c) => c.codec === 'opus' || c.codec === 'vorbis');
  if (!chosen) {
    const named = codecs.find((c) => c.codec !== 'skeleton')?.codec ?? 'unknown';
    throw new AudioError(
      'unsupported',
      named === 'unknown'
        ? "This episode's audio is in an Ogg file with a codec Earmark does not know; it can transcribe Ogg Opus and Ogg Vorbis."
        : `This episode's audio is ${named} in an Ogg file, which Earmark cannot transcribe yet.`,
    );
  }
  const { serial, page: first, offset } = chosen;
  const idPacket = head.subarray(offset + first.body, offset + first.length);
  const opus = chosen.codec === 'opus';
  const headerPackets = opus ? 2 : 3;

  // Walk our stream's header pages: Vorbis needs them all (the setup header is in the third packet).
  const pages: Uint8Array[] = [head.subarray(offset, offset + first.length)];
  let packets = packetsEnding(first.lacing);
  let audioStart: number | undefined;
  let p = at;
  while (packets < headerPackets) {
    const page = pageAt(head, p);
    if (page === 'short' || page === undefined) break;
    if (page.serial === serial) {
      packets += packetsEnding(page.lacing);
      if (!opus) pages.push(head.subarray(p, p + page.length));
    }
    p += page.length;
  }
  if (packets >= headerPackets) audioStart = p;
  else if (!opus)
    throw new AudioError(
      'unsupported',
      "This episode's Ogg Vorbis headers are larger than Earmark reads before cutting the audio (256 KB).",
    );

  let channels: number;
  let sampleRate: number;
  let preSkip = 0;
  if (opus) {
    if (idPacket.length < 19) throw malformed();
    channels = idPacket[9]!;
    preSkip = u16le(idPacket, 10);
    sampleRate = 48000; // Opus always decodes at 48 kHz; granules count at 48 kHz too
  } else {
    if (idPacket.length < 30) throw malformed();
    channels = idPacket[11]!;
    sampleRate = u32le(idPacket, 12);
  }
  if (!channels || !sampleRate) throw malformed();
  const headerPages = opus ? concatBytes([pages[0]!, opusTagsPage(serial)]) : concatBytes(pages);
  const info: OggInfo = {
    codec: opus ? 'opus' : 'vorbis',
    serial,
    headerPages,
    headerPageCount: opus ? 2 : pages.length,
    headerPackets,
    granuleRate: sampleRate,
    preSkip,
  };
  if (audioStart !== undefined) info.audioStart = audioStart;

  const whole = totalBytes !== undefined && head.length >= totalBytes;
  const last = lastGranule(whole ? head : tail, serial);
  const probe: AudioProbe = {
    format: 'ogg',
    sampleRate,
    channels,
    description: `Ogg ${opus ? 'Opus' : 'Vorbis'}, ${channels === 1 ? 'mono' : channels === 2 ? 'stereo' : `${channels} channels`}`,
    ogg: info,
  };
  if (totalBytes !== undefined) probe.totalBytes = totalBytes;
  if (last !== undefined && (whole || tail)) {
    probe.durationSeconds = Math.max(0, last - preSkip) / sampleRate;
    if (totalBytes && probe.durationSeconds > 0)
      probe.description += `, ${Math.round((totalBytes * 8) / probe.durationSeconds / 1000)} kbit/s`;
  }
  return probe;
}

/** The granule position of the last whole page of a stream in some bytes (a file's tail). */
function lastGranule(bytes: Uint8Array | undefined, serial: number): number | undefined {
  if (!bytes) return undefined;
  let last: number | undefined;
  let i = 0;
  while (i + 27 <= bytes.length) {
    const at = bytes.indexOf(0x4f, i);
    if (at < 0) break;
    const page = pageAt(bytes, at);
    if (page && page !== 'short') {
      if (page.serial === serial && page.granule !== undefined) last = page.granule;
      i = at + page.length;
    } else i = at + 1;
  }
  return last;
}

/** Where to read from so that piece k comes out whole: half a piece early, by the average bitrate. */
export function oggPieceOffset(
  probe: AudioProbe,
  info: OggInfo,
  k: number,
  pieceSeconds: number,
): number | undefined {
  if (k <= 0) return 0;
  const { durationSeconds: duration, totalBytes } = probe;
  if (!duration || !totalBytes) return undefined;
  const audioStart = info.audioStart ?? 0;
  const t = Math.max(0, k * pieceSeconds - pieceSeconds / 2);
  return Math.floor(audioStart + (totalBytes - audioStart) * Math.min(1, t / duration));
}

export class OggDemuxer implements Demuxer {
  private readonly q: ByteQueue;
  private readonly fromStart: boolean;
  private readonly piece = new PieceBuilder();
  private headerPacketsLeft: number;
  /** Granule position where the next page's audio starts; undefined until a page tells. */
  private prev: number | undefined;
  private endTime = 0;
  private seq = 0;
  private strip = false;
  private firstPiece = true;
  private ended = false;
  private garbage = 0;

  constructor(
    private readonly info: OggInfo,
    startByte: number,
    private readonly pieceSeconds: number,
  ) {
    this.fromStart = startByte === 0;
    this.q = new ByteQueue(startByte);
    this.headerPacketsLeft = this.fromStart ? info.headerPackets : 0;
    this.prev = this.fromStart ? 0 : undefined;
  }

  push(bytes: Uint8Array, out: Piece[]): void {
    this.q.push(bytes);
    this.run(out, false);
  }

  end(out: Piece[]): void {
    this.run(out, true);
    this.piece.finish(out);
  }

  private run(out: Piece[], atEnd: boolean): void {
    const q = this.q;
    for (;;) {
      const b = q.view();
      if (b.length === 0) return;
      if (!ascii(b, 0, 'OggS')) {
        let at = 1;
        for (;;) {
          at = b.indexOf(0x4f, at);
          if (at < 0 || at + 4 > b.length || ascii(b, at, 'OggS')) break;
          at++;
        }
        if (at < 0) {
          this.skip(atEnd ? b.length : Math.max(0, b.length - 3));
          return;
        }
        const whole = at + 4 <= b.length;
        this.skip(at);
        if (!whole) {
          if (atEnd) q.consume(q.length);
          return;
        }
        continue;
      }
      const page = pageAt(b, 0);
      if (page === 'short') {
        if (atEnd) q.consume(b.length); // a truncated last page
        return;
      }
      if (page === undefined) {
        this.skip(1); // "OggS" inside data, or a damaged page
        continue;
      }
      this.page(b, page, out);
      q.consume(page.length);
      this.garbage = 0;
    }
  }

  private skip(n: number): void {
    this.q.consume(n);
    this.garbage += n;
    if (this.garbage > MAX_GARBAGE_BYTES + MAX_PAGE) throw noAudioFound();
  }

  private page(src: Uint8Array, page: OggPage, out: Piece[]): void {
    const { info, pieceSeconds } = this;
    if (page.serial !== info.serial || this.ended) return;
    if (this.headerPacketsLeft > 0) {
      this.headerPacketsLeft -= packetsEnding(page.lacing);
      return;
    }
    if (page.flags & BOS) return;
    if (page.flags & EOS) this.ended = true;
    if (this.prev === undefined) {
      // Read from the middle: this page only tells where the next one starts.
      this.prev = page.granule;
      return;
    }
    const rate = info.granuleRate;
    const startSamples = Math.max(0, this.prev - info.preSkip);
    const k = Math.floor(startSamples / (pieceSeconds * rate) + 1e-9);
    if (this.piece.index !== k) {
      if (this.piece.index !== undefined) this.piece.finish(out);
      // From the middle, the first piece may have begun on a page before the one read first.
      const keep = !this.firstPiece || this.fromStart;
      this.firstPiece = false;
      this.endTime = startSamples / rate;
      this.piece.begin(k, this.endTime, keep, info.headerPages);
      this.seq = info.headerPageCount;
      this.strip = true;
    }
    if (page.granule !== undefined) {
      this.prev = page.granule;
      this.endTime = Math.max(this.endTime, Math.max(0, page.granule - info.preSkip) / rate);
    }
    const bytes = rewritePage(src, page, this.seq, this.strip);
    if (!bytes) return; // a page that only continues a packet begun in the previous piece
    this.strip = false;
    this.seq++;
    this.piece.append(bytes, this.endTime);
  }
}
