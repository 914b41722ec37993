// The library's episodes for the library page: a page of them, most recently heard first, each
// with how many insights it has and how many are saved; and one episode with all its insights.
import type { EpisodeDetailView, EpisodeListView } from '../../messages';
import type { EarmarkDB } from '../db';
import { toView } from '../episodes';
import { insightView, savedIdsOf } from './saved';

export async function listEpisodes(db: EarmarkDB, offset = 0, limit = 50): Promise<EpisodeListView> {
  const total = await db.count('episodes');
  const records = [];
  let cursor = await db.transaction('episodes').store.index('by-lastSeen').openCursor(null, 'prev');
  if (cursor && offset > 0) cursor = await cursor.advance(offset);
  while (cursor && records.length < limit) {
    records.push(cursor.value);
    cursor = await cursor.continue();
  }
  const episodes = [];
  for (const record of records)
    episodes.push({
      episode: toView(record),
      insights: await db.countFromIndex('insights', 'by-episode', record.id),
      saved: await db.countFromIndex('saved', 'by-episode', record.id),
    });
  return { total, episodes };
}

export async function episodeDetail(db: EarmarkDB, episodeId: string): Promise<EpisodeDetailView | null> {
  const record = await db.get('episodes', episodeId);
  if (!record) return null;
  const saved = await savedIdsOf(db, episodeId);
  const insights = (await db.getAllFromIndex('insights', 'by-episode', episodeId))
    .sort((a, b) => a.start - b.start)
    .map((r) => insightView(r, saved.has(r.id)));
  return { episode: toView(record), insights };
}
