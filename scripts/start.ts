// `npm start`: builds Earmark, serves the bundled demo episode from a local server, and opens
// Chromium with the extension loaded in a fresh profile, showing the demo at
// http://earmark-demo.example/ (a reserved name Chromium is told to map to the local server).
//   npm start                              a visible browser on the demo page; press play
//   npm start -- --headless --shots DIR    plays the demo headless, writes screenshots, exits 0
//   npm start -- --no-build                skips the build (uses dist/chrome as it is)
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import { extensionWorker, findChromium, INSTALL_HINT, launchWithExtension } from './lib/chromium';
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

async function playDemo(context: BrowserContext, page: Page, shots: string | undefined): Promise<void> {
  const dir = shots ? resolve(shots) : undefined;
  if (dir) mkdirSync(dir, { recursive: true });
  await page.click('#play');
  await page.waitForFunction(() => (document.querySelector('audio')?.currentTime ?? 0) > 2, null, {
    timeout: 20_000,
  });
  if (dir) await page.screenshot({ path: `${dir}/01-demo-page.png` });
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
  if ((await popup.getByTestId('transcript').getAttribute('data-state')) === 'found')
    await popup
      .locator('[data-testid="insights"][data-state="ready"], [data-testid="insights"][data-state="failed"]')
      .waitFor({ timeout: 30_000 })
      .catch(() => {
        throw new Error('the insights did not arrive within 30 s.');
      });
  if (dir) {
    await popup.screenshot({ path: `${dir}/02-popup-now-playing.png`, fullPage: true });
    console.log(`earmark start: screenshots in ${dir}: 01-demo-page.png, 02-popup-now-playing.png`);
  } else console.log('earmark start: the demo played and Earmark recognised it.');
}
