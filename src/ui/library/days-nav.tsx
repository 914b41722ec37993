// The library page's list of days (the daily lists', the briefs'): today first even when it has
// nothing yet, each day with its count; the chosen one marked.
import { formatDay } from '../../core/library/day';

export function DaysNav({
  days,
  day,
  today,
  label,
  testId,
  onPick,
}: {
  days: { day: string; count: number }[];
  day: string;
  today: string;
  label: string;
  testId: string;
  onPick: (day: string) => void;
}) {
  const listed = days.some((d) => d.day === today) ? days : [{ day: today, count: 0 }, ...days];
  return (
    <nav aria-label={label} class="days" data-testid={testId}>
      <ul>
        {listed.map((d) => (
          <li key={d.day}>
            <button
              type="button"
              class={d.day === day ? 'day on' : 'day'}
              aria-current={d.day === day ? 'date' : undefined}
              onClick={() => onPick(d.day)}
            >
              {d.day === today ? 'Today' : formatDay(d.day)} <span class="muted">{d.count}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
