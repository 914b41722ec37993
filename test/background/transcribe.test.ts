// The worker's side of transcription: what the popup is offered before anything starts (who, how
// long, the cost or the download), what blocks it, starting, pausing and resuming a job, and what
// the popup's now-playing view carries. The driver's side is test/offscreen/driver.test.ts.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { freshDb } from '../helpers/db';
import type { EarmarkDB, EpisodeRecord } from '../../src/background/db';
import { nowPlaying } from '../../src/background/episodes';
import { writeSettings } from '../../src/background/settings';
import {
  audioOf,
  pauseTranscription,
  recordFirstPiece,
  resumeTranscription,
  startTranscription,
  sttJob,
  transcribeOffer,
  updateSttJob,
  wholeAfterPart,
  type SttDeps,
} from '../../src/background/transcribe';
import { resolveTranscript, transcriptStatus } from '../../src/background/transcripts';
import { WHISPER_MODELS } from '../../src/messages';
import { WHISPER_FILES, whisperFileUrl } from '../../src/core/transcribe/whisper-cache';

let db: EarmarkDB;
let kicks: number;
let halted: string[];
const EPISODE = 'ep_offer1';

function deps(position?: number): SttDeps {
  return {
    db,
    kick: async () => void kicks++,
    halt: async (id) => void halted.push(id),
    position: async () => position,
  };
}

async function addEpisode(over: Partial<EpisodeRecord> = {}): Promise<EpisodeRecord> {
  const stamp = '2026-11-29T10:00:00.000Z';
  const episode: EpisodeRecord = {
    id: EPISODE,
    title: 'An episode',
    pageUrl: 'https://example.com/ep',
    site: 'example.com',
    aliases: ['page:https://example.com/ep'],
    enclosureUrl: 'https://cdn.example.com/ep.mp3',
    durationSeconds: 3465,
    firstSeen: stamp,
    lastSeen: stamp,
    ...over,
  };
  await db.put('episodes', episode);
  return episode;
}

/** A Cache API stand-in holding the given URLs (whisper-cache reads the `caches` global). */
function cacheHolding(urls: string[]) {
  const cache = {
    match: async (request: string | Request) =>
      urls.includes(typeof request === 'string' ? request : request.url) ? new Response('x') : undefined,
    keys: async () => urls.map((u) => new Request(u)),
  };
  vi.stubGlobal('caches', {
    open: async () => cache,
    has: async () => urls.length > 0,
    keys: async () => (urls.length ? ['transformers-cache'] : []),
    delete: async () => true,
  });
}

beforeEach(async () => {
  db = await freshDb();
  kicks = 0;
  halted = [];
  vi.unstubAllGlobals();
  cacheHolding([]);
});

describe('the offer', () => {
  it('for Whisper: who, how long, and the model to download first', async () => {
    const episode = await addEpisode();
    const offer = await transcribeOffer(db, episode);
    expect(offer).toEqual({
      engine: 'whisper',
      by: 'Whisper tiny (English) on this device',
      audio: true,
      durationSeconds: 3465,
      downloadBytes: WHISPER_MODELS[0].bytes,
    });
  });

  it('for Whisper already on the device: nothing to download', async () => {
    cacheHolding(WHISPER_FILES.map((f) => whisperFileUrl(WHISPER_MODELS[0].id, f)));
    const offer = await transcribeOffer(db, await addEpisode());
    expect(offer.downloadBytes).toBeUndefined();
    // One file missing (a download cut short): the download is still to do.
    cacheHolding(WHISPER_FILES.slice(1).map((f) => whisperFileUrl(WHISPER_MODELS[0].id, f)));
    expect((await transcribeOffer(db, await addEpisode())).downloadBytes).toBe(WHISPER_MODELS[0].bytes);
  });

  it('for a service: the estimated cost at the set price, and where the audio goes', async () => {
    await writeSettings(db, {
      stt: {
        engine: 'openai',
        apiKey: 'sk-offer-12345678',
        baseUrl: 'https://api.groq.com/openai/v1/',
        pricePerMinute: 0.0111,
      },
    });
    const offer = await transcribeOffer(db, await addEpisode());
    expect(offer).toMatchObject({
      engine: 'openai',
      by: 'whisper-1 at api.groq.com',
      host: 'api.groq.com',
      pricePerMinute: 0.0111,
      costUsd: 0.64, // 57.75 min × $0.0111
    });
    expect(offer.blocked).toBeUndefined();
    expect(offer.downloadBytes).toBeUndefined();
  });

  it('says what blocks it: no key for the service, no public audio address', async () => {
    await writeSettings(db, { stt: { engine: 'openai' } });
    expect((await transcribeOffer(db, await addEpisode())).blocked).toMatch(/key/);
    await writeSettings(db, { stt: { engine: 'whisper' } });
    const noAudio = await addEpisode({
      enclosureUrl: 'blob:https://example.com/1',
      mediaUrl: 'http://127.0.0.1/x.mp3',
    });
    expect(audioOf(noAudio)).toBeUndefined();
    const offer = await transcribeOffer(db, noAudio);
    expect(offer.audio).toBe(false);
    expect(offer.blocked).toMatch(/no public address/);
    await expect(startTranscription(deps(), EPISODE)).rejects.toThrow(/no public address/);
    expect(await sttJob(db, EPISODE)).toBeUndefined();
  });

  it('is in the popup’s view only when no transcript was found and none is being made', async () => {
    await addEpisode();
    await db.put('tabs', { tabId: 7, episodeId: EPISODE, updatedAt: '2026-11-29T10:00:00.000Z' });
    expect((await nowPlaying(db, 7))?.transcribe).toBeUndefined(); // no search yet
    await db.put('jobs', {
      id: `transcript:${EPISODE}`,
      episodeId: EPISODE,
      kind: 'transcript',
      state: 'done',
      transcript: { state: 'none', steps: [], updatedAt: '2026-11-29T10:00:00.000Z' },
      updatedAt: '2026-11-29T10:00:00.000Z',
    });
    const offered = await nowPlaying(db, 7);
    expect(offered?.transcribe?.engine).toBe('whisper');
    expect(offered?.transcription).toBeUndefined();
    await startTranscription(deps(), EPISODE);
    const running = await nowPlaying(db, 7);
    expect(running?.transcribe).toBeUndefined();
    expect(running?.transcription).toMatchObject({ state: 'running', doneSeconds: 0 });
  });
});

describe('a job', () => {
  it('starts from the listener’s position, with the show’s language, and kicks the driver once', async () => {
    await addEpisode({ feedUrl: 'https://feeds.example.com/show.xml' });
    await db.put('feeds', {
      url: 'https://feeds.example.com/show.xml',
      feed: { title: 'Show', language: 'de', episodes: [] },
      fetchedAt: '2026-11-29T10:00:00.000Z',
    });
    const view = await startTranscription(deps(754), EPISODE);
    expect(view).toMatchObject({ state: 'running', engine: 'whisper', doneSeconds: 0 });
    const job = (await sttJob(db, EPISODE))!;
    expect(job.stt).toMatchObject({
      startAt: 754,
      language: 'de',
      audioUrl: 'https://cdn.example.com/ep.mp3',
    });
    expect(job.state).toBe('running');
    expect(kicks).toBe(1);
    // Asked again while it runs: the same job, not a second one.
    await startTranscription(deps(0), EPISODE);
    expect((await sttJob(db, EPISODE))!.stt.startAt).toBe(754);
  });

  it('pauses (the driver is told), keeps its pieces, and resumes with the engine the options name now', async () => {
    await addEpisode();
    await startTranscription(deps(), EPISODE);
    await updateSttJob(db, EPISODE, (stt) => ({
      ...stt,
      pieces: [{ index: 0, seconds: 120, segments: [{ start: 3, text: 'Hello.' }] }],
    }));
    const paused = await pauseTranscription(deps(), EPISODE);
    expect(paused).toMatchObject({ state: 'paused', doneSeconds: 120 });
    expect(halted).toEqual([EPISODE]);
    expect((await sttJob(db, EPISODE))!.state).toBe('queued'); // not picked up by the driver

    await writeSettings(db, { stt: { engine: 'openai', apiKey: 'sk-resume-12345678' } });
    const resumed = await resumeTranscription(deps(), EPISODE);
    expect(resumed).toMatchObject({ state: 'running', engine: 'openai', by: 'whisper-1 at api.openai.com' });
    expect((await sttJob(db, EPISODE))!.stt.pieces).toHaveLength(1);
  });

  it('after a failure, "Try again" clears the error and goes on; a done job stays done', async () => {
    await addEpisode();
    await startTranscription(deps(), EPISODE);
    await updateSttJob(db, EPISODE, (stt) => ({
      ...stt,
      state: 'failed',
      error: 'Offline.',
      needsAccess: 'cdn.example.com',
    }));
    const failed = (await nowPlaying(db, 1)) ?? undefined;
    expect(failed).toBeUndefined(); // no tab plays it: only the job view below
    const again = await startTranscription(deps(), EPISODE);
    expect(again.state).toBe('running');
    expect(again.error).toBeUndefined();
    const job = (await sttJob(db, EPISODE))!;
    expect(job.stt.error).toBeUndefined();
    expect(job.stt.needsAccess).toBeUndefined();

    await updateSttJob(db, EPISODE, (stt) => ({ ...stt, state: 'done' }));
    const kicked = kicks;
    expect((await resumeTranscription(deps(), EPISODE)).state).toBe('done');
    expect(kicks).toBe(kicked);
  });
});

describe('insights before the whole is transcribed', () => {
  it('the first piece done stands as the transcript so far, once; done, the insights are made again once', async () => {
    await addEpisode();
    await startTranscription(deps(300), EPISODE);
    await updateSttJob(db, EPISODE, (stt) => ({
      ...stt,
      plan: { format: 'mp3', durationSeconds: 3465, pieceSeconds: 120, pieces: 29, seekable: true },
      pieces: [{ index: 2, seconds: 120, segments: [{ start: 250, end: 254, text: 'What you hear now.' }] }],
    }));
    expect(await recordFirstPiece(db, (await sttJob(db, EPISODE))!)).toBe(true);
    expect(await recordFirstPiece(db, (await sttJob(db, EPISODE))!)).toBe(false); // once a job
    const stored = (await db.get('transcripts', EPISODE))!;
    expect(stored).toMatchObject({
      source: 'transcribed',
      by: 'Whisper tiny (English) on this device, so far',
    });
    expect(stored.transcript.segments).toEqual([{ start: 250, end: 254, text: 'What you hear now.' }]);
    expect((await transcriptStatus(db, EPISODE))?.state).toBe('found');

    await updateSttJob(db, EPISODE, (stt) => ({ ...stt, state: 'done' }));
    expect(await wholeAfterPart(db, EPISODE)).toBe(true);
    expect(await wholeAfterPart(db, EPISODE)).toBe(false); // a second "done" makes nothing again
  });

  it('not for a one-piece episode, nor a piece with no words, nor after a pause', async () => {
    await addEpisode();
    await startTranscription(deps(), EPISODE);
    const piece = { index: 0, seconds: 50, segments: [{ start: 1, text: 'Hi.' }] };
    await updateSttJob(db, EPISODE, (stt) => ({
      ...stt,
      plan: { format: 'mp3', durationSeconds: 50, pieceSeconds: 120, pieces: 1, seekable: true },
      pieces: [piece],
    }));
    expect(await recordFirstPiece(db, (await sttJob(db, EPISODE))!)).toBe(false);
    await updateSttJob(db, EPISODE, (stt) => ({
      ...stt,
      plan: { ...stt.plan!, pieces: 3 },
      pieces: [{ ...piece, segments: [] }],
    }));
    expect(await recordFirstPiece(db, (await sttJob(db, EPISODE))!)).toBe(false);
    await updateSttJob(db, EPISODE, (stt) => ({ ...stt, state: 'paused', pieces: [piece] }));
    expect(await recordFirstPiece(db, (await sttJob(db, EPISODE))!)).toBe(false);
    expect(await db.get('transcripts', EPISODE)).toBeUndefined();
    await updateSttJob(db, EPISODE, (stt) => ({ ...stt, state: 'done' }));
    expect(await wholeAfterPart(db, EPISODE)).toBe(false);
  });
});

describe('a transcription dropped from the cache for room', () => {
  it('is made again from the pieces its job keeps when the transcript is looked for again', async () => {
    await addEpisode();
    await startTranscription(deps(), EPISODE);
    await updateSttJob(db, EPISODE, (stt) => ({
      ...stt,
      state: 'done',
      detectedLanguage: 'en',
      pieces: [
        { index: 1, seconds: 120, segments: [{ start: 130, text: 'Second piece.' }] },
        { index: 0, seconds: 120, segments: [{ start: 5, text: 'First piece.' }] },
      ],
    }));
    expect(await db.get('transcripts', EPISODE)).toBeUndefined();
    const fetched: string[] = [];
    const status = await resolveTranscript(
      {
        db,
        fetch: async (url) => {
          fetched.push(url);
          throw new Error('nothing is fetched');
        },
        hasAccess: async () => true,
        languages: ['en'],
      },
      EPISODE,
      { force: true },
    );
    expect(status).toMatchObject({ state: 'found', found: { source: 'transcribed', segments: 2 } });
    const stored = (await db.get('transcripts', EPISODE))!;
    expect(stored.transcript).toEqual({
      format: 'text',
      timed: true,
      language: 'en',
      segments: [
        { start: 5, text: 'First piece.' },
        { start: 130, text: 'Second piece.' },
      ],
    });
    expect(fetched).toEqual([]);
  });
});
