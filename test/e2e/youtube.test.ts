// End to end, in real Chromium: a YouTube watch page served on www.youtube.com. The content
// script recognises the video; the page-world script reads the player's caption track with the
// page's own context and hands it over; the popup shows where the transcript came from. A video
// whose captions demand a proof-of-origin token (an empty body) is reported as such.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHarness, type Harness } from './harness';
import { silentWav } from './pages';

const YT = 'www.youtube.com';
let h: Harness;

/** A watch page shaped like YouTube's: #movie_player with getPlayerResponse(), the owner block. */
const watchPage = `<!doctype html><html><head><meta charset="utf-8"><title>(3) Loading - YouTube</title></head><body>
<div id="movie_player" class="html5-video-player"><video id="video" src="/media/yt.wav"></video></div>
<h1 class="ytd-watch-metadata"></h1>
<div id="owner"><ytd-channel-name><a href="/@deeptalk">Deep Talk Pod</a></ytd-channel-name></div>
<script>
  const id = new URLSearchParams(location.search).get('v');
  const token = id === 'potoken0001';
  const titles = { talk0000001: 'Episode 12: Why we sleep', potoken0001: 'Episode 13: Gated captions' };
  document.title = titles[id] + ' - YouTube';
  document.querySelector('h1').textContent = titles[id];
  window.ytInitialPlayerResponse = {
    videoDetails: { videoId: id, title: titles[id] },
    playabilityStatus: { status: 'OK' },
    captions: { playerCaptionsTracklistRenderer: { captionTracks: [
      { baseUrl: 'https://www.youtube.com/api/timedtext?v=' + id + '&lang=en&kind=asr' + (token ? '&exp=xpe' : ''),
        name: { simpleText: 'English (auto-generated)' }, languageCode: 'en', kind: 'asr' },
      { baseUrl: 'https://www.youtube.com/api/timedtext?v=' + id + '&lang=de' + (token ? '&exp=xpe' : ''),
        name: { runs: [{ text: 'German' }] }, languageCode: 'de' },
    ] } },
  };
  document.getElementById('movie_player').getPlayerResponse = () => window.ytInitialPlayerResponse;
</script></body></html>`;

const json3 = JSON.stringify({
  wireMagic: 'pb3',
  events: [
    { tStartMs: 0, dDurationMs: 2500, segs: [{ utf8: 'Welcome to Deep Talk.' }] },
    { tStartMs: 2600, dDurationMs: 40, aAppend: 1, segs: [{ utf8: '\n' }] },
    {
      tStartMs: 3000,
      dDurationMs: 4000,
      segs: [
        { utf8: 'Today ' },
        { utf8: 'we talk ', tOffsetMs: 500 },
        { utf8: 'about sleep.', tOffsetMs: 900 },
      ],
    },
  ],
});

const requests: string[] = [];

beforeAll(async () => {
  h = await startHarness({
    hosts: [YT],
    onRequest: (host, path) => requests.push(`${host}${path}`),
    routes: [
      { host: YT, path: '/watch', body: watchPage },
      { host: YT, path: '/media/yt.wav', body: silentWav(90), type: 'audio/wav' },
      {
        host: YT,
        path: '/api/timedtext',
        // The real endpoint answers 200 with an empty body when a proof-of-origin token is missing.
        body: json3,
        type: 'application/json',
      },
    ],
  });
});
afterAll(async () => h?.close());

async function play(url: string): Promise<Page> {
  const tab = await h.context.newPage();
  await tab.goto(url);
  await tab.evaluate(() => (document.querySelector('video') as HTMLVideoElement).play());
  await tab.waitForFunction(() => (document.querySelector('video')?.currentTime ?? 0) > 0.3);
  return tab;
}

async function settledPopup(tab: Page) {
  const popup = await h.openPopup(tab);
  const section = popup.getByTestId('transcript');
  await expect
    .poll(() => section.getAttribute('data-state').catch(() => null), { timeout: 20_000 })
    .toMatch(/^(found|none)$/);
  return popup;
}

describe('YouTube', () => {
  it('recognises the video and reads its captions through the page', async () => {
    const tab = await play(`https://${YT}/watch?v=talk0000001`);
    const popup = await settledPopup(tab);
    expect(await popup.getByTestId('title').textContent()).toBe('Episode 12: Why we sleep');
    expect(await popup.getByTestId('show').textContent()).toBe('Deep Talk Pod');
    expect(await popup.getByTestId('transcript-source').textContent()).toBe(
      'Transcript: the page (YouTube captions), 2 segments',
    );
    await popup.close();
    // The listener's language (English) was chosen; the page fetched it as json3.
    expect(requests).toContain(`${YT}/api/timedtext`);
    const segments = await (
      await h.worker()
    ).evaluate(
      () =>
        new Promise<{ start: number; text: string }[]>((resolve) => {
          const open = indexedDB.open('earmark');
          open.onsuccess = () => {
            const req = open.result.transaction('transcripts').objectStore('transcripts').getAll();
            req.onsuccess = () =>
              resolve(
                req.result.flatMap((r) =>
                  r.transcript.segments.map((s: { start: number; text: string }) => ({
                    start: s.start,
                    text: s.text,
                  })),
                ),
              );
          };
        }),
    );
    expect(segments).toEqual([
      { start: 0, text: 'Welcome to Deep Talk.' },
      { start: 3, text: 'Today we talk about sleep.' },
    ]);
    await tab.close();
  });

  it('says plainly when captions need a token Earmark cannot make', async () => {
    // This route answers the token-gated track with an empty body, as YouTube does.
    const tab = await h.context.newPage();
    await tab.route('**/api/timedtext?*exp=xpe*', (route) => route.fulfill({ status: 200, body: '' }));
    await tab.goto(`https://${YT}/watch?v=potoken0001`);
    await tab.evaluate(() => (document.querySelector('video') as HTMLVideoElement).play());
    const popup = await settledPopup(tab);
    expect(await popup.getByTestId('transcript').getAttribute('data-state')).toBe('none');
    const steps = await popup.getByTestId('transcript-steps').locator('li').allTextContents();
    expect(steps[0]).toBe(
      'YouTube sent an empty caption file: its captions for this video need a proof-of-origin token that only YouTube’s own player can make.',
    );
    await popup.close();
    await tab.close();
  });
});
