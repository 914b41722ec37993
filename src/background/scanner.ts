// The follow scanner: checks the feeds of the shows the user follows (conditional requests, at
// most six at a time), backs off feeds that fail, records the episodes that are new since the last
// check, and works through them (transcript, then insights) a bounded number per run. Its state
// lives in IndexedDB, so a worker stopped mid-run resumes the same run where it was.
import { episodeKeyOf, FeedError } from '../core/feed';
import type { EpisodeHint } from '../core/episode/hint';
import type { Feed, FeedEpisode } from '../core/types';
import type { ScanView, TranscriptStatus } from '../messages';
import type { EarmarkDB, FollowRecord } from './db';
import { recordEpisode } from './episodes';
import { fetchFeed, type FetchedFeed } from './feeds';
import { FetchError, hostOf, type GuardedFetch } from './net';

export type ScannerDeps = {
  db: EarmarkDB;
  fetch: GuardedFetch;
  /** Whether Earmark may read the host of this address. */
  hasAccess: (url: string) => Promise<boolean>;
  /** Finds the episode's transcript and extracts its insights; resolves when both are done. */
  process: (episodeId: string) => Promise<{ transcript?: TranscriptStatus }>;
  onProgress?: (view: ScanView) => void;
  now?: () => Date;
};

/** How often the timer checks the followed feeds. */
export const SCAN_PERIOD_MINUTES = 180;
/** Feed requests at a time. */
export const SCAN_CONCURRENCY = 6;
/** New episodes worked through in one run; the rest wait for the next (which comes sooner). */
export const MAX_PROCESSED_PER_RUN = 20;
/** New episodes taken from one feed at one check (a feed that republishes its catalogue floods nothing). */
export const MAX_NEW_PER_FEED = 3;
/** At the first check of a show, its newest episode counts as new when it is this recent. */
export const FIRST_CHECK_RECENT_MS = 7 * 24 * 3600 * 1000;

/** The run in progress or the last one, as stored (settings row "scan"). */
export type ScanState = {
  state: 'idle' | 'running';
  /** Checks every feed, also those being backed off (the user's "Check now"). */
  force?: boolean;
  startedAt?: string;
  finishedAt?: string;
  total: number;
  checked: number;
  found: number;
  processed: number;
  failed: number;
  /** New episodes not yet worked through (carried over to the next run when the run's share is done). */
  pending: string[];
};

const EMPTY: ScanState = {
  state: 'idle',
  total: 0,
  checked: 0,
  found: 0,
  processed: 0,
  failed: 0,
  pending: [],
};
const STATE_ROW = 'scan';

export async function readScanState(db: EarmarkDB): Promise<ScanState> {
  const row = await db.get('settings', STATE_ROW);
  const value = row?.value as Partial<ScanState> | undefined;
  return value && typeof value === 'object' ? { ...EMPTY, ...value } : { ...EMPTY };
}

export function scanView(state: ScanState, nextRunAt?: string): ScanView {
  return {
    state: state.state,
    ...(state.startedAt ? { startedAt: state.startedAt } : {}),
    ...(state.finishedAt ? { finishedAt: state.finishedAt } : {}),
    checked: state.checked,
    total: state.total,
    found: state.found,
    processed: state.processed,
    failed: state.failed,
    ...(nextRunAt ? { nextRunAt } : {}),
  };
}

/** How long a feed that failed `failures` times in a row waits before the timer tries it again. */
export function backoffMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(48, 3 * 2 ** (failures - 1)) * 3600 * 1000; // 3 h, 6 h, 12 h, 24 h, 48 h…
}

/** Whether the timer checks this follow now (a forced run checks every one; a new follow is due). */
export function isDue(follow: FollowRecord, now: Date, force = false): boolean {
  return force || !follow.nextCheckAt || Date.parse(follow.nextCheckAt) <= now.getTime();
}

const running = new Map<EarmarkDB, Promise<ScanState>>();
/** The state of the run in progress in this worker, per database (connection state, not data). */
const live = new Map<EarmarkDB, { state: ScanState; persist: () => Promise<unknown> }>();

/** Whether a run is in progress in this worker. */

/** The scanner's state: the live one while a run is in progress here, else as stored. */
export async function currentScanState(db: EarmarkDB): Promise<ScanState> {
  return live.get(db)?.state ?? readScanState(db);
}

/**
 * Queues new episodes (a show just followed) for the scanner and runs it: the run in progress
 * takes them, else a run starts (checking only the feeds that are due).
 */
export async function enqueueEpisodes(deps: ScannerDeps, episodeIds: string[]): Promise<void> {
  const active = live.get(deps.db);
  if (active) {
    const fresh = episodeIds.filter((id) => !active.state.pending.includes(id));
    active.state.pending.push(...fresh);
    active.state.found += fresh.length;
    await active.persist();
    return;
  }
  if (episodeIds.length) {
    const stored = await readScanState(deps.db);
    const pending = [...stored.pending, ...episodeIds.filter((id) => !stored.pending.includes(id))];
    await deps.db.put('settings', { name: STATE_ROW, value: { ...stored, pending } });
  }
  void runScan(deps).catch((error: unknown) => console.error('Earmark: the scan failed:', error));
}

/**
 * Runs a scan, or joins the one in progress. A run the database says is in progress but that no
 * code runs (the worker stopped) is continued: the feeds it checked stay checked.
 */
export function runScan(deps: ScannerDeps, options: { force?: boolean } = {}): Promise<ScanState> {
  const current = running.get(deps.db);
  if (current) return current;
  let begun = () => {};
  started.set(deps.db, new Promise<void>((resolve) => (begun = resolve)));
  const run = scan(deps, options, begun).finally(() => {
    running.delete(deps.db);
    live.delete(deps.db);
    started.delete(deps.db);
    begun();
  });
  running.set(deps.db, run);
  return run;
}

const started = new Map<EarmarkDB, Promise<void>>();

/** Resolves once the run in progress has stored its start (its feeds counted): for "Check now". */
export function scanStarted(db: EarmarkDB): Promise<void> {
  return started.get(db) ?? Promise.resolve();
}

async function scan(
  deps: ScannerDeps,
  { force = false }: { force?: boolean },
  begun: () => void,
): Promise<ScanState> {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const previous = await readScanState(db);
  const resuming = previous.state === 'running' && !!previous.startedAt;
  const startedAt = resuming ? previous.startedAt! : now().toISOString();
  const state: ScanState = resuming
    ? { ...previous, force: previous.force || force }
    : {
        state: 'running',
        force,
        startedAt,
        total: 0,
        checked: 0,
        found: 0,
        processed: 0,
        failed: 0,
        pending: previous.pending,
      };
  let saving: Promise<unknown> = Promise.resolve();
  const persist = () => {
    const snapshot = { ...state, pending: [...state.pending] };
    saving = saving.then(() => db.put('settings', { name: STATE_ROW, value: snapshot }));
    deps.onProgress?.(scanView(snapshot));
    return saving;
  };

  live.set(db, { state, persist });

  // Feeds this run still has to check: due ones not checked since the run started.
  const follows = (await db.getAll('follows')).filter(
    (f) => isDue(f, now(), state.force) && !(f.lastCheckedAt && f.lastCheckedAt >= startedAt && resuming),
  );
  if (!resuming) state.total = follows.length;
  await persist();
  begun();

  await eachLimited(follows, SCAN_CONCURRENCY, async (follow) => {
    let ok = false;
    try {
      const outcome = await checkFollow(deps, follow, {
        onNew: async (ids) => {
          const fresh = ids.filter((id) => !state.pending.includes(id));
          state.pending.push(...fresh);
          state.found += fresh.length;
          await persist();
        },
      });
      ok = outcome.ok;
    } catch (error) {
      console.error('Earmark: a followed feed could not be checked:', error);
    }
    state.checked += 1;
    if (!ok) state.failed += 1;
    await persist();
  });

  // The run's share of the new episodes, newest found first; the rest wait for the next run.
  for (let n = 0; n < MAX_PROCESSED_PER_RUN && state.pending.length > 0; n++) {
    const episodeId = state.pending[state.pending.length - 1]!;
    try {
      const { transcript } = await deps.process(episodeId);
      await noteTranscriptAccess(deps, episodeId, transcript);
    } catch (error) {
      console.error('Earmark: a new episode could not be worked through:', error);
    }
    state.pending = state.pending.filter((id) => id !== episodeId);
    state.processed += 1;
    await persist();
  }

  state.state = 'idle';
  state.finishedAt = now().toISOString();
  live.delete(db);
  await persist();
  await saving;
  return state;
}

type CheckOutcome = { ok: true; feed: Feed; newEpisodes: string[] } | { ok: false; error: string };

/**
 * Checks one followed feed: a conditional request with the validators of the last fetch, the new
 * episodes recorded (and handed to `onNew` before the feed is stored as seen, so a stop between
 * the two finds them again), and the follow's record updated: checked, episode count, or the
 * failure in plain words and when to try again.
 */
export async function checkFollow(
  deps: Pick<ScannerDeps, 'db' | 'fetch' | 'hasAccess' | 'now'>,
  follow: FollowRecord,
  hooks: { onNew?: (episodeIds: string[]) => Promise<void> } = {},
): Promise<CheckOutcome> {
  const { db } = deps;
  const now = (deps.now ?? (() => new Date()))();
  const url = follow.feedUrl;
  const cached = await db.get('feeds', url);
  let fetched: FetchedFeed;
  try {
    fetched = await fetchFeed(deps.fetch, url, cached);
  } catch (error) {
    const failures = (follow.failures ?? 0) + 1;
    const noAccess =
      error instanceof FetchError &&
      error.code === 'network' &&
      !(await deps.hasAccess(url).catch(() => true));
    const message = noAccess
      ? `Earmark needs your permission to read ${hostOf(url)} to check this feed.`
      : feedFailure(error);
    const { needsAccess: _old, ...rest } = follow;
    await db.put('follows', {
      ...rest,
      lastCheckedAt: now.toISOString(),
      lastError: message,
      failures,
      nextCheckAt: new Date(now.getTime() + backoffMs(failures)).toISOString(),
      ...(noAccess ? { needsAccess: hostOf(url) } : {}),
    });
    return { ok: false, error: message };
  }

  const { feed, ...validators } = fetched;
  const fresh = newEpisodes(feed, cached?.feed, follow.lastCheckedAt === undefined, now);
  const ids: string[] = [];
  for (const item of fresh) ids.push((await recordEpisode(db, hintOf(item, feed, url), now)).id);
  if (ids.length) await hooks.onNew?.(ids);

  const tx = db.transaction(['feeds', 'follows'], 'readwrite');
  await tx.objectStore('feeds').put({ url, feed, fetchedAt: now.toISOString(), ...validators });
  const {
    lastError: _e,
    nextCheckAt: _n,
    needsAccess: _a,
    failures: _f,
    ...kept
  } = (await tx.objectStore('follows').get(url)) ?? follow;
  await tx.objectStore('follows').put({
    ...kept,
    title: feed.title || kept.title,
    ...(feed.image ? { image: feed.image } : {}),
    lastCheckedAt: now.toISOString(),
    episodeCount: feed.episodes.length,
    // The timer's next run checks it again (a little early, so a run never just misses it).
    nextCheckAt: new Date(now.getTime() + (SCAN_PERIOD_MINUTES - 30) * 60_000).toISOString(),
  });
  await tx.done;
  return { ok: true, feed, newEpisodes: ids };
}

/**
 * The feed's episodes that are new: not in the feed as last stored, newest first, at most a few.
 * At a show's first check nothing is "new" but its latest episode, when it came out this week.
 */
export function newEpisodes(feed: Feed, before: Feed | undefined, first: boolean, now: Date): FeedEpisode[] {
  const byDate = [...feed.episodes].sort(
    (a, b) => (Date.parse(b.published ?? '') || 0) - (Date.parse(a.published ?? '') || 0),
  );
  if (first || !before) {
    const latest = byDate[0];
    const published = Date.parse(latest?.published ?? '');
    return latest && published && now.getTime() - published < FIRST_CHECK_RECENT_MS ? [latest] : [];
  }
  const seen = new Set(before.episodes.map(episodeKeyOf));
  return byDate.filter((e) => !seen.has(episodeKeyOf(e))).slice(0, MAX_NEW_PER_FEED);
}

function hintOf(item: FeedEpisode, feed: Feed, feedUrl: string): EpisodeHint {
  return {
    site: 'feed',
    // A feed item names no page of its own here: its audio file is where it can be heard.
    pageUrl: item.enclosureUrl ?? feed.link ?? feedUrl,
    title: item.title || 'Untitled episode',
    ...(feed.title ? { show: feed.title } : {}),
    ...(feed.image ? { artwork: feed.image } : {}),
    ...(item.durationSeconds !== undefined ? { durationSeconds: item.durationSeconds } : {}),
    ...(item.enclosureUrl ? { enclosureUrl: item.enclosureUrl } : {}),
    feedUrl,
    ...(item.guid ? { guid: item.guid } : {}),
    ...(item.published ? { published: item.published } : {}),
  };
}

/** A new episode whose transcript lives where Earmark may not read: the follow says so. */
async function noteTranscriptAccess(
  deps: ScannerDeps,
  episodeId: string,
  transcript: TranscriptStatus | undefined,
): Promise<void> {
  const blocked = transcript?.steps.find((s) => s.outcome === 'no-access' && s.host);
  if (!blocked) return;
  const episode = await deps.db.get('episodes', episodeId);
  const follow = episode?.feedUrl ? await deps.db.get('follows', episode.feedUrl) : undefined;
  if (!follow) return;
  await deps.db.put('follows', {
    ...follow,
    needsAccess: blocked.host!,
    lastError: `The transcript of “${episode!.title}” is on ${blocked.host}: Earmark needs your permission to read it.`,
  });
}

function feedFailure(error: unknown): string {
  if (error instanceof FetchError && error.code === 'http' && (error.status === 404 || error.status === 410))
    return `The feed is gone (${error.message}). The show may have moved: follow its new feed.`;
  if (error instanceof FetchError) return error.message;
  if (error instanceof FeedError) return `The feed could not be read: ${error.message}`;
  return `The check failed: ${(error as Error)?.message ?? String(error)}`;
}

/** Runs `work` over the items, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
