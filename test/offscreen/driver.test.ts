// The transcription driver over real parts but Web Audio: a fake-indexeddb database, a local
// audio host with byte ranges, the real cutter, the real OpenAI-compatible engine against a local
// server that speaks its wire format and "hears" the tone episode. Node has no Web Audio, so the
// decoder is a stand-in that reads the WAV pieces the cutter makes (16 kHz: no resampling).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { freshDb } from '../helpers/db';
import type { EarmarkDB, EpisodeRecord } from '../../src/background/db';
import { writeSettings } from '../../src/background/settings';
import {
  pauseTranscription,
  resumeTranscription,
  startTranscription,
  sttJob,
  transcriptionView,
  type SttDeps,
} from '../../src/background/transcribe';
import { transcriptStatus } from '../../src/background/transcripts';
import { createDriver, nextPiece, type Driver } from '../../src/offscreen/driver';
import { engineFactory } from '../../src/offscreen/engines';
import { startAudioServer, type AudioServer } from '../support/audio-server';
import { startOpenAiSttServer, type OpenAiSttServer, type ScriptLine } from '../support/openai-stt-server';
import { decodeWav, encodeWav, toneEpisode } from '../support/tone-audio';

const RATE = 16_000;
const SECONDS = 300;
const PIECE = 60;
const KEY = 'sk-test-driver-1234';
/** A line every 10 s: "Line 7 is said at 71 seconds." */
const SCRIPT: ScriptLine[] = Array.from({ length: SECONDS / 10 }, (_, i) => ({
  start: 10 * i + 1,
  end: 10 * i + 6,
  text: `Line ${i} is said at ${10 * i + 1} seconds.`,
}));

let audio: AudioServer;
let stt: OpenAiSttServer;
const wav = encodeWav(toneEpisode(SECONDS, RATE), RATE);

beforeAll(async () => {
  audio = await startAudioServer();
  audio.set('/episode.wav', wav, 'audio/wav');
  stt = await startOpenAiSttServer({ apiKey: KEY, script: SCRIPT });
});
afterAll(async () => {
  await audio.close();
  await stt.close();
});

let db: EarmarkDB;
let notified: { episodeId: string | undefined; idle?: boolean }[];
const EPISODE = 'ep_driver1';

function decode(bytes: Uint8Array): Promise<Float32Array> {
  const { sampleRate, pcm } = decodeWav(bytes);
  if (sampleRate !== RATE) throw new Error('the stand-in decoder does not resample');
  return Promise.resolve(pcm);
}

function driverFor(database: EarmarkDB, extra: Partial<Parameters<typeof createDriver>[0]> = {}): Driver {
  return createDriver({
    db: database,
    decode,
    fetch: toLocal,
    engine: engineFactory(database),
    notify: (episodeId, idle) => notified.push({ episodeId, ...(idle ? { idle } : {}) }),
    pieceSeconds: PIECE,
    retryDelaysMs: [10, 10],
    ...extra,
  });
}

function depsFor(driver: Driver, position?: number): SttDeps {
  return {
    db,
    kick: async () => void driver.kick(),
    halt: async (id) => driver.halt(id),
    position: async () => position,
  };
}

/** The episode's audio is on a public-looking host; requests for it go to the local audio host. */
const AUDIO_HOST = 'https://audio.example';
const toLocal: typeof fetch = (input, init) => fetch(String(input).replace(AUDIO_HOST, audio.origin), init);

async function addEpisode(url = `${AUDIO_HOST}/episode.wav`): Promise<void> {
  const stamp = new Date().toISOString();
  const episode: EpisodeRecord = {
    id: EPISODE,
    title: 'A tone episode',
    pageUrl: 'https://example.com/episode',
    site: 'example.com',
    aliases: ['page:https://example.com/episode'],
    enclosureUrl: url,
    durationSeconds: SECONDS,
    firstSeen: stamp,
    lastSeen: stamp,
  };
  await db.put('episodes', episode);
}

beforeEach(async () => {
  db = await freshDb();
  notified = [];
  audio.requests.length = 0;
  audio.ranges = true;
  audio.fail('/episode.wav', undefined);
  stt.requests.length = 0;
  stt.setFault(undefined);
  await writeSettings(db, {
    stt: { engine: 'openai', apiKey: KEY, baseUrl: stt.url, pricePerMinute: 0.006 },
  });
  await addEpisode();
});
afterEach(() => vi.restoreAllMocks());

async function settle(driver: Driver): Promise<void> {
  await driver.kick();
}

describe('nextPiece', () => {
  it('goes from the listener’s piece to the end, then from the start', () => {
    const done = new Set<number>();
    const order: number[] = [];
    for (let k = nextPiece(done, 3, 5); k !== undefined; k = nextPiece(done, 3, 5)) {
      order.push(k);
      done.add(k);
    }
    expect(order).toEqual([3, 4, 0, 1, 2]);
  });
  it('skips what is done, and with the count unknown asks for the first not done', () => {
    expect(nextPiece(new Set([0, 1, 3]), 0, 5)).toBe(2);
    expect(nextPiece(new Set([0, 1, 2, 3, 4]), 2, 5)).toBeUndefined();
    expect(nextPiece(new Set([0, 1, 3]), 0, undefined)).toBe(2);
  });
});

describe('the driver', () => {
  it('transcribes the audio piece by piece into a timed transcript that the search reports found', async () => {
    const driver = driverFor(db);
    const started = await startTranscription(depsFor(driver), EPISODE);
    expect(started.state).toBe('running');
    await settle(driver);

    const job = (await sttJob(db, EPISODE))!;
    expect(job.stt.state).toBe('done');
    expect(job.stt.pieces.map((p) => p.index).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(job.stt.plan).toMatchObject({
      format: 'wav',
      durationSeconds: SECONDS,
      pieces: 5,
      seekable: true,
    });
    // Five uploads, one a piece, each holding the piece's own seconds of the episode.
    expect(stt.requests.map((r) => Math.round(r.locatedStart ?? -1) || 0)).toEqual([0, 60, 120, 180, 240]);
    expect(stt.requests.every((r) => r.file?.sampleRate === RATE && r.file.channels === 1)).toBe(true);

    const stored = (await db.get('transcripts', EPISODE))!;
    expect(stored.source).toBe('transcribed');
    expect(stored.by).toBe(`whisper-1 at ${new URL(stt.url).host}`);
    expect(stored.transcript).toMatchObject({ format: 'text', timed: true, language: 'en' });
    const segments = stored.transcript.segments;
    expect(segments.map((s) => s.text)).toEqual(SCRIPT.map((l) => l.text));
    for (const [i, segment] of segments.entries()) expect(segment.start).toBeCloseTo(SCRIPT[i]!.start, 0);

    const status = (await transcriptStatus(db, EPISODE))!;
    expect(status.state).toBe('found');
    expect(status.found).toMatchObject({ source: 'transcribed', format: 'text', segments: SCRIPT.length });
    const view = transcriptionView(job);
    expect(view).toMatchObject({ state: 'done', doneSeconds: SECONDS, totalSeconds: SECONDS });
    expect(view.costUsd).toBeCloseTo((SECONDS / 60) * 0.006, 4);
    expect(notified.at(-1)).toMatchObject({ idle: true });
  });

  it('starts at the listener’s position, then does the start, reading the audio by ranges', async () => {
    const driver = driverFor(db);
    await startTranscription(depsFor(driver, 150), EPISODE);
    await settle(driver);
    expect(stt.requests.map((r) => Math.round(r.locatedStart ?? -1) || 0)).toEqual([120, 180, 240, 0, 60]);
    // The head, the tail, a read from piece 2 to the end, and one from the start.
    const reads = audio.requests.map((r) => r.range);
    expect(reads[0]).toBe(`bytes=0-${256 * 1024 - 1}`);
    expect(reads.filter((r) => r && !r.startsWith('bytes=0-')).length).toBeGreaterThanOrEqual(2);
    expect((await sttJob(db, EPISODE))!.stt.state).toBe('done');
  });

  it('reads a host that ignores ranges from the start, once, in order', async () => {
    audio.ranges = false;
    const driver = driverFor(db);
    await startTranscription(depsFor(driver, 150), EPISODE);
    await settle(driver);
    expect(stt.requests.map((r) => Math.round(r.locatedStart ?? -1) || 0)).toEqual([0, 60, 120, 180, 240]);
    const job = (await sttJob(db, EPISODE))!;
    expect(job.stt.plan?.seekable).toBe(false);
    expect(job.stt.state).toBe('done');
    // The first answer (the probe) and one full read.
    expect(audio.requests.length).toBe(2);
  });

  it('pauses: keeps what was done; resumes from there without doing a piece twice', async () => {
    const driver = driverFor(db);
    const deps = depsFor(driver);
    stt.setFault({ kind: 'slow', delayMs: 150 });
    await startTranscription(deps, EPISODE);
    const run = driver.kick();
    await vi.waitUntil(async () => ((await sttJob(db, EPISODE))?.stt.pieces.length ?? 0) >= 2, {
      timeout: 20_000,
    });
    const paused = await pauseTranscription(deps, EPISODE);
    expect(paused.state).toBe('paused');
    await run;
    const kept = (await sttJob(db, EPISODE))!.stt.pieces.length;
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(5);
    const sentBefore = stt.requests.length;
    expect((await sttJob(db, EPISODE))!.stt.state).toBe('paused');

    stt.setFault(undefined);
    expect((await resumeTranscription(deps, EPISODE)).state).toBe('running');
    await settle(driver);
    const job = (await sttJob(db, EPISODE))!;
    expect(job.stt.state).toBe('done');
    const located = stt.requests.map((r) => Math.round(r.locatedStart ?? -1) || 0);
    // Every piece done once, but for the one the pause cut short (its request was abandoned).
    expect(new Set(located).size).toBe(5);
    expect(stt.requests.length - sentBefore).toBe(5 - kept);
    expect(located.length).toBeLessThanOrEqual(6);
  });

  it('goes on where it was after its document closed mid-piece (a new driver, the same database)', async () => {
    const first = driverFor(db);
    stt.setFault({ kind: 'slow', delayMs: 150 });
    await startTranscription(depsFor(first), EPISODE);
    const run = first.kick();
    await vi.waitUntil(async () => ((await sttJob(db, EPISODE))?.stt.pieces.length ?? 0) >= 1, {
      timeout: 20_000,
    });
    // The document goes away: its work stops where it is, nothing is written for the piece cut short.
    first.stop();
    await run;
    const kept = (await sttJob(db, EPISODE))!.stt.pieces.length;
    expect((await sttJob(db, EPISODE))!.stt.state).toBe('running');

    stt.setFault(undefined);
    const second = driverFor(db);
    await second.kick();
    const job = (await sttJob(db, EPISODE))!;
    expect(job.stt.state).toBe('done');
    expect(job.stt.pieces.length).toBe(5);
    expect((await db.get('transcripts', EPISODE))!.transcript.segments.length).toBe(SCRIPT.length);
    expect(kept).toBeGreaterThanOrEqual(1);
  });

  it('tries a passing failure again, and fails in words on one that will not pass', async () => {
    const driver = driverFor(db);
    stt.setFault({ kind: 'status', status: 503 }, 1);
    await startTranscription(depsFor(driver), EPISODE);
    await settle(driver);
    expect((await sttJob(db, EPISODE))!.stt.state).toBe('done');
    expect(stt.requests.length).toBe(6);

    await db.clear('jobs');
    stt.requests.length = 0;
    stt.setFault({ kind: 'status', status: 401 });
    await startTranscription(depsFor(driver), EPISODE);
    await settle(driver);
    const view = transcriptionView((await sttJob(db, EPISODE))!);
    expect(view.state).toBe('failed');
    expect(view.error).toMatch(/key/i);
    expect(view.error).not.toContain(KEY);
    expect(stt.requests.length).toBe(1);
  });

  it('says why when the audio cannot be had or read', async () => {
    const driver = driverFor(db);
    audio.fail('/episode.wav', 404);
    await startTranscription(depsFor(driver), EPISODE);
    await settle(driver);
    let view = transcriptionView((await sttJob(db, EPISODE))!);
    expect(view).toMatchObject({ state: 'failed' });
    expect(view.error).toMatch(/answered 404/);

    audio.fail('/episode.wav', undefined);
    audio.set(
      '/episode.m4a',
      new Uint8Array([
        0,
        0,
        0,
        0x20,
        0x66,
        0x74,
        0x79,
        0x70,
        0x4d,
        0x34,
        0x41,
        0x20,
        ...new Array(400).fill(0),
      ]),
      'audio/mp4',
    );
    await db.clear('jobs');
    await addEpisode(`${AUDIO_HOST}/episode.m4a`);
    await startTranscription(depsFor(driver), EPISODE);
    await settle(driver);
    view = transcriptionView((await sttJob(db, EPISODE))!);
    expect(view.state).toBe('failed');
    expect(view.error).toMatch(/MP4|M4A|AAC/i);
    expect(stt.requests.length).toBe(0);
  });

  it('fails in words when no speech is heard, and stores no empty transcript', async () => {
    const quiet = await startOpenAiSttServer({ apiKey: KEY, script: [] });
    try {
      await writeSettings(db, { stt: { baseUrl: quiet.url } });
      const driver = driverFor(db);
      await startTranscription(depsFor(driver), EPISODE);
      await settle(driver);
      const view = transcriptionView((await sttJob(db, EPISODE))!);
      expect(view.state).toBe('failed');
      expect(view.error).toMatch(/No speech/);
      expect(await db.get('transcripts', EPISODE)).toBeUndefined();
    } finally {
      await quiet.close();
    }
  });
});

describe('the driver on the demo episode (Ogg Opus, read by ranges)', () => {
  it('does the listener’s piece first, then the start, each piece once, with times from the granules', async () => {
    const opus = readFileSync(join('public', 'demo', 'episode.opus'));
    audio.set('/demo.opus', new Uint8Array(opus), 'audio/ogg');
    await addEpisode(`${AUDIO_HOST}/demo.opus`);
    const heard: number[] = [];
    const driver = createDriver({
      db,
      // Node has no Opus decoder: the stand-in gives each piece a second of silence.
      decode: async () => new Float32Array(RATE),
      fetch: toLocal,
      engine: async () => ({
        by: 'a stand-in engine',
        transcribe: async () => {
          heard.push(heard.length);
          return { segments: [{ start: 1, end: 2, text: `Piece ${heard.length}.` }] };
        },
      }),
      notify: () => {},
      pieceSeconds: PIECE,
      retryDelaysMs: [10],
    });
    await startTranscription(depsFor(driver, 130), EPISODE);
    await driver.kick();
    const job = (await sttJob(db, EPISODE))!;
    expect(job.stt.state).toBe('done');
    expect(job.stt.plan).toMatchObject({ format: 'ogg', seekable: true, pieces: 3 });
    expect(job.stt.plan!.durationSeconds).toBeGreaterThan(170);
    // In the order done: the listener's piece (2) first, then 0 and 1; each once.
    expect(job.stt.pieces.map((p) => p.index)).toEqual([2, 0, 1]);
    expect(heard).toHaveLength(3);
    const segments = (await db.get('transcripts', EPISODE))!.transcript.segments;
    // Each piece's segment at 1 s into it: a piece starts at the first Ogg page at or after its
    // boundary (a page of the demo is about a second).
    const late = segments.map((s, k) => s.start - 1 - k * PIECE);
    for (const seconds of late) expect(seconds >= 0 && seconds < 1.5).toBe(true);
  });
});
