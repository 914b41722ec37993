// End to end, in real Chromium: an Apple Podcasts episode page (our hand-written fixture in the shape
// of the 2024– Svelte app) served on podcasts.apple.com, with an <audio> playing the demo episode and
// its transcript as a <track>. The popup names the episode from the page's serialized data; a seek
// sent to the tab moves the player; the insights' cards mount under the episode's title block.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRoute, startHarness, type Harness } from './harness';
import { cardsOf } from './shadow';

const HOST = 'podcasts.apple.com';
const PATH = '/us/podcast/why-octopuses-dream/id1234567890';
const EPISODE_URL = `https://${HOST}${PATH}?i=1000654321098`;
let h: Harness;

/** The fixture, with the player Apple's app would add: the demo's audio and its transcript. */
const page = readFileSync('test/fixtures/pages/apple-episode.html', 'utf8').replace(
  '</main>',
  `<audio id="player" controls src="/assets/demo/episode.opus">
    <track kind="subtitles" srclang="en" src="/assets/demo/episode.vtt" />
  </audio></main>`,
);

beforeAll(async () => {
  h = await startHarness({
    hosts: [HOST],
    routes: [{ host: HOST, path: PATH, body: page }, demoRoute(HOST, '/assets/demo/')],
  });
});
afterAll(async () => h?.close());

describe('Apple Podcasts', () => {
  it('recognises the episode, seeks its player, and mounts the cards under its title', async () => {
    const tab = h.context.pages()[0] ?? (await h.context.newPage());
    await tab.goto(EPISODE_URL);
    await tab.evaluate(() => document.querySelector('audio')!.play());
    await tab.waitForFunction(() => (document.querySelector('audio')?.currentTime ?? 0) > 1);

    // The popup: title and show from the page's data (not the demo file's own metadata).
    const popup = await h.openPopup(tab);
    await expect
      .poll(
        () =>
          popup
            .getByTestId('title')
            .textContent()
            .catch(() => null),
        { timeout: 10_000 },
      )
      .toBe('Why Octopuses Dream');
    expect(await popup.getByTestId('show').textContent()).toBe('Deep Sea Notes');
    // Stored as the Apple adapter read it: its ids, the enclosure from the serialized data.
    const [episode] = await (
      await h.worker()
    ).evaluate(
      () =>
        new Promise<Record<string, unknown>[]>((resolve) => {
          const open = indexedDB.open('earmark');
          open.onsuccess = () => {
            const req = open.result.transaction('episodes').objectStore('episodes').getAll();
            req.onsuccess = () => resolve(req.result);
          };
        }),
    );
    expect(episode).toMatchObject({
      site: 'apple-podcasts',
      appleCollectionId: '1234567890',
      enclosureUrl:
        'https://dts.podtrac.com/redirect.mp3/media.deepseanotes.example/episodes/why-octopuses-dream.mp3?dest-id=48151',
      mediaUrl: `https://${HOST}/assets/demo/episode.opus`,
      transcriptLinks: [{ url: `https://${HOST}/assets/demo/episode.vtt`, language: 'en' }],
    });
    expect(episode!.aliases).toContain('apple:1000654321098');

    // Seek: the extension's message to the tab moves the page's player.
    const tabId = await h.tabIdOf(tab);
    const reply = await popup.evaluate(
      (id) => chrome.tabs.sendMessage(id, { type: 'player/seek', payload: { time: 42 } }),
      tabId,
    );
    expect(reply).toMatchObject({ ok: true, value: { position: 42 } });
    await expect
      .poll(() => tab.evaluate(() => document.querySelector('audio')!.currentTime))
      .toBeGreaterThanOrEqual(42);

    // Insights from the page's transcript track (the local engine, no key).
    const section = popup.getByTestId('insights');
    await expect
      .poll(() => section.getAttribute('data-state').catch(() => null), { timeout: 30_000 })
      .toBe('ready');
    // A click on the first insight's time seeks the player there; its card shows, under the title.
    const time = await popup.getByTestId('insight').first().locator('button.time').textContent();
    const [m, s] = time!.split(':').map(Number) as [number, number];
    await popup.getByTestId('insight').first().locator('button.time').click();
    await expect
      .poll(() => tab.evaluate(() => Math.floor(document.querySelector('audio')!.currentTime)), {
        timeout: 5000,
      })
      .toBeGreaterThanOrEqual(m * 60 + s);
    await popup.close();
    const cards = await cardsOf(tab);
    await expect.poll(() => cards.mounted(), { timeout: 10_000 }).toBe(true);
    await expect.poll(async () => (await cards.texts('text')).length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await tab.evaluate(() => document.querySelector('.headings')?.nextElementSibling?.tagName)).toBe(
      'EARMARK-CARDS',
    );
  });
});
