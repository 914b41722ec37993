// Export, import and erase. The export is the whole library as one JSON file (episodes, insights,
// saved items with their notes, follows, briefs): never the API key or other settings, never the
// transcript cache (it can be fetched again). Import merges a file into the library in one
// transaction, so it is all or nothing, and is idempotent: the same file twice changes nothing;
// an episode the library knows under another id (same guid, same enclosure, same platform id) is
// merged into it rather than duplicated. Export → erase → import gives back the same library.
import {
  parseArchive,
  serializeArchive,
  mergeEpisode,
  mergeSaved,
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  type LibraryArchive,
} from '../../core/library/archive';
import { dayListMarkdown } from '../../core/library/markdown';
import type { ImportReport, LibraryStats } from '../../messages';
import type { EarmarkDB, EpisodeRecord } from '../db';
import { episodeLookup } from '../episodes';
import { withRoom } from './room';
import { dayItems, savedDays } from './saved';
import { dropIndex, libraryIndex } from './search';

export async function exportLibrary(db: EarmarkDB, now = new Date()): Promise<string> {
  const tx = db.transaction(['episodes', 'insights', 'saved', 'follows', 'briefs']);
  const archive: LibraryArchive = {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    exportedAt: now.toISOString(),
    episodes: await tx.objectStore('episodes').getAll(),
    insights: await tx.objectStore('insights').getAll(),
    saved: await tx.objectStore('saved').getAll(),
    follows: await tx.objectStore('follows').getAll(),
    briefs: await tx.objectStore('briefs').getAll(),
  };
  await tx.done;
  return serializeArchive(archive);
}

export function exportFilename(now: Date, day?: string): string {
  const stamp = day ?? now.toISOString().slice(0, 10);
  return day ? `earmark-${stamp}.md` : `earmark-library-${stamp}.json`;
}

export async function exportDay(db: EarmarkDB, day: string): Promise<string> {
  const items = await dayItems(db, day);
  const episodeOf = episodeLookup(db);
  const withEpisodes = await Promise.all(
    items.map(async (saved) => {
      const episode = await episodeOf(saved.episodeId);
      return { saved, ...(episode ? { episode } : {}) };
    }),
  );
  return dayListMarkdown(day, withEpisodes);
}

const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  return value;
}

/** Merges an export file into the library. Throws ArchiveError for a file that is not one. */
export async function importLibrary(db: EarmarkDB, text: string): Promise<ImportReport> {
  const { archive, problems } = parseArchive(text);
  const report = await withRoom(db, () => applyArchive(db, archive));
  report.problems.unshift(...problems.map((p) => p.reason));
  await dropIndex(db);
  void libraryIndex(db).catch(() => {}); // rebuilt now, so the next search is fast
  return report;
}

async function applyArchive(db: EarmarkDB, archive: LibraryArchive): Promise<ImportReport> {
  const report: ImportReport = {
    added: { episodes: 0, insights: 0, saved: 0, follows: 0, briefs: 0 },
    merged: 0,
    unchanged: 0,
    problems: [],
  };
  const tx = db.transaction(['episodes', 'insights', 'saved', 'follows', 'briefs'], 'readwrite');
  // What the library holds is read once, in this transaction, and the file is merged against it
  // in memory; the writes are then queued without waiting on each (one transaction: all or none).
  const episodes = tx.objectStore('episodes');
  const known = new Map((await episodes.getAll()).map((e) => [e.id, e]));
  const owner = new Map<string, string>();
  for (const e of known.values()) for (const alias of e.aliases) owner.set(alias, e.id);
  const insightIds = new Set(await tx.objectStore('insights').getAllKeys());
  const savedById = new Map((await tx.objectStore('saved').getAll()).map((r) => [r.id, r]));
  const followUrls = new Set(await tx.objectStore('follows').getAllKeys());
  const briefDays = new Set(await tx.objectStore('briefs').getAllKeys());
  const writes: Promise<unknown>[] = [];
  /** File episode id → the id it has in this library. */
  const idOf = new Map<string, string>();

  for (const incoming of archive.episodes) {
    let existing: EpisodeRecord | undefined = known.get(incoming.id);
    // The same episode known under another id: the strongest alias decides, as on detection.
    for (const alias of existing ? [] : incoming.aliases) {
      const id = owner.get(alias);
      existing = id === undefined ? undefined : known.get(id);
      if (existing) break;
    }
    const target = existing?.id ?? incoming.id;
    idOf.set(incoming.id, target);
    // Aliases another episode owns stay with it (never merge on weak evidence).
    const record = existing ? mergeEpisode(existing, { ...incoming, id: target }) : { ...incoming };
    record.aliases = record.aliases.filter((a) => (owner.get(a) ?? target) === target);
    if (existing && same(record, existing)) {
      report.unchanged++;
      continue;
    }
    if (existing) report.merged++;
    else report.added.episodes++;
    known.set(target, record);
    for (const alias of record.aliases) owner.set(alias, target);
    writes.push(episodes.put(record));
  }

  const insights = tx.objectStore('insights');
  for (const incoming of archive.insights) {
    if (insightIds.has(incoming.id)) {
      report.unchanged++;
      continue;
    }
    insightIds.add(incoming.id);
    writes.push(insights.put({ ...incoming, episodeId: idOf.get(incoming.episodeId) ?? incoming.episodeId }));
    report.added.insights++;
  }

  const saved = tx.objectStore('saved');
  for (const incoming of archive.saved) {
    const record = { ...incoming, episodeId: idOf.get(incoming.episodeId) ?? incoming.episodeId };
    const existing = savedById.get(record.id);
    const merged = existing ? mergeSaved(existing, record) : record;
    if (existing && same(merged, existing)) {
      report.unchanged++;
      continue;
    }
    if (existing) report.merged++;
    else report.added.saved++;
    savedById.set(record.id, merged);
    writes.push(saved.put(merged));
  }

  const follows = tx.objectStore('follows');
  for (const follow of archive.follows) {
    if (followUrls.has(follow.feedUrl)) {
      report.unchanged++;
      continue;
    }
    followUrls.add(follow.feedUrl);
    writes.push(follows.put(follow));
    report.added.follows++;
  }
  const briefs = tx.objectStore('briefs');
  for (const brief of archive.briefs) {
    if (briefDays.has(brief.day)) {
      report.unchanged++;
      continue;
    }
    briefDays.add(brief.day);
    writes.push(
      briefs.put({
        ...brief,
        items: brief.items.map((i) => ({ ...i, episodeId: idOf.get(i.episodeId) ?? i.episodeId })),
      }),
    );
    report.added.briefs++;
  }
  await Promise.all([...writes, tx.done]);
  return report;
}

/** Every store Earmark has, emptied in one transaction: library, cache, jobs, settings, the key. */
export async function eraseEverything(db: EarmarkDB): Promise<void> {
  await dropIndex(db);
  const names = [...db.objectStoreNames];
  const tx = db.transaction(names, 'readwrite');
  await Promise.all(names.map((name) => tx.objectStore(name).clear()));
  await tx.done;
}

export async function libraryStats(db: EarmarkDB): Promise<LibraryStats> {
  const [episodes, insights, saved, transcripts, follows, briefs] = await Promise.all([
    db.count('episodes'),
    db.count('insights'),
    db.count('saved'),
    db.count('transcripts'),
    db.count('follows'),
    db.count('briefs'),
  ]);
  const days = (await savedDays(db)).length;
  let estimate: StorageEstimate | undefined;
  try {
    estimate = await navigator.storage?.estimate?.();
  } catch {
    estimate = undefined;
  }
  return {
    episodes,
    insights,
    saved,
    days,
    transcripts,
    follows,
    briefs,
    ...(estimate?.usage !== undefined ? { usageBytes: estimate.usage } : {}),
    ...(estimate?.quota !== undefined ? { quotaBytes: estimate.quota } : {}),
  };
}
