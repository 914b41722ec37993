// Inline insight cards, synced to playback. A card shows when the playhead reaches its insight's
// start; the last few stay reachable; seeks, pauses, rate changes and episode changes are followed.
// Event-driven only: it listens to the playing element's own events, and only while an episode
// with insights plays; with no media it mounts nothing and starts no listener, timer or observer.
import { h, render } from 'preact';
import type { ActiveEpisode } from '../detector';
import type { BackgroundRequest, BackgroundResponse, CardsView, InsightView } from '../../messages';
import { createHost, pageTheme, placeHost, type Host } from './host';
import { byStart, reachedCount, stackOf } from './timeline';
import { Cards as CardsUi, type CardActions } from './view';

type CardsMessage = 'cards/get' | 'cards/save' | 'cards/follow';

export type CardsDeps = {
  doc: Document;
  /** Sends to the background (sendToBackground in the page; a mock in tests). */
  send: <K extends CardsMessage>(type: K, payload: BackgroundRequest<K>) => Promise<BackgroundResponse<K>>;
  /** Moves the playhead of the detected episode's player (the detector's seek). */
  seek: (time: number) => number | null;
  /** The site adapter's anchor for the cards (SiteAdapter.mount), if any. */
  mount?: () => Element | null;
  onError?: (error: unknown) => void;
  /** The shadow root's mode: closed in pages; tests open it to look inside. */
  shadow?: ShadowRootMode;
};

export type Cards = {
  /** The detector's word on what plays (ActiveEpisode), or null: no episode, no media. */
  setEpisode(episode: ActiveEpisode | null): void;
  /** The background's push: the episode's insights now (replaces the list). */
  update(view: CardsView): void;
  /** The card on screen (expanded or collapsed to the pill), for the keyboard shortcut. */
  current(): { insightId: string } | null;
  stop(): void;
};

/** Media events the cards follow. `timeupdate` fires a few times a second while playing. */
const MEDIA_EVENTS = ['timeupdate', 'seeked', 'play', 'pause', 'ratechange'] as const;

export function startCards(deps: CardsDeps): Cards {
  const { doc } = deps;
  let episode: ActiveEpisode | null = null;
  let insights: InsightView[] = [];
  /** Whether the episode's show is followed (undefined: its feed is not known). */
  let followed: boolean | undefined;
  let followNote = '';
  /** How many of `insights` the playhead has reached. */
  let reached = 0;
  /** The card the user paged to; null: the newest. */
  let pagedTo: string | null = null;
  let dismissed = new Set<string>();
  let openQuotes = new Set<string>();
  /** Kept across episodes for as long as the page lives. */
  let collapsed = false;
  /** The episode a "quiet" view (start folded) was last applied to: applied once per episode. */
  let quietFor: string | null = null;
  let focusNext: 'pill' | 'card' | null = null;
  /** Bumped by each episode change and each push: an older 'cards/get' answer is stale. */
  let version = 0;
  let listening: AbortController | null = null;
  let host: Host | null = null;
  let stopped = false;

  function reset(): void {
    version++;
    listening?.abort();
    listening = null;
    if (host) {
      render(null, host.app);
      host.element.remove();
      host = null;
    }
    insights = [];
    reached = 0;
    pagedTo = null;
    dismissed = new Set();
    openQuotes = new Set();
  }

  function apply(view: CardsView): void {
    // A quiet episode (a short YouTube video) starts folded to the pill; the user may open it.
    if (view.quiet && quietFor !== view.episodeId) {
      quietFor = view.episodeId;
      collapsed = true;
    }
    insights = byStart(view.insights);
    followed = view.followed;
    listen();
    reached = -1; // recount and redraw
    sync();
  }

  /** Follows the episode's element while there are insights to show, and only then. */
  function listen(): void {
    if (insights.length > 0 && episode && !listening) {
      listening = new AbortController();
      for (const type of MEDIA_EVENTS)
        episode.media.addEventListener(type, sync, { signal: listening.signal });
    } else if (insights.length === 0) {
      listening?.abort();
      listening = null;
    }
  }

  /** Reads the playhead; redraws only when the set of reached insights changed (and says so). */
  function sync(): boolean {
    if (!episode) return false;
    const n = reachedCount(insights, episode.media.currentTime);
    if (n === reached) return false;
    if (n > reached) pagedTo = null; // a new moment (or a seek forward): show the newest card
    reached = n;
    draw();
    return true;
  }

  function stack(): InsightView[] {
    return stackOf(insights, Math.max(0, reached), dismissed);
  }

  function shownIndex(cards: InsightView[]): number {
    const i = pagedTo === null ? -1 : cards.findIndex((c) => c.id === pagedTo);
    return i >= 0 ? i : cards.length - 1;
  }

  const actions: CardActions = {
    save(insight) {
      const saved = !insight.saved;
      setSaved(insight.id, saved);
      deps.send('cards/save', { insightId: insight.id, saved }).then(
        (answer) => setSaved(insight.id, answer.saved),
        (error: unknown) => {
          setSaved(insight.id, !saved);
          deps.onError?.(error);
        },
      );
    },
    jump(insight) {
      deps.seek(insight.start);
      pagedTo = insight.id; // jumping back to an older card: it becomes the newest reached
      if (!sync()) draw();
    },
    dismiss(insight) {
      dismissed.add(insight.id);
      if (pagedTo === insight.id) pagedTo = null;
      focusNext = 'card';
      draw();
    },
    page(delta) {
      const cards = stack();
      const next = cards[Math.min(cards.length - 1, Math.max(0, shownIndex(cards) + delta))];
      pagedTo = next?.id ?? null;
      draw();
    },
    collapse(value) {
      collapsed = value;
      // The button pressed goes away: keep the keyboard where the user is.
      focusNext = value ? 'pill' : 'card';
      draw();
    },
    toggleQuote(insight) {
      if (!openQuotes.delete(insight.id)) openQuotes.add(insight.id);
      draw();
    },
    follow() {
      followed = true;
      followNote = '';
      draw();
      const failed = (note: string) => {
        followed = false;
        followNote = note;
        draw();
      };
      deps.send('cards/follow', {}).then(
        (answer) => answer.ok || failed(answer.error),
        (error: unknown) => failed(String((error as Error)?.message ?? error)),
      );
    },
  };

  function setSaved(id: string, saved: boolean): void {
    const i = insights.findIndex((x) => x.id === id);
    if (i < 0 || insights[i]!.saved === saved) return;
    insights = insights.with(i, { ...insights[i]!, saved });
    draw();
  }

  function draw(): void {
    const cards = stack();
    if (!episode || cards.length === 0) {
      if (host) render(null, host.app);
      return;
    }
    host ??= createHost(doc, deps.shadow ?? 'closed');
    let anchor: Element | null = null;
    try {
      anchor = deps.mount?.() ?? null;
    } catch (error) {
      deps.onError?.(error); // a site's layout changed under its adapter: use the corner
    }
    placeHost(host, doc, anchor, episode.media);
    host.theme = pageTheme(doc); // the page may have switched theme since the last card
    const shown = shownIndex(cards);
    render(
      h(CardsUi, {
        stack: cards,
        shown,
        total: insights.length,
        collapsed,
        quoteOpen: openQuotes.has(cards[shown]!.id),
        corner: host.place !== 'inline',
        theme: host.theme,
        followed,
        followNote,
        actions,
      }),
      host.app,
    );
    if (focusNext) {
      const target = host.app.querySelector<HTMLElement>(focusNext === 'pill' ? '.pill' : '.card button');
      focusNext = null;
      target?.focus();
    }
  }

  return {
    setEpisode(next) {
      if (stopped) return;
      if (next && episode && next.episodeId === episode.episodeId) {
        if (next.media !== episode.media) {
          // The same episode in another element (a player that rebuilt its <video>): follow it.
          episode = next;
          listening?.abort();
          listening = null;
          listen();
          reached = -1;
          sync();
        }
        return;
      }
      reset();
      episode = next;
      if (!next) return;
      const mine = version;
      deps.send('cards/get', {}).then(
        (view) => {
          if (mine !== version || !view || view.episodeId !== next.episodeId) return;
          apply(view);
        },
        (error: unknown) => deps.onError?.(error),
      );
    },
    update(view) {
      if (stopped || !episode || view.episodeId !== episode.episodeId) return;
      version++; // a push is the newest word: a 'cards/get' still in flight is older
      apply(view);
    },
    current() {
      if (!episode) return null;
      const cards = stack();
      const card = cards[shownIndex(cards)];
      return card ? { insightId: card.id } : null;
    },
    stop() {
      reset();
      episode = null;
      stopped = true;
    },
  };
}
