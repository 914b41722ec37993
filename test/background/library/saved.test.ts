// The daily lists: saving is idempotent (also from two tabs at once), survives the connection
// going away right after, keeps a copy of the insight, and lands on the local day of its instant.
import { describe, expect, it } from 'vitest';
import { freshDb } from '../../helpers/db';
import type { EarmarkDB, InsightRecord } from '../../../src/background/db';
import { openEarmarkDb } from '../../../src/background/db';
import {
  dayItems,
  LibraryError,
  savedDays,
  savedIdsOf,
  saveInsight,
  setNote,
  unsaveInsight,
} from '../../../src/background/library/saved';
import { insightsStatus } from '../../../src/background/insights';

function insight(n: number, episodeId = 'ep_one', extra: Partial<InsightRecord> = {}): InsightRecord {
  return {
    id: `ins_${n}`,
    episodeId,
    engine: 'local',
    createdAt: `2026-11-29T10:00:${String(n % 60).padStart(2, '0')}.000Z`,
    text: `Claim number ${n}.`,
    quote: `claim number ${n}`,
    start: n * 10,
    topics: ['testing'],
    importance: 3,
    ...extra,
  };
}

async function seeded(): Promise<EarmarkDB> {
  const db = await freshDb();
  await db.put('episodes', {
    id: 'ep_one',
    title: 'One',
    pageUrl: 'https://a.com/1',
    site: 'generic',
    aliases: ['page:a.com/1'],
    firstSeen: '2026-11-29T09:00:00.000Z',
    lastSeen: '2026-11-29T09:00:00.000Z',
  });
  for (let n = 1; n <= 3; n++) await db.put('insights', insight(n));
  return db;
}

describe('saveInsight', () => {
  it('saves to the local day of the instant, with a copy of the insight', async () => {
    const db = await seeded();
    const now = new Date(2026, 10, 29, 23, 59, 59, 999);
    const record = await saveInsight(db, 'ins_1', { now });
    expect(record).toEqual({
      id: 'ins_1',
      insightId: 'ins_1',
      episodeId: 'ep_one',
      day: '2026-11-29',
      savedAt: now.toISOString(),
      insight: {
        id: 'ins_1',
        text: 'Claim number 1.',
        quote: 'claim number 1',
        start: 10,
        topics: ['testing'],
        importance: 3,
      },
    });
    // One millisecond later is the next day's list.
    const next = await saveInsight(db, 'ins_2', { now: new Date(now.getTime() + 1) });
    expect(next.day).toBe('2026-11-30');
    expect(await savedDays(db)).toEqual([
      { day: '2026-11-30', count: 1 },
      { day: '2026-11-29', count: 1 },
    ]);
  });

  it('saving again, or from two tabs at once, is one item that keeps its first day', async () => {
    const db = await seeded();
    const first = new Date(2026, 10, 28, 12);
    await saveInsight(db, 'ins_1', { now: first });
    const again = await Promise.all(
      Array.from({ length: 5 }, () => saveInsight(db, 'ins_1', { now: new Date(2026, 10, 29, 12) })),
    );
    expect(again.every((r) => r.day === '2026-11-28')).toBe(true);
    expect(await db.count('saved')).toBe(1);

    // Two tabs saving an unsaved insight at the same moment: still one item.
    await Promise.all([saveInsight(db, 'ins_3'), saveInsight(db, 'ins_3')]);
    expect(await db.count('saved')).toBe(2);
  });

  it('keeps the saved copy when the episode is extracted again', async () => {
    const db = await seeded();
    await saveInsight(db, 'ins_2', { now: new Date(2026, 10, 29, 9) });
    await db.delete('insights', 'ins_2');
    const [item] = await dayItems(db, '2026-11-29');
    expect(item?.insight.text).toBe('Claim number 2.');
  });

  it('refuses insights that are gone or empty, with words for the user, and writes nothing', async () => {
    const db = await seeded();
    await db.put('insights', insight(9, 'ep_one', { text: '   ' }));
    await expect(saveInsight(db, 'ins_404')).rejects.toThrow(LibraryError);
    await expect(saveInsight(db, 'ins_404')).rejects.toThrow(/no longer stored/);
    await expect(saveInsight(db, 'ins_9')).rejects.toThrow(/no text/);
    expect(await db.count('saved')).toBe(0);
  });

  it('is durable the moment it resolves: a new connection (a restarted worker) sees it', async () => {
    const db = await seeded();
    await saveInsight(db, 'ins_1', { now: new Date(2026, 10, 29, 9) });
    const other = await openEarmarkDb(db.name);
    try {
      expect((await dayItems(other, '2026-11-29')).map((r) => r.id)).toEqual(['ins_1']);
    } finally {
      other.close();
    }
  });
});

describe('notes, unsave and lists', () => {
  it('sets, changes and clears a note; a note needs a saved item', async () => {
    const db = await seeded();
    await expect(setNote(db, 'ins_1', 'hello')).rejects.toThrow(/Save the insight/);
    await saveInsight(db, 'ins_1', { note: '  first  ' });
    expect((await db.get('saved', 'ins_1'))?.note).toBe('first');
    await setNote(db, 'ins_1', 'second');
    expect((await db.get('saved', 'ins_1'))?.note).toBe('second');
    await setNote(db, 'ins_1', '');
    expect(await db.get('saved', 'ins_1')).not.toHaveProperty('note');
  });

  it('unsaves, once', async () => {
    const db = await seeded();
    await saveInsight(db, 'ins_1');
    expect(await unsaveInsight(db, 'ins_1')).toBe(true);
    expect(await unsaveInsight(db, 'ins_1')).toBe(false);
    expect(await db.count('saved')).toBe(0);
  });

  it('lists a day in the order of saving and marks saved insights in the episode status', async () => {
    const db = await seeded();
    await saveInsight(db, 'ins_3', { now: new Date(2026, 10, 29, 9, 0) });
    await saveInsight(db, 'ins_1', { now: new Date(2026, 10, 29, 9, 5) });
    expect((await dayItems(db, '2026-11-29')).map((r) => r.id)).toEqual(['ins_3', 'ins_1']);
    expect([...(await savedIdsOf(db, 'ep_one'))].sort()).toEqual(['ins_1', 'ins_3']);
    await db.put('jobs', {
      id: 'insights:ep_one',
      episodeId: 'ep_one',
      kind: 'insights',
      state: 'done',
      updatedAt: '2026-11-29T10:00:00.000Z',
    });
    const status = await insightsStatus(db, 'ep_one');
    expect(status?.insights.map((i) => [i.id, i.saved])).toEqual([
      ['ins_1', true],
      ['ins_2', false],
      ['ins_3', true],
    ]);
  });
});
