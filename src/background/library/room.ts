// Room on the disk. Earmark asks for `unlimitedStorage`, but a disk can still fill up: a write
// that fails with QuotaExceededError frees room by dropping the least recently used cached
// transcripts (they can be fetched again; saved items, notes, briefs and insights are never
// pruned) and is tried once more; if it still fails, the user gets a plain message saying what to
// do, and nothing already stored is touched.
import { StorageError, type EarmarkDB } from '../db';

/** True for a quota failure however it arrives (the request's error, the transaction's, wrapped). */
export function isQuotaError(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof StorageError && e.code === 'quota') return true;
    const name = (e as { name?: unknown }).name;
    if (name === 'QuotaExceededError') return true;
    // Chromium aborts the transaction; its error carries the reason.
    const inner = (e as { error?: unknown }).error;
    if (inner && (inner as { name?: unknown }).name === 'QuotaExceededError') return true;
  }
  return false;
}

/**
 * Deletes cached transcripts, least recently used first: never those of episodes playing in an
 * open tab or listed in `keep`, and first those whose insights are already extracted. Returns how
 * many were removed.
 */
export async function pruneTranscripts(
  db: EarmarkDB,
  { keep = [], share = 0.5 }: { keep?: readonly string[]; share?: number } = {},
): Promise<number> {
  const kept = new Set(keep);
  for (const tab of await db.getAll('tabs')) if (tab.episodeId) kept.add(tab.episodeId);
  const byUse = await db.getAllFromIndex('transcripts', 'by-usedAt');
  const candidates: { id: string; done: boolean }[] = [];
  for (const record of byUse) {
    if (kept.has(record.episodeId)) continue;
    const job = await db.get('jobs', `insights:${record.episodeId}`);
    candidates.push({ id: record.episodeId, done: job?.state === 'done' });
  }
  // Stable: within each group, least recently used first.
  const order = [...candidates.filter((c) => c.done), ...candidates.filter((c) => !c.done)];
  const count = Math.max(order.length ? 1 : 0, Math.ceil(order.length * share));
  const tx = db.transaction('transcripts', 'readwrite');
  for (const { id } of order.slice(0, count)) void tx.store.delete(id);
  await tx.done;
  return count;
}

/**
 * Runs a write; on a quota failure frees room (see above) and runs it once more. A second quota
 * failure becomes a StorageError with a message for the user.
 */
export async function withRoom<T>(
  db: EarmarkDB,
  write: () => Promise<T>,
  options: { keep?: readonly string[] } = {},
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isQuotaError(error)) throw error;
    const freed = await pruneTranscripts(db, options);
    try {
      return await write();
    } catch (again) {
      if (!isQuotaError(again)) throw again;
      throw new StorageError(
        `The disk has no room left for Earmark’s data${
          freed ? ` (even after removing ${freed} cached transcript${freed === 1 ? '' : 's'})` : ''
        }. Nothing was lost: free some disk space, then try again.`,
        'quota',
        { cause: again },
      );
    }
  }
}
