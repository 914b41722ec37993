// Cutting Ogg into pieces: each piece is the stream's header pages then whole pages, renumbered,
// with valid CRCs; times come from granule positions (Opus at 48 kHz, less the pre-skip), so they
// are exact whether read from the start or from pieceOffset(k); the duration comes from the tail.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AudioError,
  PieceCutter,
  pieceOffset,
  probeAudio,
  type AudioProbe,
  type Piece,
} from '../../../src/core/audio';
import { makePage, pageAt, pageCrc, type OggPage } from '../../../src/core/audio/ogg';

const opus = new Uint8Array(readFileSync('public/demo/episode.opus'));
const P = 30;

type Page = { at: number; bytes: Uint8Array; page: OggPage };

/** Every page of an Ogg file, walked by the header's sizes. */
function pagesOf(bytes: Uint8Array): Page[] {
  const out: Page[] = [];
  for (let at = 0; at < bytes.length;) {
    const page = pageAt(bytes, at);
    if (!page || page === 'short') throw new Error(`no page at ${at}`);
    out.push({ at, bytes: bytes.subarray(at, at + page.length), page });
    at += page.length;
  }
  return out;
}

const body = (p: Page) => p.bytes.subarray(p.page.body);
const hex = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');
const digest = (pieces: Piece[]) => pieces.map(({ bytes, ...rest }) => ({ ...rest, bytes: hex(bytes) }));

function probeOf(file: Uint8Array, withTail = true): AudioProbe {
  return probeAudio(
    file.subarray(0, 256 * 1024),
    file.length,
    withTail ? file.subarray(Math.max(0, file.length - 65536)) : undefined,
  );
}

function cut(probe: AudioProbe, file: Uint8Array, startByte = 0, chunk = 65536, pieceSeconds = P): Piece[] {
  const cutter = new PieceCutter(probe, { startByte, pieceSeconds });
  const pieces: Piece[] = [];
  for (let at = startByte; at < file.length; at += chunk)
    pieces.push(...cutter.push(file.subarray(at, at + chunk)));
  pieces.push(...cutter.end());
  return pieces;
}

describe('the demo episode (Ogg Opus)', () => {
  const file = pagesOf(opus);
  const probe = probeOf(opus);
  const preSkip = new DataView(body(file[0]!).buffer, body(file[0]!).byteOffset).getUint16(10, true);
  const audio = file.slice(2); // OpusHead, OpusTags, then audio pages

  it('checks page CRCs as the encoder wrote them', () => {
    for (const p of file)
      expect(pageCrc(p.bytes)).toBe(new DataView(p.bytes.buffer, p.bytes.byteOffset).getUint32(22, true));
  });

  it('probes Opus at 48 kHz, its duration from the last granule in the tail (about 3 minutes)', () => {
    expect(probe).toMatchObject({ format: 'ogg', sampleRate: 48000, channels: 1 });
    expect(probe.ogg).toMatchObject({ codec: 'opus', preSkip, headerPackets: 2, audioStart: audio[0]!.at });
    expect(probe.durationSeconds).toBeCloseTo((file.at(-1)!.page.granule! - preSkip) / 48000, 9);
    expect(probe.durationSeconds).toBeGreaterThan(170);
    expect(probe.durationSeconds).toBeLessThan(190);
    expect(probeOf(opus, false).durationSeconds).toBeUndefined();
    expect(pieceOffset(probeOf(opus, false), 2, P)).toBeUndefined();
  });

  const pieces = cut(probe, opus);

  it('starts every piece with the header pages: the file’s OpusHead, then a short OpusTags', () => {
    expect(pieces.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const piece of pieces) {
      const pages = pagesOf(piece.bytes);
      expect(hex(pages[0]!.bytes)).toBe(hex(file[0]!.bytes));
      expect(new TextDecoder().decode(body(pages[1]!).subarray(0, 8))).toBe('OpusTags');
      expect(pages[1]!.bytes.length).toBeLessThan(file[1]!.bytes.length);
      expect(pages.map((p) => p.page.seq)).toEqual(pages.map((_, i) => i));
      expect(pages.every((p) => p.page.serial === file[0]!.page.serial)).toBe(true);
    }
  });

  it('puts every audio page in exactly one piece, in order, with its granule', () => {
    const got = pieces.flatMap((piece) => pagesOf(piece.bytes).slice(2));
    expect(got.map((p) => p.page.granule)).toEqual(audio.map((p) => p.page.granule));
    expect(got.map((p) => hex(body(p)))).toEqual(audio.map((p) => hex(body(p))));
  });

  it('times each piece by granules: it starts where the page before it ends, at the first page ≥ k·P', () => {
    let i = 0; // index in `audio` of the piece's first page
    for (const piece of pieces) {
      const n = pagesOf(piece.bytes).length - 2;
      const before = i === 0 ? 0 : audio[i - 1]!.page.granule!;
      const start = Math.max(0, before - preSkip) / 48000;
      expect(piece.start).toBeCloseTo(start, 9);
      expect(piece.duration).toBeCloseTo(
        Math.max(0, audio[i + n - 1]!.page.granule! - preSkip) / 48000 - start,
        9,
      );
      expect(piece.start).toBeGreaterThanOrEqual(piece.index * P);
      if (i > 0) {
        const pageBefore = Math.max(0, (i === 1 ? 0 : audio[i - 2]!.page.granule!) - preSkip) / 48000;
        expect(pageBefore).toBeLessThan(piece.index * P);
      }
      i += n;
    }
    expect(i).toBe(audio.length);
  });

  it('gives the same pieces in chunks of 1, 7 or 65,536 bytes', () => {
    for (const chunk of [1, 7, 65536]) expect(digest(cut(probe, opus, 0, chunk))).toEqual(digest(pieces));
  });

  it('reads piece k whole from pieceOffset(k): same index, time and bytes', () => {
    for (const k of [1, 3, 5]) {
      const offset = pieceOffset(probe, k, P)!;
      expect(offset).toBeGreaterThan(audio[0]!.at);
      expect(digest(cut(probe, opus, offset, 4096))).toEqual(digest(pieces.slice(k)));
    }
    expect(pieceOffset(probe, 7, P)).toBeUndefined(); // past the end
  });

  it('drops a damaged page (CRC) and keeps the others, times still from granules', () => {
    const damaged = opus.slice();
    const victim = audio[40]!;
    const hit = victim.at + victim.page.body + 100;
    damaged[hit] = damaged[hit]! ^ 0xff;
    const got = cut(probeOf(damaged), damaged, 0, 5000);
    const pages = got.flatMap((piece) => pagesOf(piece.bytes).slice(2));
    expect(pages.map((p) => p.page.granule)).toEqual(
      audio.filter((p) => p !== victim).map((p) => p.page.granule),
    );
    expect(digest(got.slice(2))).toEqual(digest(pieces.slice(2)));
  });

  it('survives garbage between pages and a truncated last page', () => {
    const at = audio[100]!.at;
    const junk = new Uint8Array(5000).fill(0x4f); // "O"s: the start of "OggS", again and again
    const cutAt = audio.at(-1)!.at + 30; // inside the last page
    const file2 = new Uint8Array([...opus.subarray(0, at), ...junk, ...opus.subarray(at, cutAt)]);
    const got = cut(probeAudio(file2.subarray(0, 256 * 1024)), file2, 0, 3000);
    const pages = got.flatMap((piece) => pagesOf(piece.bytes).slice(2));
    expect(pages.map((p) => p.page.granule)).toEqual(audio.slice(0, -1).map((p) => p.page.granule));
  });
});

/**
 * A synthetic Ogg stream: header packets, then audio packets of `packetBytes` bytes lasting
 * `packetSamples` each, paged every `segmentsPerPage` lacing values (so packets straddle pages).
 */
function synthOgg(opts: {
  headers: Uint8Array[];
  packets: number;
  packetBytes: number;
  packetSamples: number;
  segmentsPerPage: number;
  serial?: number;
}): Uint8Array {
  const serial = opts.serial ?? 1234;
  const pages: Uint8Array[] = [];
  let seq = 0;
  for (const [i, header] of opts.headers.entries()) {
    const lacing = [...new Array<number>(Math.floor(header.length / 255)).fill(255), header.length % 255];
    pages.push(makePage({ flags: i === 0 ? 2 : 0, granule: 0, serial, seq: seq++, lacing, body: header }));
  }
  // Segments of all packets, each tagged with the packet it ends (or -1).
  const segments: { size: number; ends: number; packet: number; offset: number }[] = [];
  for (let p = 0; p < opts.packets; p++) {
    let left = opts.packetBytes;
    let offset = 0;
    for (;;) {
      const size = Math.min(255, left);
      left -= size;
      segments.push({ size, ends: size < 255 ? p : -1, packet: p, offset });
      offset += size;
      if (size < 255) break;
    }
  }
  for (let s = 0; s < segments.length; s += opts.segmentsPerPage) {
    const chunk = segments.slice(s, s + opts.segmentsPerPage);
    const ended = chunk.filter((c) => c.ends >= 0).map((c) => c.ends);
    const continued = s > 0 && segments[s - 1]!.ends < 0;
    const bodyBytes = new Uint8Array(chunk.reduce((n, c) => n + c.size, 0));
    let at = 0;
    for (const c of chunk) {
      bodyBytes.fill((c.packet * 7 + c.offset) & 0xff, at, at + c.size); // recognisable bytes
      at += c.size;
    }
    const last = s + opts.segmentsPerPage >= segments.length;
    pages.push(
      makePage({
        flags: (continued ? 1 : 0) | (last ? 4 : 0),
        granule: ended.length ? (ended.at(-1)! + 1) * opts.packetSamples : undefined,
        serial,
        seq: seq++,
        lacing: chunk.map((c) => c.size),
        body: bodyBytes,
      }),
    );
  }
  const out = new Uint8Array(pages.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pages) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function opusHead(preSkip: number): Uint8Array {
  const head = new Uint8Array(19);
  head.set(new TextEncoder().encode('OpusHead'));
  head[8] = 1;
  head[9] = 2;
  new DataView(head.buffer).setUint16(10, preSkip, true);
  new DataView(head.buffer).setUint32(12, 44100, true);
  return head;
}

describe('Ogg pages that continue a packet across a piece boundary', () => {
  // 20 ms Opus packets of 600 bytes (3 lacing values), pages of 10 lacing values: most pages
  // start inside a packet.
  const file = synthOgg({
    headers: [opusHead(312), new TextEncoder().encode('OpusTags\x05\0\0\0tests\0\0\0\0')],
    packets: 3000, // 60 s
    packetBytes: 600,
    packetSamples: 960,
    segmentsPerPage: 10,
  });
  const probe = probeOf(file);

  it('strips the end of a packet begun in the previous piece, so each piece starts on a whole packet', () => {
    const pieces = cut(probe, file, 0, 65536, 10);
    expect(pieces.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const piece of pieces) {
      const pages = pagesOf(piece.bytes).slice(2);
      expect(pages[0]!.page.flags & 1).toBe(0); // not continued
      expect(pages.slice(1).some((p) => p.page.flags & 1)).toBe(true); // later pages still are
      // Whole packets of 600 bytes follow from the first audio page.
      expect(pages[0]!.page.lacing.slice(0, 3)).toEqual(new Uint8Array([255, 255, 90]));
      expect(piece.start).toBeGreaterThanOrEqual(piece.index * 10);
      expect(piece.start).toBeLessThan(piece.index * 10 + 0.1);
      expect(pages.map((p) => p.page.seq)).toEqual(pages.map((_, i) => i + 2));
    }
    expect(probe.durationSeconds).toBeCloseTo((3000 * 960 - 312) / 48000, 9);
  });

  it('reads piece k from pieceOffset(k) the same', () => {
    const all = cut(probe, file, 0, 65536, 10);
    for (const k of [2, 4])
      expect(digest(cut(probe, file, pieceOffset(probe, k, 10)!, 999, 10))).toEqual(digest(all.slice(k)));
  });
});

describe('Ogg Vorbis', () => {
  const id = new Uint8Array(30);
  id.set([1, ...new TextEncoder().encode('vorbis')]);
  id[11] = 2;
  new DataView(id.buffer).setUint32(12, 44100, true);
  id[29] = 1;
  const comment = new Uint8Array([3, ...new TextEncoder().encode('vorbis'), 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  const setup = new Uint8Array(4000).fill(5);
  setup.set([5, ...new TextEncoder().encode('vorbis')]);
  const file = synthOgg({
    headers: [id, comment, setup],
    packets: 2000,
    packetBytes: 200,
    packetSamples: 1024,
    segmentsPerPage: 40,
  });

  it('keeps all three header packets (the setup header is needed to decode) and times by the sample rate', () => {
    const probe = probeOf(file);
    expect(probe).toMatchObject({ format: 'ogg', sampleRate: 44100, channels: 2 });
    expect(probe.ogg).toMatchObject({ codec: 'vorbis', headerPackets: 3, headerPageCount: 3, preSkip: 0 });
    expect(probe.durationSeconds).toBeCloseTo((2000 * 1024) / 44100, 9);
    const pieces = cut(probe, file, 0, 65536, 10);
    expect(pieces.map((p) => p.index)).toEqual([0, 1, 2, 3, 4]);
    for (const piece of pieces) {
      const pages = pagesOf(piece.bytes);
      expect(pages.slice(0, 3).map((p) => hex(p.bytes))).toEqual(
        pagesOf(file)
          .slice(0, 3)
          .map((p) => hex(p.bytes)),
      );
      expect(piece.start).toBeGreaterThanOrEqual(piece.index * 10);
    }
  });
});

describe('Ogg that Earmark does not cut', () => {
  it.each([
    ['\x7fFLAC', /FLAC in an Ogg file/],
    ['Speex   ', /Speex in an Ogg file/],
    ['\x80theora', /Theora video in an Ogg file/],
    ['whatever', /Ogg file with a codec Earmark does not know/],
  ])('%s → unsupported, in words', (magic, words) => {
    const header = Uint8Array.from(`${magic}${'\0'.repeat(40)}`, (c) => c.charCodeAt(0));
    const file = synthOgg({
      headers: [header],
      packets: 10,
      packetBytes: 100,
      packetSamples: 960,
      segmentsPerPage: 5,
    });
    let error: unknown;
    try {
      probeOf(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AudioError);
    expect((error as AudioError).code).toBe('unsupported');
    expect((error as AudioError).message).toMatch(words);
  });
});
