// The episode's timeline in the popup: a bar the length of the episode with the playhead, the part
// already heard, and a marker for each insight at its time. A marker seeks the tab's player there;
// the markers are one tab stop, moved between with the arrow keys (a roving tabindex).
import { useRef, useState } from 'preact/hooks';
import { formatClock } from '../../core/text/time';
import type { InsightView } from '../../messages';

/**
 * The seconds the bar spans: the episode's duration when known; else, when there are insights,
 * well past the furthest point known (the playhead or an insight) so that every marker lands on
 * the bar; else undefined (nothing to place: the bar shows no position).
 */
export function timelineSpan(
  duration: number | undefined,
  insights: Pick<InsightView, 'start' | 'end'>[],
  position: number,
): number | undefined {
  if (duration && Number.isFinite(duration) && duration > 0) return duration;
  if (insights.length === 0) return undefined;
  const furthest = Math.max(position, ...insights.map((i) => i.end ?? i.start));
  return furthest * 1.2 + 60;
}

/** Where a time sits on the bar, in percent of its width (0–100). */
export function percentAt(seconds: number, span: number | undefined): number {
  if (!Number.isFinite(seconds) || span === undefined || !(span > 0)) return 0;
  return Math.min(100, Math.max(0, (seconds / span) * 100));
}

/** The insight being heard at a position: the last one started, while within its end. */
export function currentInsight(insights: InsightView[], position: number): InsightView | undefined {
  let current: InsightView | undefined;
  for (const insight of insights) if (insight.start <= position) current = insight;
  if (current?.end !== undefined && position > current.end) return undefined;
  return current;
}

export function Timeline({
  insights,
  position,
  duration,
  onSeek,
}: {
  insights: InsightView[];
  position: number;
  duration: number | undefined;
  onSeek: (insight: InsightView) => void;
}) {
  const span = timelineSpan(duration, insights, position);
  const now = currentInsight(insights, position);
  const markers = useRef<(HTMLButtonElement | null)[]>([]);
  // The marker that takes focus when tabbing in: the one last focused, at first the next unheard.
  const [focused, setFocused] = useState<number | null>(null);
  const nextUnheard = insights.findIndex((i) => i.start > position);
  const tabStop = focused !== null && focused < insights.length ? focused : Math.max(0, nextUnheard);
  const move = (from: number, event: KeyboardEvent) => {
    const to =
      event.key === 'ArrowRight' || event.key === 'ArrowDown'
        ? Math.min(insights.length - 1, from + 1)
        : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
          ? Math.max(0, from - 1)
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? insights.length - 1
              : null;
    if (to === null) return;
    event.preventDefault();
    setFocused(to);
    markers.current[to]?.focus();
  };
  return (
    <div class={`timeline${span === undefined ? ' unknown' : ''}`} data-testid="timeline">
      <div class="timeline-inner">
        <div
          class="track"
          role="progressbar"
          aria-label="Position in the episode"
          aria-valuemin={0}
          aria-valuemax={Math.round(duration ?? 0)}
          aria-valuenow={Math.round(position)}
          aria-valuetext={`${formatClock(position)}${duration ? ` of ${formatClock(duration)}` : ''}`}
        >
          <div class="heard-part" style={{ width: `${percentAt(position, span)}%` }} />
        </div>
        {insights.length > 0 && (
          <div class="markers" role="group" aria-label="Key insights on the timeline">
            {insights.map((insight, i) => {
              const heard = insight.start <= position;
              const label = `${formatClock(insight.start)}: ${insight.text}`;
              return (
                <button
                  key={insight.id}
                  ref={(el) => {
                    markers.current[i] = el;
                  }}
                  type="button"
                  class={`marker${heard ? ' heard' : ''}${insight === now ? ' now' : ''}`}
                  data-testid="timeline-marker"
                  data-heard={heard}
                  style={{ left: `${percentAt(insight.start, span)}%` }}
                  tabIndex={i === tabStop ? 0 : -1}
                  aria-label={`Jump to insight at ${label}${heard ? ' (heard)' : ''}`}
                  title={label}
                  onFocus={() => setFocused(i)}
                  onKeyDown={(e) => move(i, e)}
                  onClick={() => onSeek(insight)}
                />
              );
            })}
          </div>
        )}
        <div class="playhead" style={{ left: `${percentAt(position, span)}%` }} aria-hidden="true" />
      </div>
    </div>
  );
}
