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
import { positionAt } from '../core/episode/hint';
import { engineFor, resumeInsightJobs, runInsights, type InsightDeps } from './insights';
import { readSettings, settingsView, testApiKey, writeSettings } from './settings';
import { createGuardedFetch } from './net';
import { acceptPort, hasSubscribers, pushNowPlaying } from './ports';
import { createRouter, type Handlers } from './router';
import {
  acceptPageCaptions,
  resolveTranscript,
  resumeTranscriptJobs,
  type ResolverDeps,
} from './transcripts';

const extensionOrigin = browser.runtime.getURL('');
const guardedFetch = createGuardedFetch();

/** Pushes a tab's state to the popups watching it; reads nothing when none does. */
async function push(tabId: number): Promise<void> {
  if (!hasSubscribers(tabId)) return;
  pushNowPlaying(tabId, await nowPlaying(await db(), tabId));
}

/** Pushes to every tab that plays this episode (and so to the popups watching those tabs). */
async function pushEpisode(episodeId: string): Promise<void> {
  const database = await db();
  for (const tab of await database.getAll('tabs')) if (tab.episodeId === episodeId) await push(tab.tabId);
}

async function resolverDeps(): Promise<ResolverDeps> {
  return {
    db: await db(),
    fetch: guardedFetch,
    hasAccess: async (url) => browser.permissions.contains({ origins: [`${new URL(url).origin}/*`] }),
    languages: navigator.languages?.length ? navigator.languages : [navigator.language || 'en'],
    onUpdate: (episodeId, status) => {
      void pushEpisode(episodeId);
      if (status.state === 'found') startInsights(episodeId);
    },
  };
}

async function insightDeps(): Promise<InsightDeps> {
  const database = await db();
  return {
    db: database,
    engine: () => engineFor(database),
    position: async (episodeId) => {
      const tab = (await database.getAll('tabs')).find((t) => t.episodeId === episodeId && t.playback);
      return tab?.playback ? positionAt(tab.playback, Date.now()) : undefined;
    },
    onUpdate: (episodeId) => void pushEpisode(episodeId),
  };
}

function startInsights(episodeId: string, force = false): void {
  void insightDeps()
    .then((deps) => runInsights(deps, episodeId, { force }))
    .catch((error: unknown) => console.error('Earmark: the insight job failed:', error));
}

function findTranscript(episodeId: string, force = false): void {
  void resolverDeps()
    .then((deps) => resolveTranscript(deps, episodeId, { force }))
    // A transcript found in an earlier session: make sure its insights exist too.
    .then((status) => status.state === 'found' && startInsights(episodeId))
    .catch((error: unknown) => console.error('Earmark: the transcript search failed:', error));
}

const handlers: Handlers = {
  async 'episode/detected'({ hint }, { tabId }) {
    if (tabId === undefined) throw new Error('episode/detected needs a tab');
    const database = await db();
    const episode = await recordEpisode(database, hint);
    await setTabEpisode(database, tabId, episode.id, hint.pageUrl);
    await showEpisodeBadge(tabId, episode);
    await push(tabId);
    findTranscript(episode.id);
    return { episodeId: episode.id };
  },
  async 'playback/changed'(playback, { tabId }) {
    if (tabId === undefined) throw new Error('playback/changed needs a tab');
    await setTabPlayback(await db(), tabId, playback);
    await push(tabId);
    return null;
  },
  async 'transcript/page-captions'(captions, { tabId }) {
    if (tabId === undefined) throw new Error('transcript/page-captions needs a tab');
    return acceptPageCaptions(await resolverDeps(), tabId, captions);
  },
  async 'transcript/retry'({ episodeId }) {
    const database = await db();
    if (!(await database.get('episodes', episodeId))) throw new Error('No such episode.');
    findTranscript(episodeId, true);
    return { state: 'finding', steps: [], updatedAt: new Date().toISOString() };
  },
  async 'insights/retry'({ episodeId }) {
    const database = await db();
    if (!(await database.get('transcripts', episodeId)))
      throw new Error('The episode has no transcript yet.');
    startInsights(episodeId, true);
    return null;
  },
  async 'settings/get'() {
    return settingsView(await db());
  },
  async 'settings/set'(patch) {
    const database = await db();
    await writeSettings(database, patch);
    return settingsView(database);
  },
  async 'settings/test-key'({ apiKey }) {
    return testApiKey(await readSettings(await db()), apiKey);
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

// Work a stopped worker left half done is picked up when the worker starts again.
void resolverDeps()
  .then(resumeTranscriptJobs)
  .catch(() => {});
void insightDeps()
  .then(resumeInsightJobs)
  .catch(() => {});
