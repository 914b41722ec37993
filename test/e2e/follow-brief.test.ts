// End to end, in real Chromium: a show is followed from the options page by its feed address (a
// local HTTPS feed server on a real-looking host name); a new episode appears; "Check now" scans
// it through transcript and insights; the brief's alarm fires and makes the brief, which notifies;
// the brief page shows it. Alarms cleared and the worker stopped: they are made again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { askExtension } from '../../scripts/lib/chromium';
import { makeCertificate, startHarness, type Harness } from './harness';
import { rssFeed, startFeedServer, vtt, type FeedServer } from '../support/feed-server';

const FEED_HOST = 'feeds.brief-show.example';
const FEED_URL = `https://${FEED_HOST}/show/feed.xml`;
const SHOW = 'The Memory Hour';
const HOUR = 3600_000;
const SENTENCES = [
  'Welcome to the show, today we talk about how memory really works.',
  'The most important finding is that people forget about seventy percent of what they hear within a day.',
  'Spaced repetition beats rereading because each recall strengthens the memory trace.',
  'Writing a single sentence summary right after listening doubles what you remember a week later.',
  'Sleep consolidates new memories, so studying before bed is surprisingly effective.',
  'The surprising lesson is that confidence is a poor guide to what you will actually remember.',
  'Thanks for listening.',
];

let h: Harness;
let feeds: FeedServer;
const items: Parameters<typeof rssFeed>[1] = [];
function addEpisode(n: number, hoursAgo: number) {
  const transcript = `https://${FEED_HOST}/show/ep${n}.vtt`;
  feeds.set(transcript, vtt(SENTENCES.map((s) => `${s} Episode ${n}.`)), 'text/vtt');
  items.unshift({
    guid: `memory-hour-${n}`,
    title: `Episode ${n}: remembering what you hear`,
    published: new Date(Date.now() - hoursAgo * HOUR),
    enclosure: `https://${FEED_HOST}/show/ep${n}.mp3`,
    transcript,
    duration: 1500,
  });
  feeds.set(FEED_URL, rssFeed({ title: SHOW }, items));
}

beforeAll(async () => {
  feeds = await startFeedServer({ tls: makeCertificate([FEED_HOST]) });
  addEpisode(1, 24 * 20); // an old episode: following brings nothing by itself
  h = await startHarness({
    hosts: ['overcast.fm'],
    routes: [],
    extraRules: [`MAP ${FEED_HOST} 127.0.0.1:${feeds.port}`],
  });
});
afterAll(async () => {
  await h?.close();
  await feeds?.close();
});

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

async function optionsPage(): Promise<Page> {
  const page = await h.context.newPage();
  await page.goto(`chrome-extension://${h.extensionId}/src/ui/options/index.html`);
  return page;
}

describe('follow → scan → brief', () => {
  it('follows from the options page, scans a new episode, notifies the brief and shows it', async () => {
    const options = await optionsPage();
    await options.getByTestId('follow-add-url').fill(FEED_URL);
    await options.getByTestId('follow-add').click();
    const row = options.getByTestId('follow-row');
    await expect.poll(() => row.first().textContent(), { timeout: 15_000 }).toContain(SHOW);
    expect(await row.count()).toBe(1);

    addEpisode(2, 0.2);
    feeds.reset();
    await options.getByTestId('scan-now').click();
    await expect
      .poll(
        async () =>
          (
            await askExtension<{ scan: { state: string; found: number; processed: number } }>(
              options,
              'follows/list',
              {},
            )
          ).scan,
        { timeout: 30_000 },
      )
      .toMatchObject({ state: 'idle', found: 1, processed: 1 });
    // The feed was asked with its validator; the new episode's transcript was fetched.
    expect(feeds.requests.find((r) => r.url === FEED_URL)).toMatchObject({ conditional: true, status: 200 });
    expect(feeds.requests.some((r) => r.url.endsWith('/ep2.vtt') && r.status === 200)).toBe(true);
    await expect.poll(() => options.getByTestId('scan-progress').textContent()).toMatch(/1 new episode/);

    // The brief's time comes: its alarm fires (an unpacked extension may set one this soon).
    const worker = await h.worker();
    await worker.evaluate(() => chrome.alarms.create('earmark-brief', { when: Date.now() + 300 }));
    await expect
      .poll(() => worker.evaluate(() => chrome.notifications.getAll().then((all) => Object.keys(all))), {
        timeout: 15_000,
      })
      .toEqual([`brief:${today()}`]);
    // The alarm is set again for the next day at the brief's time.
    await expect
      .poll(() =>
        worker.evaluate(() => chrome.alarms.get('earmark-brief').then((a) => a?.scheduledTime ?? 0)),
      )
      .toBeGreaterThan(Date.now() + 60_000);

    const brief = await h.context.newPage();
    await brief.goto(
      `chrome-extension://${h.extensionId}/src/ui/library/index.html?view=brief&day=${today()}`,
    );
    const cards = brief.getByTestId('brief-item');
    await expect.poll(() => cards.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await cards.count()).toBeLessThanOrEqual(5);
    const first = (await cards.first().textContent()) ?? '';
    expect(first).toContain(SHOW);
    expect(first).toContain('Episode 2');
    // Every item is from the new episode, with a link to its moment in the audio.
    const links = await cards
      .locator('a[href]')
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links)
      expect(link).toMatch(new RegExp(`^https://${FEED_HOST}/show/ep2\\.mp3#t=\\d+$`));
    await brief.close();
    await options.close();
  });

  it('re-creates alarms lost while the worker was stopped', async () => {
    const page = await optionsPage();
    const worker = await h.worker();
    await worker.evaluate(() => chrome.alarms.clearAll());
    expect(await worker.evaluate(() => chrome.alarms.getAll().then((a) => a.length))).toBe(0);
    await h.stopWorker();
    await askExtension(page, 'follows/list', {}); // any event starts the worker again
    const again = await h.worker();
    await expect
      .poll(() => again.evaluate(() => chrome.alarms.getAll().then((a) => a.map((x) => x.name).sort())), {
        timeout: 10_000,
      })
      .toEqual(['earmark-brief', 'earmark-scan']);
    await page.close();
  });
});
