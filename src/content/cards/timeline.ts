// Which cards the playhead has reached: pure functions over an episode's insights sorted by start.
import type { InsightView } from '../../messages';

/** How many recent cards stay reachable (paged "‹ 2/3 ›"). */
export const STACK_SIZE = 3;

/** The insights in the order they are heard (ties: by id, so the order is stable). */
export function byStart(insights: readonly InsightView[]): InsightView[] {
  return [...insights].sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** How many of the sorted insights start at or before `time` (binary search). */
export function reachedCount(sorted: readonly InsightView[], time: number): number {
  if (!Number.isFinite(time)) return 0;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.start <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The cards on offer: of the last STACK_SIZE insights reached, those not dismissed, oldest first.
 * Dismissing a card does not bring an older one back: the stack follows the playhead only.
 */
export function stackOf(
  sorted: readonly InsightView[],
  reached: number,
  dismissed: ReadonlySet<string>,
): InsightView[] {
  return sorted.slice(Math.max(0, reached - STACK_SIZE), reached).filter((i) => !dismissed.has(i.id));
}
