// Finding and launching a Chromium-family browser with the built extension loaded, for
// `npm start` and the end-to-end tests. The flags are the ones this project's machines need
// (no background networking: the sandbox's closed network otherwise floods it with refusals).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

export const INSTALL_HINT =
  'No Chromium or Chrome found. Install one (Debian/Ubuntu: `sudo apt-get install chromium`) or set CHROME_PATH to its executable.';

/** CHROME_PATH, else the usual install paths; undefined when there is none. */
export function findChromium(env = process.env): string | undefined {
  if (env.CHROME_PATH) return existsSync(env.CHROME_PATH) ? env.CHROME_PATH : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

export type LaunchOptions = {
  extensionDir: string;
  headless: boolean;
  executablePath: string;
  /** Extra Chromium flags (host mapping, certificate handling…). */
  args?: string[];
  userDataDir?: string;
};

export function chromiumArgs(extensionDir: string, extra: string[] = []): string[] {
  return [
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--no-default-browser-check',
    ...extra,
  ];
}

export async function launchWithExtension(options: LaunchOptions): Promise<BrowserContext> {
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'earmark-profile-'));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: options.executablePath,
    headless: options.headless,
    args: chromiumArgs(options.extensionDir, options.args),
    ignoreDefaultArgs: ['--disable-extensions', '--disable-component-extensions-with-background-pages'],
    viewport: options.headless ? { width: 1200, height: 800 } : null,
    ignoreHTTPSErrors: true,
  });
}

/** The extension's service worker (waiting for it to start if needed). */
export async function extensionWorker(
  context: BrowserContext,
  extensionId?: string,
  timeout = 15_000,
): Promise<Worker> {
  const ours = (w: Worker) => w.url().startsWith(`chrome-extension://${extensionId ?? ''}`);
  const existing = context.serviceWorkers().find(ours);
  if (existing) return existing;
  return context.waitForEvent('serviceworker', { predicate: ours, timeout });
}

/**
 * Sends a contract message (src/messages.ts) from an extension page, as the UI does, and resolves
 * to its value; an error the background answers is thrown with its words.
 */
export function askExtension<T>(page: Page, type: string, payload: unknown): Promise<T> {
  return page.evaluate(
    async ([t, p]) => {
      const reply = (await chrome.runtime.sendMessage({ type: t, payload: p })) as {
        ok: boolean;
        value?: unknown;
        error?: { message: string };
      };
      if (!reply.ok) throw new Error(reply.error?.message);
      return reply.value;
    },
    [type, payload] as const,
  ) as Promise<T>;
}
