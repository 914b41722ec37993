// The popup's key insights of the episode: each with its time (a click seeks the player there),
// its text, its verbatim quote on demand, its topics, a Save toggle (today's list) and the related
// insights from other episodes of the library; those already heard are dimmed. Texts are model,
// transcript or page output: rendered as text.
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { formatClock } from '../../core/text/time';
import type { InsightsStatus, InsightView, RelatedView } from '../../messages';
import { sendToBackground, sendToTab } from '../../messaging';

const isWebUrl = (url: string | undefined): url is string => !!url && /^https?:\/\//i.test(url);

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

function SaveToggle({ insight }: { insight: InsightView }) {
  // What the user just chose wins over the last push until the next push agrees.
  const [chosen, setChosen] = useState<boolean | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const saved = chosen ?? !!insight.saved;
  useEffect(() => setChosen(undefined), [insight.saved]);
  const toggle = async () => {
    setBusy(true);
    setError('');
    try {
      if (saved) await sendToBackground('library/unsave', { insightId: insight.id });
      else await sendToBackground('library/save', { insightId: insight.id });
      setChosen(!saved);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        class={`save${saved ? ' on' : ''}`}
        data-testid="save"
        aria-pressed={saved}
        disabled={busy}
        title={saved ? 'Saved to today’s list: click to remove' : 'Save to today’s list'}
        onClick={() => void toggle()}
      >
        {saved ? '★ Saved' : '☆ Save'}
      </button>
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

function Related({ items }: { items: RelatedView[] | undefined }) {
  if (!items?.length) return null;
  return (
    <div class="related" data-testid="related">
      <p class="related-head">Related in your library</p>
      <ul>
        {items.map((r) => {
          const href = isWebUrl(r.link)
            ? r.link
            : isWebUrl(r.episode.pageUrl)
              ? r.episode.pageUrl
              : undefined;
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

export function InsightsPanel({
  tabId,
  episodeId,
  status,
  position,
}: {
  tabId: number;
  episodeId: string;
  status: InsightsStatus | undefined;
  position: number;
}) {
  const related = useRelated(status?.insights.map((i) => i.id) ?? []);
  if (!status) return null;
  const seek = (time: number) => {
    void sendToTab(tabId, 'player/seek', { time }).catch(() => {
      // The tab's player is gone (closed, navigated): nothing to move.
    });
  };
  return (
    <section class="insights" data-testid="insights" data-state={status.state} aria-live="polite">
      <h2>
        Key insights
        {status.state === 'extracting' && (
          <span class="muted">
            {' '}
            · finding…{status.progress ? ` ${status.progress.done}/${status.progress.total}` : ''}
          </span>
        )}
      </h2>
      {status.state === 'failed' && (
        <div role="alert">
          <p class="error-text">{status.error}</p>
          <button
            type="button"
            class="secondary"
            data-testid="retry-insights"
            onClick={() => void retry(episodeId)}
          >
            Try again
          </button>
        </div>
      )}
      {status.state === 'ready' && status.insights.length === 0 && (
        <p class="muted">No insight stood out in this transcript.</p>
      )}
      <ol class="insight-list">
        {status.insights.map((insight) => (
          <li key={insight.id} class={insight.start <= position ? 'heard' : ''} data-testid="insight">
            <button
              type="button"
              class="time"
              onClick={() => seek(insight.start)}
              title="Jump to this moment"
              aria-label={`Jump to ${formatClock(insight.start)}`}
            >
              {formatClock(insight.start)}
            </button>
            <div class="insight-body">
              <p class="insight-text">{insight.text}</p>
              <details>
                <summary>Quote</summary>
                <blockquote>“{insight.quote}”</blockquote>
              </details>
              <SaveToggle insight={insight} />
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
      <p class="engine muted">
        {status.engine === 'local' ? (
          <>
            Picked on this device from the transcript itself.{' '}
            <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
              Add an Anthropic API key for better insights
            </button>
          </>
        ) : (
          `By ${status.engine}.`
        )}
      </p>
    </section>
  );
}
