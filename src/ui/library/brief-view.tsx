// The library page's "Brief" view: a day's brief (today by default), each item with its insight,
// quote, episode, why it is there and a link to the moment; the past briefs to switch days;
// "Make today's brief now"; Markdown export. With nothing new the page says so, never pads.
// Insights, titles and reasons come from feeds, transcripts or the model: rendered as text.
import { useEffect, useState } from 'preact/hooks';
import { formatDay, localDay } from '../../core/library/day';
import { formatClock } from '../../core/text/time';
import type { BriefItemView, BriefView as Brief } from '../../messages';
import { sendToBackground } from '../../messaging';
import { download } from '../components/download';
import { SaveToggle } from '../components/save-toggle';
import { DaysNav } from './days-nav';
import { episodeLabel, isWebUrl, localClock } from '../popup/format';
import { plural } from '../../core/text/plural';

function BriefItem({ item }: { item: BriefItemView }) {
  const clock = formatClock(item.insight.start);
  return (
    <li class="saved-item brief-item" data-testid="brief-item">
      <p class="insight-text">{item.insight.text}</p>
      {item.insight.quote && <blockquote>“{item.insight.quote}”</blockquote>}
      {/* Not a link: an item's one link is to its moment (the episode's page may not be one). */}
      <p class="where muted" data-testid="brief-episode">
        {episodeLabel(item.episode)}
      </p>
      <p class="reason" data-testid="brief-reason">
        {item.reason}
      </p>
      <p class="row">
        {isWebUrl(item.link) ? (
          <a href={item.link} target="_blank" rel="noreferrer noopener" data-testid="brief-listen">
            Listen from {clock}
          </a>
        ) : (
          <span class="muted">At {clock}</span>
        )}
        <SaveToggle insight={item.insight} testId="brief-save" inline />
      </p>
    </li>
  );
}

export function BriefView({ initialDay }: { initialDay?: string }) {
  const today = localDay(new Date());
  const [day, setDay] = useState(initialDay ?? today);
  // undefined: loading; null: no brief that day.
  const [brief, setBrief] = useState<Brief | null | undefined>(undefined);
  const [days, setDays] = useState<{ day: string; count: number }[]>([]);
  const [briefTime, setBriefTime] = useState('');
  const [building, setBuilding] = useState(false);
  const [error, setError] = useState('');

  const loadDays = () => sendToBackground('brief/days', {}).then(setDays, (e: Error) => setError(e.message));
  useEffect(() => {
    void loadDays();
    sendToBackground('settings/get', {}).then(
      (s) => setBriefTime(s.briefTime),
      () => {
        // Only the empty state's "made each day at" needs it: said without the time.
      },
    );
  }, []);
  useEffect(() => {
    let live = true;
    setBrief(undefined);
    setError('');
    sendToBackground('brief/get', { day }).then(
      (b) => live && setBrief(b),
      (e: Error) => live && (setError(e.message), setBrief(null)),
    );
    return () => {
      live = false;
    };
  }, [day]);

  const build = async () => {
    setBuilding(true);
    setError('');
    try {
      const made = await sendToBackground('brief/build', {});
      setBrief(made);
      setDay(made.day);
      void loadDays();
    } catch (e) {
      setError(`The brief could not be made: ${(e as Error).message}`);
    } finally {
      setBuilding(false);
    }
  };
  const exportBrief = async () => {
    try {
      const { markdown, filename } = await sendToBackground('brief/export', { day });
      download(filename, markdown, 'text/markdown');
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const empty = brief && (brief.considered === 0 || brief.items.length === 0);
  return (
    <div class="library-body" data-testid="brief-view">
      <DaysNav days={days} day={day} today={today} label="Briefs" testId="brief-days" onPick={setDay} />
      <section class="brief" data-day={day}>
        <header class="day-head">
          <h2>Brief of {formatDay(day)}</h2>
          <span class="row">
            {brief && brief.items.length > 0 && (
              <button
                type="button"
                class="secondary"
                data-testid="brief-export"
                onClick={() => void exportBrief()}
              >
                Markdown
              </button>
            )}
            <button type="button" data-testid="brief-build" disabled={building} onClick={() => void build()}>
              Make today’s brief now
            </button>
          </span>
        </header>
        {building && (
          <p class="muted" role="status" data-testid="brief-building">
            Making the brief…
          </p>
        )}
        {error && (
          <p class="error-text" role="alert" data-testid="brief-error">
            {error}
          </p>
        )}
        {brief === undefined && !building && <p class="muted">Loading…</p>}
        {brief === null && !error && (
          <p class="muted" data-testid="brief-empty" data-reason="none">
            {day === today
              ? `No brief for ${formatDay(day)} yet. It is made each day${
                  briefTime ? ` at ${briefTime}` : ''
                } from the episodes you heard and the new episodes of the shows you follow; make it now, or change the time in the settings.`
              : `No brief for ${formatDay(day)}: none was made that day.`}
          </p>
        )}
        {brief && (
          <p class="muted brief-made" data-testid="brief-made">
            Made at {localClock(brief.createdAt)}
            {brief.considered > 0
              ? ` · ${brief.items.length} of ${plural(brief.considered, 'new insight')}`
              : ''}
            .
          </p>
        )}
        {empty && (
          <p class="callout" data-testid="brief-empty" data-reason="nothing-new">
            {brief.considered === 0
              ? 'Nothing new arrived for this brief: no episode was heard and no followed show published one.'
              : `Nothing new for this brief: what arrived (${plural(brief.considered, 'insight')}) repeats what you saved or saw in earlier briefs.`}
          </p>
        )}
        {brief && !empty && (
          <ol class="saved-list">
            {brief.items.map((item) => (
              <BriefItem key={item.insight.id} item={item} />
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
