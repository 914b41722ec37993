// Earmark's database opens whatever an earlier version wrote, with the data kept: a migration test
// builds a version-1 database with the raw IndexedDB API, exactly as version 1 created it.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_VERSION, MIGRATIONS, openEarmarkDb, type EarmarkDB } from '../../src/background/db';
import { recordEpisode } from '../../src/background/episodes';
import { openDB } from 'idb';

let counter = 0;
const names: string[] = [];
const uniqueName = () => {
  const name = `earmark-db-test-${process.pid}-${++counter}`;
  names.push(name);
  return name;
};
const open: EarmarkDB[] = [];

afterEach(async () => {
  for (const db of open.splice(0)) db.close();
  await Promise.all(names.splice(0).map((name) => requestDone(indexedDB.deleteDatabase(name))));
});

function requestDone<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** The stores and indexes of version 1 (MIGRATIONS[0]), written with the raw API. */
function createV1(name: string, fill: (tx: IDBTransaction) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore('episodes', { keyPath: 'id' });
      const transcripts = db.createObjectStore('transcripts', { keyPath: 'episodeId' });
      transcripts.createIndex('by-usedAt', 'usedAt');
      const insights = db.createObjectStore('insights', { keyPath: 'id' });
      insights.createIndex('by-episode', 'episodeId');
      insights.createIndex('by-episode-start', ['episodeId', 'start']);
      const jobs = db.createObjectStore('jobs', { keyPath: 'id' });
      jobs.createIndex('by-episode', 'episodeId');
      jobs.createIndex('by-state', 'state');
      const saved = db.createObjectStore('saved', { keyPath: 'id' });
      saved.createIndex('by-day', 'day');
      saved.createIndex('by-insight', 'insightId');
      fill(request.transaction!);
    };
    request.onsuccess = () => {
      request.result.close();
      resolve();
    };
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('blocked'));
  });
}

const v1Episode = {
  id: 'ep_v1_one',
  title: 'The Old Episode',
  show: 'Old Show',
  pageUrl: 'https://example.com/old-episode',
  enclosureUrl: 'https://dts.podtrac.com/redirect.mp3/cdn.example.com/old.mp3',
  guid: 'OLD-GUID-1',
  site: 'generic',
  firstSeen: '2024-01-01T10:00:00.000Z',
  lastSeen: '2024-01-02T10:00:00.000Z',
};
const v1PageOnly = {
  id: 'ep_v1_two',
  title: 'Page Only Episode',
  pageUrl: 'https://player.example.com/?utm_source=x',
  site: 'generic',
  firstSeen: '2024-02-01T10:00:00.000Z',
  lastSeen: '2024-02-01T11:00:00.000Z',
};
const v1Saved = {
  id: 'saved_1',
  insightId: 'ins_1',
  episodeId: 'ep_v1_one',
  day: '2024-01-02',
  note: 'remember this',
  savedAt: '2024-01-02T10:05:00.000Z',
};
const v1Insight = {
  id: 'ins_1',
  episodeId: 'ep_v1_one',
  engine: 'local',
  createdAt: '2024-01-02T10:01:00.000Z',
  text: 'Claim.',
  quote: 'claim',
  start: 61,
  topics: [],
  importance: 3,
};

describe('openEarmarkDb', () => {
  it('has one migration per version', () => {
    expect(MIGRATIONS).toHaveLength(DB_VERSION);
  });

  it('creates a fresh database at the current version with every store', async () => {
    const db = await openEarmarkDb(uniqueName());
    open.push(db);
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
    const tx = db.transaction('episodes');
    expect([...tx.store.indexNames].sort()).toEqual(['by-alias', 'by-lastSeen']);
    await tx.done;
  });

  it('opens again without losing what was written', async () => {
    const name = uniqueName();
    const first = await openEarmarkDb(name);
    const episode = await recordEpisode(first, { site: 'generic', pageUrl: 'https://a.com/1', title: 'One' });
    first.close();
    const second = await openEarmarkDb(name);
    open.push(second);
    expect(await second.get('episodes', episode.id)).toEqual(episode);
  });

  it('migrates a version-1 database: episodes get aliases, saved items stay, tabs appear', async () => {
    const name = uniqueName();
    await createV1(name, (tx) => {
      tx.objectStore('episodes').put(v1Episode);
      tx.objectStore('episodes').put(v1PageOnly);
      tx.objectStore('saved').put(v1Saved);
      tx.objectStore('insights').put(v1Insight);
    });

    const db = await openEarmarkDb(name);
    open.push(db);
    expect(db.version).toBe(DB_VERSION);
    expect(db.objectStoreNames.contains('tabs')).toBe(true);

    // The episode is kept, with every field it had, and is now findable by its aliases.
    const episode = await db.get('episodes', v1Episode.id);
    expect(episode).toMatchObject(v1Episode);
    expect(episode?.aliases).toEqual(['guid:old-guid-1', 'media:cdn.example.com/old.mp3']);
    expect((await db.getFromIndex('episodes', 'by-alias', 'guid:old-guid-1'))?.id).toBe(v1Episode.id);
    expect((await db.getFromIndex('episodes', 'by-alias', 'media:cdn.example.com/old.mp3'))?.id).toBe(
      v1Episode.id,
    );

    // An episode known only by its page gets the page alias (with its title).
    const pageOnly = await db.get('episodes', v1PageOnly.id);
    expect(pageOnly?.aliases).toEqual(['page:player.example.com/|page only episode']);
    expect((await db.getAllKeysFromIndex('episodes', 'by-lastSeen')).sort()).toEqual([
      v1Episode.id,
      v1PageOnly.id,
    ]);

    // The user's saved list survives, keyed by its insight now and with a copy of it; insights untouched.
    const savedNow = {
      ...v1Saved,
      id: 'ins_1',
      insight: { id: 'ins_1', text: 'Claim.', quote: 'claim', start: 61, topics: [], importance: 3 },
    };
    expect(await db.get('saved', 'ins_1')).toEqual(savedNow);
    expect(await db.getAllFromIndex('saved', 'by-day', '2024-01-02')).toEqual([savedNow]);
    expect(await db.getAllFromIndex('insights', 'by-episode', v1Episode.id)).toEqual([v1Insight]);

    // A new sighting of the same episode, through the bare file on another site, is the old episode.
    const again = await recordEpisode(db, {
      site: 'overcast',
      pageUrl: 'https://overcast.fm/+old',
      title: 'The Old Episode',
      mediaUrl: 'https://cdn.example.com/old.mp3?token=1',
    });
    expect(again.id).toBe(v1Episode.id);
    expect(again.firstSeen).toBe(v1Episode.firstSeen);
    expect(await db.count('episodes')).toBe(2);
  });

  it('backfills aliases for every episode of a large version-1 library', async () => {
    const name = uniqueName();
    const count = 300;
    await createV1(name, (tx) => {
      for (let i = 0; i < count; i++)
        tx.objectStore('episodes').put({
          ...v1Episode,
          id: `ep_${i}`,
          guid: `guid-${i}`,
          enclosureUrl: undefined,
        });
    });
    const db = await openEarmarkDb(name);
    open.push(db);
    const all = await db.getAll('episodes');
    expect(all).toHaveLength(count);
    expect(all.filter((e) => !Array.isArray(e.aliases) || e.aliases.length === 0)).toEqual([]);
    expect((await db.getFromIndex('episodes', 'by-alias', `guid:guid-${count - 1}`))?.id).toBe(
      `ep_${count - 1}`,
    );
  });

  it('migrates an empty version-1 database', async () => {
    const name = uniqueName();
    await createV1(name, () => {});
    const db = await openEarmarkDb(name);
    open.push(db);
    expect(db.version).toBe(DB_VERSION);
    expect(await db.count('episodes')).toBe(0);
    expect(await db.count('tabs')).toBe(0);
  });

  it('migrates a version-4 database with a library in it: saved items merged and kept whole', async () => {
    const name = uniqueName();
    // Version 4 exactly as its migrations made it (released migrations are never edited).
    const v4 = await openDB(name, 4, {
      upgrade(raw, oldVersion, _new, tx) {
        for (let v = oldVersion; v < 4; v++) MIGRATIONS[v]!(raw as unknown as EarmarkDB, tx as never);
      },
    });
    const episode = await recordEpisode(v4 as unknown as EarmarkDB, {
      site: 'generic',
      pageUrl: 'https://a.com/1',
      title: 'One',
      guid: 'g-1',
    });
    const insight = { ...v1Insight, episodeId: episode.id };
    await v4.put('insights', insight);
    await v4.put('insights', { ...insight, id: 'ins_2', text: 'Second.', quote: 'second', start: 90 });
    // Saved twice (two tabs, before saves were keyed by insight), and once for an insight now gone.
    await v4.put('saved', { ...v1Saved, id: 's_a', episodeId: episode.id, note: 'first note' });
    await v4.put('saved', {
      ...v1Saved,
      id: 's_b',
      episodeId: episode.id,
      note: 'second note',
      savedAt: '2024-01-02T11:00:00.000Z',
    });
    await v4.put('saved', {
      ...v1Saved,
      id: 's_c',
      insightId: 'ins_gone',
      episodeId: episode.id,
      note: undefined,
    });
    await v4.put('settings', { name: 'engine', value: 'local' });
    v4.close();

    const db = await openEarmarkDb(name);
    open.push(db);
    expect(db.version).toBe(DB_VERSION);
    expect(await db.get('episodes', episode.id)).toEqual(episode);
    expect(await db.count('insights')).toBe(2);
    expect(await db.get('settings', 'engine')).toEqual({ name: 'engine', value: 'local' });
    const saved = await db.getAll('saved');
    expect(saved.map((s) => s.id).sort()).toEqual(['ins_1', 'ins_gone']);
    // The two saves of one insight are one item: the first save's day and time, both notes.
    expect(await db.get('saved', 'ins_1')).toMatchObject({
      insightId: 'ins_1',
      day: v1Saved.day,
      savedAt: v1Saved.savedAt,
      note: 'first note\n\nsecond note',
      insight: { id: 'ins_1', text: 'Claim.', quote: 'claim', start: 61 },
    });
    // An item whose insight is gone is kept, saying so, rather than dropped.
    expect((await db.get('saved', 'ins_gone'))?.insight.text).toMatch(/no longer stored/);
    expect(await db.getAllKeysFromIndex('saved', 'by-episode', episode.id)).toHaveLength(2);
    expect(await db.getAllKeysFromIndex('insights', 'by-createdAt')).toHaveLength(2);
    expect(await db.count('follows')).toBe(0);
  });
});
