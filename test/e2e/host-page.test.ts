// End to end, in real Chromium: a podcast host's episode page (the hand-written Buzzsprout page of
// test/fixtures/pages/, on a real Buzzsprout host name) playing the demo episode, with the demo's
// WebVTT served as the episode's transcript page (`<episode page>/transcript`). The generic adapter
// recognises the episode, the transcript comes from the page's link, the popup's insight times seek
// the page's audio, and a card mounts in a corner (the generic adapter names no place for it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_DIR, demoRoute, startHarness, type Harness } from './harness';
import { cardsOf } from './shadow';

const HOST = 'the-show.buzzsprout.com';
const EPISODE = '/2011234/episodes/15551234-episode-41-tidal-memory';
const TITLE = 'Episode 41: Tidal Memory';
const SHOW = 'The Slow Coast Show';

/** The fixture page as the host serves it, its player's file swapped for the demo episode's. */
const pageHtml = readFileSync(join('test', 'fixtures', 'pages', 'host-buzzsprout.html'), 'utf8').replace(
  /(<audio[^>]*\ssrc=")[^"]+(")/,
  '$1/demo/episode.opus$2',
);

let h: Harness;
let page: Page;

beforeAll(async () => {
  expect(pageHtml).toContain('src="/demo/episode.opus"');
  h = await startHarness({
    hosts: [HOST],
    routes: [
      demoRoute(HOST, '/demo/'),
      { host: HOST, path: EPISODE, body: pageHtml },
      {
        host: HOST,
        path: `${EPISODE}/transcript`,
        body: readFileSync(join(DEMO_DIR, 'episode.vtt')),
        type: 'text/vtt; charset=utf-8',
      },
    ],
  });
  page = h.context.pages()[0] ?? (await h.context.newPage());
});
afterAll(async () => h?.close());

type Stored = { start: number; text: string };

async function stored(): Promise<{ insights: Stored[]; transcripts: { url: string; source: string }[] }> {
  return (await h.worker()).evaluate(
    () =>
      new Promise((resolve) => {
        const open = indexedDB.open('earmark');
        open.onsuccess = () => {
          const tx = open.result.transaction(['insights', 'transcripts']);
          const insights = tx.objectStore('insights').getAll();
          const transcripts = tx.objectStore('transcripts').getAll();
          tx.oncomplete = () =>
            resolve({
              insights: (insights.result as Stored[]).sort((a, b) => a.start - b.start),
              transcripts: (transcripts.result as { url: string; source: string }[]).map(
                ({ url, source }) => ({ url, source }),
              ),
            });
        };
      }),
  );
}

const currentTime = () => page.evaluate(() => document.querySelector('audio')!.currentTime);

describe('a Buzzsprout episode page', () => {
  it('is recognised, its transcript page read, and the popup’s times seek its audio', async () => {
    await page.goto(`https://${HOST}${EPISODE}`);
    await page.evaluate(() => document.querySelector('audio')!.play());
    await page.waitForFunction(() => (document.querySelector('audio')?.currentTime ?? 0) > 1);

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
      .toBe(TITLE);
    expect(await popup.getByTestId('show').textContent()).toBe(SHOW);

    const section = popup.getByTestId('insights');
    await expect
      .poll(() => section.getAttribute('data-state').catch(() => null), { timeout: 20_000 })
      .toBe('ready');
    // The transcript is the page's own transcript page, found by the generic adapter.
    expect((await stored()).transcripts).toEqual([
      { url: `https://${HOST}${EPISODE}/transcript`, source: 'page' },
    ]);

    const items = popup.getByTestId('insight');
    expect(await items.count()).toBeGreaterThanOrEqual(1);
    const target = (await items.last().locator('button.time').textContent())!;
    const [m, s] = target.split(':').map(Number) as [number, number];
    await items.last().locator('button.time').click();
    await expect
      .poll(async () => Math.floor(await currentTime()), { timeout: 5000 })
      .toBeGreaterThanOrEqual(m * 60 + s);
    await popup.close();
  });

  it('gets its cards in a corner of the window when the playhead reaches an insight', async () => {
    await h.tabIdOf(page);
    const [first] = (await stored()).insights as [Stored];
    const cards = await cardsOf(page);
    await page.evaluate((t) => {
      document.querySelector('audio')!.currentTime = t;
    }, first.start + 0.5);
    await expect.poll(() => cards.texts('text'), { timeout: 5000 }).toContain(first.text);
    expect(await cards.mounted()).toBe(true);
    // No adapter anchor on a host page: the cards' host is the body's, fixed to a corner.
    const placed = await page.evaluate(() => {
      const host = document.querySelector('earmark-cards')!;
      const style = getComputedStyle(host);
      return { parent: host.parentElement?.tagName, position: style.position, right: style.right };
    });
    expect(placed).toEqual({ parent: 'BODY', position: 'fixed', right: '16px' });
  });
});
