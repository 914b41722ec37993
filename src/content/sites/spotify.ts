// Spotify's web player (open.spotify.com). One player plays music, audiobooks, ads and podcast
// episodes in the same media element, and the page around it is whatever the listener browses:
// what plays is told by the now-playing bar (and Media Session), not by the page. Only an item the
// bar links to /episode/<id> is an episode. Page metadata (og:, JSON-LD) is read only on that
// episode's own page. Spotify links no feed and no audio file: the show's name leads to the feed
// (through Apple's directory), the episode id goes in `ids.spotify`.
//
// The media element is the one Spotify's player creates (a <video> for its encrypted streams, an
// <audio> in some versions); the detector seeks it directly, which moves Spotify's player along
// (its bar follows the element's `timeupdate`). An element the player keeps out of the document
// is seen through the page-world bridge (media-bridge-main.ts): `media` is then its proxy, with
// the same duration, currentSrc and playhead.
import { LIMITS, type EpisodeHint } from '../../core/episode/hint';
import { clampText, httpUrl, jsonLdEpisode, mediaSessionMetadata, meta, transcriptLinks } from '../page-meta';
import type { SiteAdapter } from './types';

/** The bar's title link, newest layout first. */
const NOW_PLAYING_LINK = [
  // 2023– bar: <div data-testid="context-item-info-title"><a data-testid="context-item-link" href>.
  '[data-testid="now-playing-widget"] [data-testid="context-item-info-title"] a[href]',
  // 2021–2023 bar: the link alone, outside the title block. Can go once no such page is seen (2027).
  '[data-testid="now-playing-widget"] a[data-testid="context-item-link"]',
];

/** The show, under the title in the bar (the artist's link for music), newest layout first. */
const NOW_PLAYING_SHOW = [
  // 2023– bar: <div data-testid="context-item-info-subtitles"><a href="/show/…">.
  '[data-testid="now-playing-widget"] [data-testid="context-item-info-subtitles"] a[href*="/show/"]',
];

/** The bar's duration ("45:47", "1:02:03"; "-33:13" is the time left, not the length). */
const NOW_PLAYING_DURATION = ['[data-testid="playback-duration"]'];

/** The cover in the bar, newest layout first. */
const NOW_PLAYING_COVER = ['[data-testid="now-playing-widget"] img[data-testid="cover-art-image"]'];

/** Show name on an episode's own page, newest layout first. */
const PAGE_SHOW = [
  // 2023– episode page: the show's link in the header, above the title.
  '[data-testid="episode-page-header"] a[href*="/show/"]',
];

/** What the cards go after on an episode's own page: the row of play, save and share buttons
 * under its header. Elsewhere (home, search, a show) the only player is the bar, fixed at the
 * window's bottom: nothing to go below, so the cards take a corner. */
const MOUNT_SELECTORS = [
  // 2023– episode page.
  '[data-testid="action-bar-row"]',
  '[data-testid="action-bar"]',
];

/** Spotify ids are 22 base-62 characters; paths may carry a locale (/intl-de/episode/…). */
const EPISODE_PATH = /^\/(?:intl-[\w-]+\/)?episode\/([A-Za-z0-9]{22})(?:[/?#]|$)/;

const first = (doc: Document, selectors: string[]) =>
  selectors.map((s) => doc.querySelector(s)).find((el) => el);

function episodeIdOf(href: string | null | undefined): string | undefined {
  try {
    return EPISODE_PATH.exec(new URL(href ?? '', 'https://open.spotify.com/').pathname)?.[1];
  } catch {
    return undefined;
  }
}

/** "1:02:03" → 3723; undefined for anything else (a time left, "-33:13", included). */
function clock(text: string | null | undefined): number | undefined {
  const m = text?.trim().match(/^(?:(\d+):)?(\d{1,2}):(\d\d)$/);
  return m ? Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) : undefined;
}

/**
 * The episode the bar plays: its id, or null when the bar plays something else (a track, a
 * chapter, an ad), or undefined when there is no bar to tell (a layout it does not know).
 */
function playingId(doc: Document): string | null | undefined {
  const link = first(doc, NOW_PLAYING_LINK);
  if (link) return episodeIdOf(link.getAttribute('href')) ?? null;
  return doc.querySelector('[data-testid="now-playing-widget"]') ? null : undefined;
}

export const spotify: SiteAdapter = {
  id: 'spotify',
  matches: ['https://open.spotify.com/*'],
  detect({ doc, media, url }): EpisodeHint | null {
    const playing = playingId(doc);
    const pageId = episodeIdOf(url.pathname);
    const session = mediaSessionMetadata(doc);
    const id = playing === undefined ? pageId : playing;
    if (!id) return null;
    const onItsPage = id === pageId;
    const ld = onItsPage ? jsonLdEpisode(doc) : undefined;
    const pageTitle = onItsPage ? (ld?.title ?? meta(doc, 'og:title', 'twitter:title')) : undefined;
    // No bar: the page's episode, unless Media Session names something else playing.
    if (playing === undefined && session?.title && session.title !== pageTitle) return null;
    const barLink = first(doc, NOW_PLAYING_LINK);
    const title =
      clampText(session?.title, LIMITS.title) ??
      clampText(barLink?.textContent, LIMITS.title) ??
      clampText(pageTitle, LIMITS.title) ??
      `Spotify episode ${id}`;
    const base = doc.baseURI || url.href;
    const duration =
      Number.isFinite(media.duration) && media.duration > 0
        ? media.duration
        : (clock(first(doc, NOW_PLAYING_DURATION)?.textContent) ?? ld?.durationSeconds);
    const hint: EpisodeHint = {
      site: 'spotify',
      pageUrl: httpUrl(url.href, url.href) ?? `https://open.spotify.com/episode/${id}`,
      title,
      // Spotify's Media Session artist is the show in some versions and its publisher in others.
      show:
        clampText(first(doc, NOW_PLAYING_SHOW)?.textContent, LIMITS.show) ??
        clampText(ld?.show, LIMITS.show) ??
        (onItsPage ? clampText(first(doc, PAGE_SHOW)?.textContent, LIMITS.show) : undefined) ??
        clampText(session?.album ?? session?.artist, LIMITS.show),
      artwork:
        httpUrl(session?.artwork, base) ??
        httpUrl(first(doc, NOW_PLAYING_COVER)?.getAttribute('src'), base) ??
        (onItsPage ? httpUrl(meta(doc, 'og:image', 'twitter:image'), base) : undefined),
      durationSeconds:
        duration !== undefined && duration <= LIMITS.durationSeconds
          ? Math.round(duration * 10) / 10
          : undefined,
      canonicalUrl: `https://open.spotify.com/episode/${id}`,
      // Not og:audio: on Spotify it is a 30-second preview clip, not the episode.
      mediaUrl: httpUrl(media.currentSrc || media.src, base), // a blob: (so none) for DRM streams
      published: clampText(ld?.published, 40),
      ids: { spotify: id },
    };
    const transcripts = onItsPage ? transcriptLinks(doc, media, base) : [];
    if (transcripts.length > 0) hint.transcripts = transcripts;
    for (const key of Object.keys(hint) as (keyof EpisodeHint)[])
      if (hint[key] === undefined) delete hint[key];
    return hint;
  },
  mount(doc) {
    const pageId = episodeIdOf(new URL(doc.URL).pathname);
    const playing = playingId(doc);
    if (!pageId || (playing !== undefined && playing !== pageId)) return null;
    return first(doc, MOUNT_SELECTORS) ?? null;
  },
};
