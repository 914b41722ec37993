// End to end, in real Chromium: the demo episode gets its key insights from the local engine, with
// no key; the popup lists them with their times; a click on a time moves the page's player there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRoute, startHarness, type Harness } from './harness';

const HOST = 'overcast.fm';
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ hosts: [HOST], routes: [demoRoute(HOST, '/+earmark-demo/')] });
});
afterAll(async () => h?.close());

describe('insights on the demo episode', () => {
  it('appear in the popup with the local engine, and a click on a time seeks the player', async () => {
    const page = h.context.pages()[0] ?? (await h.context.newPage());
    await page.goto(`https://${HOST}/+earmark-demo/`);
    await page.click('#play');
    await page.waitForFunction(() => (document.querySelector('audio')?.currentTime ?? 0) > 1);
    const popup = await h.openPopup(page);
    const section = popup.getByTestId('insights');
    await expect
      .poll(() => section.getAttribute('data-state').catch(() => null), { timeout: 20_000 })
      .toBe('ready');
    const items = popup.getByTestId('insight');
    const count = await items.count();
    expect(count).toBeGreaterThanOrEqual(3);
    expect(count).toBeLessThanOrEqual(10);
    // Every stored insight's quote is words of the demo's transcript, said at its time.
    const stored = await (
      await h.worker()
    ).evaluate(
      () =>
        new Promise<{
          quotes: { quote: string; start: number }[];
          segments: { start: number; text: string }[];
        }>((resolve) => {
          const open = indexedDB.open('earmark');
          open.onsuccess = () => {
            const tx = open.result.transaction(['insights', 'transcripts']);
            const ins = tx.objectStore('insights').getAll();
            const tr = tx.objectStore('transcripts').getAll();
            tx.oncomplete = () =>
              resolve({
                quotes: ins.result.map((i: { quote: string; start: number }) => ({
                  quote: i.quote,
                  start: i.start,
                })),
                segments: tr.result[0].transcript.segments,
              });
          };
        }),
    );
    const fold = (t: string) =>
      t
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, ' ')
        .trim();
    expect(stored.quotes).toHaveLength(count);
    for (const { quote, start } of stored.quotes) {
      const near = stored.segments.filter((seg) => seg.start >= start && seg.start <= start + 90);
      expect(fold(near.map((seg) => seg.text).join(' '))).toContain(fold(quote));
    }
    const texts = await items.locator('.insight-text').allTextContents();
    expect(texts.every((t) => t.length > 10)).toBe(true);
    const times = await items.locator('button.time').allTextContents();
    expect(times.every((t) => /^\d:\d\d$/.test(t))).toBe(true);
    expect([...times].sort()).toEqual(times); // in time order

    // Jump: the last insight's time moves the page's audio there.
    const target = times.at(-1)!;
    const [m, s] = target.split(':').map(Number) as [number, number];
    await items.last().locator('button.time').click();
    await expect
      .poll(() => page.evaluate(() => Math.floor(document.querySelector('audio')!.currentTime)), {
        timeout: 5000,
      })
      .toBeGreaterThanOrEqual(m * 60 + s);
    await popup.close();
  });
});
