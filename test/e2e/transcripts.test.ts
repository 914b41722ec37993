// End to end, in real Chromium: the transcript resolver finds the demo episode's transcript
// through the show's feed, takes a caption track the page links, says what it tried when there
// is none, and never fetches a private address a feed points at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demoRoute, startHarness, type Harness } from './harness';
import { silentWav } from './pages';

const HOST = 'overcast.fm';
const FEEDS = 'feeds.example.org';
const APPLE = 'itunes.apple.com';

/** Apple's Search API, as far as these tests need it: one show it knows, "Directory Show". */
const itunesSearch = JSON.stringify({
  resultCount: 1,
  results: [
    {
      wrapperType: 'track',
      kind: 'podcast',
      collectionId: 4242,
      collectionName: 'Directory Show',
      feedUrl: 'https://overcast.fm/directory/feed.xml',
    },
  ],
});
let h: Harness;
const hits: string[] = [];

const VTT = `WEBVTT

00:00:01.000 --> 00:00:04.000
<v Host>Captions from the page itself.

00:00:04.500 --> 00:00:08.000
<v Host>A second cue, so there are two.
`;

const page = (title: string, extra: string, audio = '/media/long-1.wav') =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<meta property="og:title" content="${title}"><meta property="og:site_name" content="Test Show">${extra}</head>
<body><audio id="player" controls src="${audio}"></audio></body></html>`;

const feed = (origin: string, items: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel><title>Test Show</title>
<link>${origin}/</link>${items}</channel></rss>`;

beforeAll(async () => {
  h = await startHarness({
    hosts: [HOST, FEEDS, APPLE],
    onRequest: (host, path) => hits.push(`${host}${path}`),
    routes: [
      demoRoute(HOST, '/+earmark-demo/'),
      {
        host: HOST,
        path: '/track/',
        body: `<!doctype html><html><head><meta charset="utf-8"><title>Tracked</title></head><body>
<audio id="player" controls src="/media/long-1.wav"><track kind="captions" srclang="en" src="/media/captions.vtt"></audio></body></html>`,
      },
      { host: HOST, path: '/media/captions.vtt', body: VTT, type: 'text/vtt' },
      { host: HOST, path: '/nofeed/', body: page('No Feed Here', '', '/media/long-3.wav') },
      {
        host: APPLE,
        path: '/search',
        // Apple's API answers cross-origin requests; the extension holds host access to it anyway.
        body: itunesSearch,
        type: 'application/json',
      },
      {
        host: HOST,
        path: '/directory/',
        body: `<!doctype html><html><head><meta charset="utf-8"><title>Found Through Apple</title>
<meta property="og:title" content="Found Through Apple"><meta property="og:site_name" content="Directory Show"></head>
<body><audio id="player" controls src="/media/long-6.wav"></audio></body></html>`,
      },
      {
        host: HOST,
        path: '/directory/feed.xml',
        type: 'application/rss+xml',
        body: feed(
          `https://${HOST}`,
          `<item><title>Found Through Apple</title><guid>d-1</guid><pubDate>Sun, 01 Nov 2026 09:00:00 GMT</pubDate>
<enclosure url="https://cdn.example.net/d-1.mp3" type="audio/mpeg" length="1"/>
<podcast:transcript url="https://${HOST}/media/captions.vtt" type="text/vtt"/></item>`,
        ),
      },
      {
        host: HOST,
        path: '/viafeed/',
        body: page(
          'Via The Feed',
          '<link rel="alternate" type="application/rss+xml" href="/viafeed/feed.xml">',
          '/media/long-5.wav',
        ),
      },
      {
        host: HOST,
        path: '/viafeed/feed.xml',
        type: 'application/rss+xml',
        body: feed(
          `https://${HOST}`,
          `<item><title>Another episode</title><guid>vf-0</guid>
<enclosure url="https://${HOST}/media/other.mp3" type="audio/mpeg" length="1"/></item>
<item><title>Via The Feed</title><guid>vf-1</guid>
<enclosure url="https://dts.podtrac.com/redirect.mp3/${HOST}/media/long-5.wav" type="audio/wav" length="1"/>
<podcast:transcript url="https://${HOST}/media/captions.vtt" type="application/srt" language="EN"/></item>`,
        ),
      },
      {
        host: HOST,
        path: '/elsewhere/',
        body: page(
          'Feed Elsewhere',
          `<link rel="alternate" type="application/rss+xml" href="https://${FEEDS}/show.xml">`,
          '/media/long-4.wav',
        ),
      },
      { host: FEEDS, path: '/show.xml', body: feed(`https://${FEEDS}`, ''), type: 'application/rss+xml' },
      {
        host: HOST,
        path: '/private/',
        body: page(
          'Private Pointer',
          '<link rel="alternate" type="application/rss+xml" href="/private/feed.xml">',
          '/media/long-2.wav',
        ),
      },
      {
        host: HOST,
        path: '/private/feed.xml',
        type: 'application/rss+xml',
        body: feed(
          `https://${HOST}`,
          `<item><title>Private Pointer</title><guid>pp-1</guid>
<enclosure url="https://${HOST}/media/long-2.wav" type="audio/wav" length="1"/>
<podcast:transcript url="https://127.0.0.1:{{PORT}}/secret.vtt" type="text/vtt"/>
<podcast:transcript url="http://192.168.1.10/secret.vtt" type="text/vtt"/></item>`,
        ),
      },
      { path: '/secret.vtt', body: VTT, type: 'text/vtt' },
      { path: '/media/long-1.wav', body: silentWav(60), type: 'audio/wav' },
      { path: '/media/long-2.wav', body: silentWav(50), type: 'audio/wav' },
      { path: '/media/long-3.wav', body: silentWav(40), type: 'audio/wav' },
      { path: '/media/long-4.wav', body: silentWav(41), type: 'audio/wav' },
      { path: '/media/long-5.wav', body: silentWav(42), type: 'audio/wav' },
      { path: '/media/long-6.wav', body: silentWav(43), type: 'audio/wav' },
      { path: '/media/long-7.wav', body: silentWav(44), type: 'audio/wav' },
      {
        host: HOST,
        path: '/slow/',
        body: page(
          'Slow Feed',
          '<link rel="alternate" type="application/rss+xml" href="/slow/feed.xml">',
          '/media/long-7.wav',
        ),
      },
      {
        host: HOST,
        path: '/slow/feed.xml',
        type: 'application/rss+xml',
        delayMs: 4000,
        body: feed(
          `https://${HOST}`,
          `<item><title>Slow Feed</title><guid>s-1</guid>
<enclosure url="https://${HOST}/media/long-7.wav" type="audio/wav" length="1"/>
<podcast:transcript url="https://${HOST}/media/captions.vtt" type="text/vtt"/></item>`,
        ),
      },
    ],
  });
});
afterAll(async () => h?.close());

async function openAndPlay(url: string, click = false): Promise<Page> {
  const tab = await h.context.newPage();
  await tab.goto(url);
  if (click) await tab.click('#play');
  else await tab.evaluate(() => document.querySelector('audio')!.play());
  await tab.waitForFunction(() => (document.querySelector('audio')?.currentTime ?? 0) > 0.3);
  return tab;
}

/** The popup's transcript section once the search has settled. */
async function transcriptSection(tab: Page) {
  const popup = await h.openPopup(tab);
  const section = popup.getByTestId('transcript');
  await expect
    .poll(() => section.getAttribute('data-state').catch(() => null), { timeout: 20_000 })
    .toMatch(/^(found|none)$/);
  return { popup, section };
}

describe('finding the transcript', () => {
  it('finds the demo episode’s transcript, which its page links', async () => {
    const tab = await openAndPlay(`https://${HOST}/+earmark-demo/`, true);
    const { popup, section } = await transcriptSection(tab);
    expect(await section.getAttribute('data-state')).toBe('found');
    expect(await popup.getByTestId('transcript-source').textContent()).toBe(
      'Transcript: the page (WebVTT), 56 segments',
    );
    expect(hits).toContain(`${HOST}/+earmark-demo/episode.vtt`);
    // Cached: the stored transcript holds the demo's words, with times.
    const stored = await (
      await h.worker()
    ).evaluate(
      () =>
        new Promise<{ source: string; first: string; start: number; count: number }>((resolve) => {
          const open = indexedDB.open('earmark');
          open.onsuccess = () => {
            const req = open.result.transaction('transcripts').objectStore('transcripts').getAll();
            req.onsuccess = () => {
              const r = req.result[0];
              resolve({
                source: r.source,
                first: r.transcript.segments[0].text,
                start: r.transcript.segments[0].start,
                count: r.transcript.segments.length,
              });
            };
          };
        }),
    );
    expect(stored).toEqual({
      source: 'page',
      first: 'Hello, and welcome to The Earmark Demo.',
      start: 0.3,
      count: 56,
    });
    await popup.close();
    await tab.close();
  });

  it('finds a transcript through the show’s feed, matching the episode behind a tracking prefix', async () => {
    const tab = await openAndPlay(`https://${HOST}/viafeed/`);
    const { popup, section } = await transcriptSection(tab);
    expect(await section.getAttribute('data-state')).toBe('found');
    // The feed calls it application/srt; the content is WebVTT, and that is what counts.
    expect(await popup.getByTestId('transcript-source').textContent()).toBe(
      'Transcript: show’s feed (WebVTT), 2 segments',
    );
    expect(hits).toContain(`${HOST}/viafeed/feed.xml`);
    await popup.close();
    await tab.close();
  });

  it('takes the caption track the page links', async () => {
    const tab = await openAndPlay(`https://${HOST}/track/`);
    const { popup } = await transcriptSection(tab);
    expect(await popup.getByTestId('transcript-source').textContent()).toBe(
      'Transcript: the page (WebVTT), 2 segments',
    );
    await popup.close();
    await tab.close();
  });

  it('says what it tried when there is nothing to find', async () => {
    const tab = await openAndPlay(`https://${HOST}/nofeed/`);
    const { popup, section } = await transcriptSection(tab);
    expect(await section.getAttribute('data-state')).toBe('none');
    expect(await popup.getByTestId('transcript-steps').locator('li').allTextContents()).toEqual([
      'The page links no transcript.',
      'The page names no feed, and Apple Podcasts’ directory has no show named “Test Show”.',
    ]);
    expect(await popup.getByTestId('retry-transcript').isVisible()).toBe(true);
    await popup.close();
    await tab.close();
  });

  it('finds the feed in Apple’s directory when the page names only the show', async () => {
    const tab = await openAndPlay(`https://${HOST}/directory/`);
    const { popup, section } = await transcriptSection(tab);
    expect(await section.getAttribute('data-state')).toBe('found');
    expect(await popup.getByTestId('transcript-source').textContent()).toBe(
      'Transcript: show’s feed (WebVTT), 2 segments',
    );
    expect(hits).toContain(`${APPLE}/search`);
    expect(hits).toContain(`${HOST}/directory/feed.xml`);
    await popup.close();
    await tab.close();
  });

  it('asks for access to a feed host it may not read, naming the host', async () => {
    const tab = await openAndPlay(`https://${HOST}/elsewhere/`);
    const { popup } = await transcriptSection(tab);
    const steps = await popup.getByTestId('transcript-steps').locator('li').allTextContents();
    expect(steps[1]).toBe(`Earmark needs your permission to read ${FEEDS} to get the show’s feed.`);
    expect(await popup.getByTestId('allow-access').textContent()).toBe(`Allow access to ${FEEDS}`);
    await popup.close();
    await tab.close();
  });

  it('never fetches a private address a feed points at', async () => {
    const tab = await openAndPlay(`https://${HOST}/private/`);
    const { popup } = await transcriptSection(tab);
    const steps = await popup.getByTestId('transcript-steps').locator('li').allTextContents();
    expect(steps.slice(1)).toEqual([
      expect.stringMatching(
        /^Could not use a transcript linked from the show’s feed \(127\.0\.0\.1:\d+\): Not fetched/,
      ),
      'Could not use a transcript linked from the show’s feed (192.168.1.10): Not fetched: a private, loopback or special IPv4 address.',
    ]);
    expect(hits.filter((hit) => hit.endsWith('/secret.vtt'))).toEqual([]);
    await popup.close();
    await tab.close();
  });
});

describe('a search cut off by the worker stopping', () => {
  it('is resumed when the worker starts again, and ends found', async () => {
    const tab = await openAndPlay(`https://${HOST}/slow/`);
    await h.tabIdOf(tab); // asks the worker: do it while it runs
    // The feed answers only after 4 s: stop the worker while it waits.
    await expect.poll(() => hits.includes(`${HOST}/slow/feed.xml`), { timeout: 10_000 }).toBe(true);
    await h.stopWorker();
    // Opening the popup wakes the worker; it finds the search left running and runs it again.
    const { popup, section } = await transcriptSection(tab);
    expect(await section.getAttribute('data-state')).toBe('found');
    expect(hits.filter((hit) => hit === `${HOST}/slow/feed.xml`).length).toBeGreaterThanOrEqual(2);
    await popup.close();
    await tab.close();
  });
});
