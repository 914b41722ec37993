// End to end, in real Chromium: how detection behaves on awkward and hostile pages. Each page is
// served on a host the manifest matches; example.com is one it does not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHarness, type Harness } from './harness';
import {
  autoplayPage,
  bareMediaPage,
  episodePage,
  HOSTILE_TITLE,
  hostilePage,
  longTitlePage,
  quietPage,
  severalMediaPage,
  silentWav,
  spaPage,
} from './pages';

const HOST = 'overcast.fm';
const OTHER = 'example.com';
let h: Harness;

const html = (path: string, body: string) => ({ host: HOST, path, body });
const wav = (path: string, seconds: number) => ({ path, body: silentWav(seconds), type: 'audio/wav' });

beforeAll(async () => {
  h = await startHarness({
    hosts: [HOST, OTHER],
    routes: [
      html('/spa/', spaPage),
      html('/spa/episode-two', spaPage),
      html('/several', severalMediaPage),
      html('/bare', bareMediaPage),
      html('/hostile', hostilePage),
      html('/quiet', quietPage),
      html('/autoplay', autoplayPage),
      html('/long', longTitlePage),
      {
        host: OTHER,
        path: '/',
        body: episodePage({ title: 'Elsewhere', show: 'Other Site', audio: '/media/long-1.wav' }),
      },
      wav('/media/long-1.wav', 60),
      wav('/media/long-2.wav', 45),
      wav('/media/my-great-episode.wav', 40),
      wav('/media/ding.wav', 2),
      wav('/media/teaser.wav', 5),
    ],
  });
});
afterAll(async () => h?.close());

async function openPage(path: string, host = HOST): Promise<Page> {
  const page = await h.context.newPage();
  await page.goto(`https://${host}${path}`);
  return page;
}

async function play(page: Page, selector = '#player'): Promise<void> {
  await page.evaluate((s) => (document.querySelector(s) as HTMLMediaElement).play(), selector);
  await page.waitForFunction(
    (s) => (document.querySelector(s) as HTMLMediaElement).currentTime > 0.3,
    selector,
  );
}

/** What the popup for this page's tab shows once it settles: the title, or the empty state. */
async function popupSays(page: Page): Promise<{ state: string; title: string | null; show: string | null }> {
  const popup = await h.openPopup(page);
  await popup.waitForSelector(
    'main[data-state="playing"], main[data-state="empty"], main[data-state="error"]',
  );
  const state = (await popup.locator('main').getAttribute('data-state')) ?? '';
  const title = state === 'playing' ? await popup.getByTestId('title').textContent() : null;
  // The show line is absent when the page names no show: count it rather than wait for it.
  const shows = popup.getByTestId('show');
  const show = state === 'playing' && (await shows.count()) > 0 ? await shows.textContent() : null;
  await popup.close();
  return { state, title, show };
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 40 && !ok(value); i++) {
    await new Promise((r) => setTimeout(r, 250));
    value = await read();
  }
  return value;
}

describe('detection on awkward pages', () => {
  it('follows a single-page app to its next episode without a reload', async () => {
    const page = await openPage('/spa/');
    await play(page);
    expect(
      await until(
        () => popupSays(page),
        (s) => s.state === 'playing',
      ),
    ).toMatchObject({
      title: 'Episode one · SPA Radio',
      show: 'SPA Radio',
    });
    await page.bringToFront();
    await page.click('#next');
    await page.waitForFunction(() => location.pathname === '/spa/episode-two');
    expect(
      await until(
        () => popupSays(page),
        (s) => s.title === 'Episode two · SPA Radio',
      ),
    ).toMatchObject({
      state: 'playing',
      title: 'Episode two · SPA Radio',
    });
    await page.close();
  });

  it('ignores short sounds and takes the episode among several media elements', async () => {
    const page = await openPage('/several');
    await play(page, '#ding'); // 2 s: a sound effect
    await page.evaluate(() => (document.querySelector('#teaser') as HTMLVideoElement).play());
    await page.waitForTimeout(500);
    expect((await popupSays(page)).state).toBe('empty');
    await page.bringToFront();
    await play(page, '#player');
    expect(
      await until(
        () => popupSays(page),
        (s) => s.state === 'playing',
      ),
    ).toMatchObject({
      title: 'The real episode · Many Media',
      show: 'Many Media',
    });
    await page.close();
  });

  it('names a media element with no metadata after its file', async () => {
    const page = await openPage('/bare');
    await play(page);
    expect(
      await until(
        () => popupSays(page),
        (s) => s.state === 'playing',
      ),
    ).toMatchObject({
      title: 'my great episode',
      show: null,
    });
    await page.close();
  });

  it('catches media that was already playing when the script arrived', async () => {
    const page = await openPage('/autoplay');
    await page.waitForFunction(() => (document.querySelector('audio')?.currentTime ?? 0) > 0.3);
    expect(
      await until(
        () => popupSays(page),
        (s) => s.state === 'playing',
      ),
    ).toMatchObject({
      title: 'Already playing',
      show: 'Autoplay FM',
    });
    await page.close();
  });

  it('clamps an oversized title instead of losing the episode', async () => {
    const page = await openPage('/long');
    await play(page);
    const { state, title } = await until(
      () => popupSays(page),
      (s) => s.state === 'playing',
    );
    expect(state).toBe('playing');
    expect(title!.length).toBeLessThanOrEqual(500);
    expect(title!.startsWith('Very long title Very long title')).toBe(true);
    await page.close();
  });

  it('shows page markup as text and runs none of it', async () => {
    const page = await openPage('/hostile');
    await play(page);
    const popup = await h.openPopup(page);
    await popup.waitForSelector('main[data-state="playing"]');
    expect(await popup.getByTestId('title').textContent()).toBe(HOSTILE_TITLE);
    expect(await popup.getByTestId('show').textContent()).toBe('<script>window.__pwned=2</script>Show');
    // No element came from the page's text: the only images are the logo and the placeholder.
    expect(await popup.locator('[data-testid="now-playing"] img').count()).toBe(0);
    expect(
      await popup.locator('[data-testid="now-playing"] script, [data-testid="now-playing"] b').count(),
    ).toBe(0);
    expect(await popup.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await popup.close();
    await page.close();
  });

  it('says nothing plays on a page without media, and on sites it does not run on', async () => {
    const quiet = await openPage('/quiet');
    expect(await popupSays(quiet)).toMatchObject({ state: 'empty' });
    const other = await openPage('/', OTHER);
    await play(other);
    expect(await popupSays(other)).toMatchObject({ state: 'empty' });
    await quiet.close();
    await other.close();
  });
});

describe('the message router in the real extension', () => {
  it('refuses forged, malformed and unknown messages, and stores nothing from them', async () => {
    const page = await openPage('/quiet');
    const popup = await h.openPopup(page);
    const replies = await popup.evaluate(async () => {
      const send = (m: unknown) => chrome.runtime.sendMessage(m);
      return {
        // An extension page pretending to be a content script.
        forged: await send({
          type: 'episode/detected',
          payload: { hint: { site: 'generic', pageUrl: 'https://forged.example/', title: 'Forged episode' } },
        }),
        malformed: await send({ type: 'tab/now-playing', payload: { tabId: 'one' } }),
        unknown: await send({ type: 'insights/steal-key', payload: {} }),
        noEnvelope: await send('hello'),
      };
    });
    expect(replies.forged).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect(replies.malformed).toMatchObject({ ok: false, error: { code: 'invalid-message' } });
    expect(replies.unknown).toMatchObject({ ok: false, error: { code: 'unknown-type' } });
    expect(replies.noEnvelope).toMatchObject({ ok: false, error: { code: 'invalid-message' } });
    const titles = await (
      await h.worker()
    ).evaluate(
      () =>
        new Promise<string[]>((resolve) => {
          const open = indexedDB.open('earmark');
          open.onsuccess = () => {
            const req = open.result.transaction('episodes').objectStore('episodes').getAll();
            req.onsuccess = () => resolve(req.result.map((e: { title: string }) => e.title));
          };
        }),
    );
    expect(titles).not.toContain('Forged episode');
    await popup.close();
    await page.close();
  });
});
