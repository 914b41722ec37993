// Export, import and erase: export → erase → import gives back the same library; importing into a
// populated library is idempotent and merges an episode known under another id; files that are
// not ours, cut off or from a newer version are refused with words and change nothing.
import { describe, expect, it } from 'vitest';
import { freshDb } from '../../helpers/db';
import type { EarmarkDB, EpisodeRecord, InsightRecord } from '../../../src/background/db';
import { ArchiveError } from '../../../src/core/library/archive';
import { saveInsight, setNote } from '../../../src/background/library/saved';
import {
  eraseEverything,
  exportDay,
  exportLibrary,
  importLibrary,
  libraryStats,
} from '../../../src/background/library/transfer';

function episode(n: number, extra: Partial<EpisodeRecord> = {}): EpisodeRecord {
  return {
    id: `ep_${n}`,
    title: `Episode ${n}`,
    show: 'The Show',
    pageUrl: `https://overcast.fm/+ep${n}`,
    enclosureUrl: `https://cdn.example.com/${n}.mp3`,
    guid: `guid-${n}`,
    site: 'overcast',
    aliases: [`guid:guid-${n}`, `media:cdn.example.com/${n}.mp3`],
    firstSeen: '2026-11-20T10:00:00.000Z',
    lastSeen: '2026-11-21T10:00:00.000Z',
    ...extra,
  };
}

function insight(n: number, episodeId: string): InsightRecord {
  return {
    id: `ins_${n}`,
    episodeId,
    engine: 'local',
    createdAt: `2026-11-21T10:00:${String(n).padStart(2, '0')}.000Z`,
    text: `Insight ${n} about tariffs.`,
    quote: `quote ${n}`,
    start: n * 30,
    ...(n % 2 ? { end: n * 30 + 5 } : {}),
    topics: ['tariffs', `topic ${n}`],
    importance: ((n % 5) + 1) as 1 | 2 | 3 | 4 | 5,
  };
}

async function library(): Promise<EarmarkDB> {
  const db = await freshDb();
  for (const n of [1, 2]) await db.put('episodes', episode(n));
  for (let n = 1; n <= 6; n++) await db.put('insights', insight(n, n <= 3 ? 'ep_1' : 'ep_2'));
  await saveInsight(db, 'ins_2', { now: new Date(2026, 10, 28, 9) });
  await saveInsight(db, 'ins_5', { now: new Date(2026, 10, 29, 9) });
  await setNote(db, 'ins_5', 'Check the numbers.');
  await db.put('follows', {
    feedUrl: 'https://feeds.example.com/show.xml',
    title: 'The Show',
    followedAt: '2026-11-01T00:00:00.000Z',
  });
  await db.put('briefs', {
    day: '2026-11-29',
    createdAt: '2026-11-29T07:00:00.000Z',
    items: [
      {
        insightId: 'ins_5',
        episodeId: 'ep_2',
        insight: (await db.get('saved', 'ins_5'))!.insight,
        reason: 'new',
      },
    ],
  });
  await db.put('settings', { name: 'apiKey', value: 'sk-ant-secret-key-1234' });
  await db.put('transcripts', {
    episodeId: 'ep_1',
    source: 'feed',
    url: 'https://a.com/1.vtt',
    transcript: { format: 'vtt', segments: [{ start: 0, text: 'x' }] },
    fetchedAt: '2026-11-21T10:00:00.000Z',
    usedAt: '2026-11-21T10:00:00.000Z',
  });
  return db;
}

const withoutStamp = (json: string) => ({ ...JSON.parse(json), exportedAt: null });

describe('export, erase, import', () => {
  it('gives back the same library, never exporting the key or the transcript cache', async () => {
    const db = await library();
    const before = await exportLibrary(db);
    expect(before).not.toContain('sk-ant-secret');
    expect(JSON.parse(before)).toMatchObject({ format: 'earmark-library', version: 1 });
    expect(JSON.parse(before)).not.toHaveProperty('transcripts');

    await eraseEverything(db);
    expect(await libraryStats(db)).toMatchObject({
      episodes: 0,
      insights: 0,
      saved: 0,
      transcripts: 0,
      follows: 0,
      briefs: 0,
    });
    expect(await db.count('settings')).toBe(0);

    const report = await importLibrary(db, before);
    expect(report.added).toEqual({ episodes: 2, insights: 6, saved: 2, follows: 1, briefs: 1 });
    expect(report.problems).toEqual([]);
    expect(withoutStamp(await exportLibrary(db))).toEqual(withoutStamp(before));
    expect((await db.get('saved', 'ins_5'))?.note).toBe('Check the numbers.');
  });

  it('is idempotent: the same file into the populated library changes nothing', async () => {
    const db = await library();
    const before = await exportLibrary(db);
    const report = await importLibrary(db, before);
    expect(report.added).toEqual({ episodes: 0, insights: 0, saved: 0, follows: 0, briefs: 0 });
    expect(report.merged).toBe(0);
    expect(report.unchanged).toBe(2 + 6 + 2 + 1 + 1);
    expect(withoutStamp(await exportLibrary(db))).toEqual(withoutStamp(before));
  });

  it('merges an episode the library knows under another id, moving its insights and saves over', async () => {
    const db = await freshDb();
    // Here the episode was seen on YouTube first; the file saw it on Overcast, same guid.
    await db.put(
      'episodes',
      episode(1, { id: 'ep_local', site: 'youtube', aliases: ['guid:guid-1', 'yt:abcdefghijk'] }),
    );
    const other = await library();
    const file = await exportLibrary(other);
    const report = await importLibrary(db, file);
    expect(report.added.episodes).toBe(1); // ep_2 only
    expect(report.merged).toBe(1);
    const merged = await db.get('episodes', 'ep_local');
    expect(merged?.aliases).toEqual(
      expect.arrayContaining(['guid:guid-1', 'yt:abcdefghijk', 'media:cdn.example.com/1.mp3']),
    );
    expect(await db.get('episodes', 'ep_1')).toBeUndefined();
    expect((await db.getAllFromIndex('insights', 'by-episode', 'ep_local')).map((i) => i.id).sort()).toEqual([
      'ins_1',
      'ins_2',
      'ins_3',
    ]);
    expect((await db.get('saved', 'ins_2'))?.episodeId).toBe('ep_local');
    // And once more: nothing moves.
    const second = await importLibrary(db, file);
    expect(second.added).toEqual({ episodes: 0, insights: 0, saved: 0, follows: 0, briefs: 0 });
  });

  it.each([
    ['not JSON', 'hello, world', 'not-json'],
    ['cut off', '{"format":"earmark-library","version":1,"episodes":[{"id":"ep_1","ti', 'truncated'],
    ['another program’s JSON', '{"items":[1,2,3]}', 'not-ours'],
    ['a newer Earmark', '{"format":"earmark-library","version":99,"episodes":[]}', 'newer'],
  ])('refuses %s with words, changing nothing', async (_label, text, code) => {
    const db = await library();
    const before = await exportLibrary(db);
    const failure = importLibrary(db, text);
    await expect(failure).rejects.toBeInstanceOf(ArchiveError);
    await expect(importLibrary(db, text)).rejects.toMatchObject({ code });
    expect(withoutStamp(await exportLibrary(db))).toEqual(withoutStamp(before));
  });

  it('imports a file with duplicate ids and an empty insight without duplicating, saying what it skipped', async () => {
    const source = await library();
    const archive = JSON.parse(await exportLibrary(source));
    archive.insights.push({ ...archive.insights[0] }); // an identical duplicate
    archive.insights.push({ ...archive.insights[1], text: 'A different text under the same id.' });
    archive.insights.push({ ...archive.insights[2], id: 'ins_99', text: '' });
    archive.saved.push({ ...archive.saved[0] });
    const db = await freshDb();
    const report = await importLibrary(db, JSON.stringify(archive));
    expect(await db.count('insights')).toBe(6);
    expect(await db.count('saved')).toBe(2);
    expect(await db.get('insights', 'ins_99')).toBeUndefined();
    expect(report.problems.length).toBeGreaterThanOrEqual(2);
    expect(report.problems.join(' ')).toMatch(/text/);
  });
});

describe('exportDay', () => {
  it('writes a day’s list as Markdown with links back to the moment', async () => {
    const db = await library();
    const md = await exportDay(db, '2026-11-29');
    expect(md).toContain('Insight 5 about tariffs.');
    expect(md).toContain('Check the numbers.');
    expect(md).toContain('https://overcast.fm/+ep2/2:30');
    expect(md).not.toContain('Insight 2 about');
  });
});
