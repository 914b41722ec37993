// End to end, in real Chromium with real IndexedDB: insights saved from the popup are in today's
// list after the service worker is stopped; the options page exports the library, erases
// everything, imports the file back, and the library is the same as before.
import { askExtension } from '../../scripts/lib/chromium';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demoRoute, startHarness, type Harness } from './harness';

const HOST = 'overcast.fm';
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ hosts: [HOST], routes: [demoRoute(HOST, '/+earmark-demo/')] });
});
afterAll(async () => h?.close());

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

async function exportFile(options: Page): Promise<string> {
  const [download] = await Promise.all([
    options.waitForEvent('download'),
    options.getByTestId('export').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^earmark-library-\d{4}-\d{2}-\d{2}\.json$/);
  return readFileSync((await download.path())!, 'utf8');
}

describe('the library', () => {
  it('keeps saves across a worker stop; export → erase → import gives the same library', async () => {
    const page = h.context.pages()[0] ?? (await h.context.newPage());
    await page.goto(`https://${HOST}/+earmark-demo/`);
    await page.click('#play');
    await page.waitForFunction(() => (document.querySelector('audio')?.currentTime ?? 0) > 1);
    const popup = await h.openPopup(page);
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
    const items = popup.getByTestId('insight');
    const texts = await items.locator('.insight-text').allTextContents();
    // Save the first and the last insight from the popup.
    for (const item of [items.first(), items.last()]) {
      await item.getByTestId('save').click();
      await expect.poll(() => item.getByTestId('save').getAttribute('aria-pressed')).toBe('true');
    }
    await popup.close();

    await h.stopWorker();

    // The list is intact after the stop: a new popup shows both saved, and today's list has them.
    const again = await h.openPopup(page);
    await expect
      .poll(
        () => again.getByTestId('save').evaluateAll((b) => b.map((x) => x.getAttribute('aria-pressed'))),
        {
          timeout: 10_000,
        },
      )
      .toEqual(texts.map((_, i) => (i === 0 || i === texts.length - 1 ? 'true' : 'false')));
    const list = await askExtension<{ items: { insight: { text: string }; link?: string }[] }>(
      again,
      'library/day',
      {
        day: today(),
      },
    );
    expect(list.items.map((i) => i.insight.text)).toEqual([texts[0], texts.at(-1)]);
    expect(list.items[0]?.link).toMatch(/^https:\/\//);
    await again.close();
    // Nothing plays while the library is erased and imported (a playing tab records its episode).
    await page.close();

    // The library page lists today's two items; a note typed there is kept; search finds them.
    const library = await h.context.newPage();
    await library.goto(`chrome-extension://${h.extensionId}/src/ui/library/index.html`);
    const savedItems = library.getByTestId('saved-item');
    await expect.poll(() => savedItems.count()).toBe(2);
    expect(await savedItems.locator('.insight-text').allTextContents()).toEqual([texts[0], texts.at(-1)]);
    await savedItems.first().getByTestId('note').fill('Worth a re-listen.');
    await savedItems.first().getByTestId('note').blur();
    await expect.poll(() => savedItems.first().getByRole('status').textContent()).toBe('Note saved.');
    const word = texts[0]!
      .split(/\s+/)
      .find((w) => w.replace(/\W/g, '').length >= 6)!
      .replace(/\W/g, '');
    await library.getByTestId('search').fill(word);
    await expect
      .poll(() => library.getByTestId('result').locator('.insight-text').allTextContents())
      .toContain(texts[0]);
    await library.close();

    const options = await h.context.newPage();
    await options.goto(`chrome-extension://${h.extensionId}/src/ui/options/index.html`);
    await expect.poll(() => options.getByTestId('stats').textContent()).toMatch(/2 saved insights on 1 day/);

    const before = await exportFile(options);
    const parsed = JSON.parse(before) as {
      episodes: unknown[];
      insights: unknown[];
      saved: { note?: string }[];
    };
    expect(parsed.episodes).toHaveLength(1);
    expect(parsed.insights).toHaveLength(texts.length);
    expect(parsed.saved.map((s) => s.note ?? null).sort()).toEqual(['Worth a re-listen.', null].sort());
    expect(before).not.toMatch(/apiKey|sk-ant/);

    await options.getByTestId('erase').click();
    await options.getByTestId('erase-confirm').click();
    await expect.poll(() => options.getByTestId('data-notice').textContent()).toMatch(/erased/);
    await expect
      .poll(() => options.getByTestId('stats').textContent())
      .toMatch(/^0 episodes, 0 insights, 0 saved/);

    const file = `${process.env.TMPDIR ?? '/tmp'}/earmark-e2e-import-${process.pid}.json`;
    (await import('node:fs')).writeFileSync(file, before);
    await options.getByTestId('import').setInputFiles(file);
    await expect
      .poll(() => options.getByTestId('data-notice').textContent(), { timeout: 10_000 })
      .toMatch(/Added 1 episode, \d+ insights, 2 saved/);
    const after = await exportFile(options);
    const strip = (json: string) => ({ ...JSON.parse(json), exportedAt: null });
    expect(strip(after)).toEqual(strip(before));

    // Importing the same file again changes nothing.
    await options.getByTestId('import').setInputFiles(file);
    await expect.poll(() => options.getByTestId('data-notice').textContent()).toMatch(/Nothing new to add/);
    expect(strip(await exportFile(options))).toEqual(strip(before));
    await options.close();
  });
});

describe('related insights', () => {
  it('shows, under an insight in the popup, the related ones from another episode of the library', async () => {
    const page = await h.context.newPage();
    await page.goto(`https://${HOST}/+earmark-demo/`);
    await page.click('#play');
    await page.waitForFunction(() => (document.querySelector('audio')?.currentTime ?? 0) > 1);
    const popup = await h.openPopup(page);
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
    // Another episode in the library, on another show, that talks of the same things.
    const archive = JSON.parse((await askExtension<{ json: string }>(popup, 'library/export', {})).json) as {
      episodes: { id: string; title: string; show?: string; aliases: string[]; pageUrl: string }[];
      insights: { id: string; episodeId: string; text: string }[];
      saved: unknown[];
    };
    const [demo] = archive.episodes;
    const other = {
      ...demo!,
      id: 'ep_otherepisode1',
      title: 'Memory, revisited',
      show: 'Another Show',
      pageUrl: 'https://example.com/memory-revisited',
      aliases: ['page:example.com/memory-revisited|memory, revisited'],
    };
    delete (other as { guid?: string }).guid;
    delete (other as { enclosureUrl?: string }).enclosureUrl;
    delete (other as { mediaUrl?: string }).mediaUrl;
    delete (other as { canonicalUrl?: string }).canonicalUrl;
    const copies = archive.insights.map((i, n) => ({ ...i, id: `ins_related${n}`, episodeId: other.id }));
    const report = await askExtension<{ added: { episodes: number; insights: number } }>(
      popup,
      'library/import',
      {
        json: JSON.stringify({ ...archive, episodes: [other], insights: copies, saved: [] }),
      },
    );
    expect(report.added).toMatchObject({ episodes: 1, insights: copies.length });
    await popup.reload();
    const related = popup.getByTestId('related').first();
    await expect.poll(() => related.isVisible().catch(() => false), { timeout: 10_000 }).toBe(true);
    const item = related.getByTestId('related-item').first();
    await expect
      .poll(() => item.textContent())
      .toMatch(/Another Show: Memory, revisited · (also about|shares):/);
    // Never an insight of the same episode.
    const texts = await popup.getByTestId('related-item').allTextContents();
    expect(texts.every((t) => t.includes('Another Show'))).toBe(true);
    await popup.close();
    await page.close();
  });
});
