// A full disk: the least recently used cached transcripts go first (never those of open tabs,
// never saved items or insights), the write is tried once more, and a second failure is a plain
// message with nothing already stored touched.
import { describe, expect, it, vi } from 'vitest';
import { freshDb } from '../../helpers/db';
import { StorageError, type EarmarkDB } from '../../../src/background/db';
import { isQuotaError, pruneTranscripts, withRoom } from '../../../src/background/library/room';

const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

async function withTranscripts(): Promise<EarmarkDB> {
  const db = await freshDb();
  for (let n = 1; n <= 6; n++) {
    await db.put('transcripts', {
      episodeId: `ep_${n}`,
      source: 'feed',
      url: `https://a.com/${n}.vtt`,
      transcript: { format: 'vtt', segments: [{ start: 0, text: 'hi' }] },
      fetchedAt: '2026-11-01T00:00:00.000Z',
      usedAt: `2026-11-0${n}T00:00:00.000Z`,
    });
    if (n % 2 === 0)
      await db.put('jobs', {
        id: `insights:ep_${n}`,
        episodeId: `ep_${n}`,
        kind: 'insights',
        state: 'done',
        updatedAt: '2026-11-01T00:00:00.000Z',
      });
  }
  await db.put('tabs', { tabId: 7, episodeId: 'ep_2', updatedAt: '2026-11-29T00:00:00.000Z' });
  await db.put('saved', {
    id: 'ins_1',
    insightId: 'ins_1',
    episodeId: 'ep_1',
    day: '2026-11-29',
    savedAt: '2026-11-29T00:00:00.000Z',
    insight: { id: 'ins_1', text: 'A.', quote: 'a', start: 0, topics: [], importance: 3 },
  });
  return db;
}

describe('isQuotaError', () => {
  it.each([
    ['a DOMException', quota(), true],
    ['wrapped as a cause', new Error('write failed', { cause: quota() }), true],
    ['an aborted transaction carrying it', { name: 'AbortError', error: quota() }, true],
    ['our own StorageError', new StorageError('full', 'quota'), true],
    ['another DOMException', new DOMException('x', 'DataError'), false],
    ['nothing', undefined, false],
  ])('%s', (_label, error, expected) => {
    expect(isQuotaError(error)).toBe(expected);
  });
});

describe('pruneTranscripts', () => {
  it('drops the least recently used half, extracted ones first, never open tabs', async () => {
    const db = await withTranscripts();
    const removed = await pruneTranscripts(db, { keep: ['ep_4'] });
    // Candidates: done ep_6 (ep_2 open, ep_4 kept) then not-done ep_1, ep_3, ep_5: half of 4 = 2.
    expect(removed).toBe(2);
    expect((await db.getAllKeys('transcripts')).sort()).toEqual(['ep_2', 'ep_3', 'ep_4', 'ep_5']);
    expect(await db.count('saved')).toBe(1);
  });
});

describe('withRoom', () => {
  it('frees room and writes once more after a quota failure', async () => {
    const db = await withTranscripts();
    const write = vi.fn().mockRejectedValueOnce(quota()).mockResolvedValueOnce('written');
    await expect(withRoom(db, write)).resolves.toBe('written');
    expect(write).toHaveBeenCalledTimes(2);
    expect(await db.count('transcripts')).toBeLessThan(6);
  });

  it('gives a plain message when the disk is still full, keeping what is stored', async () => {
    const db = await withTranscripts();
    const write = vi.fn().mockRejectedValue(quota());
    const failure = withRoom(db, write);
    await expect(failure).rejects.toBeInstanceOf(StorageError);
    await expect(withRoom(db, write)).rejects.toThrow(/no room left.*Nothing was lost: free some disk space/);
    expect(await db.count('saved')).toBe(1);
    expect(await db.get('transcripts', 'ep_2')).toBeDefined();
  });

  it('passes other failures through untouched, pruning nothing', async () => {
    const db = await withTranscripts();
    const error = new TypeError('bug');
    await expect(withRoom(db, () => Promise.reject(error))).rejects.toBe(error);
    expect(await db.count('transcripts')).toBe(6);
  });
});
