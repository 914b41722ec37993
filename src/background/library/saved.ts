// The daily lists: saving, unsaving and noting insights. A saved item is keyed by its insight, so
// saving is idempotent (twice, or from two tabs at once, is one item), and each save is one
// IndexedDB transaction that ends before the answer goes back: a worker stopped a moment later
// loses nothing. The day is the local date of the very instant the save is stamped with, so a
// save at midnight lands wholly on one day.
import { localDay } from '../../core/library/day';
import { deepLink } from '../../core/library/markdown';
import type { Insight } from '../../core/types';
import type { InsightView, SavedView } from '../../messages';
import type { EarmarkDB, EpisodeRecord, InsightRecord, SavedRecord } from '../db';
import { episodeLookup, toView } from '../episodes';
import { withRoom } from './room';

export class LibraryError extends Error {
  override name = 'LibraryError';
}

/** The contract's Insight out of a stored record (no episode id, engine or dates). */
export function insightOf(r: Insight): Insight {
  return {
    id: r.id,
    text: r.text,
    quote: r.quote,
    start: r.start,
    ...(r.end !== undefined ? { end: r.end } : {}),
    topics: [...r.topics],
    importance: r.importance,
  };
}

/** Saves an insight to the list of the day it is saved on; an item already saved keeps its day. */
export async function saveInsight(
  db: EarmarkDB,
  insightId: string,
  { now = new Date(), note }: { now?: Date; note?: string } = {},
): Promise<SavedRecord> {
  return withRoom(db, async () => {
    const tx = db.transaction(['saved', 'insights'], 'readwrite');
    const saved = tx.objectStore('saved');
    const existing = await saved.get(insightId);
    if (existing) {
      if (note === undefined || note === (existing.note ?? '')) {
        await tx.done;
        return existing;
      }
      const updated = withNote(existing, note);
      await saved.put(updated);
      await tx.done;
      return updated;
    }
    const insight = await tx.objectStore('insights').get(insightId);
    if (!insight) {
      tx.abort();
      await tx.done.catch(() => {});
      throw new LibraryError('This insight is no longer stored (the episode was extracted again).');
    }
    if (!insight.text.trim()) {
      tx.abort();
      await tx.done.catch(() => {});
      throw new LibraryError('This insight has no text to save.');
    }
    const record: SavedRecord = withNote(
      {
        id: insightId,
        insightId,
        episodeId: insight.episodeId,
        day: localDay(now),
        savedAt: now.toISOString(),
        insight: insightOf(insight),
      },
      note ?? '',
    );
    await saved.put(record);
    await tx.done;
    return record;
  });
}

function withNote(record: SavedRecord, note: string): SavedRecord {
  const trimmed = note.trim();
  const { note: _old, ...rest } = record;
  return trimmed ? { ...rest, note: trimmed } : rest;
}

export async function unsaveInsight(db: EarmarkDB, insightId: string): Promise<boolean> {
  const tx = db.transaction('saved', 'readwrite');
  const existing = await tx.store.getKey(insightId);
  if (existing !== undefined) await tx.store.delete(insightId);
  await tx.done;
  return existing !== undefined;
}

export async function setNote(db: EarmarkDB, insightId: string, note: string): Promise<SavedRecord> {
  return withRoom(db, async () => {
    const tx = db.transaction('saved', 'readwrite');
    const existing = await tx.store.get(insightId);
    if (!existing) {
      tx.abort();
      await tx.done.catch(() => {});
      throw new LibraryError('Save the insight before adding a note.');
    }
    const updated = withNote(existing, note);
    await tx.store.put(updated);
    await tx.done;
    return updated;
  });
}

/** A day's items, in the order they were saved. */
export async function dayItems(db: EarmarkDB, day: string): Promise<SavedRecord[]> {
  const rows = await db.getAllFromIndex('saved', 'by-day', day);
  return rows.sort((a, b) => a.savedAt.localeCompare(b.savedAt) || a.id.localeCompare(b.id));
}

/** Days that have a list, newest first, with how many items each holds. */
export async function savedDays(db: EarmarkDB): Promise<{ day: string; count: number }[]> {
  const counts = new Map<string, number>();
  let cursor = await db.transaction('saved').store.index('by-day').openKeyCursor();
  while (cursor) {
    counts.set(cursor.key, (counts.get(cursor.key) ?? 0) + 1);
    cursor = await cursor.continue();
  }
  return [...counts].map(([day, count]) => ({ day, count })).sort((a, b) => b.day.localeCompare(a.day));
}

/** Ids of an episode's insights that are saved. */
export async function savedIdsOf(db: EarmarkDB, episodeId: string): Promise<Set<string>> {
  return new Set(await db.getAllKeysFromIndex('saved', 'by-episode', episodeId));
}

export function insightView(insight: Insight | InsightRecord, saved?: boolean): InsightView {
  return { ...insightOf(insight), ...(saved !== undefined ? { saved } : {}) };
}

export function savedView(record: SavedRecord, episode: EpisodeRecord | undefined): SavedView {
  const link = deepLink(episode, record.insight.start);
  return {
    insight: insightView(record.insight, true),
    episodeId: record.episodeId,
    day: record.day,
    ...(record.note ? { note: record.note } : {}),
    savedAt: record.savedAt,
    ...(episode ? { episode: toView(episode) } : {}),
    ...(link ? { link } : {}),
  };
}

export async function savedViews(db: EarmarkDB, records: SavedRecord[]): Promise<SavedView[]> {
  const episodeOf = episodeLookup(db);
  return Promise.all(records.map(async (r) => savedView(r, await episodeOf(r.episodeId))));
}
