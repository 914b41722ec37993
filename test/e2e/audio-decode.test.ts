// The audio pieces decode in a real browser to what the engines take, at the right times: MP3
// (MPEG-1 and MPEG-2), the demo Ogg Opus and WAV are streamed with fetch, cut by PieceCutter and
// decoded by decodePiece in plain Chromium (no extension: src/core/audio and
// src/offscreen/decode.ts are bundled for a page here). Each piece must be 16 kHz mono of its
// duration (± a frame), and the tone episode in it must say the piece starts at its `start`
// (± 0.1 s) — which proves the boundaries and times end to end. The Opus demo is speech, so its
// pieces are matched against a decode of the whole file instead.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, INSTALL_HINT } from '../../scripts/lib/chromium';
import { startServer, type StaticServer } from '../../scripts/lib/server';
import { buildAudioPage } from '../support/audio-page';
import { encodeMp3, encodeWav, toneEpisode } from '../support/tone-audio';

type Summary = {
  index: number;
  start: number;
  duration: number;
  approximate: boolean;
  samples: number;
  /** locateTone on the decoded piece. */
  located: number | null;
  /** Opus: seconds between where the piece's sound is in a decode of the whole file and `start`. */
  lag: number | null;
};

let browser: Browser;
let server: StaticServer;
let page: Page;

/** Bundles the audio code for a plain page, writes the test audio, serves both. */
async function setUp(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'earmark-audio-e2e-'));
  await buildAudioPage(dir, [
    `export { locateTone } from ${JSON.stringify(resolve('test/support/tone-audio.ts'))};`,
  ]);
  writeFileSync(join(dir, 'www', 'tone-44k.mp3'), encodeMp3(toneEpisode(300, 44100), 44100, 64));
  writeFileSync(join(dir, 'www', 'tone-16k.mp3'), encodeMp3(toneEpisode(130, 16000), 16000, 32));
  const stereo = toneEpisode(130, 44100);
  const interleaved = new Float32Array(stereo.length * 2);
  for (let i = 0; i < stereo.length; i++) interleaved[2 * i] = interleaved[2 * i + 1] = stereo[i]!;
  writeFileSync(join(dir, 'www', 'tone.wav'), encodeWav(interleaved, 44100, 2));
  server = await startServer({
    routes: [{ dir: join(dir, 'www') }, { dir: resolve('public/demo'), prefix: '/demo/' }],
  });
  const executablePath = findChromium();
  if (!executablePath) throw new Error(INSTALL_HINT);
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error', e));
  await page.goto(`${server.origin}/index.html`);
  await page.waitForFunction(() => 'audioLib' in window);
}

/** In the page: probe (head and tail by range requests), stream from `piece`'s offset, cut, decode. */
function cutAndDecode(path: string, pieceSeconds: number, fromPiece = 0, chunk = 0): Promise<Summary[]> {
  return page.evaluate(
    async ({ path, pieceSeconds, fromPiece, chunk }) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const m = (window as any).audioLib;
      const range = async (header: string) => {
        const res = await fetch(path, { headers: { Range: header } });
        return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
      };
      const head = await range('bytes=0-262143');
      const total = Number(head.res.headers.get('content-range')!.split('/')[1]);
      const tail = await range('bytes=-65536');
      const probe = m.probeAudio(head.bytes, total, tail.bytes);
      const startByte: number = fromPiece ? m.pieceOffset(probe, fromPiece, pieceSeconds) : 0;
      let whole: Float32Array | undefined;
      if (probe.format === 'ogg')
        whole = await m.decodePiece(new Uint8Array(await (await fetch(path)).arrayBuffer()));
      const res = await fetch(path, startByte ? { headers: { Range: `bytes=${startByte}-` } } : {});
      const reader = res.body!.getReader();
      const cutter = new m.PieceCutter(probe, { startByte, pieceSeconds });
      const out: Summary[] = [];
      const summarize = async (piece: {
        index: number;
        start: number;
        duration: number;
        approximate?: boolean;
        bytes: Uint8Array;
      }) => {
        const pcm: Float32Array = await m.decodePiece(piece.bytes);
        let lag: number | null = null;
        if (whole) {
          // Best match of 1 s of the piece (from 0.5 s: past the decoder's warm-up) in the whole decode.
          const from = 8000;
          const n = 16000;
          const at = Math.round(piece.start * 16000) + from;
          let best = -Infinity;
          for (let d = -3200; d <= 3200; d += 4) {
            let dot = 0;
            let norm = 1e-9;
            for (let i = 0; i < n; i += 2) {
              const w = whole[at + d + i] ?? 0;
              dot += pcm[from + i]! * w;
              norm += w * w;
            }
            const score = dot / Math.sqrt(norm);
            if (score > best) {
              best = score;
              lag = d / 16000;
            }
          }
        }
        out.push({
          index: piece.index,
          start: piece.start,
          duration: piece.duration,
          approximate: !!piece.approximate,
          samples: pcm.length,
          located: m.locateTone(pcm, 16000) ?? null,
          lag,
        });
      };
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (let at = 0; at < value.length; at += chunk || value.length)
          for (const piece of cutter.push(value.subarray(at, at + (chunk || value.length))))
            await summarize(piece);
      }
      for (const piece of cutter.end()) await summarize(piece);
      return out;
    },
    { path, pieceSeconds, fromPiece, chunk },
  );
}

/** Each piece decodes to 16 kHz mono of its duration (± `slack` seconds) and the tone says its start. */
function expectTimed(pieces: Summary[], slack: number, tone = true): void {
  for (const p of pieces) {
    expect(
      Math.abs(p.samples / 16000 - p.duration),
      `piece ${p.index}: ${p.samples} samples`,
    ).toBeLessThanOrEqual(slack);
    // A frame or two at the end (the encoder's flush) is too short to hear a tone in.
    if (tone && p.duration >= 1)
      expect(Math.abs(p.located! - p.start), `piece ${p.index} located at ${p.located}`).toBeLessThanOrEqual(
        0.1,
      );
  }
}

beforeAll(setUp);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('audio pieces decoded in Chromium', () => {
  it('MP3, 44.1 kHz (MPEG-1), 5 minutes in pieces of 60 s', async () => {
    const pieces = await cutAndDecode('/tone-44k.mp3', 60);
    expect(pieces.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]);
    // The last piece is the encoder's last frame alone: it decodes too (a silent frame is added).
    expect(pieces[5]!.duration).toBeCloseTo(1152 / 44100, 9);
    expect(pieces.slice(0, 5).every((p) => Math.abs(p.duration - 60) < 0.03)).toBe(true);
    expectTimed(pieces, 1152 / 44100);
  });

  it('MP3 read from pieceOffset(3): piece 3 first, the same times', async () => {
    const pieces = await cutAndDecode('/tone-44k.mp3', 60, 3, 4096);
    expect(pieces.map((p) => p.index)).toEqual([3, 4, 5]);
    expect(pieces[0]!.start).toBeCloseTo((Math.ceil((180 * 44100) / 1152) * 1152) / 44100, 9);
    expectTimed(pieces, 1152 / 44100);
  });

  it('MP3, 16 kHz (MPEG-2, 576 samples a frame)', async () => {
    const pieces = await cutAndDecode('/tone-16k.mp3', 30);
    expect(pieces.map((p) => p.index)).toEqual([0, 1, 2, 3, 4]);
    expectTimed(pieces, 576 / 16000);
  });

  it('WAV, 44.1 kHz stereo, mixed to mono', async () => {
    const pieces = await cutAndDecode('/tone.wav', 30, 0, 10_000);
    expect(pieces.map((p) => p.index)).toEqual([0, 1, 2, 3, 4]);
    expectTimed(pieces, 1 / 16000);
    const from = await cutAndDecode('/tone.wav', 30, 2);
    expect(from.map((p) => p.index)).toEqual([2, 3, 4]);
    expectTimed(from, 1 / 16000);
  });

  it('the demo Ogg Opus: each piece is the sound of the whole file at its start', async () => {
    const pieces = await cutAndDecode('/demo/episode.opus', 60);
    expect(pieces.map((p) => p.index)).toEqual([0, 1, 2]);
    expectTimed(pieces, 0.03, false);
    for (const p of pieces)
      expect(Math.abs(p.lag!), `piece ${p.index} lag ${p.lag}`).toBeLessThanOrEqual(0.1);
    const from = await cutAndDecode('/demo/episode.opus', 60, 2);
    expect(from.map((p) => p.index)).toEqual([2]);
    expect(Math.abs(from[0]!.lag!)).toBeLessThanOrEqual(0.1);
  });

  it('a piece that does not decode is an AudioError in words', async () => {
    const error = await page.evaluate(async () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const m = (window as any).audioLib;
      try {
        await m.decodePiece(new Uint8Array(5000).fill(7));
        return null;
      } catch (e) {
        return {
          name: (e as Error).name,
          code: (e as { code?: string }).code,
          message: (e as Error).message,
        };
      }
    });
    expect(error).toEqual({
      name: 'AudioError',
      code: 'malformed',
      message: expect.stringMatching(/could not be decoded/),
    });
  });
});
