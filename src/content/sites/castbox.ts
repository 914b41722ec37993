// Castbox episode pages (castbox.fm/episode/<slug>-id<channel id>-id<episode id>). Open Graph names
// the episode, and og:site_name is Castbox, not the show. The page's serialized state
// (window.__INITIAL_STATE__) holds the episode as the feed lists it (its audio URL, cover,
// duration, date) and the channel with its name and feed (rss_url). The state is parsed as JSON,
// never run; its entries are taken by id (the playing file's, else the page's episode id), since
// after in-app navigation it still describes the first page loaded. JSON-LD serves as a fallback.
import { LIMITS } from '../../core/episode/hint';
import { clampText, httpUrl, meta } from '../page-meta';
import { genericHint } from './generic';
import type { SiteAdapter } from './types';

type Entry = Record<string, unknown>;

const EPISODE_PAGE = /^\/episode\/.+-id(\d+)-id(\d+)\/?$/;

/** The state the server rendered: `window.__INITIAL_STATE__ = {…}` (or a URI-encoded JSON string). */
function readState(doc: Document): unknown {
  for (const script of doc.querySelectorAll('script:not([src])')) {
    const text = script.textContent ?? '';
    const at = /window\.__INITIAL_STATE__\s*=\s*/.exec(text);
    if (!at || text.length > 5_000_000) continue;
    try {
      const state: unknown = JSON.parse(text.slice(at.index + at[0].length).replace(/;\s*$/, ''));
      return typeof state === 'string' ? JSON.parse(decodeURIComponent(state)) : state;
    } catch {
      return undefined; // not JSON (a new build's format): Open Graph and JSON-LD still speak
    }
  }
  return undefined;
}

/** Every object in the state, breadth first, bounded. */
function entries(state: unknown): Entry[] {
  const out: Entry[] = [];
  const queue = [state];
  for (let i = 0; i < queue.length; i++) {
    const x = queue[i];
    if (typeof x !== 'object' || x === null) continue;
    if (!Array.isArray(x)) out.push(x as Entry);
    for (const value of Object.values(x)) if (queue.length < 20_000) queue.push(value);
  }
  return out;
}

const str = (x: unknown) => (typeof x === 'string' || typeof x === 'number' ? String(x) : undefined);

export const castbox: SiteAdapter = {
  id: 'castbox',
  matches: ['https://castbox.fm/*'],
  detect(ctx) {
    const { doc, media, url } = ctx;
    const ids = EPISODE_PAGE.exec(url.pathname);
    const all = entries(readState(doc));
    const src = httpUrl(media.currentSrc || media.src, url.href);
    const episode =
      all.find((e) => e.eid !== undefined && src && httpUrl(e.url, url.href) === src) ??
      all.find((e) => ids && str(e.eid) === ids[2]);
    // Off an episode's page, only the state can say what the player plays.
    if (!ids && !episode) return null;
    const hint = genericHint(ctx, 'castbox');
    const cid = str(episode?.cid) ?? ids?.[1];
    const channel = all.find(
      (e) => cid && e.eid === undefined && typeof e.title === 'string' && str(e.cid) === cid,
    );
    // Generic's last resort for the show is og:site_name: here that is Castbox itself.
    const show =
      clampText(channel?.title, LIMITS.show) ??
      (hint.show !== meta(doc, 'og:site_name') ? hint.show : undefined);
    const duration = Number(episode?.duration) / 1000; // milliseconds
    Object.assign(hint, {
      title: clampText(episode?.title, LIMITS.title) ?? hint.title,
      show,
      artwork: httpUrl(episode?.big_cover_url ?? episode?.cover_url, url.href) ?? hint.artwork,
      durationSeconds:
        hint.durationSeconds ??
        (duration > 0 && duration <= LIMITS.durationSeconds ? Math.round(duration) : undefined),
      enclosureUrl: httpUrl(episode?.url, url.href) ?? hint.enclosureUrl,
      feedUrl: httpUrl(channel?.rss_url, url.href) ?? hint.feedUrl,
      published: clampText(episode?.release_date, 40) ?? hint.published,
    });
    // The canonical link is the page's episode's; the player may play another one.
    if (episode && str(episode.eid) !== ids?.[2]) hint.canonicalUrl = undefined;
    for (const key of Object.keys(hint) as (keyof typeof hint)[])
      if (hint[key] === undefined) delete hint[key];
    return hint;
  },
  // No mount: the player is a bar fixed to the window's bottom, and the cards take a corner.
};
