// End to end, in real Chromium: markup and script in a page's title and show, and in insight texts,
// quotes and topics (as a model could write them; here they come in through an imported file,
// itself untrusted input), are shown as text in every view — the page's cards, the popup's Now,
// Today and Search, the library page's days, episodes and search — and none of it runs or becomes
// an element. (Transcript parsers already reduce cue markup to plain text: test/core/transcript.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demoRoute, startHarness, type Harness } from './harness';
import { cardsOf } from './shadow';

const HOST = 'overcast.fm';
const MARKUP = '<img src=x onerror="window.__pwned=4"><b>bold</b>';
const TITLE = '<img src=x onerror="window.__pwned=1">Evil <b>episode</b>';
const SHOW = '<script>window.__pwned=2</script>Show';
const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const page = `<!doctype html><html><head><meta charset="utf-8"><title>x</title>
<meta property="og:title" content="${esc(TITLE)}"><meta property="og:site_name" content="${esc(SHOW)}">
</head><body><audio id="player" controls src="/+earmark-demo/episode.opus"></audio>
<button id="play" onclick="document.getElementById('player').play()">Play</button>
<a href="/+earmark-demo/episode.vtt">Transcript</a></body></html>`;

/** Two insights of the episode the page plays (known by its audio file), with markup in them. */
function hostileArchive(): string {
  const at = '2026-11-29T08:00:00.000Z';
  const insight = (n: number, start: number) => ({
    id: `ins_hostile${n}`,
    episodeId: 'ep_hostile',
    engine: 'Claude (test)',
    createdAt: at,
    text: `Claim ${n} ${MARKUP}`,
    quote: `quote ${n} ${MARKUP}`,
    start,
    topics: [`topic ${MARKUP}`],
    importance: 4,
  });
  return JSON.stringify({
    format: 'earmark-library',
    version: 1,
    exportedAt: at,
    episodes: [
      {
        id: 'ep_hostile',
        title: TITLE,
        show: SHOW,
        pageUrl: `https://${HOST}/+hostile/`,
        site: 'overcast',
        aliases: [`media:${HOST}/+earmark-demo/episode.opus`],
        firstSeen: at,
        lastSeen: at,
      },
    ],
    insights: [insight(1, 5), insight(2, 12)],
    saved: [],
    follows: [],
    briefs: [],
  });
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    hosts: [HOST],
    routes: [
      demoRoute(HOST, '/+earmark-demo/'),
      { host: HOST, path: '/+hostile/', body: page, type: 'text/html' },
    ],
  });
});
afterAll(async () => h?.close());

/** Elements that page or model text could have made, in the given part of an extension page. */
async function injected(view: Page, scope: string): Promise<number> {
  return view.locator(`${scope} img[src="x"], ${scope} script, ${scope} b`).count();
}
const pwned = (view: Page) => view.evaluate(() => (window as { __pwned?: number }).__pwned);

describe('markup from pages, files and the model', () => {
  it('is text in every view, and never runs', async () => {
    const options = await h.context.newPage();
    await options.goto(`chrome-extension://${h.extensionId}/src/ui/options/index.html`);
    const imported = (await options.evaluate(
      (json) => chrome.runtime.sendMessage({ type: 'library/import', payload: { json } }),
      hostileArchive(),
    )) as { ok: boolean; value: { added: { insights: number } } };
    expect(imported.value.added.insights).toBe(2);
    await options.close();

    const tab = h.context.pages()[0] ?? (await h.context.newPage());
    await tab.goto(`https://${HOST}/+hostile/`);
    await tab.click('#play');
    await tab.waitForFunction(() => (document.querySelector('audio')?.currentTime ?? 0) > 0.5);

    // Popup, Now: the title, the show, every insight and topic as the characters they are.
    const popup = await h.openPopup(tab);
    await expect
      .poll(
        () =>
          popup
            .getByTestId('insights')
            .getAttribute('data-state')
            .catch(() => null),
        {
          timeout: 20_000,
        },
      )
      .toBe('ready');
    expect(await popup.getByTestId('title').textContent()).toBe(TITLE);
    expect(await popup.getByTestId('show').textContent()).toBe(SHOW);
    const texts = await popup.getByTestId('insight').locator('.insight-text').allTextContents();
    const marked = texts.filter((t) => t.includes(MARKUP));
    expect(marked).toEqual([`Claim 1 ${MARKUP}`, `Claim 2 ${MARKUP}`]);
    expect(await popup.locator('.topic').allTextContents()).toContain(`topic ${MARKUP}`);
    expect(await injected(popup, 'main')).toBe(0);

    // Saved, then in the Today tab.
    const firstMarked = popup.getByTestId('insight').filter({ hasText: `Claim 1 ${MARKUP}` });
    await firstMarked.getByTestId('save').click();
    await expect.poll(() => firstMarked.getByTestId('save').getAttribute('aria-pressed')).toBe('true');
    await popup.getByTestId('tab-today').click();
    await expect.poll(() => popup.getByTestId('today-item').first().textContent()).toContain(marked[0]);
    expect(await injected(popup, 'main')).toBe(0);

    // Search.
    await popup.getByTestId('tab-search').click();
    await popup.getByTestId('popup-search').fill('bold');
    await expect.poll(() => popup.getByTestId('popup-result').count(), { timeout: 5000 }).toBeGreaterThan(0);
    expect((await popup.getByTestId('popup-result').allTextContents()).join(' ')).toContain(MARKUP);
    expect(await injected(popup, 'main')).toBe(0);
    expect(await pwned(popup)).toBeUndefined();
    await popup.close();

    // The library page: today's list, every episode with its insights, search.
    const library = await h.context.newPage();
    await library.goto(`chrome-extension://${h.extensionId}/src/ui/library/index.html`);
    await expect.poll(() => library.getByTestId('saved-item').first().textContent()).toContain(marked[0]);
    await library.getByTestId('view-all').click();
    await library.getByTestId('all-episode').first().locator('button').first().click();
    await expect
      .poll(() => library.getByTestId('episode-insight-row').count(), { timeout: 5000 })
      .toBe(texts.length);
    expect(await library.getByTestId('all-episode').first().textContent()).toContain(TITLE);
    expect((await library.getByTestId('episode-insight-row').allTextContents()).join(' ')).toContain(MARKUP);
    await library.getByTestId('search').fill('bold');
    await expect.poll(() => library.getByTestId('result').count(), { timeout: 5000 }).toBeGreaterThan(0);
    expect(await injected(library, 'main')).toBe(0);
    expect(await pwned(library)).toBeUndefined();
    await library.close();

    // The page's own cards: the insight as text, no element made from it, nothing run in the page.
    const cards = await cardsOf(tab);
    await tab.evaluate(() => {
      document.querySelector('audio')!.currentTime = 12.5;
    });
    await expect
      .poll(async () => (await cards.texts('text'))[0], { timeout: 5000 })
      .toBe(`Claim 2 ${MARKUP}`);
    expect(await tab.evaluate(() => document.querySelectorAll('img[src="x"], b').length)).toBe(0);
    expect(await pwned(tab)).toBeUndefined();
  });
});
