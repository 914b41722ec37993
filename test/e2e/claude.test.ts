// End to end, in real Chromium, with the real SDK in the extension's worker talking to a local
// server that speaks the Messages API on api.anthropic.com's name: the key is set on the options
// page, the demo's insights come from "Claude", and a worker stopped mid-stream resumes the job,
// which ends with every insight once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicServer, type AnthropicServer } from '../support/anthropic-server';
import { demoRoute, makeCertificate, startHarness, type Harness } from './harness';

const HOST = 'overcast.fm';
const KEY = 'sk-ant-api03-test-key-0000-WXYZ';
let api: AnthropicServer;
let h: Harness;

beforeAll(async () => {
  // Slow enough that the stream is still running when the worker is stopped.
  api = await startAnthropicServer({
    apiKey: KEY,
    tls: makeCertificate(['api.anthropic.com']),
    firstTokenDelayMs: 300,
    tokensPerSecond: 60,
  });
  const port = new URL(api.url).port;
  h = await startHarness({
    hosts: [HOST],
    routes: [demoRoute(HOST, '/+earmark-demo/')],
    extraRules: [`MAP api.anthropic.com 127.0.0.1:${port}`],
  });
});
afterAll(async () => {
  await h?.close();
  await api?.close();
});

type Stored = { id: string; quote: string; start: number; engine: string };
async function storedInsights(): Promise<Stored[]> {
  return (await h.worker()).evaluate(
    () =>
      new Promise<Stored[]>((resolve) => {
        const open = indexedDB.open('earmark');
        open.onsuccess = () => {
          const req = open.result.transaction('insights').objectStore('insights').getAll();
          req.onsuccess = () => resolve(req.result);
        };
      }),
  );
}

describe('Claude in the extension', () => {
  it('takes the key on the options page, masked, and checks it without spending', async () => {
    const options = await h.context.newPage();
    await options.goto(`chrome-extension://${h.extensionId}/src/ui/options/index.html`);
    await options.getByTestId('key-input').fill(KEY);
    await options.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => options.getByTestId('key-state').textContent())
      .toBe('A key ending in …WXYZ is saved.');
    expect(await options.getByTestId('effective').textContent()).toMatch(/^Now in use: Claude \(/);
    await options.getByRole('button', { name: 'Test' }).click();
    await expect.poll(() => options.getByTestId('notice').textContent()).toBe('The key works.');
    // The test was a token count, not a message: nothing was spent.
    expect(api.requests.map((r) => r.path)).toEqual(['/v1/messages/count_tokens']);
    expect(await options.content()).not.toContain('test-key-0000');
    await options.close();
  });

  it('streams the demo’s insights; a worker stopped mid-stream resumes and ends with each insight once', async () => {
    const page = h.context.pages()[0] ?? (await h.context.newPage());
    await page.goto(`https://${HOST}/+earmark-demo/`);
    await page.click('#play');
    await page.waitForFunction(() => (document.querySelector('audio')?.currentTime ?? 0) > 0.5);
    await h.tabIdOf(page); // while the worker runs
    // Wait until the answer is streaming, then stop the worker under it.
    await expect
      .poll(() => api.requests.filter((r) => r.path === '/v1/messages').length, { timeout: 20_000 })
      .toBe(1);
    await expect.poll(async () => (await storedInsights()).length, { timeout: 20_000 }).toBeGreaterThan(0);
    const before = await storedInsights();
    await h.stopWorker();

    const popup = await h.openPopup(page);
    const section = popup.getByTestId('insights');
    await expect
      .poll(() => section.getAttribute('data-state').catch(() => null), { timeout: 40_000 })
      .toBe('ready');
    const stored = await storedInsights();
    expect(stored.length).toBeGreaterThanOrEqual(3);
    expect(new Set(stored.map((i) => i.id)).size).toBe(stored.length);
    expect(new Set(stored.map((i) => i.quote)).size).toBe(stored.length);
    // What was stored before the stop is still there: nothing lost.
    expect(stored.map((i) => i.id)).toEqual(expect.arrayContaining(before.map((i) => i.id)));
    expect(stored.map((i) => i.engine)).toEqual(stored.map(() => expect.stringMatching(/^Claude/)));
    // The job ran again after the stop: a second request, which named what was already stored.
    const messages = api.requests.filter((r) => r.path === '/v1/messages');
    expect(messages.length).toBeGreaterThanOrEqual(2);
    // Every request came with the key and the browser-access header, and no sampling parameters.
    for (const r of messages) {
      expect(r.headers['anthropic-dangerous-direct-browser-access']).toBe('true');
      expect(r.body).not.toHaveProperty('temperature');
    }
    expect(await popup.getByTestId('insight').count()).toBe(stored.length);
    expect(await popup.locator('.engine').textContent()).toMatch(/^By Claude \(/);
    await popup.close();
    // The page (and its content script, which shares the page's storage) cannot reach the key:
    // Earmark's database is the extension's own, and nothing of the key is in the page.
    const pageDatabases = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    expect(pageDatabases).not.toContain('earmark');
    expect(await page.content()).not.toContain(KEY);
    const forged = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const open = indexedDB.open('earmark');
          open.onupgradeneeded = () => {
            open.transaction?.abort(); // not there: the page would be creating its own, empty one
            resolve('absent');
          };
          open.onsuccess = () => resolve([...open.result.objectStoreNames]);
          open.onerror = () => resolve('absent');
        }),
    );
    expect(forged).toBe('absent');
  });
});
