// End to end, in real Chromium: a player that plays through a media element it keeps out of the
// document (`new Audio()`, as Spotify's and Pocket Casts' web players may), seen through the
// page-world media bridge. On a Spotify episode page (the fixture's now-playing bar), the episode
// is recognised, a time in the popup seeks the detached element, and a card mounts once the
// playhead has passed an insight.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fixturePage } from '../helpers/page';
import { demoRoute, startHarness, type Harness } from './harness';
import { cardsOf } from './shadow';

const HOST = 'open.spotify.com';
const EPISODE_PATH = '/episode/4rOoJ6Egrf8K2IrywzwOMk';
const TITLE = 'Sleep, Memory and the Forgetting Curve';
let h: Harness;

/** The episode page with a player whose element is never put in the document. */
const page = fixturePage('spotify-episode.html').replace(
  '</body>',
  `<p><a href="/earmark-demo/episode.vtt">Transcript</a></p>
<button id="play">Play</button>
<script>
  const player = new Audio('/earmark-demo/episode.opus');
  window.detachedPlayer = player; // for the test to read its playhead
  player.addEventListener('play', () => {
    navigator.mediaSession.metadata = new MediaMetadata({ title: document.querySelector('[data-testid="context-item-link"]').textContent });
  });
  document.getElementById('play').addEventListener('click', () => player.play());
</script></body>`,
);

type Detached = { detachedPlayer: HTMLAudioElement };
const position = (p: Page) => p.evaluate(() => (window as unknown as Detached).detachedPlayer.currentTime);

beforeAll(async () => {
  h = await startHarness({
    hosts: [HOST],
    routes: [{ host: HOST, path: EPISODE_PATH, body: page }, demoRoute(HOST, '/earmark-demo/')],
  });
});
afterAll(async () => h?.close());

describe('media kept out of the document', () => {
  it('is recognised, seeked from the popup, and followed by the cards', async () => {
    const tab = await h.context.newPage();
    await tab.goto(`https://${HOST}${EPISODE_PATH}`);
    await tab.click('#play');
    await expect.poll(() => position(tab), { timeout: 10_000 }).toBeGreaterThan(0.5);
    expect(await tab.evaluate(() => document.querySelectorAll('audio, video').length)).toBe(0);

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
      .toBe(TITLE);

    // The transcript the page links gives insights; a click on the last one's time seeks the
    // detached element there.
    const section = popup.getByTestId('insights');
    await expect
      .poll(() => section.getAttribute('data-state').catch(() => null), { timeout: 20_000 })
      .toBe('ready');
    const times = await popup.getByTestId('insight').locator('button.time').allTextContents();
    expect(times.length).toBeGreaterThan(0);
    const [m, s] = times.at(-1)!.split(':').map(Number) as [number, number];
    await popup.getByTestId('insight').last().locator('button.time').click();
    await expect.poll(() => position(tab), { timeout: 5000 }).toBeGreaterThanOrEqual(m * 60 + s);
    await popup.close();

    // The playhead has passed that insight: its card shows, after the episode's action bar.
    const cards = await cardsOf(tab);
    await expect.poll(() => cards.mounted(), { timeout: 10_000 }).toBe(true);
    expect(await cards.texts('text')).not.toEqual([]);
    expect(
      await tab.evaluate(() =>
        document.querySelector('earmark-cards')?.previousElementSibling?.getAttribute('data-testid'),
      ),
    ).toBe('action-bar-row');
    await tab.close();
  });
});
