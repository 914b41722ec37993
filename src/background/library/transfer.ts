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
  const withEpisodes = [];
  for (const saved of items) {
    const episode = await db.get('episodes', saved.episodeId);
    withEpisodes.push({ saved, ...(episode ? { episode } : {}) });
  }
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
  const episodes = tx.objectStore('episodes');
  const byAlias = episodes.index('by-alias');
  /** File episode id → the id it has in this library. */
  const idOf = new Map<string, string>();

  for (const incoming of archive.episodes) {
    let existing: EpisodeRecord | undefined = await episodes.get(incoming.id);
    // The same episode known under another id: the strongest alias decides, as on detection.
    for (const alias of existing ? [] : incoming.aliases) {
      existing = await byAlias.get(alias);
      if (existing) break;
    }
    if (!existing) {
      // Aliases another episode owns stay with it (never merge on weak evidence).
      const owned = await Promise.all(incoming.aliases.map((a) => byAlias.getKey(a)));
      await episodes.put({ ...incoming, aliases: incoming.aliases.filter((_, i) => owned[i] === undefined) });
      idOf.set(incoming.id, incoming.id);
      report.added.episodes++;
      continue;
    }
    idOf.set(incoming.id, existing.id);
    const merged = mergeEpisode(existing, { ...incoming, id: existing.id });
    // Only aliases no other episode owns join the merged record.
    const owned = await Promise.all(merged.aliases.map((a) => byAlias.getKey(a)));
    merged.aliases = merged.aliases.filter((_, i) => owned[i] === undefined || owned[i] === existing.id);
    if (same(merged, existing)) report.unchanged++;
    else {
      await episodes.put(merged);
      report.merged++;
    }
  }

  const insights = tx.objectStore('insights');
  for (const incoming of archive.insights) {
    const record = { ...incoming, episodeId: idOf.get(incoming.episodeId) ?? incoming.episodeId };
    if (await insights.getKey(record.id)) report.unchanged++;
    else {
      await insights.put(record);
      report.added.insights++;
    }
  }

  const saved = tx.objectStore('saved');
  for (const incoming of archive.saved) {
    const record = { ...incoming, episodeId: idOf.get(incoming.episodeId) ?? incoming.episodeId };
    const existing = await saved.get(record.id);
    if (!existing) {
      await saved.put(record);
      report.added.saved++;
      continue;
    }
    const merged = mergeSaved(existing, record);
    if (same(merged, existing)) report.unchanged++;
    else {
      await saved.put(merged);
      report.merged++;
    }
  }

  const follows = tx.objectStore('follows');
  for (const follow of archive.follows) {
    if (await follows.getKey(follow.feedUrl)) report.unchanged++;
    else {
      await follows.put(follow);
      report.added.follows++;
    }
  }
  const briefs = tx.objectStore('briefs');
  for (const brief of archive.briefs) {
    if (await briefs.getKey(brief.day)) report.unchanged++;
    else {
      await briefs.put({
        ...brief,
        items: brief.items.map((i) => ({ ...i, episodeId: idOf.get(i.episodeId) ?? i.episodeId })),
      });
      report.added.briefs++;
    }
  }
  await tx.done;
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
