// End to end, in real Chromium: Spotify's web player on open.spotify.com, built from the fixture
// pages (the now-playing bar, the episode page) with an <audio> standing in for the element
// Spotify's player makes. The episode playing is recognised with its show; a time in the popup
// seeks it; its insights' cards go under the episode page's action bar. Music is not an episode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fixturePage } from '../helpers/page';
import { demoRoute, startHarness, type Harness } from './harness';
import { silentWav } from './pages';
import { cardsOf } from './shadow';

const HOST = 'open.spotify.com';
const EPISODE_PATH = '/episode/4rOoJ6Egrf8K2IrywzwOMk';
const TRACK_PATH = '/track/3n3Ppam7vgaVa1iaRUc9Lp';
const TITLE = 'Sleep, Memory and the Forgetting Curve';
let h: Harness;

/** A fixture page with the player's media element (and, for the episode, a transcript link). */
function withPlayer(file: string, audio: string, extra = ''): string {
  return fixturePage(file).replace(
    '</body>',
    `<audio id="player" preload="metadata" src="${audio}"></audio>${extra}
<script>
  // As Spotify's player does: Media Session names what plays.
  player.addEventListener('play', () => {
    navigator.mediaSession.metadata = new MediaMetadata({ title: document.querySelector('[data-testid="context-item-link"]').textContent });
  });
</script></body>`,
  );
}

beforeAll(async () => {
  h = await startHarness({
    hosts: [HOST],
    routes: [
      {
        host: HOST,
        path: EPISODE_PATH,
        // The demo's transcript, linked from the episode's description.
        body: withPlayer(
          'spotify-episode.html',
          '/earmark-demo/episode.opus',
          '<p><a href="/earmark-demo/episode.vtt">Transcript</a></p>',
        ),
      },
      { host: HOST, path: TRACK_PATH, body: withPlayer('spotify-track.html', '/media/music.wav') },
      { host: HOST, path: '/media/music.wav', body: silentWav(214), type: 'audio/wav' },
      demoRoute(HOST, '/earmark-demo/'),
    ],
  });
});
afterAll(async () => h?.close());

async function play(path: string): Promise<Page> {
  const page = await h.context.newPage();
  await page.goto(`https://${HOST}${path}`);
  await page.evaluate(() => (document.querySelector('#player') as HTMLAudioElement).play());
  await page.waitForFunction(
    () => (document.querySelector<HTMLAudioElement>('#player')?.currentTime ?? 0) > 0.5,
  );
  return page;
}

const position = (page: Page) =>
  page.evaluate(() => document.querySelector<HTMLAudioElement>('#player')!.currentTime);

describe('Spotify', () => {
  it('recognises the episode, seeks it from the popup, and mounts its cards under the action bar', async () => {
    const page = await play(EPISODE_PATH);
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
    expect(await popup.getByTestId('show').textContent()).toBe('Deep Talk Weekly');

    // The transcript the page links gives insights; a click on the last one's time seeks there.
    const section = popup.getByTestId('insights');
    await expect
      .poll(() => section.getAttribute('data-state').catch(() => null), { timeout: 20_000 })
      .toBe('ready');
    const times = await popup.getByTestId('insight').locator('button.time').allTextContents();
    expect(times.length).toBeGreaterThan(0);
    const [m, s] = times.at(-1)!.split(':').map(Number) as [number, number];
    await popup.getByTestId('insight').last().locator('button.time').click();
    await expect.poll(() => position(page), { timeout: 5000 }).toBeGreaterThanOrEqual(m * 60 + s);
    await popup.close();

    // The card of the insight reached shows in the page's flow, after the episode's action bar.
    const cards = await cardsOf(page);
    await expect.poll(() => cards.mounted(), { timeout: 10_000 }).toBe(true);
    expect(await cards.texts('text')).not.toEqual([]);
    expect(
      await page.evaluate(() =>
        document.querySelector('earmark-cards')?.previousElementSibling?.getAttribute('data-testid'),
      ),
    ).toBe('action-bar-row');
    await page.close();
  });

  it('takes music for what it is: nothing to recognise', async () => {
    const page = await play(TRACK_PATH);
    await page.waitForTimeout(500);
    const popup = await h.openPopup(page);
    await popup.waitForSelector('main[data-state="playing"], main[data-state="empty"]');
    expect(await popup.locator('main').getAttribute('data-state')).toBe('empty');
    await expect(popup.getByTestId('empty').isVisible()).resolves.toBe(true);
    await popup.close();
    await page.close();
  });
});
