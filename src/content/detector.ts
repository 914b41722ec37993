// Detection in a page, driven by events only (no timers, no polling: it costs nothing while
// nothing plays). It follows the media element the user last started, asks the site adapter
// what episode it is, and reports the episode and each change of the player's state.
import { LIMITS, type EpisodeHint, type Playback } from '../core/episode/hint';
import type { TabState } from '../messages';
import type { SiteAdapter } from './sites/types';

/** Media with a known duration under this is a sound effect, a preview or an ad, not an episode. */
export const MIN_EPISODE_SECONDS = 30;

export type DetectorDeps = {
  doc: Document;
  /** The adapter for the page's current URL (SPAs change URL without reloading). */
  adapter: () => SiteAdapter;
  /** Sends the hint to the background; resolves to the stored episode's id. */
  report: (hint: EpisodeHint) => Promise<string>;
  reportPlayback: (playback: Playback) => void;
  /**
   * Which episode plays now, and in which element: told once the background has stored it, and
   * told null as soon as that no longer holds (another element or episode, the page no longer an
   * episode, the element gone after navigation, the detector stopped). The inline cards follow it.
   */
  onEpisode?: (episode: ActiveEpisode | null) => void;
  onError?: (error: unknown) => void;
  now?: () => number;
};

/** An episode the background knows, and the element that plays it. */
export type ActiveEpisode = { episodeId: string; media: HTMLMediaElement };

export type Detector = {
  state(): TabState;
  seek(time: number): number | null;
  /** Follows media the document's events do not reach (media-bridge.ts's proxies) as it plays. */
  offer(media: HTMLMediaElement): void;
  /** Re-reads the page (after SPA navigation) and reports if the episode changed. */
  refresh(): void;
  stop(): void;
};

const isMedia = (x: EventTarget | null): x is HTMLMediaElement =>
  !!x && typeof (x as HTMLMediaElement).play === 'function' && 'currentTime' in (x as object);

/** The changes of state reported (besides `play`). */
const CHANGES = ['pause', 'seeked', 'ratechange', 'ended', 'loadedmetadata'];

/**
 * `run` at most `burst` times a second as events ask for it; past that, once more when the second
 * is over (so the last state is still told): thousands of events cost a few readings, not thousands.
 */
export function rateLimited(run: () => void, burst = 20): () => void {
  let since = Number.NEGATIVE_INFINITY;
  let used = 0;
  let later: ReturnType<typeof setTimeout> | undefined;
  return () => {
    const now = performance.now();
    if (now - since >= 1000) {
      since = now;
      used = 0;
    }
    if (used < burst) {
      used++;
      return run();
    }
    later ??= setTimeout(
      () => {
        later = undefined;
        since = performance.now();
        used = 1;
        run();
      },
      1000 - (now - since),
    );
  };
}

export function isEpisodeLike(media: HTMLMediaElement): boolean {
  const d = media.duration;
  return !(Number.isFinite(d) && d > 0 && d < MIN_EPISODE_SECONDS);
}

export function startDetector(deps: DetectorDeps): Detector {
  const { doc } = deps;
  const now = deps.now ?? Date.now;
  const abort = new AbortController();
  let active: HTMLMediaElement | null = null;
  let episodeId: string | null = null;
  let lastKey = '';
  let generation = 0;
  let announced: ActiveEpisode | null = null;

  /** Tells onEpisode of a change (and only of a change). */
  const announce = (next: ActiveEpisode | null) => {
    if (next?.episodeId === announced?.episodeId && next?.media === announced?.media) return;
    announced = next;
    deps.onEpisode?.(next);
  };

  // Readings stay within what the background accepts (PlaybackSchema): a live stream's clock or
  // a nonsense duration past the limit is clamped or left out, never sent to be refused.
  const snapshot = (m: HTMLMediaElement): Playback => ({
    position: Math.min(
      LIMITS.durationSeconds,
      Math.max(0, Number.isFinite(m.currentTime) ? m.currentTime : 0),
    ),
    ...(Number.isFinite(m.duration) && m.duration > 0 && m.duration <= LIMITS.durationSeconds
      ? { duration: m.duration }
      : {}),
    paused: m.paused || m.ended,
    rate: Number.isFinite(m.playbackRate) ? Math.min(16, Math.max(0, m.playbackRate)) : 1,
    at: now(),
  });

  function detect(): void {
    const media = active;
    if (!media) return;
    let hint: EpisodeHint | null;
    try {
      hint = deps.adapter().detect({ doc, media, url: new URL(doc.location?.href ?? doc.URL) });
    } catch (error) {
      deps.onError?.(error);
      return;
    }
    if (!hint) {
      // Not an episode now (an ad in the same element, a page that is not an episode's): what the
      // page shows no longer belongs to the episode reported, until the same one is detected again.
      announce(null);
      return;
    }
    // Duration firms up as metadata loads; it does not make a new episode.
    const { durationSeconds: _d, ...identity } = hint;
    const key = JSON.stringify(identity);
    if (key === lastKey) {
      if (episodeId) {
        announce({ episodeId, media });
        deps.reportPlayback(snapshot(media));
      }
      return;
    }
    lastKey = key;
    announce(null); // another episode: the previous one's cards go now, not when the answer comes
    const mine = ++generation;
    deps.report(hint).then(
      (id) => {
        if (mine !== generation) return; // a newer episode superseded this one meanwhile
        episodeId = id;
        announce({ episodeId: id, media });
        deps.reportPlayback(snapshot(media));
      },
      (error: unknown) => {
        if (mine === generation) lastKey = ''; // let the next play event try again
        deps.onError?.(error);
      },
    );
  }

  /** Listens on the active media itself when it is not in the document (a proxy). */
  let own: AbortController | null = null;
  const follow = (media: HTMLMediaElement | null) => {
    active = media;
    own?.abort();
    own = null;
    if (!media || 'nodeType' in (media as object)) return;
    own = new AbortController();
    for (const type of CHANGES) media.addEventListener(type, onChange, { signal: own.signal });
  };

  let detectQueued = false;
  const onPlay = (event: Event | { target: EventTarget }) => {
    const media = event.target;
    if (abort.signal.aborted || !isMedia(media) || !isEpisodeLike(media)) return;
    if (media !== active) {
      follow(media);
      episodeId = null;
      lastKey = '';
      announce(null);
      generation++; // an answer still pending belongs to the previous element: ignore it
    }
    // Read the page after the event has run its course: players set Media Session metadata in
    // their own `play` listeners, which run after this capture-phase one. Once for a burst of
    // events: a page can fire thousands in a loop.
    if (detectQueued) return;
    detectQueued = true;
    setTimeout(() => {
      detectQueued = false;
      detect();
    }, 0);
  };

  // The page's events (its own, forged ones too) cost it at most a few readings a second.
  const detectNow = rateLimited(detect, 4);
  const reportNow = rateLimited(() => {
    if (active && episodeId) deps.reportPlayback(snapshot(active));
  });
  const onChange = (event: Event) => {
    if (event.target !== active || !active || !episodeId) return;
    // The element kept playing a new file (autoplay of the next episode): detect it anew.
    if (event.type === 'loadedmetadata') return detectNow();
    reportNow();
  };

  // `play` does not bubble: listen in the capture phase to see every media element's.
  const options = { capture: true, signal: abort.signal };
  doc.addEventListener('play', onPlay, options);
  for (const type of CHANGES) doc.addEventListener(type, onChange, options);

  // Media that started before this script was injected: take the longest one playing.
  const playing = [...doc.querySelectorAll<HTMLMediaElement>('audio, video')]
    .filter((m) => !m.paused && !m.ended && isEpisodeLike(m))
    .sort(
      (a, b) =>
        (Number.isFinite(b.duration) ? b.duration : 0) - (Number.isFinite(a.duration) ? a.duration : 0),
    );
  if (playing[0]) {
    follow(playing[0]);
    detect();
  }

  return {
    state() {
      if (!active || !episodeId || !active.isConnected) return null;
      return { episodeId, playback: snapshot(active) };
    },
    seek(time) {
      if (!active || !active.isConnected) return null;
      const end = Number.isFinite(active.duration) ? active.duration : Infinity;
      active.currentTime = Math.min(Math.max(0, time), end);
      return active.currentTime;
    },
    offer: (media) => onPlay({ target: media }),
    refresh() {
      // The page navigated and took the player with it: no media, no episode.
      if (active && !active.isConnected) {
        follow(null);
        episodeId = null;
        lastKey = '';
        generation++;
        announce(null);
      } else if (active && !active.paused) detect();
    },
    stop() {
      abort.abort();
      generation++;
      follow(null);
      episodeId = null;
      announce(null);
    },
  };
}
