// The popup's offer to transcribe an episode's audio when no transcript is published, and the
// work once started: what it would take first (who transcribes, how long the audio is, the
// estimated cost or the model to download), then minutes transcribed with Pause, Resume and Try
// again, and "Allow <host>" when access is what failed. Texts are rendered as text.
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { TranscribeOffer, TranscriptionView } from '../../messages';
import { sendToBackground } from '../../messaging';
import { askForHost } from './follow-button';
import { formatUsd } from './format';
import { plural } from '../../core/text/plural';

const openOptions = () => void browser.runtime.openOptionsPage();

/** "12 of 58 minutes", or "12 minutes" while the episode's length is unknown. */
export function minutesDone(job: Pick<TranscriptionView, 'doneSeconds' | 'totalSeconds'>): string {
  const done = Math.floor(job.doneSeconds / 60);
  return job.totalSeconds
    ? `${done} of ${plural(Math.ceil(job.totalSeconds / 60), 'minute')}`
    : plural(done, 'minute');
}

/** Megabytes as the offer states them: "41 MB". */
const megabytes = (bytes: number) => `${Math.max(1, Math.round(bytes / 1_000_000))} MB`;

/** A price per minute as set in the options: "$0.006" (not rounded to cents). */
const pricePerMinute = (usd: number) => `$${Number(usd.toFixed(4))}`;

function Offer({ offer, busy, onStart }: { offer: TranscribeOffer; busy: boolean; onStart: () => void }) {
  const service = offer.engine === 'openai';
  const host = offer.host ?? '';
  const minutes = offer.durationSeconds ? Math.max(1, Math.round(offer.durationSeconds / 60)) : 0;
  // Without the audio's address there is nothing to offer: one quiet line says why.
  if (!offer.audio)
    return (
      <p class="muted" data-testid="transcribe-blocked">
        {offer.blocked || 'No address of this episode’s audio is known, so it cannot be transcribed.'}
      </p>
    );
  return (
    <>
      <p>
        <strong>No transcript is published.</strong> Earmark can transcribe the audio.
      </p>
      <p data-testid="transcribe-by">
        {`By ${offer.by}`}
        {minutes > 0 && `: ${minutes} min of audio`}.
      </p>
      {service ? (
        <>
          {offer.costUsd !== undefined && (
            <p data-testid="transcribe-cost">
              About {formatUsd(offer.costUsd)}
              {offer.pricePerMinute !== undefined &&
                ` at ${pricePerMinute(offer.pricePerMinute)} a minute`}{' '}
              (an estimate, at the price set in the options).
            </p>
          )}
          <p data-testid="transcribe-privacy">
            The audio is sent to {host || 'the transcription service'} with your key.
          </p>
        </>
      ) : (
        <p data-testid="transcribe-privacy">
          {offer.downloadBytes
            ? `Downloads the speech model once (${megabytes(offer.downloadBytes)}), then runs on this device: the audio never leaves it.`
            : 'Runs on this device: the audio never leaves it.'}
        </p>
      )}
      {offer.blocked ? (
        <>
          <p class="error-text" data-testid="transcribe-blocked">
            {offer.blocked}
          </p>
          <p class="actions">
            <button type="button" class="secondary" data-testid="transcribe-options" onClick={openOptions}>
              Open options
            </button>
          </p>
        </>
      ) : (
        <p class="actions">
          <button type="button" data-testid="transcribe-start" disabled={busy} onClick={onStart}>
            Transcribe
          </button>
        </p>
      )}
    </>
  );
}

function Job({
  job,
  busy,
  onPause,
  onResume,
  onAllow,
}: {
  job: TranscriptionView;
  busy: boolean;
  onPause: () => void;
  onResume: () => void;
  onAllow: (host: string) => void;
}) {
  const total = job.totalSeconds ?? 0;
  const share = total > 0 ? Math.min(job.doneSeconds, total) / total : 0;
  const cost = job.costUsd !== undefined ? ` · ${formatUsd(job.costUsd)} so far` : '';
  return (
    <>
      {job.state === 'running' && (
        <div class="work" data-testid="transcribe-progress">
          <div
            class={`work-bar${total > 0 ? '' : ' indeterminate'}`}
            role="progressbar"
            aria-label="Transcribing the audio"
            {...(total > 0
              ? {
                  'aria-valuemin': 0,
                  'aria-valuemax': total,
                  'aria-valuenow': Math.min(job.doneSeconds, total),
                }
              : {})}
          >
            <div class="work-fill" style={total > 0 ? { width: `${share * 100}%` } : undefined} />
          </div>
          <p class="work-text" data-testid="transcribe-minutes">
            {`${minutesDone(job)} transcribed${cost}`}
          </p>
          {job.activity && (
            <p class="work-text muted" data-testid="transcribe-activity">
              {job.activity}
            </p>
          )}
        </div>
      )}
      {job.state === 'paused' && (
        <p data-testid="transcribe-minutes">{`Paused at ${minutesDone(job)}${cost}`}</p>
      )}
      {job.state === 'failed' && (
        <>
          <p class="error-text" role="alert" data-testid="transcribe-error">
            {job.error || 'Transcribing stopped.'}
          </p>
          {job.doneSeconds > 0 && (
            <p class="muted" data-testid="transcribe-minutes">{`${minutesDone(job)} transcribed${cost}`}</p>
          )}
        </>
      )}
      <p class="muted" data-testid="transcribe-by">{`By ${job.by}.`}</p>
      <p class="actions">
        {job.state === 'running' && (
          <button
            type="button"
            class="secondary"
            data-testid="transcribe-pause"
            disabled={busy}
            onClick={onPause}
          >
            Pause
          </button>
        )}
        {job.state === 'paused' && (
          <button type="button" data-testid="transcribe-resume" disabled={busy} onClick={onResume}>
            Resume
          </button>
        )}
        {job.state === 'failed' && job.needsAccess && (
          <button
            type="button"
            data-testid="transcribe-allow"
            disabled={busy}
            onClick={() => onAllow(job.needsAccess!)}
          >
            Allow {job.needsAccess}
          </button>
        )}
        {job.state === 'failed' && (
          <button
            type="button"
            class={job.needsAccess ? 'secondary' : ''}
            data-testid="transcribe-retry"
            disabled={busy}
            onClick={onResume}
          >
            Try again
          </button>
        )}
      </p>
    </>
  );
}

/** The later of two views of the job: a request's answer may arrive before or after the push. */
function newer(a: TranscriptionView | undefined, b: TranscriptionView | null): TranscriptionView | undefined {
  if (!b) return a;
  if (!a) return b;
  return b.updatedAt > a.updatedAt ? b : a;
}

export function TranscribePanel({
  episodeId,
  offer,
  transcription,
}: {
  episodeId: string;
  offer: TranscribeOffer | undefined;
  transcription: TranscriptionView | undefined;
}) {
  const [answered, setAnswered] = useState<TranscriptionView | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // Another episode in the tab: the last answer was about the one before.
  useEffect(() => {
    setAnswered(null);
    setProblem(null);
  }, [episodeId]);

  const act = async (work: () => Promise<TranscriptionView | string>) => {
    setBusy(true);
    setProblem(null);
    try {
      const result = await work();
      if (typeof result === 'string') setProblem(result);
      else setAnswered(result);
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const start = () => void act(() => sendToBackground('stt/start', { episodeId }));
  const pause = () => void act(() => sendToBackground('stt/pause', { episodeId }));
  const resume = () => void act(() => sendToBackground('stt/resume', { episodeId }));
  const allow = (host: string) => {
    // Asked first thing in the click: the browser grants only within the user's gesture.
    const asked = askForHost(host);
    void act(async () =>
      (await asked)
        ? sendToBackground('stt/resume', { episodeId })
        : `Access to ${host} was not granted, so Earmark cannot transcribe this episode’s audio.`,
    );
  };

  const job = newer(transcription, answered);
  if (job?.state === 'done' || (!job && !offer)) return null;
  return (
    <section
      class="transcribe callout"
      data-testid="transcribe"
      data-state={job ? job.state : 'offer'}
      aria-live="polite"
    >
      {job ? (
        <Job job={job} busy={busy} onPause={pause} onResume={resume} onAllow={allow} />
      ) : (
        <Offer offer={offer!} busy={busy} onStart={start} />
      )}
      {problem && (
        <p class="error-text" role="alert" data-testid="transcribe-problem">
          {problem}
        </p>
      )}
    </section>
  );
}
