// The search index in the worker: built from the stores on first use, updated as insights arrive,
// persisted, and after a restart (a new connection, as a restarted worker has) loaded from the
// snapshot and brought up to date with what was written after it. Related insights never come
// from the same episode and never name an insight that is gone.
import { describe, expect, it } from 'vitest';
import { freshDb } from '../../helpers/db';
import {
  openEarmarkDb,
  type EarmarkDB,
  type EpisodeRecord,
  type InsightRecord,
} from '../../../src/background/db';
import {
  dropIndex,
  indexRecords,
  libraryIndex,
  persistIndex,
  relatedInsights,
  searchLibrary,
} from '../../../src/background/library/search';

function episode(n: number, title: string, show: string): EpisodeRecord {
  return {
    id: `ep_${n}`,
    title,
    show,
    pageUrl: `https://www.youtube.com/watch?v=abcdefghij${n}`,
    site: 'youtube',
    aliases: [`yt:abcdefghij${n}`],
    firstSeen: '2026-11-20T10:00:00.000Z',
    lastSeen: '2026-11-20T10:00:00.000Z',
  };
}

let seq = 0;
function insight(
  id: string,
  episodeId: string,
  text: string,
  topics: string[],
  createdAt?: string,
): InsightRecord {
  seq++;
  return {
    id,
    episodeId,
    engine: 'local',
    createdAt: createdAt ?? `2026-11-20T10:${String(seq % 60).padStart(2, '0')}:00.000Z`,
    text,
    quote: text.toLowerCase().replace(/\.$/, ''),
    start: 60 + seq,
    topics,
    importance: 3,
  };
}

async function seeded(): Promise<EarmarkDB> {
  const db = await freshDb();
  await db.put('episodes', episode(1, 'Chips and China', 'Tech Weekly'));
  await db.put('episodes', episode(2, 'The open model race', 'AI Today'));
  await db.put('episodes', episode(3, 'Gardening in winter', 'Green Thumbs'));
  await db.put(
    'insights',
    insight('ins_a1', 'ep_1', 'Export controls slowed chip sales to China.', ['export controls', 'China']),
  );
  await db.put(
    'insights',
    insight('ins_a2', 'ep_1', 'Open-weight models from China caught up quickly.', [
      'open-weight models',
      'China',
    ]),
  );
  await db.put(
    'insights',
    insight('ins_b1', 'ep_2', 'Open-weight models narrowed the gap with closed labs.', [
      'open-weight models',
    ]),
  );
  await db.put('insights', insight('ins_c1', 'ep_3', 'Mulching keeps roots warm in frost.', ['gardening']));
  return db;
}

describe('related insights', () => {
  it('come from other episodes only, with the reason, and link to the moment', async () => {
    const db = await seeded();
    const related = await relatedInsights(db, ['ins_a2', 'ins_c1', 'ins_missing']);
    expect(related['ins_a2']?.map((r) => r.insight.id)).toEqual(['ins_b1']);
    expect(related['ins_a2']?.[0]?.reason).toMatch(/also about: open-weight models/);
    expect(related['ins_a2']?.[0]?.episode.title).toBe('The open model race');
    expect(related['ins_a2']?.[0]?.link).toMatch(
      /^https:\/\/www\.youtube\.com\/watch\?v=abcdefghij2&t=\d+s$/,
    );
    expect(related['ins_c1']).toEqual([]);
    expect(related['ins_missing']).toEqual([]);
  });

  it('never name an insight deleted behind the index’s back', async () => {
    const db = await seeded();
    await libraryIndex(db);
    await db.delete('insights', 'ins_b1');
    expect((await relatedInsights(db, ['ins_a2']))['ins_a2']).toEqual([]);
  });
});

describe('the index across a restart', () => {
  it('catches up with what was written while it was not loaded, and after its snapshot', async () => {
    const db = await seeded();
    await libraryIndex(db);
    // Streamed in while loaded.
    const fresh = insight('ins_b2', 'ep_2', 'Chip export controls pushed labs to efficiency.', [
      'export controls',
    ]);
    await db.put('insights', fresh);
    await indexRecords(db, { insights: [fresh] });
    await persistIndex(db);
    // Written after the snapshot (the worker stopped before persisting again).
    await db.put(
      'insights',
      insight(
        'ins_c2',
        'ep_3',
        'Winter gardening needs fleece for export crops.',
        ['gardening'],
        '2026-11-29T10:00:00.000Z',
      ),
    );

    // A restarted worker: a new connection, nothing in memory.
    const restarted = await openEarmarkDb(db.name);
    try {
      const snapshot = await restarted.get('derived', 'library-index');
      expect(snapshot?.bytes.byteLength).toBeGreaterThan(100);
      const { index } = await libraryIndex(restarted);
      expect(index.has('ins_b2')).toBe(true);
      expect(index.has('ins_c2')).toBe(true);
      const found = await searchLibrary(restarted, 'fleece');
      expect(found.insights.map((i) => i.insight.id)).toEqual(['ins_c2']);
    } finally {
      restarted.close();
    }
  });

  it('rebuilds from the stores when the snapshot is damaged', async () => {
    const db = await seeded();
    await db.put('derived', {
      name: 'library-index',
      bytes: new TextEncoder().encode('{"not":"an index"'),
      upTo: '2099-01-01T00:00:00.000Z',
      version: 2,
      savedAt: '',
    });
    const { index } = await libraryIndex(db);
    expect(index.has('ins_a1')).toBe(true);
    await dropIndex(db);
    expect(await db.get('derived', 'library-index')).toBeUndefined();
  });
});

describe('searchLibrary', () => {
  it('finds insights by their words and episodes by title and show', async () => {
    const db = await seeded();
    const byWords = await searchLibrary(db, 'mulching');
    expect(byWords.insights.map((i) => i.insight.id)).toEqual(['ins_c1']);
    expect(byWords.insights[0]?.episode.show).toBe('Green Thumbs');
    const byShow = await searchLibrary(db, 'Tech Weekly');
    expect(byShow.episodes.map((e) => [e.episode.id, e.insights])).toEqual([['ep_1', 2]]);
    expect((await searchLibrary(db, '   ')).insights).toEqual([]);
    expect((await searchLibrary(db, '(((*[')).insights).toEqual([]);
  });
});
