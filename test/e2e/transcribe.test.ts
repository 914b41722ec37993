// End to end, in real Chromium: an episode page on a podcast host's name plays an MP3 that
// publishes no transcript anywhere. The transcription service is set in the options page (a local
// HTTPS server that speaks OpenAI's /audio/transcriptions wire format on a real-looking host name);
// the popup offers to transcribe, with the estimated cost; Transcribe streams the MP3 by ranges,
// cuts and decodes it in the offscreen document, uploads the pieces (the listener's piece first),
// and the transcript that comes back gets insights, shown in the popup and as cards on the page.
// The audio is a generated "tone episode" (tone-audio.ts): the server tells from the sound which
// seconds of the episode a piece holds and answers with the demo episode's lines said there, so
// the times of the transcript prove the audio went through whole and in the right places.
// Then: pause, resume, the worker stopped mid-job, the offscreen document closed mid-job.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { parseTranscript } from '../../src/core/transcript';
import { DEMO_DIR, makeCertificate, startHarness, type Harness } from './harness';
import { cardsOf } from './shadow';
import { startAudioServer, type AudioServer } from '../support/audio-server';
import { startOpenAiSttServer, type OpenAiSttServer, type ScriptLine } from '../support/openai-stt-server';
import { encodeMp3, toneEpisode } from '../support/tone-audio';

const HOST = 'tone-show.buzzsprout.com';
const AUDIO_HOST = 'audio.tone-show.example';
const STT_HOST = 'stt.tone-show.example';
const KEY = 'sk-e2e-transcribe-0123456789';
const PIECE = 120;

/** What is said: the demo episode's lines at the demo's times. */
const SCRIPT: ScriptLine[] = parseTranscript(readFileSync(join(DEMO_DIR, 'episode.vtt'), 'utf8'), {
  type: 'text/vtt',
}).segments.map((s) => ({ start: s.start, end: s.end ?? s.start + 3, text: s.text }));
const SECONDS = Math.ceil(SCRIPT.at(-1)!.end) + 2;

function episodePage(n: number): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Tone episode ${n} | The Tone Show</title>
<meta property="og:title" content="Tone episode ${n}: why we forget">
<meta property="og:site_name" content="The Tone Show">
<meta property="og:type" content="music.song">
</head><body><main><h1>Tone episode ${n}: why we forget</h1>
<audio id="player" controls preload="metadata" src="https://${AUDIO_HOST}/episode-${n}.mp3"></audio>
<p>No transcript is published for this episode.</p></main></body></html>`;
}

let h: Harness;
let audio: AudioServer;
let stt: OpenAiSttServer;

beforeAll(async () => {
  expect(SECONDS).toBeLessThanOrEqual(300); // the tone episode tells seconds apart up to 300
  const mp3 = encodeMp3(toneEpisode(SECONDS, 22_050), 22_050, 32);
  audio = await startAudioServer({ tls: makeCertificate([AUDIO_HOST]) });
  for (const n of [1, 2]) audio.set(`/episode-${n}.mp3`, mp3, 'audio/mpeg');
  stt = await startOpenAiSttServer({ apiKey: KEY, script: SCRIPT, tls: makeCertificate([STT_HOST]) });
  h = await startHarness({
    hosts: [HOST],
    routes: [1, 2].map((n) => ({ host: HOST, path: `/episodes/${n}-tone`, body: episodePage(n) })),
    extraRules: [
      `MAP ${AUDIO_HOST} 127.0.0.1:${audio.port}`,
      `MAP ${STT_HOST} 127.0.0.1:${new URL(stt.url).port}`,
    ],
  });
}, 120_000);
afterAll(async () => {
  await h?.close();
  await audio?.close();
  await stt?.close();
});

type Stored = {
  transcript?: {
    source: string;
    by?: string;
    transcript: { format: string; segments: { start: number; text: string }[] };
  };
  insights: { start: number; text: string }[];
  job?: { state: string; stt: { state: string; pieces: { index: number }[] } };
};

async function stored(episodeId: string): Promise<Stored> {
  return (await h.worker()).evaluate(
    (id) =>
      new Promise<Stored>((resolve) => {
        const open = indexedDB.open('earmark');
        open.onsuccess = () => {
          const tx = open.result.transaction(['insights', 'transcripts', 'jobs']);
          const transcript = tx.objectStore('transcripts').get(id);
          const insights = tx.objectStore('insights').index('by-episode').getAll(id);
          const job = tx.objectStore('jobs').get(`transcribe:${id}`);
          tx.oncomplete = () =>
            resolve({
              transcript: transcript.result,
              insights: insights.result,
              job: job.result,
            } as Stored);
        };
      }),
    episodeId,
  );
}

/** Opens an episode page and plays it from `at` seconds. */
async function play(n: number, at: number): Promise<Page> {
  const page = await h.context.newPage();
  await page.goto(`https://${HOST}/episodes/${n}-tone`);
  await page.evaluate(async (t) => {
    const player = document.querySelector('audio')!;
    await new Promise<void>((resolve) => {
      if (player.readyState >= 1) resolve();
      else player.addEventListener('loadedmetadata', () => resolve(), { once: true });
    });
    player.currentTime = t;
    await player.play();
  }, at);
  return page;
}

async function episodeIdOf(popup: Page): Promise<string> {
  await expect.poll(() => popup.getByTestId('transcribe').count(), { timeout: 30_000 }).toBe(1);
  return popup.evaluate(async () => {
    const tab = Number(new URL(location.href).searchParams.get('tab'));
    const reply = (await chrome.runtime.sendMessage({
      type: 'tab/now-playing',
      payload: { tabId: tab },
    })) as {
      value: { episode: { id: string } };
    };
    return reply.value.episode.id;
  });
}

describe('transcribing an episode that publishes no transcript', () => {
  it('is set up in the options, offered with its cost, transcribed from the listener’s piece on, and gets insights', async () => {
    const options = await h.context.newPage();
    await options.goto(`chrome-extension://${h.extensionId}/src/ui/options/index.html`);
    // The choice is saved at once; the radio shows it when the settings come back.
    await options.getByTestId('stt-engine-openai').click();
    await expect
      .poll(() => options.getByTestId('stt-engine-openai').isChecked(), { timeout: 10_000 })
      .toBe(true);
    await options.getByTestId('stt-base-url').fill(`https://${STT_HOST}/v1`);
    await options.getByTestId('stt-key').fill(KEY);
    await options.getByTestId('stt-save').click();
    await expect
      .poll(() => options.getByTestId('stt-key-state').textContent(), { timeout: 15_000 })
      .toContain(KEY.slice(-4));
    await options.close();

    const page = await play(1, 130);
    const popup = await h.openPopup(page);
    const episodeId = await episodeIdOf(popup);
    expect(await popup.getByTestId('transcribe-by').textContent()).toContain(`whisper-1 at ${STT_HOST}`);
    expect(await popup.getByTestId('transcribe-privacy').textContent()).toContain(STT_HOST);

    stt.requests.length = 0;
    audio.requests.length = 0;
    // A service that takes 4 s a piece, to see what comes while the rest is being transcribed.
    stt.setFault({ kind: 'slow', delayMs: 4_000 });
    await popup.getByTestId('transcribe-start').click();
    // Insights for the piece the listener is in come before the rest is transcribed.
    await expect
      .poll(
        async () => {
          const now = await stored(episodeId);
          return (
            now.insights.length > 0 && now.job?.stt.state === 'running' && now.job.stt.pieces.length === 1
          );
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe(true);
    const early = (await stored(episodeId)).insights;
    expect(early.every((i) => i.start >= PIECE)).toBe(true);
    await expect.poll(async () => (await stored(episodeId)).job?.stt.state, { timeout: 60_000 }).toBe('done');
    stt.setFault(undefined);

    // Two pieces: the listener's (120 s on) first, then the start; each uploaded once.
    const located = stt.requests.map((r) => Math.round(r.locatedStart ?? -1) || 0);
    expect(located).toEqual([PIECE, 0]);
    expect(stt.requests.every((r) => r.file?.sampleRate === 16_000 && r.file.channels === 1)).toBe(true);
    // Earmark's reads of the audio (not the page player's): its head, its tail (for the length),
    // from piece 1 on, and from the start.
    const reads = audio.requests.filter((r) => r.dest !== 'audio').map((r) => r.range);
    expect(reads[0]).toBe(`bytes=0-${256 * 1024 - 1}`);
    expect(reads).toContainEqual(expect.stringMatching(/^bytes=\d+-\d+$/));
    expect(reads).toContainEqual(expect.stringMatching(/^bytes=[1-9]\d*-$/));
    expect(reads.at(-1)).toBeUndefined();
    expect(reads.length).toBe(4);

    const { transcript } = await stored(episodeId);
    expect(transcript?.source).toBe('transcribed');
    expect(transcript?.by).toBe(`whisper-1 at ${STT_HOST}`);
    const segments = transcript!.transcript.segments;
    expect(segments.map((s) => s.text)).toEqual(SCRIPT.map((l) => l.text));
    // MP3 frames, the encoder's delay and 16 kHz resampling move times by well under half a second.
    for (const [i, s] of segments.entries()) expect(Math.abs(s.start - SCRIPT[i]!.start)).toBeLessThan(0.5);

    // Then the insights of the whole episode, its start included.
    await expect
      .poll(async () => (await stored(episodeId)).insights.some((i) => i.start < PIECE), { timeout: 30_000 })
      .toBe(true);
    await expect
      .poll(() => popup.getByTestId('transcript-source').textContent(), { timeout: 15_000 })
      .toContain(`Transcribed by whisper-1 at ${STT_HOST}`);
    await expect
      .poll(() => popup.locator('[data-testid="insight"]').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    // Cards on the page, from the transcribed words.
    const cards = await cardsOf(page);
    await expect.poll(() => cards.mounted(), { timeout: 15_000 }).toBe(true);
    await popup.close();
    await page.close();
  });

  it('pauses and resumes from the popup, and goes on through a stopped worker and a closed offscreen document', async () => {
    const page = await play(2, 0);
    const popup = await h.openPopup(page);
    const episodeId = await episodeIdOf(popup);
    stt.requests.length = 0;
    stt.setFault({ kind: 'slow', delayMs: 3_000 });
    await popup.getByTestId('transcribe-start').click();
    await expect.poll(() => popup.getByTestId('transcribe-pause').count(), { timeout: 15_000 }).toBe(1);
    await popup.getByTestId('transcribe-pause').click();
    await expect.poll(() => popup.getByTestId('transcribe-resume').count(), { timeout: 15_000 }).toBe(1);
    expect((await stored(episodeId)).job?.stt.state).toBe('paused');
    const sentWhilePaused = stt.requests.length;
    await new Promise((r) => setTimeout(r, 2_000));
    expect(stt.requests.length).toBe(sentWhilePaused);

    await popup.getByTestId('transcribe-resume').click();
    await expect.poll(async () => stt.requests.length, { timeout: 20_000 }).toBeGreaterThan(sentWhilePaused);
    // The worker stops while a piece is being transcribed: the offscreen document goes on.
    await popup.close();
    await h.stopWorker();
    await expect
      .poll(async () => (await stored(episodeId)).job?.stt.pieces.length ?? 0, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(1);
    // Then the document itself goes (as when the browser closes) along with the worker, while the
    // second piece is at the (slow) service: the next start of the worker finds the job running
    // and opens the document again.
    expect((await stored(episodeId)).job?.stt.state).toBe('running');
    const worker = await h.worker();
    expect(await worker.evaluate(() => chrome.offscreen.hasDocument())).toBe(true);
    await worker.evaluate(() => chrome.offscreen.closeDocument());
    expect(await worker.evaluate(() => chrome.offscreen.hasDocument())).toBe(false);
    await h.stopWorker();
    const again = await h.openPopup(page); // wakes the worker
    await expect
      .poll(async () => (await h.worker()).evaluate(() => chrome.offscreen.hasDocument()), {
        timeout: 15_000,
      })
      .toBe(true);
    await again.close();
    await expect.poll(async () => (await stored(episodeId)).job?.stt.state, { timeout: 60_000 }).toBe('done');
    stt.setFault(undefined);
    const { transcript, job } = await stored(episodeId);
    expect(job!.stt.pieces.map((p) => p.index).sort()).toEqual([0, 1]);
    expect(transcript!.transcript.segments.map((s) => s.text)).toEqual(SCRIPT.map((l) => l.text));
    // Each piece uploaded once, but for a piece whose upload a pause or a closed document cut short.
    const located = stt.requests.map((r) => Math.round(r.locatedStart ?? -1) || 0);
    expect(new Set(located)).toEqual(new Set([0, PIECE]));
    expect(located.length).toBeLessThanOrEqual(4);
    await expect
      .poll(async () => (await stored(episodeId)).insights.length, { timeout: 30_000 })
      .toBeGreaterThan(0);
  });
});
