// The popup's key insights of the episode: each with its time (a click seeks the player there),
// its text, its verbatim quote on demand and its topics; those already heard are dimmed. Texts are
// model or transcript output: rendered as text.
import browser from 'webextension-polyfill';
import { formatClock } from '../../core/text/time';
import type { InsightsStatus } from '../../messages';
import { sendToBackground, sendToTab } from '../../messaging';

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
              {insight.topics.length > 0 && (
                <p class="topics">
                  {insight.topics.map((t) => (
                    <span key={t} class="topic">
                      {t}
                    </span>
                  ))}
                </p>
              )}
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
