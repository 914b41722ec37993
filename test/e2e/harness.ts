// The end-to-end harness: the built dist/chrome in real Chromium (playwright-core), pages served
// over HTTPS on the *real* host names the manifest matches (mapped to a loopback server with
// --host-resolver-rules, certificate made at test time), and handles on the extension's service
// worker and popup. Missing Chromium or build fails the tests: they are never skipped.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, CDPSession, Page, Worker } from 'playwright-core';
import { extensionWorker, findChromium, INSTALL_HINT, launchWithExtension } from '../../scripts/lib/chromium';
import { builtExtensionId } from '../../scripts/lib/extension';
import { startServer, type Route, type StaticServer } from '../../scripts/lib/server';

export const DIST = resolve('dist/chrome');
export const DEMO_DIR = resolve('public/demo');
export const DEMO_TITLE = 'Why we forget what we hear (and what helps)';
export const DEMO_SHOW = 'The Earmark Demo';

/** A self-signed certificate for the given host names, made with openssl (~10 ms). */
export function makeCertificate(hosts: string[]): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'earmark-cert-'));
  const san = hosts.map((h) => `DNS:${h}`).join(',');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${dir}/key.pem`,
      '-out',
      `${dir}/cert.pem`,
      '-days',
      '2',
      '-subj',
      '/CN=earmark-test',
      '-addext',
      `subjectAltName=${san}`,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(`${dir}/key.pem`, 'utf8'), cert: readFileSync(`${dir}/cert.pem`, 'utf8') };
}

export type Harness = {
  context: BrowserContext;
  server: StaticServer;
  extensionId: string;
  worker(): Promise<Worker>;
  /**
   * The Chrome tab id of a page (brought to the front; found once, then remembered). Finding it
   * asks the service worker: call it while the worker runs (an evaluate on a stopped one waits).
   */
  tabIdOf(page: Page): Promise<number>;
  /** The popup, in a tab of its own, about the given page's tab. */
  openPopup(page: Page): Promise<Page>;
  /** Stops the extension's service worker through the DevTools protocol; resolves once stopped. */
  stopWorker(): Promise<void>;
  close(): Promise<void>;
};

export async function startHarness({
  hosts,
  routes,
  onRequest,
  extraRules = [],
}: {
  hosts: string[];
  routes: Route[];
  /** Called for every request the server gets (tests count what was fetched). */
  onRequest?: (host: string, path: string) => void;
  /** More host mappings, e.g. `MAP api.anthropic.com 127.0.0.1:PORT` for the test Messages API. */
  extraRules?: string[];
}): Promise<Harness> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(INSTALL_HINT);
  if (!existsSync(join(DIST, 'manifest.json')))
    throw new Error('dist/chrome is not built: run `npm run build` first.');
  const extensionId = builtExtensionId(DIST);
  const server = await startServer({
    routes,
    tls: makeCertificate(hosts),
    ...(onRequest ? { onRequest } : {}),
  });
  const rules = [
    ...hosts.map((h) => `MAP ${h} 127.0.0.1:${server.port}`),
    ...extraRules,
    'MAP * ~NOTFOUND',
    'EXCLUDE 127.0.0.1',
    'EXCLUDE localhost',
  ];
  const context = await launchWithExtension({
    extensionDir: DIST,
    headless: true,
    executablePath,
    args: [
      `--host-resolver-rules=${rules.join(', ')}`,
      '--ignore-certificate-errors',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  await extensionWorker(context, extensionId);
  let cdp: CDPSession | undefined;
  const tabIds = new WeakMap<Page, number>();

  const harness: Harness = {
    context,
    server,
    extensionId,
    // Playwright keeps one Worker object across a stop and restart; use it after something
    // (a popup's message, a page event) has woken the worker again.
    worker: () => extensionWorker(context, extensionId),
    async tabIdOf(page) {
      // Tab URLs are hidden from the extension (no "tabs" permission): find the tab as the
      // active one once the page is brought to the front.
      await page.bringToFront();
      const known = tabIds.get(page);
      if (known !== undefined) return known;
      const worker = await harness.worker();
      const tabId = await worker.evaluate(async () => {
        const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
        return tab?.id;
      });
      if (tabId === undefined) throw new Error(`no tab found for ${page.url()}`);
      tabIds.set(page, tabId);
      return tabId;
    },
    async openPopup(page) {
      const tabId = await harness.tabIdOf(page);
      const popup = await context.newPage();
      await popup.setViewportSize({ width: 360, height: 420 });
      await popup.goto(`chrome-extension://${extensionId}/src/ui/popup/index.html?tab=${tabId}`);
      return popup;
    },
    async stopWorker() {
      const page = context.pages()[0] ?? (await context.newPage());
      cdp ??= await context.newCDPSession(page);
      const session = cdp;
      const scope = `chrome-extension://${extensionId}/`;
      type Version = { versionId: string; registrationId: string; scriptURL: string; runningStatus: string };
      const versions = new Map<string, Version>();
      const onVersions = ({ versions: list }: { versions: Version[] }) => {
        for (const v of list) if (v.scriptURL.startsWith(scope)) versions.set(v.versionId, v);
      };
      session.on('ServiceWorker.workerVersionUpdated', onVersions);
      await session.send('ServiceWorker.enable');
      const until = async (ok: () => boolean, what: string) => {
        for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
        if (!ok()) throw new Error(`service worker: timed out waiting until ${what}`);
      };
      await until(
        () => [...versions.values()].some((v) => v.runningStatus === 'running'),
        'it is reported running',
      );
      const running = [...versions.values()].find((v) => v.runningStatus === 'running')!;
      const stopped = () => versions.get(running.versionId)?.runningStatus === 'stopped';
      await session.send('ServiceWorker.stopWorker', { versionId: running.versionId });
      // On a loaded machine a stop asked while the worker is busy can be lost: ask once more.
      await until(stopped, 'it stopped').catch(async () => {
        await session.send('ServiceWorker.stopWorker', { versionId: running.versionId });
        await until(stopped, 'it stopped (asked twice)');
      });
      session.off('ServiceWorker.workerVersionUpdated', onVersions);
      await session.send('ServiceWorker.disable');
    },
    async close() {
      await context.close().catch(() => {});
      await server.close();
    },
  };
  return harness;
}

/** Serves the demo episode's directory under a path prefix on one host. */
export function demoRoute(host: string, prefix: string): Route {
  return { host, dir: DEMO_DIR, prefix };
}
