// The background's composition root. Listeners are registered synchronously at the top level so
// a stopped worker is woken by the event that needs it; all state is read from IndexedDB.
import browser, { type Runtime } from 'webextension-polyfill';
import { showEpisodeBadge } from './badge';
import { db } from './db';
import {
  forgetAllTabs,
  forgetTab,
  nowPlaying,
  recordEpisode,
  setTabEpisode,
  setTabPlayback,
} from './episodes';
import { sendToTab } from '../messaging';
import type { TabState } from '../messages';
import { acceptPort, pushNowPlaying } from './ports';
import { createRouter, type Handlers } from './router';

const extensionOrigin = browser.runtime.getURL('');

async function push(tabId: number): Promise<void> {
  pushNowPlaying(tabId, await nowPlaying(await db(), tabId));
}

const handlers: Handlers = {
  async 'episode/detected'({ hint }, { tabId }) {
    if (tabId === undefined) throw new Error('episode/detected needs a tab');
    const database = await db();
    const episode = await recordEpisode(database, hint);
    await setTabEpisode(database, tabId, episode.id, hint.pageUrl);
    await showEpisodeBadge(tabId, episode);
    await push(tabId);
    return { episodeId: episode.id };
  },
  async 'playback/changed'(playback, { tabId }) {
    if (tabId === undefined) throw new Error('playback/changed needs a tab');
    await setTabPlayback(await db(), tabId, playback);
    await push(tabId);
    return null;
  },
  async 'tab/now-playing'({ tabId }) {
    const database = await db();
    // The content script is the live truth of its tab (the page may have navigated, or stopped
    // playing, since it last reported); the stored record supplies the episode.
    let live: TabState;
    try {
      live = await sendToTab(tabId, 'player/state', {});
    } catch {
      live = null; // no content script runs there (another site, or the page is gone)
    }
    if (!live) {
      await forgetTab(database, tabId);
      return null;
    }
    await setTabEpisode(database, tabId, live.episodeId);
    await setTabPlayback(database, tabId, live.playback);
    return nowPlaying(database, tabId);
  },
};

const route = createRouter(handlers, { extensionId: browser.runtime.id, extensionOrigin });

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
  route(message, sender),
);
browser.runtime.onConnect.addListener((port) =>
  acceptPort(port, extensionOrigin, async (tabId) => nowPlaying(await db(), tabId)),
);
browser.tabs.onRemoved.addListener((tabId) => {
  void db().then((database) => forgetTab(database, tabId));
});
browser.runtime.onStartup.addListener(() => {
  void db().then(forgetAllTabs);
});
