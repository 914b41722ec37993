// End to end, in real Chromium with the built extension: the demo episode plays on a supported
// host, the popup shows it, and it survives the service worker being stopped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demoRoute, DEMO_SHOW, DEMO_TITLE, startHarness, type Harness } from './harness';

const HOST = 'overcast.fm';
const DEMO_URL = `https://${HOST}/+earmark-demo/`;

let h: Harness;
let page: Page;

beforeAll(async () => {
  h = await startHarness({ hosts: [HOST], routes: [demoRoute(HOST, '/+earmark-demo/')] });
  page = h.context.pages()[0] ?? (await h.context.newPage());
});
afterAll(async () => h?.close());

async function storedEpisodes(): Promise<{ id: string; title: string; aliases: string[] }[]> {
  const worker = await h.worker();
  return worker.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('earmark');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('episodes').objectStore('episodes').getAll();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        };
      }),
  );
}

describe('the demo episode', () => {
  it('loads with the pinned extension id', async () => {
    expect(h.extensionId).toBe('clmkckcgpmojplajnbmgmndofeadmeal');
    expect((await h.worker()).url()).toBe(`chrome-extension://${h.extensionId}/service-worker-loader.js`);
  });

  it('plays, and the popup shows the episode with show, artwork and position', async () => {
    await page.goto(DEMO_URL);
    await page.click('#play');
    await page.waitForFunction(() => (document.querySelector('audio')?.currentTime ?? 0) > 1.5);
    const popup = await h.openPopup(page);
    await expect
      .poll(
        () =>
          popup
            .getByTestId('title')
            .textContent()
            .catch(() => null),
        { timeout: 10_000 },
      )
      .toBe(DEMO_TITLE);
    expect(await popup.getByTestId('show').textContent()).toBe(DEMO_SHOW);
    expect(await popup.locator('.eyebrow').textContent()).toBe('Now playing');
    const artwork = await popup.locator('img.artwork').getAttribute('src');
    expect(artwork).toBe(`https://${HOST}/+earmark-demo/artwork.png`);
    // Position ticks forward while playing; duration comes from the media element (3:00).
    const times = popup.locator('.times span');
    expect(await times.nth(1).textContent()).toBe('3:00');
    const first = await times.nth(0).textContent();
    await expect.poll(() => times.nth(0).textContent(), { timeout: 5000 }).not.toBe(first);
    await popup.close();

    // The toolbar badge marks the tab (♪), then counts the episode's insights once they are
    // found; its tooltip names the episode.
    const tabId = await h.tabIdOf(page);
    const worker = await h.worker();
    const readBadge = () =>
      worker.evaluate(async (id) => {
        return {
          text: await chrome.action.getBadgeText({ tabId: id }),
          title: await chrome.action.getTitle({ tabId: id }),
        };
      }, tabId);
    expect((await readBadge()).text).toMatch(/^(♪|\d+)$/);
    await expect.poll(async () => (await readBadge()).text, { timeout: 20_000 }).toMatch(/^\d+$/);
    const count = await worker.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const open = indexedDB.open('earmark');
          open.onsuccess = () => {
            const req = open.result.transaction('insights').objectStore('insights').count();
            req.onsuccess = () => resolve(req.result);
          };
        }),
    );
    const badge = await readBadge();
    expect(badge.text).toBe(String(count));
    expect(badge.title).toBe(
      `Earmark — ${DEMO_SHOW}: ${DEMO_TITLE} — ${count} insight${count === 1 ? '' : 's'}`,
    );

    const episodes = await storedEpisodes();
    expect(episodes).toHaveLength(1);
    expect(episodes[0]!.aliases).toContain(`media:${HOST}/+earmark-demo/episode.opus`);
  });

  it('pausing shows as paused, at the paused position', async () => {
    await page.bringToFront();
    await page.click('#play'); // the demo's button toggles: now it pauses
    await page.waitForFunction(() => document.querySelector('audio')?.paused === true);
    const at = await page.evaluate(() => document.querySelector('audio')!.currentTime);
    const popup = await h.openPopup(page);
    await expect
      .poll(() =>
        popup
          .locator('.eyebrow')
          .textContent()
          .catch(() => null),
      )
      .toBe('Paused');
    const shown = await popup.locator('.times span').nth(0).textContent();
    expect(shown).toBe(`0:${String(Math.floor(at)).padStart(2, '0')}`);
    await popup.close();
  });

  it('is still there after the service worker is stopped and restarted', async () => {
    const before = await storedEpisodes();
    // A mark in the running worker's memory: a restarted worker starts without it.
    await (await h.worker()).evaluate(() => ((globalThis as { mark?: number }).mark = 1));
    await h.stopWorker(); // resolves once DevTools reports the worker stopped

    // Opening the popup sends a message, which starts the worker again; it reads IndexedDB.
    const popup = await h.openPopup(page);
    await expect
      .poll(
        () =>
          popup
            .getByTestId('title')
            .textContent()
            .catch(() => null),
        { timeout: 10_000 },
      )
      .toBe(DEMO_TITLE);
    expect(await popup.getByTestId('show').textContent()).toBe(DEMO_SHOW);
    expect(await storedEpisodes()).toEqual(before);
    expect(await (await h.worker()).evaluate(() => (globalThis as { mark?: number }).mark)).toBeUndefined();
    await popup.close();
  });

  it('keeps one episode when the same episode is played again after a reload', async () => {
    await page.reload();
    await page.click('#play');
    await page.waitForFunction(() => (document.querySelector('audio')?.currentTime ?? 0) > 0.5);
    const popup = await h.openPopup(page);
    await expect
      .poll(() =>
        popup
          .getByTestId('title')
          .textContent()
          .catch(() => null),
      )
      .toBe(DEMO_TITLE);
    await popup.close();
    expect(await storedEpisodes()).toHaveLength(1);
  });
});
