// The popup's transcript section: the search's steps while it runs, where the transcript came
// from once found, or what was tried when there is none — with the next step the user can take
// (grant access to a host, try again); a transcript Earmark made from the audio says who made it.
// Texts are rendered as text.
import { useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { formatName } from '../../core/transcript/names';
import type { TranscriptStatus } from '../../messages';
import { sendToBackground } from '../../messaging';

const SOURCE_NAMES = { page: 'the page', feed: 'show’s feed' } as const;

export function TranscriptPanel({
  episodeId,
  status,
}: {
  episodeId: string;
  status: TranscriptStatus | undefined;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const retry = async () => {
    setProblem(null);
    try {
      await sendToBackground('transcript/retry', { episodeId });
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  const hosts = [
    ...new Set((status?.steps ?? []).flatMap((s) => (s.outcome === 'no-access' && s.host ? [s.host] : []))),
  ];
  const allow = async () => {
    setProblem(null);
    // Only the hosts the search needs, asked for with the reason shown above the button.
    const origins = hosts.flatMap((h) => [`https://${h}/*`, `http://${h}/*`]);
    try {
      if (await browser.permissions.request({ origins })) await retry();
      else setProblem('Access was not granted; the transcript cannot be read from there.');
    } catch (error) {
      setProblem((error as Error).message);
    }
  };

  if (!status)
    return (
      <section class="transcript" data-testid="transcript" data-state="waiting">
        <p class="muted">Waiting to look for the transcript…</p>
      </section>
    );
  return (
    <section class="transcript" data-testid="transcript" data-state={status.state} aria-live="polite">
      {status.state === 'finding' && <p class="muted">Finding the transcript…</p>}
      {status.state === 'found' && status.found?.source === 'transcribed' && (
        <p data-testid="transcript-source">
          <strong>Transcribed</strong> by {status.found.by || 'Earmark'}, {status.found.segments} segments
        </p>
      )}
      {status.state === 'found' && status.found && status.found.source !== 'transcribed' && (
        <p data-testid="transcript-source">
          <strong>Transcript:</strong>{' '}
          {status.found.source === 'feed' ? SOURCE_NAMES.feed : SOURCE_NAMES.page} (
          {formatName(status.found.format)}), {status.found.segments} segments
        </p>
      )}
      {status.state === 'none' && (
        <p>
          <strong>No transcript found.</strong> Here is what was tried:
        </p>
      )}
      {status.state !== 'found' && status.steps.length > 0 && (
        <ol class="steps" data-testid="transcript-steps">
          {status.steps.map((step, i) => (
            <li key={i} data-outcome={step.outcome}>
              {step.detail}
            </li>
          ))}
        </ol>
      )}
      {status.state === 'none' && (
        <p class="actions">
          {hosts.length > 0 && (
            <button type="button" onClick={allow} data-testid="allow-access">
              Allow access to {hosts.join(', ')}
            </button>
          )}
          <button type="button" class="secondary" onClick={retry} data-testid="retry-transcript">
            Try again
          </button>
        </p>
      )}
      {problem && (
        <p class="error-text" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
