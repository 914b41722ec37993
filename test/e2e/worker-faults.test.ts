// End to end, in real Chromium: the service worker is stopped (through the DevTools protocol, as
// Chrome does when it reclaims an idle or misbehaving worker) five times while Claude streams the
// demo's insights, and five times around saves. The insight job ends with the same insights an
// undisturbed run gives, each once, and today's spending counts each request once (one cut off by
// a stop for the input its start told); the day's list holds every save once, with its note.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { askExtension } from '../../scripts/lib/chromium';
import { costUsd } from '../../src/core/insights/prices';
import type { DayListView, InsightsStatus, NowPlaying, SavedView, SettingsView } from '../../src/messages';
import {
  startAnthropicServer,
  type AnthropicServer,
  type RecordedRequest,
} from '../support/anthropic-server';
import { demoRoute, makeCertificate, startHarness, type Harness } from './harness';

const HOST = 'overcast.fm';
const KEY = 'sk-ant-api03-test-key-0000-WXYZ';
// A dear model, so that one request's cost shows in the rounded figure the options page reads.
const MODEL = 'claude-opus-5';
const STOPS = 5;
let api: AnthropicServer;
let h: Harness;
let page: Page;
/** An extension page to ask the background from (a message wakes a stopped worker). */
let ui: Page;
let tabId: number;
let expected: { id: string; text: string }[] = [];

beforeAll(async () => {
  // Slow, so that one answer takes long enough to stop the worker under it more than once.
  api = await startAnthropicServer({
    apiKey: KEY,
    tls: makeCertificate(['api.anthropic.com']),
    firstTokenDelayMs: 1_000,
    tokensPerSecond: 60,
  });
  h = await startHarness({
    hosts: [HOST],
    routes: [demoRoute(HOST, '/+earmark-demo/')],
    extraRules: [`MAP api.anthropic.com 127.0.0.1:${new URL(api.url).port}`],
  });
  ui = await h.context.newPage();
  await ui.goto(`chrome-extension://${h.extensionId}/src/ui/options/index.html`);
  await askExtension<SettingsView>(ui, 'settings/set', { apiKey: KEY, model: MODEL });
});
afterAll(async () => {
  await h?.close();
  await api?.close();
});

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** The insight job as the popup sees it (asking wakes the worker). */
async function job(): Promise<InsightsStatus | undefined> {
  return (await askExtension<NowPlaying | null>(ui, 'tab/now-playing', { tabId }))?.insights;
}

/** Today's spending as stored (the `spent:DAY` settings row), unrounded. */
async function spentRow(): Promise<number> {
  await job(); // the worker runs
  const name = `spent:${today()}`;
  return (await h.worker()).evaluate(
    (key) =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open('earmark');
        open.onsuccess = () => {
          const req = open.result.transaction('settings').objectStore('settings').get(key);
          req.onsuccess = () => resolve((req.result as { value?: number } | undefined)?.value ?? 0);
        };
      }),
    name,
  );
}

const messages = () => api.requests.filter((r) => r.path === '/v1/messages');

type Usage = NonNullable<RecordedRequest['usage']>;
const priced = (u: Usage) =>
  costUsd(MODEL, {
    inputTokens: u.input,
    outputTokens: u.output,
    cacheReadTokens: u.cacheRead,
    cacheWriteTokens: u.cacheWrite,
  })!;

/**
 * What the requests cost as the API told it: a finished one its whole usage, one cut off by a stop
 * the input its start told (all the worker could know of it).
 */
const charged = () =>
  messages().reduce(
    (sum, r) => sum + (r.usage ? priced(r.usage) : r.startUsage ? priced(r.startUsage) : 0),
    0,
  );

describe('the insight job under worker stops', () => {
  it(
    'ends, after five stops mid-extraction, with the insights of an undisturbed run, each once',
    { timeout: 150_000 },
    async () => {
      const started = Date.now();
      page = h.context.pages()[0] ?? (await h.context.newPage());
      await page.goto(`https://${HOST}/+earmark-demo/`);
      await page.click('#play');
      await page.waitForFunction(() => (document.querySelector('audio')?.currentTime ?? 0) > 0.5);
      tabId = await h.tabIdOf(page);

      const log: { stop: number; stored: number; request: number }[] = [];
      let stored = 0;
      let spent = 0;
      for (let stop = 1; stop <= STOPS; stop++) {
        // A request of this worker's run is out (the first, or the resumed job's), and its start
        // (the input the API charges) is counted in today's spending…
        await expect.poll(() => messages().length, { timeout: 20_000 }).toBe(stop);
        await expect.poll(() => spentRow(), { timeout: 5_000, interval: 100 }).toBeGreaterThan(spent);
        spent = await spentRow();
        // …and, but for the first stop (before any token), a new insight came from it.
        if (stop > 1)
          await expect
            .poll(async () => (await job())?.insights.length ?? 0, { timeout: 30_000, interval: 100 })
            .toBeGreaterThan(stored);
        const before = await job();
        expect(before?.state).toBe('extracting');
        stored = before!.insights.length;
        await h.stopWorker();
        log.push({ stop, stored, request: messages().length });
        // Woken again (by this question), the job is still unfinished: the stop was mid-run.
        const after = await job();
        expect(after?.state).toBe('extracting');
        expect(after!.insights.map((i) => i.id)).toEqual(before!.insights.map((i) => i.id));
      }
      expect(log).toHaveLength(STOPS);
      expect(log[0]!.stored).toBe(0);
      expect(log.at(-1)!.stored).toBeLessThan(8); // work was left after the last stop

      await expect.poll(async () => (await job())?.state, { timeout: 60_000, interval: 250 }).toBe('ready');
      const done = (await job())!;
      const ids = done.insights.map((i) => i.id);
      const texts = done.insights.map((i) => i.text);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(texts).size).toBe(texts.length);
      expect(new Set(done.insights.map((i) => i.quote)).size).toBe(ids.length);
      expect(ids.length).toBeGreaterThan(log.at(-1)!.stored);
      expect(done.engine).toMatch(/^Claude/);
      // One request a run: five cut short, the sixth answered to its end.
      expect(messages()).toHaveLength(STOPS + 1);
      expect(messages().filter((r) => r.usage)).toHaveLength(1);

      // Spending: each request once, those cut short for the input they were charged.
      expect(messages().every((r) => r.startUsage)).toBe(true);
      spent = await spentRow();
      expect(spent).toBeCloseTo(charged(), 9);
      const view = await askExtension<SettingsView>(ui, 'settings/get', {});
      expect(view.spentTodayUsd).toBeCloseTo(charged(), 4);

      // The popup shows them, each once.
      const popup = await h.openPopup(page);
      await expect
        .poll(
          () =>
            popup
              .getByTestId('insights')
              .getAttribute('data-state')
              .catch(() => null),
          {
            timeout: 10_000,
          },
        )
        .toBe('ready');
      expect(await popup.getByTestId('insight').locator('.insight-text').allTextContents()).toEqual(texts);
      await popup.close();

      // The same episode extracted again without a stop (a finished job is started over on retry):
      // the scripted model is deterministic, so this is what the stops should have ended with.
      const episodeId = (await askExtension<NowPlaying>(ui, 'tab/now-playing', { tabId })).episode.id;
      await askExtension(ui, 'insights/retry', { episodeId });
      await expect.poll(() => messages().length, { timeout: 10_000 }).toBe(STOPS + 2);
      await expect.poll(async () => (await job())?.state, { timeout: 60_000, interval: 250 }).toBe('ready');
      const undisturbed = (await job())!.insights;
      expect(ids).toEqual(undisturbed.map((i) => i.id));
      expect(texts).toEqual(undisturbed.map((i) => i.text));
      expected = undisturbed.map(({ id, text }) => ({ id, text }));
      // That run's request is added once more, and nothing else.
      expect(messages().filter((r) => r.usage)).toHaveLength(2);
      expect(await spentRow()).toBeCloseTo(charged(), 9);

      console.info(
        `worker-faults: ${STOPS} stops (insights stored at each: ${log.map((l) => l.stored).join(', ')}), ` +
          `${ids.length} insights, ${ids.length - new Set(ids).size} duplicates, ${messages().length} requests, ` +
          `spent $${spent.toFixed(6)}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    },
  );
});

/**
 * Starts `action` and stops the worker in the same moment, without the round trips h.stopWorker()
 * makes before it stops (in which a quick save would be done): the stop meets the message on its
 * way. Resolves to whether the action got its answer.
 */
async function stopDuring(action: () => Promise<unknown>): Promise<'answered' | 'lost'> {
  await job(); // the worker runs
  const session = await h.context.newCDPSession(page);
  type Version = { versionId: string; scriptURL: string; runningStatus: string };
  const ours = (v: Version) => v.scriptURL.startsWith(`chrome-extension://${h.extensionId}/`);
  const seen: Version[] = [];
  session.on('ServiceWorker.workerVersionUpdated', ({ versions }: { versions: Version[] }) =>
    seen.push(...versions.filter(ours)),
  );
  await session.send('ServiceWorker.enable');
  await expect.poll(() => seen.some((v) => v.runningStatus === 'running')).toBe(true);
  const { versionId } = seen.find((v) => v.runningStatus === 'running')!;
  const outcome = action().then(
    () => 'answered' as const,
    () => 'lost' as const,
  );
  await session.send('ServiceWorker.stopWorker', { versionId });
  await expect
    .poll(() => seen.some((v) => v.versionId === versionId && v.runningStatus === 'stopped'))
    .toBe(true);
  await session.detach();
  return outcome;
}

describe('saves under worker stops', () => {
  it('keeps every save once, with its note, through five stops (one mid-save)', async () => {
    expect(expected.length).toBeGreaterThanOrEqual(6);
    const started = Date.now();
    const notes = new Map<string, string>();
    let stops = 0;
    const stop = async () => {
      await h.stopWorker();
      stops++;
    };

    // 1–2: from the popup, the worker stopped as soon as the button shows saved.
    for (const n of [0, 1]) {
      const popup = await h.openPopup(page);
      await expect
        .poll(
          () =>
            popup
              .getByTestId('insights')
              .getAttribute('data-state')
              .catch(() => null),
          {
            timeout: 10_000,
          },
        )
        .toBe('ready');
      const item = popup.getByTestId('insight').nth(n);
      await item.getByTestId('save').click();
      await expect.poll(() => item.getByTestId('save').getAttribute('aria-pressed')).toBe('true');
      await stop();
      await popup.close();
    }
    // 3–4: with a note, the worker stopped the moment the answer is back.
    for (const n of [2, 3]) {
      const { id } = expected[n]!;
      notes.set(id, `Note ${n}: worth a re-listen.`);
      const saved = await askExtension<SavedView>(ui, 'library/save', { insightId: id, note: notes.get(id) });
      expect(saved.note).toBe(notes.get(id));
      await stop();
    }
    // 5: stopped while the save is on its way (the answer may never come back).
    const inFlight = expected[4]!.id;
    notes.set(inFlight, 'Said while the worker went away.');
    const answer = await stopDuring(() =>
      askExtension<SavedView>(ui, 'library/save', { insightId: inFlight, note: notes.get(inFlight) }),
    );
    stops++;
    expect(stops).toBe(STOPS);

    const listed = async () =>
      (await askExtension<DayListView>(ui, 'library/day', { day: today() })).items.map((i) => ({
        id: i.insight.id,
        note: i.note,
      }));
    const want = expected.slice(0, 5).map(({ id }) => ({ id, note: notes.get(id) }));
    const first = await listed();
    expect(first.filter((i) => i.id !== inFlight)).toEqual(want.slice(0, 4));
    // An answered save is kept; an unanswered one is kept whole or not at all, and sending it again
    // (what the popup's user does) leaves one item.
    if (answer === 'answered') expect(first[4]).toEqual(want[4]);
    else expect(first.length === 4 || (first.length === 5 && first[4]?.note === want[4]!.note)).toBe(true);
    await askExtension<SavedView>(ui, 'library/save', { insightId: inFlight, note: notes.get(inFlight) });
    // Saving again after the stops, without a note, neither duplicates nor drops the note.
    for (const { id } of expected.slice(0, 5))
      await askExtension<SavedView>(ui, 'library/save', { insightId: id });
    await stop();

    const items = await listed();
    expect(items).toEqual(want);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    // The popup agrees: the five saved, the rest not.
    const popup = await h.openPopup(page);
    await expect
      .poll(
        () => popup.getByTestId('save').evaluateAll((b) => b.map((x) => x.getAttribute('aria-pressed'))),
        {
          timeout: 10_000,
        },
      )
      .toEqual(expected.map((_, i) => (i < 5 ? 'true' : 'false')));
    await popup.close();
    console.info(
      `worker-faults: ${stops} stops around saves (in-flight save ${answer}), ${items.length} items, ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });
});
