// The toolbar popup, in three tabs. "Now": what plays in this tab (artwork, show, episode, and
// "Follow this show" when its feed is known), the episode's timeline with its insights, the state
// of the work (transcript, the offer to transcribe the audio when none is published, insights) and
// the insights, or a clear empty or error state with the next step. "Today": today's saved list.
// "Search": the whole library. Page-supplied text is rendered as text (Preact children).
import { useEffect, useRef, useState } from 'preact/hooks';
import { positionAt } from '../../core/episode/position';
import { formatClock } from '../../core/text/time';
import { hostOf } from './format';
import type { InsightView, NowPlaying } from '../../messages';
import { sendToTab } from '../../messaging';
import { FollowButton } from './follow-button';
import { InsightsPanel } from './insights-panel';
import { openLibrary } from './links';
import { SearchPanel } from './search-panel';
import { Timeline } from './timeline';
import { TodayPanel } from './today-panel';
import { TranscribePanel } from './transcribe-panel';
import { TranscriptPanel } from './transcript-panel';
import iconUrl from '../../../public/icons/icon-48.png';
import { useNowPlaying, type PopupState } from './use-now-playing';

export const FIRST_RENDER = 'earmark:first-render';

const TABS = [
  { id: 'now', label: 'Now' },
  { id: 'today', label: 'Today' },
  { id: 'search', label: 'Search' },
] as const;
type Tab = (typeof TABS)[number]['id'];

export function Popup({ tabId }: { tabId: number | null }) {
  const { state, retry } = useNowPlaying(tabId);
  const [tab, setTab] = useState<Tab>('now');
  const [query, setQuery] = useState('');
  // A click on Search puts the cursor in its box; arrowing through the tabs leaves focus on them.
  const [focusSearch, setFocusSearch] = useState(false);
  const tabs = useRef<Record<string, HTMLButtonElement | null>>({});
  // The first render with the episode, for the benchmark (bench/popup-render.ts) and DevTools.
  useEffect(() => {
    if (state.kind === 'playing' && performance.getEntriesByName(FIRST_RENDER).length === 0)
      performance.mark(FIRST_RENDER);
  }, [state.kind]);
  const onTabKey = (event: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === tab);
    const to =
      event.key === 'ArrowRight'
        ? (i + 1) % TABS.length
        : event.key === 'ArrowLeft'
          ? (i + TABS.length - 1) % TABS.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? TABS.length - 1
              : -1;
    if (to < 0) return;
    event.preventDefault();
    setFocusSearch(false);
    setTab(TABS[to]!.id);
    tabs.current[TABS[to]!.id]?.focus();
  };
  return (
    <main class="popup" data-state={state.kind}>
      <header class="top">
        <img class="logo" src={iconUrl} alt="Earmark" title="Earmark" width={20} height={20} />
        <nav class="tabs" role="tablist" aria-label="Earmark">
          {TABS.map((t) => (
            <button
              key={t.id}
              ref={(el) => {
                tabs.current[t.id] = el;
              }}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              class="tab"
              data-testid={`tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`panel-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              onClick={() => {
                setFocusSearch(t.id === 'search');
                setTab(t.id);
              }}
              onKeyDown={onTabKey}
            >
              {t.label}
            </button>
          ))}
        </nav>
        <button
          type="button"
          class="link library-link"
          data-testid="open-library"
          title="All your saved insights, by day, in a tab"
          onClick={openLibrary}
        >
          Library
        </button>
      </header>
      {/* Now stays mounted while hidden: its expanded quotes and Save choices survive a tab switch. */}
      <div class="panel" role="tabpanel" id="panel-now" aria-labelledby="tab-now" hidden={tab !== 'now'}>
        <NowTab state={state} retry={retry} showToday={() => setTab('today')} />
      </div>
      {tab === 'today' && (
        <div class="panel" role="tabpanel" id="panel-today" aria-labelledby="tab-today">
          <TodayPanel />
        </div>
      )}
      {tab === 'search' && (
        <div class="panel" role="tabpanel" id="panel-search" aria-labelledby="tab-search">
          <SearchPanel query={query} onQuery={setQuery} autoFocus={focusSearch} />
        </div>
      )}
    </main>
  );
}

function NowTab({
  state,
  retry,
  showToday,
}: {
  state: PopupState;
  retry: () => void;
  showToday: () => void;
}) {
  if (state.kind === 'loading')
    return (
      <p class="status" role="status">
        Looking at this tab…
      </p>
    );
  if (state.kind === 'empty') return <Empty showToday={showToday} />;
  if (state.kind === 'error')
    return (
      <section class="notice error" role="alert" data-testid="error">
        <h2>Something went wrong</h2>
        <p>{state.message}</p>
        <button type="button" onClick={retry}>
          Try again
        </button>
      </section>
    );
  return <NowPlayingCard now={state.now} />;
}

function Empty({ showToday }: { showToday: () => void }) {
  return (
    <section class="notice" data-testid="empty">
      <div class="notice-icon" aria-hidden="true">
        ♪
      </div>
      <h2>Nothing playing in this tab</h2>
      <p>
        Press play on a podcast episode and Earmark recognises it: on Overcast, Pocket Casts, Castbox, Apple
        Podcasts, Spotify, YouTube, YouTube Music and podcast hosts’ pages (Buzzsprout, Transistor, Podbean,
        Simplecast, Libsyn, Captivate, Substack).
      </p>
      <p>
        <button type="button" class="secondary" onClick={showToday}>
          See what you saved today
        </button>
      </p>
    </section>
  );
}

function NowPlayingCard({ now }: { now: NowPlaying }) {
  const { episode, playback } = now;
  const [clock, setClock] = useState(Date.now());
  const [highlight, setHighlight] = useState<string | null>(null);
  const playing = !!playback && !playback.paused;
  // Tick only while the popup is open and the episode plays.
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => setClock(Date.now()), 500);
    return () => clearInterval(timer);
  }, [playing]);
  useEffect(() => {
    if (!highlight) return;
    const timer = setTimeout(() => setHighlight(null), 1500);
    return () => clearTimeout(timer);
  }, [highlight]);
  const position = playback ? positionAt(playback, clock) : 0;
  const duration = playback?.duration ?? episode.durationSeconds;
  const [artFailed, setArtFailed] = useState(false);
  const insights = now.insights?.insights ?? [];
  const seek = (insight: InsightView) => {
    void sendToTab(now.tabId, 'player/seek', { time: insight.start }).catch(() => {
      // The tab's player is gone (closed, navigated): nothing to move.
    });
  };
  return (
    <section class="episode" data-testid="now-playing" aria-label="Now playing">
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
          <p class={`eyebrow${playing ? ' playing' : ''}`}>{playing ? 'Now playing' : 'Paused'}</p>
          {episode.show && (
            <p class="show" data-testid="show">
              {episode.show}
            </p>
          )}
          <h1 class="title" data-testid="title" title={episode.title}>
            {episode.title}
          </h1>
          <p class="site">{hostOf(episode.pageUrl)}</p>
          {now.follow && <FollowButton episodeId={episode.id} follow={now.follow} />}
        </div>
      </div>
      <div class="position" data-testid="position">
        <Timeline
          insights={insights}
          position={position}
          duration={duration}
          onSeek={(insight) => {
            seek(insight);
            setHighlight(insight.id);
          }}
        />
        <p class="times">
          <span>{formatClock(position)}</span>
          <span>{duration ? formatClock(duration) : '–:––'}</span>
        </p>
      </div>
      <TranscriptPanel episodeId={episode.id} status={now.transcript} />
      <TranscribePanel episodeId={episode.id} offer={now.transcribe} transcription={now.transcription} />
      <InsightsPanel
        episodeId={episode.id}
        status={now.insights}
        position={position}
        highlight={highlight}
        onSeek={seek}
      />
    </section>
  );
}
