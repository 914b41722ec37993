// Pocket Casts: public episode pages (pocketcasts.com/podcast/<show>/<uuid>/<episode>/<uuid>) and
// the web player (play.pocketcasts.com). Public pages say what they show in JSON-LD and Open
// Graph, but their og:site_name is "Pocket Casts", not the show. In the web player the page is the
// app whatever it shows (another show, Discover…): the episode is what the player bar plays, named
// by Media Session and the bar, and its media element plays the episode's file as published.
import { LIMITS, type EpisodeHint } from '../../core/episode/hint';
import { clampText, httpUrl, mediaSessionMetadata, meta } from '../page-meta';
import { genericHint } from './generic';
import type { DetectContext, SiteAdapter } from './types';

/** Public episode pages; a show's page (/podcast/<show>/<uuid>) names no one episode. */
const EPISODE_PAGE = /^\/podcast\/[^/]+\/[\da-f-]{36}\/[^/]+\/[\da-f-]{36}\/?$/i;

// The web player's bar, at the bottom of every view (2022– React player).
const BAR_TITLE = ['.player-controls .episode-title'];
const BAR_SHOW = ['.player-controls .podcast-title'];
const BAR_ARTWORK = ['.player-controls .player-image img'];

/** Public episode page: the show's name, newest layout first. */
const PAGE_SHOW = [
  // 2024– pages: the show's header above the episode, linking to the show's page.
  '.podcast-header .podcast-title',
];

/** Public episode page: what the cards go after, newest layout first. */
const PAGE_MOUNT = [
  // 2024– pages: the play button, progress and <audio> under the episode's title.
  '.episode-page .episode-player',
];

const first = (doc: Document, selectors: string[]) =>
  selectors.map((s) => doc.querySelector(s)).find((el) => el?.textContent?.trim());

function playerHint({ doc, media, url }: DetectContext): EpisodeHint | null {
  const session = mediaSessionMetadata(doc);
  const title = clampText(session?.title ?? first(doc, BAR_TITLE)?.textContent, LIMITS.title);
  // Nothing playing in the bar: the app's own title and meta are not an episode's.
  if (!title) return null;
  // The bar names the show itself; Media Session's artist may be the show's author instead.
  const show = clampText(first(doc, BAR_SHOW)?.textContent ?? session?.album ?? session?.artist, LIMITS.show);
  const art = BAR_ARTWORK.map((s) => doc.querySelector(s)?.getAttribute('src')).find(Boolean);
  const d = media.duration;
  const hint: EpisodeHint = {
    site: 'pocketcasts',
    pageUrl: httpUrl(url.href, url.href) ?? url.origin,
    title,
    show,
    artwork: httpUrl(session?.artwork, url.href) ?? httpUrl(art, url.href),
    durationSeconds:
      Number.isFinite(d) && d > 0 && d <= LIMITS.durationSeconds ? Math.round(d * 10) / 10 : undefined,
    mediaUrl: httpUrl(media.currentSrc || media.src, url.href),
  };
  for (const key of Object.keys(hint) as (keyof EpisodeHint)[]) if (hint[key] === undefined) delete hint[key];
  return hint;
}

export const pocketcasts: SiteAdapter = {
  id: 'pocketcasts',
  matches: ['https://pocketcasts.com/*', 'https://play.pocketcasts.com/*'],
  detect(ctx) {
    if (ctx.url.hostname === 'play.pocketcasts.com') return playerHint(ctx);
    if (!EPISODE_PAGE.test(ctx.url.pathname)) return null;
    const hint = genericHint(ctx, 'pocketcasts');
    // Generic's last resort for the show is og:site_name: here that is Pocket Casts itself.
    if (hint.show === meta(ctx.doc, 'og:site_name')) {
      const show = clampText(first(ctx.doc, PAGE_SHOW)?.textContent, LIMITS.show);
      if (show) hint.show = show;
      else delete hint.show;
    }
    return hint;
  },
  // In the web player the bar is fixed to the window's bottom: the cards take a corner.
  mount: (doc) =>
    new URL(doc.URL).hostname === 'pocketcasts.com'
      ? (PAGE_MOUNT.map((s) => doc.querySelector(s)).find((el) => el) ?? null)
      : null,
};
