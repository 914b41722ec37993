// The background's composition root. Listeners are registered synchronously at the top level so
// a stopped worker is woken by the event that needs it; all state is read from IndexedDB.
import browser, { type Runtime } from 'webextension-polyfill';
import { showEpisodeBadge } from './badge';
import { cardsView } from './cards';
import { db, type EarmarkDB, type EpisodeRecord } from './db';
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
import {
  engineFor,
  insightsRunning,
  insightsStatus,
  storedInsights,
  resumeInsightJobs,
  runInsights,
  type InsightDeps,
} from './insights';
import { readSettings, settingsView, writeSettings } from './settings';
import { testApiKey } from './key-test';
import { createGuardedFetch, type GuardedFetch } from './net';
import { blockPrivateNetworks } from './private-network';
import { acceptPort, hasSubscribers, pushNowPlaying } from './ports';
import { createRouter, type Handlers } from './router';
import { heardInsight } from '../core/insights/heard';
import { localDay } from '../core/library/day';
import { ERASE_CONFIRMATION } from '../messages';
import {
  dayItems,
  savedDays,
  savedView,
  savedViews,
  saveInsight,
  setNote,
  unsaveInsight,
} from './library/saved';
import { episodeDetail, listEpisodes } from './library/episodes';
import { indexRecords, relatedInsights, searchLibrary, unindexInsights } from './library/search';
import {
  eraseEverything,
  exportDay,
  exportFilename,
  exportLibrary,
  importLibrary,
  libraryStats,
} from './library/transfer';
import {
  acceptPageCaptions,
  resolveTranscript,
  resumeTranscriptJobs,
  type ResolverDeps,
} from './transcripts';
import { briefDays, briefView, buildBrief, exportBrief } from './brief';
import { injectInto, stateAfterInjection, syncEverywhere } from './inject';
import { exportOpml, followEpisodeShow, followFeed, importOpml, listFollows, unfollow } from './follows';
import {
  currentScanState,
  readScanState,
  runScan,
  SCAN_PERIOD_MINUTES,
  scanStarted,
  scanView,
  type ScannerDeps,
} from './scanner';
import {
  insightsAfter,
  pauseTranscription,
  resumeTranscription,
  runnableSttJobs,
  startTranscription,
  type SttDeps,
} from './transcribe';
import { deleteWhisperModels } from '../core/transcribe/whisper-cache';
import { OFFSCREEN_TARGET } from '../message-names';
import type { Driver } from '../offscreen/driver';
import {
  BRIEF_ALARM,
  briefNotificationId,
  dayOfNotification,
  ensureAlarms,
  missedWork,
  SCAN_ALARM,
  SCAN_MORE_ALARM,
} from './schedule';

const extensionOrigin = browser.runtime.getURL('');
/** No request of the worker reaches a private network, not even by a redirect: set before any. */
/** The settings as this worker started with them: read once for what start-up sets up. */
const startSettings = db().then(readSettings);
let privateBlocked = startSettings
  .then((settings) => blockPrivateNetworks(settings.apiBaseUrl, settings.sttBaseUrl))
  .catch((error: unknown) => console.error('Earmark: private networks could not be blocked:', error));
const fetchChecked = createGuardedFetch();
const guardedFetch: GuardedFetch = async (url, request) => {
  await privateBlocked;
  return fetchChecked(url, request);
};

/** Pushes a tab's state to the popups watching it; reads nothing when none does. */
async function push(tabId: number): Promise<void> {
  if (!hasSubscribers(tabId)) return;
  pushNowPlaying(tabId, await nowPlaying(await db(), tabId));
}

/** Pushes to every tab that plays this episode (and so to the popups watching those tabs). */
async function pushEpisode(episodeId: string): Promise<void> {
  const database = await db();
  const tabs = (await database.getAll('tabs')).filter((tab) => tab.episodeId === episodeId);
  if (tabs.length === 0) return;
  const cards = await cardsView(database, episodeId);
  const episode = await database.get('episodes', episodeId);
  for (const { tabId } of tabs) {
    await push(tabId);
    // The page's cards and the toolbar badge follow the episode's insights.
    void sendToTab(tabId, 'cards/update', cards).catch(() => {});
    if (episode) void showEpisodeBadge(tabId, episode, cards.insights.length);
  }
}

async function resolverDeps(): Promise<ResolverDeps> {
  return {
    db: await db(),
    fetch: guardedFetch,
    hasAccess,
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
    onStored: (records) => void indexRecords(database, { insights: records }).catch(() => {}),
    onDeleted: (ids) => void unindexInsights(database, ids).catch(() => {}),
  };
}

async function scannerDeps(): Promise<ScannerDeps> {
  const database = await db();
  return {
    db: database,
    fetch: guardedFetch,
    hasAccess,
    // A new episode of a followed show: its transcript, then its insights, awaited in turn.
    process: async (episodeId) => {
      const transcript = await resolveTranscript(await resolverDeps(), episodeId);
      if (transcript.state === 'found') await runInsights(await insightDeps(), episodeId);
      return { transcript };
    },
  };
}

async function hasAccess(url: string): Promise<boolean> {
  return browser.permissions.contains({ origins: [`${new URL(url).origin}/*`] });
}

function startInsights(episodeId: string, force = false): void {
  void insightDeps()
    .then((deps) => runInsights(deps, episodeId, { force }))
    .catch((error: unknown) => console.error('Earmark: the insight job failed:', error));
}

/** Chrome runs the transcription driver in an offscreen document; Firefox in this page itself. */
const offscreen = (globalThis as { chrome?: typeof chrome }).chrome?.offscreen;
let offscreenOpening: Promise<void> | undefined;
let inPage: Promise<Driver> | undefined;

async function ensureOffscreen(api: typeof chrome.offscreen): Promise<void> {
  if (await api.hasDocument()) return;
  offscreenOpening ??= api
    .createDocument({
      url: 'src/offscreen/index.html',
      reasons: [api.Reason.WORKERS, api.Reason.BLOBS],
      justification: 'Decodes podcast audio and transcribes it (Web Audio and WebAssembly).',
    })
    .catch((error: unknown) => {
      // Two openings at once: the other one made it.
      if (!/single offscreen/i.test((error as Error).message)) throw error;
    })
    .finally(() => {
      offscreenOpening = undefined;
    });
  await offscreenOpening;
}

function pageDriver(): Promise<Driver> {
  // Only Firefox's build has this path (its background is a page): Chrome's worker bundle is kept
  // free of the driver, the decoder and Whisper.
  if (import.meta.env.MODE !== 'firefox')
    return Promise.reject(new Error('This browser has no offscreen documents to transcribe in.'));
  inPage ??= import('../offscreen/host').then(({ startDriver }) =>
    startDriver((episodeId, idle) => void sttChanged(episodeId, idle)),
  );
  return inPage;
}

const sttDeps = async (): Promise<SttDeps> => ({
  db: await db(),
  async kick() {
    if (!offscreen) {
      void (await pageDriver()).kick();
      return;
    }
    await ensureOffscreen(offscreen);
    // A document just opened starts on its own; one already open is told.
    await browser.runtime.sendMessage({ target: OFFSCREEN_TARGET, type: 'kick' }).catch(() => {});
  },
  async halt(episodeId) {
    if (!offscreen) (await pageDriver()).halt(episodeId);
    else
      await browser.runtime
        .sendMessage({ target: OFFSCREEN_TARGET, type: 'halt', episodeId })
        .catch(() => {});
  },
  position: async (episodeId) => (await insightDeps()).position?.(episodeId),
});

/** The driver wrote progress, or finished: popups and cards are told; a transcript gets insights. */
async function sttChanged(episodeId: string | undefined, idle?: boolean): Promise<void> {
  const database = await db();
  if (episodeId) {
    void pushEpisode(episodeId);
    const insights = await insightsAfter(database, episodeId);
    if (insights) {
      // After any extraction still running (of the first piece), so the whole's is not skipped.
      await insightsRunning(episodeId)?.catch(() => {});
      startInsights(episodeId, insights.force);
    }
  }
  if (idle && offscreen && (await runnableSttJobs(database)).length === 0)
    await offscreen.closeDocument().catch(() => {});
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
    void indexRecords(database, { episodes: [episode] }).catch(() => {});
    await setTabEpisode(database, tabId, episode.id, hint.pageUrl);
    await showBadge(database, tabId, episode);
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
    if (!(await database.get('episodes', episodeId))) throw new Error('No such episode.');
    // A transcript pruned for room is found again first; its insights follow.
    if (!(await database.get('transcripts', episodeId))) findTranscript(episodeId, true);
    // A failed job goes on from what it stored (a second failure loses nothing); a finished one
    // starts over, as asked.
    else startInsights(episodeId, (await insightsStatus(database, episodeId))?.state === 'ready');
    return null;
  },
  async 'settings/get'() {
    return settingsView(await db());
  },
  async 'settings/set'(patch) {
    const database = await db();
    await writeSettings(database, patch);
    if (patch.briefTime) await keepAlarms();
    if (patch.apiBaseUrl !== undefined || patch.stt?.baseUrl !== undefined) {
      const settings = await readSettings(database);
      privateBlocked = blockPrivateNetworks(settings.apiBaseUrl, settings.sttBaseUrl).catch(() => {});
    }
    return settingsView(database);
  },
  async 'settings/test-key'({ apiKey }) {
    return testApiKey(await readSettings(await db()), apiKey);
  },
  async 'cards/get'(_payload, { tabId }) {
    if (tabId === undefined) throw new Error('cards/get needs a tab');
    const database = await db();
    const tab = await database.get('tabs', tabId);
    return tab?.episodeId ? cardsView(database, tab.episodeId) : null;
  },
  async 'cards/save'({ insightId, saved }, { tabId }) {
    if (tabId === undefined) throw new Error('cards/save needs a tab');
    const database = await db();
    const tab = await database.get('tabs', tabId);
    const insight = await database.get('insights', insightId);
    // A page may only save what its own episode said.
    if (!tab?.episodeId || insight?.episodeId !== tab.episodeId)
      throw new Error('This insight is not from the episode playing in this tab.');
    if (saved) await saveInsight(database, insightId);
    else await unsaveInsight(database, insightId);
    void pushEpisode(tab.episodeId);
    return { saved };
  },
  async 'library/save'({ insightId, note }) {
    const database = await db();
    const record = await saveInsight(database, insightId, note !== undefined ? { note } : {});
    void pushEpisode(record.episodeId);
    return savedView(record, await database.get('episodes', record.episodeId));
  },
  async 'library/unsave'({ insightId }) {
    const database = await db();
    const record = await database.get('saved', insightId);
    const removed = await unsaveInsight(database, insightId);
    if (record) void pushEpisode(record.episodeId);
    return { removed };
  },
  async 'library/note'({ insightId, note }) {
    const database = await db();
    const record = await setNote(database, insightId, note);
    return savedView(record, await database.get('episodes', record.episodeId));
  },
  async 'library/day'({ day }) {
    const database = await db();
    return { day, items: await savedViews(database, await dayItems(database, day)) };
  },
  async 'library/days'() {
    return savedDays(await db());
  },
  async 'library/related'({ insightIds, limit }) {
    return relatedInsights(await db(), insightIds, limit);
  },
  async 'library/search'({ query, limit }) {
    return searchLibrary(await db(), query, limit);
  },
  async 'library/episodes'({ offset, limit }) {
    return listEpisodes(await db(), offset, limit);
  },
  async 'library/episode'({ episodeId }) {
    return episodeDetail(await db(), episodeId);
  },
  async 'library/export'() {
    const now = new Date();
    return { json: await exportLibrary(await db(), now), filename: exportFilename(now) };
  },
  async 'library/export-day'({ day }) {
    return { markdown: await exportDay(await db(), day), filename: exportFilename(new Date(), day) };
  },
  async 'library/import'({ json }) {
    return importLibrary(await db(), json);
  },
  async 'library/erase'({ confirm }) {
    if (confirm !== ERASE_CONFIRMATION) throw new Error('Erasing needs confirmation.');
    // A transcription in progress stops first, so it writes nothing back; the downloaded speech
    // model goes too.
    if (offscreen) await offscreen.closeDocument().catch(() => {});
    else if (inPage) {
      (await inPage).stop();
      inPage = undefined;
    }
    await eraseEverything(await db());
    await deleteWhisperModels().catch(() => 0);
    return null;
  },
  async 'library/stats'() {
    return libraryStats(await db());
  },
  async 'follows/list'() {
    const database = await db();
    return { follows: await listFollows(database), scan: await scanStatus(database) };
  },
  async 'follows/add'({ feedUrl }) {
    return followFeed(await scannerDeps(), feedUrl);
  },
  async 'follows/add-episode'({ episodeId }) {
    const result = await followEpisodeShow(await scannerDeps(), episodeId);
    void pushEpisode(episodeId);
    return result;
  },
  async 'follows/remove'({ feedUrl }) {
    const database = await db();
    const removed = await unfollow(database, feedUrl);
    // Tabs playing an episode of that show: their popups and cards offer to follow again.
    for (const tab of await database.getAll('tabs')) if (tab.episodeId) void pushEpisode(tab.episodeId);
    return { removed };
  },
  async 'follows/import-opml'({ text }) {
    const report = await importOpml(await db(), text);
    if (report.added > 0) scanInBackground(false);
    return report;
  },
  async 'follows/export-opml'() {
    return exportOpml(await db());
  },
  async 'scan/run'() {
    // Answered once the run has counted its feeds, so the page sees it running.
    await startScan(true);
    return scanStatus(await db());
  },
  async 'brief/get'({ day }) {
    const database = await db();
    const record = await database.get('briefs', day ?? localDay(new Date()));
    return record ? briefView(database, record) : null;
  },
  async 'brief/build'() {
    const database = await db();
    return briefView(database, await buildBrief(database));
  },
  async 'brief/days'() {
    return briefDays(await db());
  },
  async 'brief/export'({ day }) {
    return exportBrief(await db(), day);
  },
  async 'cards/follow'(_payload, { tabId }) {
    if (tabId === undefined) throw new Error('cards/follow needs a tab');
    const database = await db();
    const tab = await database.get('tabs', tabId);
    if (!tab?.episodeId) return { ok: false, error: 'Nothing plays in this tab.' };
    const result = await followEpisodeShow(await scannerDeps(), tab.episodeId);
    void pushEpisode(tab.episodeId);
    return result;
  },
  async 'stt/start'({ episodeId }) {
    const view = await startTranscription(await sttDeps(), episodeId);
    void pushEpisode(episodeId);
    return view;
  },
  async 'stt/pause'({ episodeId }) {
    const view = await pauseTranscription(await sttDeps(), episodeId);
    void pushEpisode(episodeId);
    return view;
  },
  async 'stt/resume'({ episodeId }) {
    const view = await resumeTranscription(await sttDeps(), episodeId);
    void pushEpisode(episodeId);
    return view;
  },
  async 'stt/changed'({ episodeId, idle }) {
    await sttChanged(episodeId, idle);
    return null;
  },
  async 'stt/delete-model'() {
    return { deleted: await deleteWhisperModels() };
  },
  async 'tab/now-playing'({ tabId }) {
    const database = await db();
    // The content script is the live truth of its tab (the page may have navigated, or stopped
    // playing, since it last reported); the stored record supplies the episode.
    let live: TabState;
    try {
      live = await sendToTab(tabId, 'player/state', {});
    } catch {
      // No content script runs there: a site the manifest does not name (the popup's opening
      // granted access to the tab: look for a player there), a browser page, or the page is gone.
      live = (await injectInto(tabId)) ? await stateAfterInjection(tabId) : null;
    }
    if (!live) {
      await forgetTab(database, tabId);
      return null;
    }
    // Recorded for later, not waited for: the answer is built from what the tab just said.
    const { episodeId, playback } = live;
    void setTabEpisode(database, tabId, episodeId)
      .then(() => setTabPlayback(database, tabId, playback))
      .catch(() => {});
    const view = await nowPlaying(database, tabId, live);
    // A transcription that should be running is made sure to be (its document may have gone).
    if (view?.transcription?.state === 'running')
      void sttDeps()
        .then((deps) => deps.kick())
        .catch(() => {});
    return view;
  },
};

/**
 * The keyboard shortcut: saves the insight the listener is hearing in the tab (the latest one the
 * playhead has reached), marks the toolbar button for a moment, and tells the popups.
 */
async function saveHeardInsight(tabId: number | undefined): Promise<void> {
  const id = tabId ?? (await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id;
  if (id === undefined) return;
  const database = await db();
  const tab = await database.get('tabs', id);
  // The card on the page is what the listener sees: that one, when it is of this tab's episode.
  const onCard = await sendToTab(id, 'cards/current', {}).catch(() => null);
  let chosen = onCard ? await database.get('insights', onCard.insightId) : undefined;
  if (chosen?.episodeId !== tab?.episodeId) chosen = undefined;
  if (!chosen) {
    // Else the latest insight the playhead reached: the content script knows the live playhead;
    // the stored record is the fallback.
    const live: TabState = await sendToTab(id, 'player/state', {}).catch(() => null);
    const episodeId = live?.episodeId ?? tab?.episodeId;
    const playback = live?.playback ?? tab?.playback;
    if (!episodeId || !playback) return flashBadge(id, '–', 'Earmark — nothing is playing in this tab.');
    chosen = heardInsight(await storedInsights(database, episodeId), positionAt(playback, Date.now()));
    if (!chosen) return flashBadge(id, '–', 'Earmark — no insight reached yet in this episode.');
  }
  await saveInsight(database, chosen.id);
  void pushEpisode(chosen.episodeId);
  await flashBadge(id, '✓', `Earmark — saved to ${localDay(new Date())}: ${chosen.text.slice(0, 150)}`);
}

/** The tab's badge for its episode: the number of its insights, or the episode mark. */
async function showBadge(database: EarmarkDB, tabId: number, episode: EpisodeRecord): Promise<void> {
  await showEpisodeBadge(tabId, episode, await database.countFromIndex('insights', 'by-episode', episode.id));
}

async function flashBadge(tabId: number, text: string, title: string): Promise<void> {
  try {
    await browser.action.setBadgeText({ tabId, text });
    await browser.action.setTitle({ tabId, title });
  } catch {
    return; // the tab is gone
  }
  setTimeout(() => {
    void db()
      .then(async (database) => {
        const tab = await database.get('tabs', tabId);
        const episode = tab?.episodeId ? await database.get('episodes', tab.episodeId) : undefined;
        if (episode) await showBadge(database, tabId, episode);
        else await browser.action.setBadgeText({ tabId, text: '' });
      })
      .catch(() => {});
  }, 2_500);
}

// ── Follows, the scanner and the daily brief ────────────────────────────────────────────────────

async function scanStatus(database: EarmarkDB) {
  const next = await browser.alarms.get(SCAN_ALARM).catch(() => undefined);
  return scanView(
    await currentScanState(database),
    next ? new Date(next.scheduledTime).toISOString() : undefined,
  );
}

/**
 * Runs the scanner (forced: every feed, also those backed off); more is left for a run soon after.
 * Resolves once the run has counted its feeds (its end is handled here).
 */
async function startScan(force: boolean): Promise<void> {
  const deps = await scannerDeps();
  void runScan(deps, { force })
    .then((state) => {
      if (state.pending.length > 0) browser.alarms.create(SCAN_MORE_ALARM, { delayInMinutes: 5 });
    })
    .catch((error: unknown) => console.error('Earmark: the scan failed:', error));
  await scanStarted(deps.db);
}

const scanInBackground = (force: boolean) =>
  void startScan(force).catch((error: unknown) => console.error('Earmark: the scan failed:', error));

let briefRun: Promise<void> | undefined;

/**
 * The brief's time: the followed feeds are checked first when the last check is over an hour old,
 * then the brief is made and, when it holds something and the user wants it, notified.
 */
function briefTime(): Promise<void> {
  briefRun ??= (async () => {
    const database = await db();
    const lastScan = (await readScanState(database)).finishedAt;
    if ((await database.count('follows')) > 0 && Date.now() - Date.parse(lastScan ?? '0') > 3600_000)
      await runScan(await scannerDeps());
    const brief = await buildBrief(database);
    const settings = await readSettings(database);
    if (brief.items.length > 0 && settings.briefNotify) {
      const first = brief.items[0]!.insight.text;
      await browser.notifications.create(briefNotificationId(brief.day), {
        type: 'basic',
        iconUrl: browser.runtime.getURL('public/icons/icon-128.png'),
        title: `Your Earmark brief: ${brief.items.length} insight${brief.items.length === 1 ? '' : 's'}`,
        message: first.length > 180 ? `${first.slice(0, 179)}…` : first,
      });
    }
  })().finally(() => {
    briefRun = undefined;
  });
  return briefRun;
}

/** Re-creates lost alarms (and moves the brief's to a changed time). */
async function keepAlarms(settings?: Promise<{ briefTime: string }>): Promise<void> {
  const { briefTime } = await (settings ?? db().then(readSettings));
  await ensureAlarms(browser.alarms, { briefTime, scanPeriodMinutes: SCAN_PERIOD_MINUTES });
}

/** At start-up: a scan or a brief missed while the browser was closed is done once now. */
async function catchUp(): Promise<void> {
  const database = await db();
  const { briefTime: time } = await readSettings(database);
  const lastScanAt = (await readScanState(database)).finishedAt;
  const missed = missedWork(
    {
      briefTime: time,
      ...(lastScanAt ? { lastScanAt } : {}),
      hasBriefToday: (await database.count('briefs', localDay(new Date()))) > 0,
      follows: await database.count('follows'),
      scanPeriodMinutes: SCAN_PERIOD_MINUTES,
    },
    new Date(),
  );
  if (missed.brief) await briefTime();
  else if (missed.scan) scanInBackground(false);
}

browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === SCAN_ALARM || alarm.name === SCAN_MORE_ALARM) scanInBackground(false);
  if (alarm.name === BRIEF_ALARM)
    void briefTime()
      .catch((error: unknown) => console.error('Earmark: the brief could not be made:', error))
      .finally(() => void keepAlarms().catch(() => {}));
});
browser.notifications.onClicked.addListener((id) => {
  const day = dayOfNotification(id);
  if (!day) return;
  void browser.tabs.create({
    url: browser.runtime.getURL(`src/ui/library/index.html?view=brief&day=${day}`),
  });
  void browser.notifications.clear(id);
});
// (Alarms and transcriptions left running are seen to at the top level, which runs at install too.)
browser.runtime.onInstalled.addListener(() => void syncEverywhere().catch(() => {}));
// "Every site" in the options is the all-sites grant itself: follow it as it is given or taken.
browser.permissions.onAdded.addListener(() => void syncEverywhere().catch(() => {}));
browser.permissions.onRemoved.addListener(() => void syncEverywhere().catch(() => {}));

const route = createRouter(handlers, { extensionId: browser.runtime.id, extensionOrigin });

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
  route(message, sender),
);
browser.runtime.onConnect.addListener((port) =>
  acceptPort(port, extensionOrigin, async (tabId) => nowPlaying(await db(), tabId)),
);
browser.commands.onCommand.addListener((command, tab) => {
  if (command === 'save-insight')
    void saveHeardInsight(tab?.id).catch((error: unknown) => {
      console.error('Earmark: the shortcut could not save:', error);
    });
});
browser.tabs.onRemoved.addListener((tabId) => {
  void db().then((database) => forgetTab(database, tabId));
});
browser.runtime.onStartup.addListener(() => {
  void db().then(forgetAllTabs);
  void catchUp().catch((error: unknown) => console.error('Earmark: catching up failed:', error));
});

// Work a stopped worker left half done is picked up when the worker starts again.
void resolverDeps()
  .then(resumeTranscriptJobs)
  .catch(() => {});
void insightDeps()
  .then(resumeInsightJobs)
  .catch(() => {});
// A scan a stopped worker left running is continued; alarms that were lost are made again.
void db()
  .then(readScanState)
  .then((state) => state.state === 'running' && scanInBackground(false))
  .catch(() => {});
void keepAlarms(startSettings).catch(() => {});
// Transcriptions the browser left running (it was closed, or the offscreen document was): go on.
void db()
  .then(runnableSttJobs)
  .then(async (ids) => ids.length > 0 && (await sttDeps()).kick())
  .catch(() => {});
