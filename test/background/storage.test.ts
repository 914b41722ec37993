// Storage under stress: a database written by every earlier version opens with its data; two
// windows (two connections, as two extension pages or a page and the worker have) writing at once
// make one record where one is meant, and lose none; a full disk in the middle of the insight job
// keeps what was stored and says so.
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_VERSION, MIGRATIONS, openEarmarkDb, type EarmarkDB } from '../../src/background/db';
import { recordEpisode } from '../../src/background/episodes';
import { runInsights } from '../../src/background/insights';
import { dayItems, saveInsight, setNote } from '../../src/background/library/saved';
import { localEngine } from '../../src/core/insights/local';
import type { InsightEngine } from '../../src/core/insights/types';

let counter = 0;
const names: string[] = [];
const connections: EarmarkDB[] = [];
const uniqueName = () => {
  const name = `earmark-storage-test-${process.pid}-${++counter}`;
  names.push(name);
  return name;
};
async function connect(name: string): Promise<EarmarkDB> {
  const db = await openEarmarkDb(name);
  connections.push(db);
  return db;
}
afterEach(async () => {
  for (const db of connections.splice(0)) db.close();
  for (const name of names.splice(0))
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = request.onerror = () => resolve();
    });
});

/** A database as version `version` left it, with what that version stored. */
async function writtenBy(version: number, name: string): Promise<void> {
  const old = await openDB(name, version, {
    upgrade(raw, oldVersion, _new, tx) {
      for (let v = oldVersion; v < version; v++) MIGRATIONS[v]!(raw as unknown as EarmarkDB, tx as never);
    },
  });
  const episode: Record<string, unknown> = {
    id: 'ep_old',
    title: 'An episode from before',
    show: 'Old Show',
    pageUrl: 'https://example.com/old',
    enclosureUrl: 'https://cdn.example.com/old.mp3',
    guid: 'old-guid',
    site: 'generic',
    firstSeen: '2025-01-01T10:00:00.000Z',
    lastSeen: '2025-01-02T10:00:00.000Z',
  };
  if (version >= 2) episode.aliases = ['guid:old-guid', 'media:cdn.example.com/old.mp3'];
  await old.put('episodes', episode as never);
  await old.put('insights', {
    id: 'ins_old',
    episodeId: 'ep_old',
    engine: 'local',
    createdAt: '2025-01-02T10:01:00.000Z',
    text: 'Old insight.',
    quote: 'old insight',
    start: 42,
    topics: ['history'],
    importance: 4,
  } as never);
  await old.put('saved', {
    id: 'saved_old',
    insightId: 'ins_old',
    episodeId: 'ep_old',
    day: '2025-01-02',
    note: 'kept note',
    savedAt: '2025-01-02T10:05:00.000Z',
  } as never);
  if (version >= 3)
    await old.put(
      'feeds' as never,
      {
        url: 'https://feeds.example.com/old.xml',
        feed: { title: 'Old Show', episodes: [] },
        etag: '"v1"',
        fetchedAt: '2025-01-02T09:00:00.000Z',
      } as never,
    );
  if (version >= 4) await old.put('settings' as never, { name: 'dailyBudgetUsd', value: 3 } as never);
  old.close();
}

describe('a database written by every earlier version', () => {
  it.each(Array.from({ length: DB_VERSION - 1 }, (_, i) => i + 1))(
    'opens one of version %i with its data',
    async (version) => {
      const name = uniqueName();
      await writtenBy(version, name);
      const db = await connect(name);
      expect(db.version).toBe(DB_VERSION);
      expect([...db.objectStoreNames].sort()).toEqual([
        'briefs',
        'derived',
        'episodes',
        'feeds',
        'follows',
        'insights',
        'jobs',
        'saved',
        'settings',
        'tabs',
        'transcripts',
      ]);
      const episode = await db.get('episodes', 'ep_old');
      expect(episode).toMatchObject({ title: 'An episode from before', guid: 'old-guid' });
      expect(episode!.aliases).toEqual(expect.arrayContaining(['guid:old-guid']));
      // Found by its alias, so the same episode played again is this one, not a new one.
      const again = await recordEpisode(db, {
        site: 'generic',
        pageUrl: 'https://elsewhere.example/x',
        title: 'Same episode',
        guid: 'old-guid',
      });
      expect(again.id).toBe('ep_old');
      expect(await db.get('insights', 'ins_old')).toMatchObject({ text: 'Old insight.', start: 42 });
      // The saved item is now keyed by its insight and carries a copy of it, note kept.
      expect(await dayItems(db, '2025-01-02')).toEqual([
        expect.objectContaining({
          id: 'ins_old',
          note: 'kept note',
          insight: expect.objectContaining({ text: 'Old insight.' }),
        }),
      ]);
      if (version >= 3)
        expect(await db.get('feeds', 'https://feeds.example.com/old.xml')).toMatchObject({ etag: '"v1"' });
      if (version >= 4)
        expect(await db.get('settings', 'dailyBudgetUsd')).toEqual({ name: 'dailyBudgetUsd', value: 3 });
    },
  );
});

describe('two windows writing at once', () => {
  async function twoWindows() {
    const name = uniqueName();
    const a = await connect(name);
    const b = await connect(name);
    const episode = await recordEpisode(a, {
      site: 'generic',
      pageUrl: 'https://x.example/1',
      title: 'One',
      guid: 'g1',
    });
    for (let i = 0; i < 20; i++)
      await a.put('insights', {
        id: `ins_${i}`,
        episodeId: episode.id,
        engine: 'local',
        createdAt: new Date().toISOString(),
        text: `Claim number ${i}.`,
        quote: `claim number ${i}`,
        start: i * 30,
        topics: [],
        importance: 3,
      });
    return { a, b, episode };
  }

  it('the same episode seen in two tabs at once is one episode', async () => {
    const name = uniqueName();
    const a = await connect(name);
    const b = await connect(name);
    const hint = {
      site: 'generic',
      pageUrl: 'https://x.example/2',
      title: 'Two',
      guid: 'g2',
      enclosureUrl: 'https://cdn.x/2.mp3',
    };
    const results = await Promise.all([
      recordEpisode(a, hint),
      recordEpisode(b, { ...hint, pageUrl: 'https://player.example/2' }),
      recordEpisode(a, { ...hint, guid: undefined }),
      recordEpisode(b, { ...hint, enclosureUrl: undefined }),
    ]);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await a.count('episodes')).toBe(1);
  });

  it('saves and notes from both windows at once: one item per insight, none lost', async () => {
    const { a, b } = await twoWindows();
    const now = new Date(2026, 10, 29, 12);
    // Each window saves every insight (interleaved), and each writes notes on some.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => [
        saveInsight(a, `ins_${i}`, { now }),
        saveInsight(b, `ins_${i}`, { now }),
        ...(i % 4 === 0 ? [setNote(i % 8 === 0 ? a : b, `ins_${i}`, `note ${i}`).catch(() => null)] : []),
      ]).flat(),
    );
    const items = await dayItems(b, '2026-11-29');
    expect(items.map((s) => s.id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `ins_${i}`).sort());
    // A note written after its save is there; one that raced ahead of it was refused, not lost silently.
    for (const item of items) if (item.note) expect(item.note).toBe(`note ${item.id.slice(4)}`);
    // Notes written once both saves are done always land.
    await Promise.all(items.map((s, i) => setNote(i % 2 ? a : b, s.id, `final ${s.id}`)));
    for (const item of await dayItems(a, '2026-11-29')) expect(item.note).toBe(`final ${item.id}`);
  });
});

describe('a full disk in the middle of the insight job', () => {
  it('keeps the insights stored before it, says so in plain words, and goes on when retried', async () => {
    const db = await connect(uniqueName());
    const episode = await recordEpisode(db, {
      site: 'generic',
      pageUrl: 'https://x.example/3',
      title: 'Three',
      guid: 'g3',
    });
    const topics = ['memory', 'sleep', 'habits', 'music', 'exercise', 'reading', 'attention', 'language'];
    const sentences = topics.flatMap((topic, i) => [
      `Today we talk about ${topic} with a researcher who has studied it for ${10 + i} years.`,
      `The most important finding is that ${topic} improves by ${20 + i * 5} percent when people practise daily.`,
      `The surprising lesson about ${topic} is that confidence is a poor guide to real progress.`,
      `The big mistake most people make with ${topic} is copying experts instead of testing themselves.`,
      `So that is the story of ${topic}, and now a short break.`,
    ]);
    await db.put('transcripts', {
      episodeId: episode.id,
      source: 'feed',
      url: 'https://x.example/3.vtt',
      transcript: {
        format: 'vtt',
        timed: true,
        segments: sentences.map((text, i) => ({ start: i * 120, end: i * 120 + 19, text })),
      },
      fetchedAt: new Date().toISOString(),
      usedAt: new Date().toISOString(),
    });
    // The disk fills after three insights were written (every write after fails with QuotaExceededError).
    let writes = 0;
    const put = db.put.bind(db);
    db.put = (async (store: string, value: unknown) => {
      if (store === 'insights' && ++writes > 3)
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put(store as never, value as never);
    }) as typeof db.put;
    const engine: InsightEngine = localEngine;
    const failed = await runInsights({ db, engine: async () => engine }, episode.id);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/no room|disk/i);
    const kept = await db.getAllFromIndex('insights', 'by-episode', episode.id);
    expect(kept).toHaveLength(3);

    db.put = put; // room again
    const done = await runInsights({ db, engine: async () => engine }, episode.id);
    expect(done.state).toBe('ready');
    const all = await db.getAllFromIndex('insights', 'by-episode', episode.id);
    expect(all.length).toBeGreaterThan(3);
    expect(new Set(all.map((i) => i.text)).size).toBe(all.length);
    for (const first of kept) expect(all.map((i) => i.id)).toContain(first.id);
  });
});
