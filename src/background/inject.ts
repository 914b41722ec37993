// Earmark on sites the manifest does not name: the generic content script (built on its own as
// content-injected.js) is injected into a tab when the popup opens on it (the toolbar click grants
// activeTab), and registered for every site when the user allows all sites in the options.
import browser from 'webextension-polyfill';
import { sendToTab } from '../messaging';
import type { TabState } from '../messages';

export const INJECTED_FILE = 'content-injected.js';
export const EVERYWHERE_ID = 'earmark-everywhere';
export const ALL_SITES = ['https://*/*', 'http://*/*'];

/** Injects the content script into a tab; false where it may not run (no access, a browser page). */
export async function injectInto(tabId: number): Promise<boolean> {
  try {
    await browser.scripting.executeScript({ target: { tabId }, files: [INJECTED_FILE] });
    return true;
  } catch {
    return false;
  }
}

/** Asks the tab what plays a few times while a just-injected script finds its player. */
export async function stateAfterInjection(tabId: number, tries = 10, everyMs = 150): Promise<TabState> {
  for (let i = 0; i < tries; i++) {
    const state: TabState = await sendToTab(tabId, 'player/state', {}).catch(() => null);
    if (state) return state;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return null;
}

/**
 * Registers the content script on every site when the user granted all sites, unregisters it when
 * they withdrew the grant (the sites the manifest names keep theirs).
 */
export async function syncEverywhere(): Promise<boolean> {
  const granted = await browser.permissions.contains({ origins: ALL_SITES });
  const registered = await browser.scripting
    .getRegisteredContentScripts({ ids: [EVERYWHERE_ID] })
    .then((list) => list.length > 0)
    .catch(() => false);
  if (granted && !registered) {
    const manifest = browser.runtime.getManifest();
    const named = (manifest.content_scripts ?? []).flatMap((c) => c.matches ?? []);
    await browser.scripting.registerContentScripts([
      {
        id: EVERYWHERE_ID,
        matches: ALL_SITES,
        excludeMatches: named,
        js: [INJECTED_FILE],
        runAt: 'document_idle',
      },
    ]);
  } else if (!granted && registered) {
    await browser.scripting.unregisterContentScripts({ ids: [EVERYWHERE_ID] });
  }
  return granted;
}
