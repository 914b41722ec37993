// YouTube Music (music.youtube.com): podcast episodes, not songs. Episodes play at /watch?v=ID
// like songs do; what tells them apart is the show they belong to, a podcast page
// (/browse/MPSPP…, 2024– layout), or failing that a length no song has. The player bar names the
// episode and the show; the video id ties it to the same episode on www.youtube.com.
import { LIMITS, type EpisodeHint } from '../../core/episode/hint';
import { clampText, httpUrl } from '../page-meta';
import type { SiteAdapter } from './types';

/** An episode is at least this long when nothing on the page says it is a podcast's. */
const LONG_FORM_SECONDS = 15 * 60;

/** The episode's title in the player bar, newest layout first. */
const TITLE_SELECTORS = [
  // 2022– player bar.
  'ytmusic-player-bar .content-info-wrapper .title',
  'ytmusic-player-bar .title',
];

/** The byline's links: the show (a podcast page) for episodes, the artist for songs. */
const BYLINE_LINKS = 'ytmusic-player-bar .byline a, ytmusic-player-bar .subtitle a';

export const youtubeMusic: SiteAdapter = {
  id: 'youtube-music',
  matches: ['https://music.youtube.com/*'],
  detect({ doc, media, url }): EpisodeHint | null {
    const id = url.pathname === '/watch' ? url.searchParams.get('v') : null;
    if (!id || !/^[\w-]{11}$/.test(id)) return null;
    const links = [...doc.querySelectorAll<HTMLAnchorElement>(BYLINE_LINKS)];
    const showLink = links.find((a) => /(^|\/)browse\/MPSPP/.test(a.getAttribute('href') ?? ''));
    const duration = Number.isFinite(media.duration) && media.duration > 0 ? media.duration : undefined;
    // A song (an artist in the byline, a song's length) is not an episode.
    if (!showLink && (duration === undefined || duration < LONG_FORM_SECONDS)) return null;
    const title =
      TITLE_SELECTORS.map((s) => clampText(doc.querySelector(s)?.textContent, LIMITS.title)).find(Boolean) ??
      clampText(doc.title.replace(/\s*-\s*YouTube Music$/, ''), LIMITS.title) ??
      `YouTube Music episode ${id}`;
    const hint: EpisodeHint = {
      site: 'youtube-music',
      pageUrl: `https://music.youtube.com/watch?v=${id}`,
      title,
      canonicalUrl: `https://www.youtube.com/watch?v=${id}`,
      ids: { youtube: id },
    };
    const show = clampText((showLink ?? links[0])?.textContent, LIMITS.show);
    if (show) hint.show = show;
    const artwork = httpUrl(`https://i.ytimg.com/vi/${id}/hqdefault.jpg`, url.href);
    if (artwork) hint.artwork = artwork;
    if (duration !== undefined && duration <= LIMITS.durationSeconds)
      hint.durationSeconds = Math.round(duration * 10) / 10;
    return hint;
  },
  // The player page fills the window; the cards take a corner.
};
