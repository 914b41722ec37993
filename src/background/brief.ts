// The daily brief: the top insights since the last brief, across the episodes the user heard and
// the new episodes of the shows they follow, ranked by core/brief/rank (importance, novelty
// against what they saved and earlier briefs, closeness to what they saved). One brief a day,
// kept; made again on demand over the same window; with nothing new it says so.
import { rankBrief, type BriefCandidate } from '../core/brief/rank';
import { localDay } from '../core/library/day';
import { briefMarkdown, deepLink } from '../core/library/markdown';
import type { Insight } from '../core/types';
import type { BriefView } from '../messages';
import type { BriefRecord, EarmarkDB, EpisodeRecord, InsightRecord } from './db';
import { episodeLookup, toView } from './episodes';
import { withRoom } from './library/room';
import { insightOf, insightView } from './library/saved';

const DAY_MS = 24 * 3600 * 1000;
/** A brief looks back at most this far, however long ago the last one was. */
const MAX_WINDOW_MS = 2 * DAY_MS;
/** Earlier briefs that count for novelty. */
const EARLIER_BRIEFS = 90;

/** Makes (or makes again) the brief of the day `now` falls on, stores and returns it. */
export async function buildBrief(db: EarmarkDB, now = new Date()): Promise<BriefRecord> {
  const day = localDay(now);
  const to = now.toISOString();
  const from = await windowStart(db, day, now);
  const episodeOf = episodeLookup(db);

  // Candidates: insights made in the window (new episodes of followed shows, episodes heard and
  // extracted), and every insight of an episode heard in the window.
  const byId = new Map<string, InsightRecord>();
  const range = IDBKeyRange.bound(from, to);
  for (const r of await db.getAllFromIndex('insights', 'by-createdAt', range)) byId.set(r.id, r);
  for (const episodeId of await db.getAllKeysFromIndex('episodes', 'by-lastSeen', range))
    for (const r of await db.getAllFromIndex('insights', 'by-episode', episodeId)) byId.set(r.id, r);

  const candidates: BriefCandidate[] = [];
  for (const record of byId.values()) {
    const episode = await episodeOf(record.episodeId);
    if (!episode) continue;
    candidates.push({
      insight: insightOf(record),
      episodeId: episode.id,
      episodeTitle: episode.title,
      ...(episode.show ? { show: episode.show } : {}),
      origin: episode.site === 'feed' ? 'followed' : 'heard',
    });
  }

  const saved: Insight[] = (await db.getAll('saved')).map((s) => s.insight);
  const earlier: Insight[] = (await earlierBriefs(db, day)).flatMap((b) => b.items.map((i) => i.insight));
  const picks = rankBrief(candidates, { saved, earlier });
  const record: BriefRecord = {
    day,
    createdAt: to,
    from,
    considered: candidates.length,
    items: picks.map(({ candidate, reason }) => ({
      insightId: candidate.insight.id,
      episodeId: candidate.episodeId,
      insight: candidate.insight,
      reason,
    })),
  };
  await withRoom(db, () => db.put('briefs', record));
  return record;
}

/** Where the day's brief starts: the same as when it was first made today, else the last brief. */
async function windowStart(db: EarmarkDB, day: string, now: Date): Promise<string> {
  const today = await db.get('briefs', day);
  if (today?.from) return today.from;
  const floor = now.getTime() - MAX_WINDOW_MS;
  const [previous] = await earlierBriefs(db, day, 1);
  const start = previous ? Math.max(Date.parse(previous.createdAt), floor) : now.getTime() - DAY_MS;
  return new Date(Math.min(start, now.getTime())).toISOString();
}

/** Briefs of days before `day`, newest first. */
async function earlierBriefs(db: EarmarkDB, day: string, limit = EARLIER_BRIEFS): Promise<BriefRecord[]> {
  const out: BriefRecord[] = [];
  let cursor = await db.transaction('briefs').store.openCursor(IDBKeyRange.upperBound(day, true), 'prev');
  while (cursor && out.length < limit) {
    out.push(cursor.value);
    cursor = await cursor.continue();
  }
  return out;
}

export async function briefView(db: EarmarkDB, record: BriefRecord): Promise<BriefView> {
  const episodeOf = episodeLookup(db);
  return {
    day: record.day,
    createdAt: record.createdAt,
    ...(record.from ? { from: record.from } : {}),
    considered: record.considered ?? record.items.length,
    items: await Promise.all(
      record.items.map(async (item) => {
        const episode = await episodeOf(item.episodeId);
        const link = deepLink(episode, item.insight.start);
        return {
          insight: insightView(item.insight, (await db.count('saved', item.insightId)) > 0),
          episodeId: item.episodeId,
          ...(episode ? { episode: toView(episode) } : {}),
          reason: item.reason,
          ...(link ? { link } : {}),
        };
      }),
    ),
  };
}

/** Days with a brief, newest first. */
export async function briefDays(db: EarmarkDB): Promise<{ day: string; count: number }[]> {
  const all = await db.getAll('briefs');
  return all.map((b) => ({ day: b.day, count: b.items.length })).sort((a, b) => b.day.localeCompare(a.day));
}

export async function exportBrief(
  db: EarmarkDB,
  day: string,
): Promise<{ markdown: string; filename: string }> {
  const record = await db.get('briefs', day);
  if (!record) throw new Error(`There is no brief for ${day}.`);
  const episodeOf = episodeLookup(db);
  const items = await Promise.all(
    record.items.map(async (item) => {
      const episode: EpisodeRecord | undefined = await episodeOf(item.episodeId);
      return { insight: item.insight, reason: item.reason, ...(episode ? { episode } : {}) };
    }),
  );
  return {
    markdown: briefMarkdown({ day: record.day, createdAt: record.createdAt, items }),
    filename: `earmark-brief-${day}.md`,
  };
}
