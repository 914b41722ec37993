// The popup's key insights of the episode: the state of the work (a progress bar while the
// engine reads the transcript), each insight with its time (a click seeks the player there), its
// text, its verbatim quote on demand, its topics, a Save toggle (today's list) and the related
// insights from other episodes of the library; those already heard are dimmed, the one being heard
// is marked. Below, the engine that found them and, for Claude, today's spending. Texts are model,
// transcript or page output: rendered as text.
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { formatClock } from '../../core/text/time';
import type { InsightsStatus, InsightView, RelatedView, SettingsView } from '../../messages';
import { sendToBackground } from '../../messaging';
import { formatUsd, webHref } from './format';
import { currentInsight } from './timeline';
import { SaveToggle } from '../components/save-toggle';

/** Related insights for the listed ones, asked for again when the list changes. */
function useRelated(ids: string[]): Record<string, RelatedView[]> {
  const [related, setRelated] = useState<Record<string, RelatedView[]>>({});
  const key = ids.join(',');
  useEffect(() => {
    if (!key) return;
    let live = true;
    const timer = setTimeout(() => {
      sendToBackground('library/related', { insightIds: key.split(',') }).then(
        (value) => live && setRelated(value),
        () => {
          // Related insights are an extra: the list stands without them.
        },
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);
  return related;
}

function Related({ items }: { items: RelatedView[] | undefined }) {
  if (!items?.length) return null;
  return (
    <div class="related" data-testid="related">
      <p class="related-head">Related in your library</p>
      <ul>
        {items.map((r) => {
          const href = webHref(r.link, r.episode.pageUrl);
          return (
            <li key={r.insight.id} data-testid="related-item">
              {href ? (
                <a href={href} target="_blank" rel="noreferrer noopener">
                  {r.insight.text}
                </a>
              ) : (
                <span>{r.insight.text}</span>
              )}
              <span class="muted">
                {' '}
                — {r.episode.show ? `${r.episode.show}: ` : ''}
                {r.episode.title} · {r.reason}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

async function retry(episodeId: string): Promise<void> {
  try {
    await sendToBackground('insights/retry', { episodeId });
  } catch {
    // The background says why in the status it pushes next.
  }
}

const openOptions = () => void browser.runtime.openOptionsPage();

/** The settings, read again whenever `key` changes (the spending grows as the engine works). */
function useSettings(enabled: boolean, key: string): SettingsView | null {
  const [settings, setSettings] = useState<SettingsView | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    sendToBackground('settings/get', {}).then(
      (value) => live && setSettings(value),
      () => {
        // The spending is an extra: the engine's name stands without it.
      },
    );
    return () => {
      live = false;
    };
  }, [enabled, key]);
  return enabled ? settings : null;
}

function Progress({ status }: { status: InsightsStatus }) {
  const p = status.progress;
  const known = !!p && p.total > 0;
  const done = known ? Math.min(p.done, p.total) : 0;
  return (
    <div class="work" data-testid="insights-progress">
      <div
        class={`work-bar${known ? '' : ' indeterminate'}`}
        role="progressbar"
        aria-label="Finding the key insights"
        {...(known ? { 'aria-valuemin': 0, 'aria-valuemax': p.total, 'aria-valuenow': done } : {})}
      >
        <div class="work-fill" style={known ? { width: `${(done / p.total) * 100}%` } : undefined} />
      </div>
      <p class="work-text muted">
        {known
          ? `Reading the transcript: ${done} of ${p.total} parts done`
          : 'Reading the transcript for its key insights…'}
        {status.insights.length > 0 &&
          ` · ${status.insights.length} insight${status.insights.length === 1 ? '' : 's'} so far`}
      </p>
    </div>
  );
}

function Engine({ status }: { status: InsightsStatus }) {
  const claude = status.engine.startsWith('Claude');
  const settings = useSettings(
    claude,
    `${status.state}:${status.progress?.done ?? ''}:${status.insights.length}`,
  );
  if (status.engine === 'local')
    return (
      <p class="engine">
        Picked on this device from the transcript itself.{' '}
        <button type="button" class="link" onClick={openOptions}>
          Add an Anthropic API key for better insights
        </button>
      </p>
    );
  return (
    <p class="engine" data-testid="engine">
      {`By ${status.engine}.`}
      {settings && (
        <span data-testid="spent-today">
          {' '}
          {formatUsd(settings.spentTodayUsd)} spent today of your {formatUsd(settings.dailyBudgetUsd)} budget.
        </span>
      )}
    </p>
  );
}

export function InsightsPanel({
  episodeId,
  status,
  position,
  highlight,
  onSeek,
}: {
  episodeId: string;
  status: InsightsStatus | undefined;
  position: number;
  /** The insight a timeline marker just pointed at: shown and briefly marked. */
  highlight: string | null;
  onSeek: (insight: InsightView) => void;
}) {
  const related = useRelated(status?.insights.map((i) => i.id) ?? []);
  useEffect(() => {
    if (highlight)
      document
        .getElementById(`insight-${highlight}`)
        ?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [highlight]);
  if (!status) return null;
  const now = currentInsight(status.insights, position);
  const count = status.insights.length;
  return (
    <section class="insights" data-testid="insights" data-state={status.state} aria-live="polite">
      <h2 class="section-head">
        Key insights
        {status.state === 'ready' && count > 0 && <span class="count">{count}</span>}
      </h2>
      {status.state === 'extracting' && <Progress status={status} />}
      {status.state === 'failed' && (
        <div class="callout error" role="alert">
          <p class="error-text">{status.error || 'The key insights could not be found.'}</p>
          <p class="actions">
            <button type="button" data-testid="retry-insights" onClick={() => void retry(episodeId)}>
              Try again
            </button>
            <button type="button" class="secondary" onClick={openOptions}>
              Settings
            </button>
          </p>
        </div>
      )}
      {status.state === 'ready' && count === 0 && (
        <p class="callout muted" data-testid="insights-empty">
          No insight stood out in this transcript.
        </p>
      )}
      {count > 0 && (
        <ol class="insight-list">
          {status.insights.map((insight) => (
            <li
              key={insight.id}
              id={`insight-${insight.id}`}
              class={[
                insight.start <= position ? 'heard' : '',
                insight === now ? 'now' : '',
                insight.id === highlight ? 'flash' : '',
              ]
                .filter(Boolean)
                .join(' ')}
              data-testid="insight"
            >
              <button
                type="button"
                class="time"
                onClick={() => onSeek(insight)}
                title="Jump to this moment"
                aria-label={`Jump to ${formatClock(insight.start)}`}
              >
                {formatClock(insight.start)}
              </button>
              <div class="insight-body">
                <p class="insight-text">{insight.text}</p>
                <div class="insight-tools">
                  <SaveToggle insight={insight} />
                  {insight.quote && (
                    <details>
                      <summary>Quote</summary>
                      <blockquote>“{insight.quote}”</blockquote>
                    </details>
                  )}
                </div>
                {insight.topics.length > 0 && (
                  <p class="topics">
                    {insight.topics.map((t) => (
                      <span key={t} class="topic">
                        {t}
                      </span>
                    ))}
                  </p>
                )}
                <Related items={related[insight.id]} />
              </div>
            </li>
          ))}
        </ol>
      )}
      <Engine status={status} />
    </section>
  );
}
