// End to end, in real Chromium: the demo episode's cards appear on the page as the playhead
// reaches each insight (not before), follow seeks both ways, Jump moves the player, Save puts the
// insight in today's list. The cards are in a closed shadow root: read through DevTools.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRoute, startHarness, type Harness } from './harness';
import { cardsOf } from './shadow';

const HOST = 'overcast.fm';
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ hosts: [HOST], routes: [demoRoute(HOST, '/+earmark-demo/')] });
});
afterAll(async () => h?.close());

type Stored = { id: string; text: string; start: number };

async function storedInsights(): Promise<Stored[]> {
  const worker = await h.worker();
  const all = await worker.evaluate(
    () =>
      new Promise<Stored[]>((resolve) => {
        const open = indexedDB.open('earmark');
        open.onsuccess = () => {
          const req = open.result.transaction('insights').objectStore('insights').getAll();
          req.onsuccess = () => resolve(req.result as Stored[]);
        };
      }),
  );
  return all.sort((a, b) => a.start - b.start);
}

describe('inline cards', () => {
  it('appear at their times, follow seeks, Jump seeks and Save saves', async () => {
    const page = h.context.pages()[0] ?? (await h.context.newPage());
    await page.goto(`https://${HOST}/+earmark-demo/`);
    await page.click('#play');
    await page.waitForFunction(() => (document.querySelector('audio')?.currentTime ?? 0) > 0.5);
    await h.tabIdOf(page);
    await expect
      .poll(async () => (await storedInsights()).length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(2);
    // Let the extraction finish so the cards have the whole list.
    await new Promise((r) => setTimeout(r, 1000));
    const insights = await storedInsights();
    const [first, second] = insights as [Stored, Stored];
    const cards = await cardsOf(page);
    const seek = (t: number) =>
      page.evaluate((time) => {
        const audio = document.querySelector('audio')!;
        audio.currentTime = time;
      }, t);

    // Before the first insight's moment: no card shows.
    await seek(Math.max(0, first.start - 3));
    await expect.poll(() => cards.texts('text')).toEqual([]);

    // At its moment, it shows (the media plays on: timeupdate drives the cards).
    await seek(first.start + 0.5);
    await expect.poll(() => cards.texts('text'), { timeout: 5000 }).toContain(first.text);

    // A seek forward shows the latest insight reached; a seek back hides those not reached yet.
    await seek(second.start + 0.5);
    await expect.poll(async () => (await cards.texts('text'))[0], { timeout: 5000 }).toBe(second.text);
    await seek(Math.max(0, first.start - 3));
    await expect.poll(() => cards.texts('text'), { timeout: 5000 }).toEqual([]);

    // Jump: from a later moment, the card's Jump puts the player back at its insight.
    await seek(second.start + 0.5);
    await expect.poll(async () => (await cards.texts('text'))[0], { timeout: 5000 }).toBe(second.text);
    await seek(second.start + 8);
    await cards.click('jump');
    await expect
      .poll(() => page.evaluate(() => document.querySelector('audio')!.currentTime), { timeout: 5000 })
      .toBeLessThan(second.start + 4);
    expect(await page.evaluate(() => document.querySelector('audio')!.currentTime)).toBeGreaterThanOrEqual(
      second.start - 0.5,
    );

    // Save: the insight is in today's list.
    await cards.click('save');
    await expect.poll(() => cards.attribute('save', 'aria-pressed'), { timeout: 5000 }).toBe('true');
    const options = await h.context.newPage();
    await options.goto(`chrome-extension://${h.extensionId}/src/ui/options/index.html`);
    const day = await options.evaluate(() => {
      const d = new Date();
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    await expect
      .poll(async () => {
        const reply = (await options.evaluate(
          (payload) => chrome.runtime.sendMessage({ type: 'library/day', payload }),
          { day },
        )) as { value: { items: { insight: { id: string } }[] } };
        return reply.value.items.map((i) => i.insight.id);
      })
      .toEqual([second.id]);
    await options.close();

    // The page cannot see into the cards.
    expect(await page.evaluate(() => document.querySelector('earmark-cards')?.shadowRoot ?? 'closed')).toBe(
      'closed',
    );
  });
});
