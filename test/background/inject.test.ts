// Earmark on every site, when the user allows it: the generic content script is registered for all
// sites (except those the manifest already runs it on) while the all-sites grant stands, and taken
// away when it is withdrawn; injecting into a tab where it may not run is a plain `false`.
import browser from 'webextension-polyfill';
import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import {
  ALL_SITES,
  EVERYWHERE_ID,
  INJECTED_FILE,
  injectInto,
  syncEverywhere,
} from '../../src/background/inject';

vi.mock('webextension-polyfill', () => ({
  default: {
    permissions: { contains: vi.fn() },
    runtime: {
      getManifest: () => ({
        content_scripts: [
          { matches: ['https://overcast.fm/*', 'https://www.youtube.com/*'] },
          { matches: ['https://www.youtube.com/*'] },
        ],
      }),
    },
    scripting: {
      executeScript: vi.fn(),
      getRegisteredContentScripts: vi.fn(),
      registerContentScripts: vi.fn(),
      unregisterContentScripts: vi.fn(),
    },
  },
}));

const mocked = <T>(f: T) => f as unknown as Mock;
const registered: { id: string }[] = [];

beforeEach(() => {
  registered.length = 0;
  vi.clearAllMocks();
  mocked(browser.scripting.getRegisteredContentScripts).mockImplementation(
    async ({ ids }: { ids: string[] }) => registered.filter((r) => ids.includes(r.id)),
  );
  mocked(browser.scripting.registerContentScripts).mockImplementation(async (list: { id: string }[]) => {
    registered.push(...list);
  });
  mocked(browser.scripting.unregisterContentScripts).mockImplementation(
    async ({ ids }: { ids: string[] }) => {
      for (const id of ids)
        registered.splice(
          registered.findIndex((r) => r.id === id),
          1,
        );
    },
  );
});

describe('syncEverywhere', () => {
  it('registers the content script on every site once all sites are granted, once', async () => {
    mocked(browser.permissions.contains).mockResolvedValue(true);
    expect(await syncEverywhere()).toBe(true);
    expect(browser.scripting.registerContentScripts).toHaveBeenCalledWith([
      {
        id: EVERYWHERE_ID,
        matches: ALL_SITES,
        excludeMatches: ['https://overcast.fm/*', 'https://www.youtube.com/*', 'https://www.youtube.com/*'],
        js: [INJECTED_FILE],
        runAt: 'document_idle',
      },
    ]);
    await syncEverywhere();
    expect(browser.scripting.registerContentScripts).toHaveBeenCalledTimes(1);
    expect(registered).toHaveLength(1);
  });

  it('takes it away when the grant is withdrawn, and registers nothing without it', async () => {
    mocked(browser.permissions.contains).mockResolvedValue(true);
    await syncEverywhere();
    mocked(browser.permissions.contains).mockResolvedValue(false);
    expect(await syncEverywhere()).toBe(false);
    expect(browser.scripting.unregisterContentScripts).toHaveBeenCalledWith({ ids: [EVERYWHERE_ID] });
    expect(registered).toEqual([]);
    await syncEverywhere();
    expect(browser.scripting.registerContentScripts).toHaveBeenCalledTimes(1);
  });
});

describe('injectInto', () => {
  it('injects the self-contained file, and says false where it may not run', async () => {
    mocked(browser.scripting.executeScript).mockResolvedValueOnce([]);
    expect(await injectInto(7)).toBe(true);
    expect(browser.scripting.executeScript).toHaveBeenCalledWith({
      target: { tabId: 7 },
      files: [INJECTED_FILE],
    });
    mocked(browser.scripting.executeScript).mockRejectedValueOnce(new Error('Cannot access a chrome:// URL'));
    expect(await injectInto(8)).toBe(false);
  });
});
