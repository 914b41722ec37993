// The library page's episodes: most recently heard first, paged, with insight and saved counts;
// one episode with its insights in time order, saved ones marked.
import { describe, expect, it } from 'vitest';
import { freshDb } from '../../helpers/db';
import { episodeDetail, listEpisodes } from '../../../src/background/library/episodes';
import { saveInsight } from '../../../src/background/library/saved';

async function library() {
  const db = await freshDb();
  for (let n = 1; n <= 5; n++)
    await db.put('episodes', {
      id: `ep_${n}`,
      title: `Episode ${n}`,
      pageUrl: `https://a.com/${n}`,
      site: 'generic',
      aliases: [`page:a.com/${n}`],
      firstSeen: '2026-11-01T00:00:00.000Z',
      lastSeen: `2026-11-0${n}T00:00:00.000Z`,
    });
  for (const [id, start] of [
    ['ins_b', 90],
    ['ins_a', 10],
    ['ins_c', 300],
  ] as const)
    await db.put('insights', {
      id,
      episodeId: 'ep_2',
      engine: 'local',
      createdAt: '2026-11-02T00:00:00.000Z',
      text: `Claim ${id}.`,
      quote: `claim ${id}`,
      start,
      topics: [],
      importance: 3,
    });
  await saveInsight(db, 'ins_b');
  return db;
}

describe('listEpisodes', () => {
  it('pages the episodes, most recently heard first, with their counts', async () => {
    const db = await library();
    const first = await listEpisodes(db, 0, 2);
    expect(first.total).toBe(5);
    expect(first.episodes.map((e) => e.episode.id)).toEqual(['ep_5', 'ep_4']);
    const second = await listEpisodes(db, 2, 2);
    expect(second.episodes.map((e) => [e.episode.id, e.insights, e.saved])).toEqual([
      ['ep_3', 0, 0],
      ['ep_2', 3, 1],
    ]);
    expect((await listEpisodes(db, 4, 10)).episodes.map((e) => e.episode.id)).toEqual(['ep_1']);
    expect((await listEpisodes(db, 9, 10)).episodes).toEqual([]);
  });
});

describe('episodeDetail', () => {
  it('gives the episode and its insights in time order, saved ones marked', async () => {
    const db = await library();
    const detail = await episodeDetail(db, 'ep_2');
    expect(detail?.episode.title).toBe('Episode 2');
    expect(detail?.insights.map((i) => [i.id, i.saved])).toEqual([
      ['ins_a', false],
      ['ins_b', true],
      ['ins_c', false],
    ]);
    expect(await episodeDetail(db, 'ep_404')).toBeNull();
  });
});
