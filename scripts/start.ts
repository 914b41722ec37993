// `npm start`: builds Earmark, serves the bundled demo episode from a local server, and opens
// Chromium with the extension loaded in a fresh profile, showing the demo at
// http://earmark-demo.example/ (a reserved name Chromium is told to map to the local server).
//   npm start                              a visible browser on the demo page; press play
//   npm start -- --headless --shots DIR    plays the demo headless, writes screenshots, exits 0:
//                                          the page, its inline card (light and dark), the popup,
//                                          the popup with related insights from a sample earlier
//                                          episode (scripts/demo-library.ts, imported into the
//                                          temporary profile for the shots only), today's list
//   npm start -- --no-build                skips the build (uses dist/chrome as it is)
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import type { ImportReport } from '../src/messages';
import { cardsOf } from '../test/e2e/shadow';
import { demoLibraryJson } from './demo-library';
import {
  extensionWorker,
  findChromium,
  INSTALL_HINT,
  launchWithExtension,
  askExtension,
} from './lib/chromium';
import { builtExtensionId, demoCopy, DEMO_HOST } from './lib/extension';
import { startServer } from './lib/server';

const DEMO_TITLE = 'Why we forget what we hear (and what helps)';

const { values } = parseArgs({
  options: {
    headless: { type: 'boolean', default: false },
    shots: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(`earmark start: ${message}`);
  process.exit(1);
}

const executablePath = findChromium() ?? fail(INSTALL_HINT);

if (!values['no-build']) {
  const build = spawnSync('npm', ['run', '--silent', 'build'], {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (build.status !== 0) fail('the build failed (see above).');
}

const extensionDir = resolve('.earmark/start-extension');
demoCopy(resolve('dist/chrome'), extensionDir);
const extensionId = builtExtensionId(extensionDir);
const server = await startServer({ routes: [{ dir: resolve('public/demo') }] });
const demoUrl = `http://${DEMO_HOST}/`;
const hostRules = `--host-resolver-rules=MAP ${DEMO_HOST} 127.0.0.1:${server.port}`;

const headless = values.headless || values.shots !== undefined;
let context: BrowserContext | undefined;
try {
  context = await launchWithExtension({
    extensionDir,
    headless,
    executablePath,
    args: headless ? [hostRules, '--autoplay-policy=no-user-gesture-required'] : [hostRules],
  });
  await extensionWorker(context, extensionId);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(demoUrl);
  if (!headless) {
    console.log(`Earmark is loaded (id ${extensionId}). The demo episode is at ${demoUrl}`);
    console.log(
      'Press play, then open Earmark from the toolbar (puzzle icon → pin it). Close the browser to stop.',
    );
    await new Promise<void>((done) => context!.on('close', () => done()));
  } else {
    await playDemo(context, page, values.shots);
    await context.close();
  }
} catch (error) {
  await context?.close().catch(() => {});
  await server.close();
  fail((error as Error).message);
}
await server.close();
process.exit(0);

type StoredInsight = { id: string; text: string; start: number };

/** The demo's insights as the worker stored them (IndexedDB), in time order. */
async function storedInsights(worker: Worker): Promise<StoredInsight[]> {
  const all = await worker.evaluate(
    () =>
      new Promise<StoredInsight[]>((resolve, reject) => {
        const open = indexedDB.open('earmark');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('insights').objectStore('insights').getAll();
          req.onerror = () => reject(req.error);
          req.onsuccess = () => resolve(req.result as StoredInsight[]);
        };
      }),
  );
  return all.sort((a, b) => a.start - b.start);
}

/** Polls `check` every 100 ms until it is true; throws `message` after `timeout` ms. */
async function until(check: () => Promise<boolean>, message: string, timeout = 10_000): Promise<void> {
  for (const end = Date.now() + timeout; Date.now() < end;) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(message);
}

async function playDemo(context: BrowserContext, page: Page, shots: string | undefined): Promise<void> {
  const dir = shots ? resolve(shots) : undefined;
  if (dir) mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const shot = async (target: Page, file: string, fullPage = false) => {
    if (!dir) return;
    // From the top: a full-page shot of a scrolled page draws its sticky header mid-page.
    if (fullPage)
      await target.evaluate(async () => {
        window.scrollTo(0, 0);
        await new Promise(requestAnimationFrame);
      });
    await target.screenshot({ path: `${dir}/${file}`, fullPage });
    written.push(file);
  };
  await page.click('#play');
  await page.waitForFunction(() => (document.querySelector('audio')?.currentTime ?? 0) > 2, null, {
    timeout: 20_000,
  });
  await shot(page, '01-demo-page.png');
  // The popup, opened in a tab of its own, names the demo's tab explicitly (?tab=).
  const worker = await extensionWorker(context, extensionId);
  await page.bringToFront();
  const tabId = await worker.evaluate(async () => {
    const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
    return tab?.id;
  });
  if (tabId === undefined) throw new Error('could not find the demo tab');
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 360, height: 300 });
  await popup.goto(`chrome-extension://${extensionId}/src/ui/popup/index.html?tab=${tabId}`);
  const title = popup.getByTestId('title');
  await title.waitFor({ timeout: 15_000 }).catch(() => {
    throw new Error('the popup did not show the demo episode: detection failed.');
  });
  const shown = await title.textContent();
  if (shown !== DEMO_TITLE) throw new Error(`the popup shows "${shown}", not the demo episode.`);
  // Let the transcript search settle (found, or an honest "none") before the picture.
  await popup
    .locator('[data-testid="transcript"][data-state="found"], [data-testid="transcript"][data-state="none"]')
    .waitFor({ timeout: 20_000 })
    .catch(() => {
      throw new Error('the transcript search did not finish within 20 s.');
    });
  // With a transcript, the insights follow (the local engine, no key needed).
  const found = (await popup.getByTestId('transcript').getAttribute('data-state')) === 'found';
  if (found)
    await popup
      .locator('[data-testid="insights"][data-state="ready"], [data-testid="insights"][data-state="failed"]')
      .waitFor({ timeout: 30_000 })
      .catch(() => {
        throw new Error('the insights did not arrive within 30 s.');
      });
  await shot(popup, '02-popup-now-playing.png', true);
  if (!dir) {
    console.log('earmark start: the demo played and Earmark recognised it.');
    return;
  }
  if (!found || (await popup.getByTestId('insights').getAttribute('data-state')) !== 'ready')
    throw new Error('the demo has no insights to show in the other screenshots.');

  // 03: the inline card of the first insight, on the page (light, then dark).
  const insights = await storedInsights(worker);
  const first = insights[0];
  if (!first) throw new Error('no insight of the demo is stored.');
  await page.bringToFront();
  const cards = await cardsOf(page);
  const seek = (time: number) =>
    page.evaluate((t) => {
      document.querySelector('audio')!.currentTime = t;
    }, time);
  const showFirstCard = async () => {
    await seek(Math.max(0, first.start - 3));
    await until(
      async () => (await cards.texts('text')).length === 0,
      'the card did not hide before its time.',
    );
    await seek(first.start + 0.5);
    await until(
      async () => (await cards.texts('text')).includes(first.text),
      'the inline card of the first insight did not show within 10 s.',
    );
    // Past its entrance animation (180 ms).
    await page.waitForTimeout(400);
  };
  await showFirstCard();
  await shot(page, '03-inline-card.png');
  await page.emulateMedia({ colorScheme: 'dark' });
  await showFirstCard();
  await shot(page, '03-inline-card-dark.png');
  await page.emulateMedia({ colorScheme: 'light' });

  // 04: an earlier episode in the library (the demo library), so that the popup has related
  // insights to show under the demo's.
  const report = await askExtension<ImportReport>(popup, 'library/import', { json: demoLibraryJson() });
  if (report.added.episodes !== 1 || report.problems.length > 0)
    throw new Error(
      `the demo library did not import cleanly: ${report.problems.join(' ') || 'no episode added'}`,
    );
  await popup.reload();
  await popup.locator('[data-testid="insights"][data-state="ready"]').waitFor({ timeout: 15_000 });
  await popup
    .getByTestId('related')
    .first()
    .waitFor({ timeout: 10_000 })
    .catch(() => {
      throw new Error('no related insight showed after importing the demo library.');
    });
  await shot(popup, '04-popup-insights-related.png', true);

  // 05: two insights saved from the popup, in today's list.
  const saves = popup.getByTestId('save');
  for (const n of [0, 1]) {
    await saves.nth(n).click();
    await until(
      async () => (await saves.nth(n).getAttribute('aria-pressed')) === 'true',
      'saving an insight from the popup did not work.',
    );
  }
  await popup.getByTestId('tab-today').click();
  await until(
    async () => (await popup.getByTestId('today-item').count()) === 2,
    'today’s list did not show the two saved insights.',
  );
  await shot(popup, '05-daily-list.png', true);
  console.log(
    `earmark start: screenshots in ${dir}: ${written.join(', ')} (the screenshots include a sample earlier episode imported for the demo).`,
  );
}
