// End to end, in real Chromium: on a site the manifest names no content script for, opening the
// popup injects the generic content script (content-injected.js, self-contained) into the tab,
// which finds the playing episode; opening it again does not start a second copy.
// (The toolbar click grants activeTab, which headless Chromium cannot click: the page is served on
// itunes.apple.com, a host the extension may already read, so the same injection call runs.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRoute, DEMO_TITLE, startHarness, type Harness } from './harness';

const HOST = 'itunes.apple.com';
const PAGE = `https://${HOST}/earmark-demo/`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ hosts: [HOST], routes: [demoRoute(HOST, '/earmark-demo/')] });
});
afterAll(async () => h?.close());

describe('a site with no content script of its own', () => {
  it('the popup injects the generic adapter, which recognises the episode; once only', async () => {
    const page = h.context.pages()[0] ?? (await h.context.newPage());
    await page.goto(PAGE);
    await page.click('#play');
    await page.waitForFunction(() => (document.querySelector('audio')?.currentTime ?? 0) > 1);
    // Nothing runs there before the popup opens: no episode is known.
    const worker = await h.worker();
    expect(
      await worker.evaluate(() => chrome.scripting.getRegisteredContentScripts().then((s) => s.length)),
    ).toBe(0);

    const popup = await h.openPopup(page);
    await expect
      .poll(
        () =>
          popup
            .getByTestId('title')
            .textContent()
            .catch(() => null),
        { timeout: 15_000 },
      )
      .toBe(DEMO_TITLE);
    await popup.close();

    // A second popup finds the script running (its answer), and does not inject another copy:
    // the page holds one card host at most and the detector reported the episode once per play.
    const again = await h.openPopup(page);
    await expect
      .poll(
        () =>
          again
            .getByTestId('title')
            .textContent()
            .catch(() => null),
        { timeout: 10_000 },
      )
      .toBe(DEMO_TITLE);
    await again.close();

    // Injected twice more (as a second popup on a page whose script was busy would): still one
    // copy runs — the cards, once the playhead passes the insights, have one host on the page.
    const tabId = await h.tabIdOf(page);
    for (let i = 0; i < 2; i++)
      await worker.evaluate(
        (id) => chrome.scripting.executeScript({ target: { tabId: id }, files: ['content-injected.js'] }),
        tabId,
      );
    await page.evaluate(() => {
      const audio = document.querySelector('audio')!;
      audio.currentTime = audio.duration - 5;
    });
    await expect.poll(() => page.locator('earmark-cards').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await page.locator('earmark-cards').count()).toBe(1);
  });
});
