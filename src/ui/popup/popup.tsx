// The toolbar popup: what plays in this tab (show, episode, artwork, position), or a clear empty
// or error state with the next step. Page-supplied text is rendered as text (Preact children).
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { positionAt } from '../../core/episode/hint';
import { formatClock } from '../../core/text/time';
import type { NowPlaying } from '../../messages';
import { InsightsPanel } from './insights-panel';
import { TranscriptPanel } from './transcript-panel';
import iconUrl from '../../../public/icons/icon-48.png';
import { useNowPlaying } from './use-now-playing';

export const FIRST_RENDER = 'earmark:first-render';

export function Popup({ tabId }: { tabId: number | null }) {
  const { state, retry } = useNowPlaying(tabId);
  // The first render with the episode, for the benchmark (bench/popup-render.ts) and DevTools.
  useEffect(() => {
    if (state.kind === 'playing' && performance.getEntriesByName(FIRST_RENDER).length === 0)
      performance.mark(FIRST_RENDER);
  }, [state.kind]);
  return (
    <main class="popup" data-state={state.kind}>
      <header class="brand">
        <img src={iconUrl} alt="" width={20} height={20} />
        <span>Earmark</span>
        <button
          type="button"
          class="link saved-link"
          data-testid="open-library"
          onClick={() =>
            void browser.tabs.create({ url: browser.runtime.getURL('src/ui/library/index.html') })
          }
        >
          Saved insights
        </button>
      </header>
      {state.kind === 'loading' && (
        <p class="status" role="status">
          Looking at this tab…
        </p>
      )}
      {state.kind === 'empty' && <Empty />}
      {state.kind === 'error' && (
        <section class="notice error" role="alert" data-testid="error">
          <h2>Something went wrong</h2>
          <p>{state.message}</p>
          <button type="button" onClick={retry}>
            Try again
          </button>
        </section>
      )}
      {state.kind === 'playing' && <NowPlayingCard now={state.now} />}
    </main>
  );
}

function Empty() {
  return (
    <section class="notice" data-testid="empty">
      <h2>Nothing playing in this tab</h2>
      <p>
        Press play on a podcast episode and Earmark recognises it: on Overcast, Pocket Casts, Castbox, Apple
        Podcasts and podcast hosts’ pages (Buzzsprout, Transistor, Podbean, Simplecast, Libsyn, Captivate).
      </p>
    </section>
  );
}

function NowPlayingCard({ now }: { now: NowPlaying }) {
  const { episode, playback } = now;
  const [clock, setClock] = useState(Date.now());
  const playing = !!playback && !playback.paused;
  // Tick only while the popup is open and the episode plays.
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => setClock(Date.now()), 500);
    return () => clearInterval(timer);
  }, [playing]);
  const position = playback ? positionAt(playback, clock) : 0;
  const duration = playback?.duration ?? episode.durationSeconds;
  const [artFailed, setArtFailed] = useState(false);
  return (
    <section class="episode" data-testid="now-playing" aria-label="Now playing">
      <p class="eyebrow">{playing ? 'Now playing' : 'Paused'}</p>
      <div class="episode-head">
        {episode.artwork && !artFailed ? (
          <img
            class="artwork"
            src={episode.artwork}
            alt=""
            referrerpolicy="no-referrer"
            onError={() => setArtFailed(true)}
          />
        ) : (
          <div class="artwork placeholder" aria-hidden="true">
            ♪
          </div>
        )}
        <div class="titles">
          {episode.show && (
            <p class="show" data-testid="show">
              {episode.show}
            </p>
          )}
          <h1 class="title" data-testid="title">
            {episode.title}
          </h1>
          <p class="site">{hostOf(episode.pageUrl)}</p>
        </div>
      </div>
      <div class="progress" data-testid="position">
        <div
          class="bar"
          role="progressbar"
          aria-label="Position in the episode"
          aria-valuemin={0}
          aria-valuemax={duration ?? 0}
          aria-valuenow={position}
        >
          <div
            class="fill"
            style={{ width: duration ? `${Math.min(100, (position / duration) * 100)}%` : '0%' }}
          />
        </div>
        <p class="times">
          <span>{formatClock(position)}</span>
          <span>{duration ? formatClock(duration) : '–:––'}</span>
        </p>
      </div>
      <TranscriptPanel episodeId={episode.id} status={now.transcript} />
      <InsightsPanel tabId={now.tabId} episodeId={episode.id} status={now.insights} position={position} />
    </section>
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}
