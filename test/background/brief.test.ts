// The daily brief over a real (fake-indexeddb) database: its window (since the last brief), its
// candidates (insights made in the window, episodes heard in it), no repeats of earlier briefs,
// a short brief rather than padding, "nothing new" said as such, Markdown export.
import { describe, expect, it } from 'vitest';
import { briefDays, briefView, buildBrief, exportBrief } from '../../src/background/brief';
import type { EarmarkDB, InsightRecord } from '../../src/background/db';
import { recordEpisode } from '../../src/background/episodes';
import { saveInsight } from '../../src/background/library/saved';
import { localDay } from '../../src/core/library/day';
import { freshDb } from '../helpers/db';

const HOUR = 3600_000;
const CLAIMS = [
  ['Central banks raised rates faster in 2022 than in any year since the 1980s.', ['interest rates']],
  ['Remote teams that write decisions down ship features a third faster.', ['remote work']],
  ['Most of a battery’s cost is now the cathode, not the cell assembly.', ['batteries']],
  ['Coral reefs recover within a decade when local fishing stops.', ['oceans']],
  ['Sleep before an exam helps recall more than an extra hour of cramming.', ['sleep', 'memory']],
  ['Open-plan offices cut face-to-face conversation by about seventy percent.', ['offices']],
  ['Carbon prices above one hundred dollars a ton make steel from hydrogen competitive.', ['climate']],
] as const;

async function episodeWith(
  db: EarmarkDB,
  n: number,
  claims: number[],
  { at, site = 'generic' }: { at: Date; site?: string },
): Promise<InsightRecord[]> {
  const episode = await recordEpisode(
    db,
    {
      site,
      pageUrl: `https://show${n}.example/episodes/${n}`,
      title: `Episode ${n}`,
      show: `Show ${n}`,
      enclosureUrl: `https://cdn.example/show${n}/${n}.mp3`,
    },
    at,
  );
  const records = claims.map((c, i) => ({
    id: `ins_e${n}c${c}`,
    text: CLAIMS[c]![0],
    quote: CLAIMS[c]![0].toLowerCase(),
    start: 60 * (i + 1),
    topics: [...CLAIMS[c]![1]],
    importance: (5 - (i % 3)) as 3 | 4 | 5,
    episodeId: episode.id,
    engine: 'local',
    createdAt: at.toISOString(),
  }));
  for (const r of records) await db.put('insights', r);
  return records;
}

describe('buildBrief', () => {
  it('with nothing heard and nothing new, says so instead of padding', async () => {
    const db = await freshDb();
    const now = new Date(2026, 10, 29, 8, 0);
    await episodeWith(db, 1, [0, 1, 2], { at: new Date(now.getTime() - 3 * 24 * HOUR) }); // long ago
    const brief = await buildBrief(db, now);
    expect(brief).toMatchObject({ day: localDay(now), considered: 0, items: [] });
    expect((await exportBrief(db, brief.day)).markdown).toMatch(/nothing new/i);
  });

  it('takes fewer than five when fewer are worth it, with each item’s episode, reason and link', async () => {
    const db = await freshDb();
    const now = new Date(2026, 10, 29, 8, 0);
    const made = await episodeWith(db, 1, [0, 4, 6], { at: new Date(now.getTime() - 2 * HOUR) });
    const brief = await buildBrief(db, now);
    expect(brief.considered).toBe(3);
    expect(brief.items.length).toBeGreaterThan(0);
    expect(brief.items.length).toBeLessThan(5);
    const view = await briefView(db, brief);
    for (const item of view.items) {
      expect(made.map((m) => m.id)).toContain(item.insight.id);
      expect(item.episode?.title).toBe('Episode 1');
      expect(item.reason).toMatch(/heard/i);
      expect(item.link).toMatch(/^https:\/\/cdn\.example\/show1\/1\.mp3#t=\d+$/);
    }
  });

  it('covers what came since the last brief and never repeats an earlier brief’s item', async () => {
    const db = await freshDb();
    const day1 = new Date(2026, 10, 28, 8, 0);
    const day2 = new Date(2026, 10, 29, 8, 0);
    await episodeWith(db, 1, [0, 1], { at: new Date(day1.getTime() - HOUR) });
    const first = await buildBrief(db, day1);
    expect(first.items.map((i) => i.insightId).sort()).toEqual(['ins_e1c0', 'ins_e1c1']);

    // The same episode heard again today, and a new one: yesterday's items do not come back.
    await recordEpisode(
      db,
      {
        site: 'generic',
        pageUrl: 'https://show1.example/episodes/1',
        title: 'Episode 1',
        enclosureUrl: 'https://cdn.example/show1/1.mp3',
      },
      new Date(day2.getTime() - HOUR),
    );
    await episodeWith(db, 2, [2, 3], { at: new Date(day2.getTime() - HOUR), site: 'feed' });
    const second = await buildBrief(db, day2);
    expect(second.from).toBe(first.createdAt);
    const ids = second.items.map((i) => i.insightId).sort();
    expect(ids).toEqual(['ins_e2c2', 'ins_e2c3']);
    expect(second.items.every((i) => /new episode/i.test(i.reason))).toBe(true);
    expect(await briefDays(db)).toEqual([
      { day: localDay(day2), count: 2 },
      { day: localDay(day1), count: 2 },
    ]);
  });

  it('leaves out what the user saved already; made again, the brief keeps its window', async () => {
    const db = await freshDb();
    const now = new Date(2026, 10, 29, 8, 0);
    await episodeWith(db, 1, [0, 5], { at: new Date(now.getTime() - HOUR) });
    await saveInsight(db, 'ins_e1c0', { now: new Date(now.getTime() - HOUR / 2) });
    const brief = await buildBrief(db, now);
    expect(brief.items.map((i) => i.insightId)).toEqual(['ins_e1c5']);

    await episodeWith(db, 2, [3], { at: new Date(now.getTime() + HOUR) });
    const again = await buildBrief(db, new Date(now.getTime() + 2 * HOUR));
    expect(again.from).toBe(brief.from);
    expect(again.items.map((i) => i.insightId).sort()).toEqual(['ins_e1c5', 'ins_e2c3']);
    expect(await db.count('briefs')).toBe(1);
  });
});
