// The library's search index in the worker: related insights across episodes and search.
// The index is derived data. It is persisted as a snapshot (the `derived` store) so a restarted
// worker is ready fast, brought up to date from what was written after the snapshot (insights by
// `createdAt`, episodes by `lastSeen`), updated as insights stream in, and rebuilt from the
// stores whenever the snapshot is missing or from another version. Results are always checked
// against the stores, so an insight deleted while the index did not look is never shown.
import { deepLink } from '../../core/library/markdown';
import {
  INDEX_VERSION,
  LibraryIndex,
  toIndexedEpisode,
  toIndexedInsight,
} from '../../core/library/compact-index';
import type { RelatedView, SearchView } from '../../messages';
import type { EarmarkDB, EpisodeRecord, InsightRecord } from '../db';
import { episodeLookup, toView } from '../episodes';
import { insightView } from './saved';

const SNAPSHOT = 'library-index';
/** Catching up re-reads this much before the snapshot's newest record (writes in flight then). */
const CATCH_UP_MARGIN_MS = 5 * 60_000;
const PERSIST_AFTER_MS = 2_000;

type Loaded = { index: LibraryIndex; upTo: string; timer?: ReturnType<typeof setTimeout> };
const loaded = new WeakMap<EarmarkDB, Promise<Loaded>>();

async function episodesById(db: EarmarkDB, ids: Iterable<string>): Promise<Map<string, EpisodeRecord>> {
  const map = new Map<string, EpisodeRecord>();
  for (const id of new Set(ids)) {
    const episode = await db.get('episodes', id);
    if (episode) map.set(id, episode);
  }
  return map;
}

async function load(db: EarmarkDB): Promise<Loaded> {
  const snapshot = await db.get('derived', SNAPSHOT);
  let index: LibraryIndex | undefined;
  let upTo = '';
  if (snapshot && snapshot.version === INDEX_VERSION) {
    try {
      index = LibraryIndex.fromSnapshot(snapshot.bytes);
      upTo = snapshot.upTo;
    } catch {
      index = undefined; // damaged or foreign: rebuilt below
    }
  }
  index ??= LibraryIndex.empty();
  const state: Loaded = { index, upTo };
  const since = upTo ? new Date(Date.parse(upTo) - CATCH_UP_MARGIN_MS).toISOString() : '';
  const episodes = since
    ? await db.getAllFromIndex('episodes', 'by-lastSeen', IDBKeyRange.lowerBound(since))
    : await db.getAll('episodes');
  const insights = since
    ? await db.getAllFromIndex('insights', 'by-createdAt', IDBKeyRange.lowerBound(since))
    : await db.getAll('insights');
  const byId = new Map(episodes.map((e) => [e.id, e]));
  const missing = insights.map((i) => i.episodeId).filter((id) => !byId.has(id));
  for (const [id, e] of await episodesById(db, missing)) byId.set(id, e);
  const added = addToIndex(state, episodes, insights, byId);
  // Catching up re-reads a margin the snapshot mostly has: a new snapshot only for news.
  if (!snapshot || added > 0) schedulePersist(db, state);
  return state;
}

function addToIndex(
  state: Loaded,
  episodes: EpisodeRecord[],
  insights: InsightRecord[],
  byId: Map<string, EpisodeRecord>,
): number {
  const added =
    episodes.filter((e) => !state.index.has(e.id)).length +
    insights.filter((r) => !state.index.has(r.id)).length;
  for (const e of episodes) {
    state.index.upsertEpisode(toIndexedEpisode(e));
    if (e.lastSeen > state.upTo) state.upTo = e.lastSeen;
  }
  state.index.addInsights(insights.map((r) => toIndexedInsight(r, byId.get(r.episodeId))));
  for (const r of insights) if (r.createdAt > state.upTo) state.upTo = r.createdAt;
  return added;
}

/** The index, loaded (or rebuilt) on first use in this worker's life. */
export function libraryIndex(db: EarmarkDB): Promise<Loaded> {
  let state = loaded.get(db);
  if (!state) {
    state = load(db);
    loaded.set(db, state);
    state.catch(() => loaded.delete(db));
  }
  return state;
}

function schedulePersist(db: EarmarkDB, state: Loaded): void {
  if (state.timer) clearTimeout(state.timer);
  state.timer = setTimeout(() => {
    state.timer = undefined;
    void persistIndex(db).catch(() => {
      // Derived data: a snapshot that cannot be written is rebuilt on the next start.
    });
  }, PERSIST_AFTER_MS);
}

/** Writes the snapshot now (tests, import, and the debounce above). */
export async function persistIndex(db: EarmarkDB): Promise<void> {
  const state = await loaded.get(db);
  if (!state) return;
  if (state.timer) clearTimeout(state.timer);
  state.timer = undefined;
  await db.put('derived', {
    name: SNAPSHOT,
    bytes: state.index.toSnapshot(),
    upTo: state.upTo,
    version: INDEX_VERSION,
    savedAt: new Date().toISOString(),
  });
}

/**
 * New or changed records: added to the index if this worker has it loaded (else the next load
 * catches up from the stores, which already hold them).
 */
export async function indexRecords(
  db: EarmarkDB,
  { episodes = [], insights = [] }: { episodes?: EpisodeRecord[]; insights?: InsightRecord[] },
): Promise<void> {
  const pending = loaded.get(db);
  if (!pending) return;
  const state = await pending;
  const byId = await episodesById(
    db,
    insights.map((i) => i.episodeId),
  );
  for (const e of episodes) byId.set(e.id, e);
  addToIndex(state, episodes, insights, byId);
  schedulePersist(db, state);
}

export async function unindexInsights(db: EarmarkDB, ids: readonly string[]): Promise<void> {
  const pending = loaded.get(db);
  if (!pending) return;
  const state = await pending;
  for (const id of ids) state.index.removeInsight(id);
  schedulePersist(db, state);
}

/** Forgets the index and its snapshot (after erase and import, which rebuild it). */
export async function dropIndex(db: EarmarkDB): Promise<void> {
  const pending = loaded.get(db);
  loaded.delete(db);
  const state = await pending?.catch(() => undefined);
  if (state?.timer) clearTimeout(state.timer);
  await db.delete('derived', SNAPSHOT);
}

/** Related insights from other episodes for each insight asked about. */
export async function relatedInsights(
  db: EarmarkDB,
  insightIds: readonly string[],
  limit = 3,
): Promise<Record<string, RelatedView[]>> {
  const { index } = await libraryIndex(db);
  const result: Record<string, RelatedView[]> = {};
  const episodeOf = episodeLookup(db);
  for (const id of insightIds) {
    const insight = await db.get('insights', id);
    if (!insight) {
      result[id] = [];
      continue;
    }
    const hits = index.related(toIndexedInsight(insight, await episodeOf(insight.episodeId)), {
      limit: limit + 3,
    });
    const views: RelatedView[] = [];
    for (const hit of hits) {
      if (views.length >= limit) break;
      const other = await db.get('insights', hit.id);
      const episode = other && (await episodeOf(other.episodeId));
      if (!other || !episode) {
        index.removeInsight(hit.id); // deleted while this index did not look
        continue;
      }
      const link = deepLink(episode, other.start);
      views.push({
        insight: insightView(other),
        episode: toView(episode),
        reason: hit.reason,
        ...(link ? { link } : {}),
      });
    }
    result[id] = views;
  }
  return result;
}

export async function searchLibrary(db: EarmarkDB, query: string, limit = 20): Promise<SearchView> {
  const { index } = await libraryIndex(db);
  const hits = index.search(query, { limit });
  const view: SearchView = { query, insights: [], episodes: [] };
  const episodeOf = episodeLookup(db);
  for (const hit of hits.insights) {
    const insight = await db.get('insights', hit.id);
    const episode = insight && (await episodeOf(insight.episodeId));
    if (!insight || !episode) continue;
    const link = deepLink(episode, insight.start);
    view.insights.push({
      insight: insightView(insight),
      episode: toView(episode),
      ...(link ? { link } : {}),
    });
  }
  for (const hit of hits.episodes) {
    const episode = await episodeOf(hit.id);
    if (!episode) continue;
    const count = await db.countFromIndex('insights', 'by-episode', episode.id);
    view.episodes.push({ episode: toView(episode), insights: count });
  }
  return view;
}
