// Transcription's audio side on a 1-hour episode, in real Chromium, as the product does it
// (issue 10): a local HTTP server serves a 1-hour MP3 (60 s of tone episode at 44.1 kHz,
// 128 kbit/s, encoded once with lamejs, its frames repeated 60 times: ~57.6 MB); a page probes
// its head and tail with range requests, streams it with fetch into PieceCutter (120 s pieces),
// and decodes every piece with decodePiece (16 kHz mono; the PCM is dropped). The page's code is
// src/core/audio and src/offscreen/decode.ts, bundled with vite for a plain page.
//   audio.decode_1h_s         wall time in the page from the first request to the last piece
//                             decoded; median of 3 runs, each in a fresh browser context
//   audio.decode_x_realtime   3600 s over that time
//   audio.peak_rss_mb         the renderer process's peak resident memory (VmHWM in
//                             /proc/<pid>/status; the highest of the renderers CDP
//                             SystemInfo.getProcessInfo lists as new for the run's context),
//                             the highest of the runs
//   audio.heap_peak_mb        the page's JS heap, sampled every 50 ms (CDP Runtime.getHeapUsage),
//                             highest of the runs
//   audio.rss_vs_whole_file   peak RSS over that of one decodeAudioData of the whole file (the
//                             same page code, fetch → one ArrayBuffer → decode at 16 kHz): what
//                             cutting into pieces saves
// Printed too: the pieces, each run's figures, and the peak RSS of the same page at rest.
// Linux only (reads /proc); BENCH_AUDIO_RUNS changes the number of runs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type CDPSession } from 'playwright-core';
import { findChromium, INSTALL_HINT } from '../scripts/lib/chromium';
import { startServer } from '../scripts/lib/server';
import { buildAudioPage } from '../test/support/audio-page';
import { encodeMp3, toneEpisode } from '../test/support/tone-audio';
import { BenchError, median, round, type BenchResult } from './lib/harness';

const HOUR = 3600;
const RUNS = Number(process.env.BENCH_AUDIO_RUNS ?? 3);
const MB = 1024 * 1024;

type Run = { seconds: number; pieces: number; audioSeconds: number; rssMb: number; heapMb: number };

/** One hour of MP3: 60 s encoded once, its frames repeated (encoding an hour would take minutes). */
function hourOfMp3(): Uint8Array {
  const minute = encodeMp3(toneEpisode(60, 44100), 44100, 128);
  // Whole frames only (lamejs ends on a frame), so the copies join frame to frame.
  const out = new Uint8Array(minute.length * 60);
  for (let i = 0; i < 60; i++) out.set(minute, i * minute.length);
  return out;
}

const rendererPids = async (cdp: CDPSession): Promise<Set<number>> => {
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
    processInfo: { type: string; id: number }[];
  };
  return new Set(processInfo.filter((p) => p.type === 'renderer').map((p) => p.id));
};

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
  if (!kb) throw new BenchError(`audio: no VmHWM for renderer ${pid}`);
  return kb / 1024;
}

/** Runs `mode` in a fresh context (its own renderer process) and measures it. */
async function measure(browser: Browser, origin: string, mode: 'pieces' | 'whole' | 'idle'): Promise<Run> {
  const browserCdp = await browser.newBrowserCDPSession();
  const before = await rendererPids(browserCdp);
  const context = await browser.newContext();
  // tsx (esbuild's keepNames) wraps named functions in __name(), which the page lacks.
  await context.addInitScript('window.__name = (f) => f;');
  const page = await context.newPage();
  await page.goto(`${origin}/index.html`);
  await page.waitForFunction(() => 'audioLib' in window);
  // The context's renderers (Chromium may start a spare one or two beside the page's): the page's
  // is the one with the highest peak, read after the run.
  const pids = [...(await rendererPids(browserCdp))].filter((p) => !before.has(p));
  if (pids.length === 0) throw new BenchError('audio: the page got no renderer process of its own');
  const cdp = await context.newCDPSession(page);
  let heap = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
      heap = Math.max(heap, usedSize);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    const result = await page.evaluate(async (mode) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const m = (window as any).audioLib;
      const t0 = performance.now();
      if (mode === 'idle') return { seconds: 0, pieces: 0, audioSeconds: 0 };
      if (mode === 'whole') {
        const bytes = new Uint8Array(await (await fetch('/hour.mp3')).arrayBuffer());
        const pcm: Float32Array = await m.decodePiece(bytes);
        return { seconds: (performance.now() - t0) / 1000, pieces: 1, audioSeconds: pcm.length / 16000 };
      }
      const head = await fetch('/hour.mp3', { headers: { Range: 'bytes=0-262143' } });
      const total = Number(head.headers.get('content-range')!.split('/')[1]);
      const headBytes = new Uint8Array(await head.arrayBuffer());
      const tail = new Uint8Array(
        await (await fetch('/hour.mp3', { headers: { Range: 'bytes=-65536' } })).arrayBuffer(),
      );
      const probe = m.probeAudio(headBytes, total, tail);
      const cutter = new m.PieceCutter(probe, { startByte: 0 });
      const reader = (await fetch('/hour.mp3')).body!.getReader();
      let pieces = 0;
      let audioSeconds = 0;
      const decode = async (piece: { bytes: Uint8Array }) => {
        const pcm: Float32Array = await m.decodePiece(piece.bytes);
        pieces++;
        audioSeconds += pcm.length / 16000;
      };
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const piece of cutter.push(value)) await decode(piece);
      }
      for (const piece of cutter.end()) await decode(piece);
      return { seconds: (performance.now() - t0) / 1000, pieces, audioSeconds };
    }, mode);
    sampling = false;
    await sampler;
    return { ...result, rssMb: Math.max(...pids.map(peakRssMb)), heapMb: heap / MB };
  } finally {
    sampling = false;
    await context.close();
    await browserCdp.detach();
  }
}

export async function audioDecodeBenchmarks(): Promise<BenchResult[]> {
  if (process.platform !== 'linux') throw new BenchError('audio: the memory figures read /proc (Linux only)');
  const executablePath = findChromium();
  if (!executablePath) throw new BenchError(INSTALL_HINT);
  const dir = mkdtempSync(join(tmpdir(), 'earmark-bench-audio-'));
  const mp3 = hourOfMp3();
  await buildAudioPage(dir);
  writeFileSync(join(dir, 'www', 'hour.mp3'), mp3);
  const server = await startServer({ routes: [{ dir: join(dir, 'www') }] });
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await measure(browser, server.origin, 'pieces'));
    for (const run of runs) {
      // lamejs's minute is 60.03 s (its last frame is padding): 60 of them make 31 pieces.
      if (run.pieces !== Math.ceil(run.audioSeconds / 120) || Math.abs(run.audioSeconds - HOUR) > 5)
        throw new BenchError(`audio: decoded ${run.pieces} pieces, ${run.audioSeconds} s of audio`);
    }
    const whole = await measure(browser, server.origin, 'whole');
    const idle = await measure(browser, server.origin, 'idle');
    const seconds = median(runs.map((r) => r.seconds));
    const rss = Math.max(...runs.map((r) => r.rssMb));
    const heap = Math.max(...runs.map((r) => r.heapMb));
    console.log(
      `audio: 1 h MP3 (${(mp3.length / MB).toFixed(1)} MB) → ${runs[0]!.pieces} pieces, ${runs.map((r) => r.seconds.toFixed(1)).join(' / ')} s, ` +
        `peak RSS ${runs.map((r) => Math.round(r.rssMb)).join(' / ')} MB, heap ${runs.map((r) => r.heapMb.toFixed(1)).join(' / ')} MB; ` +
        `whole file in one decodeAudioData: ${whole.seconds.toFixed(1)} s, peak RSS ${Math.round(whole.rssMb)} MB, heap ${whole.heapMb.toFixed(1)} MB; ` +
        `the same page at rest: peak RSS ${Math.round(idle.rssMb)} MB`,
    );
    return [
      { name: 'audio.decode_1h_s', value: round(seconds, 1), unit: 's', target: 30, better: 'lower' },
      {
        name: 'audio.decode_x_realtime',
        value: round(HOUR / seconds, 1),
        unit: '×',
        target: 120,
        better: 'higher',
      },
      { name: 'audio.peak_rss_mb', value: round(rss, 0), unit: 'MB', target: 300, better: 'lower' },
      { name: 'audio.heap_peak_mb', value: round(heap, 1), unit: 'MB', target: 50, better: 'lower' },
      {
        name: 'audio.rss_vs_whole_file',
        value: round(rss / whole.rssMb, 2),
        unit: '×',
        target: 0.5,
        better: 'lower',
      },
    ];
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// `tsx bench/audio-decode.ts` runs this benchmark alone.
if (process.argv[1] && resolve(process.argv[1]) === resolve('bench/audio-decode.ts')) {
  audioDecodeBenchmarks().then(
    (results) => console.table(results),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
