// YouTube watch pages. The video is the episode; the channel is the show. Ads play in the same
// <video> element and are not the episode (the player is marked `ad-showing` meanwhile). Shorts
// are not podcasts. The captions are read by the page-world script (youtube-main.ts).
import { LIMITS, type EpisodeHint } from '../../core/episode/hint';
import { clampText, httpUrl, meta } from '../page-meta';
import type { SiteAdapter } from './types';

/** Channel name, newest layout first. */
const CHANNEL_SELECTORS = [
  // 2023– watch page: the owner block under the video.
  '#owner ytd-channel-name a',
  // 2020–2023 layout.
  'ytd-video-owner-renderer ytd-channel-name a',
  // Server-rendered microdata, present on first load of every layout.
  'span[itemprop="author"] link[itemprop="name"]',
];

/** What the cards go after, newest layout first. */
const MOUNT_SELECTORS = [
  // 2020– ytd-watch-flexy: the player in the main column, above the title (#below). In theater
  // mode the player moves to a full-width container and this one is not displayed: the cards then
  // take a corner of the window.
  'ytd-watch-flexy #primary-inner > #player',
];

export function youtubeVideoId(url: URL): string | undefined {
  if (url.pathname !== '/watch') return undefined;
  const id = url.searchParams.get('v');
  return id && /^[\w-]{11}$/.test(id) ? id : undefined;
}

export const youtube: SiteAdapter = {
  id: 'youtube',
  matches: ['https://www.youtube.com/*'],
  detect({ doc, media, url }): EpisodeHint | null {
    const videoId = youtubeVideoId(url); // null for Shorts, the home page, channel pages…
    if (!videoId) return null;
    const player = doc.querySelector('#movie_player');
    if (player?.classList.contains('ad-showing') || !player?.contains(media)) return null;
    const channel = CHANNEL_SELECTORS.map((s) => {
      const el = doc.querySelector(s);
      return el?.getAttribute('content') ?? el?.textContent;
    }).find((name) => name?.trim());
    const title =
      clampText(doc.querySelector('h1.ytd-watch-metadata')?.textContent, LIMITS.title) ??
      clampText(doc.title.replace(/^\(\d+\)\s*/, '').replace(/\s*-\s*YouTube$/, ''), LIMITS.title) ??
      clampText(meta(doc, 'og:title', 'title'), LIMITS.title) ??
      `YouTube video ${videoId}`;
    const duration = Number.isFinite(media.duration) && media.duration > 0 ? media.duration : undefined;
    const hint: EpisodeHint = {
      site: 'youtube',
      pageUrl: url.href.length <= LIMITS.url ? url.href : `https://www.youtube.com/watch?v=${videoId}`,
      title,
      canonicalUrl: `https://www.youtube.com/watch?v=${videoId}`,
      ids: { youtube: videoId },
    };
    const show = clampText(channel, LIMITS.show);
    if (show) hint.show = show;
    const artwork = httpUrl(`https://i.ytimg.com/vi/${videoId}/hqdefault.jpg`, url.href);
    if (artwork) hint.artwork = artwork;
    if (duration !== undefined && duration <= LIMITS.durationSeconds)
      hint.durationSeconds = Math.round(duration * 10) / 10;
    return hint;
  },
  mount: (doc) =>
    youtubeVideoId(new URL(doc.URL))
      ? (MOUNT_SELECTORS.map((s) => doc.querySelector(s)).find((el) => el) ?? null)
      : null,
};
