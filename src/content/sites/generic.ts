// The generic adapter: any page with an <audio>/<video> element. It reads only standard, stable
// signals, strongest first for each field: Media Session metadata (what the player itself says
// is playing), JSON-LD PodcastEpisode, Open Graph / Twitter meta, then the document itself.
import { LIMITS, type EpisodeHint } from '../../core/episode/hint';
import {
  clampText,
  httpUrl,
  jsonLdEpisode,
  linkHref,
  mediaSessionMetadata,
  meta,
  transcriptLinks,
} from '../page-meta';
import type { DetectContext, SiteAdapter } from './types';

export function genericHint({ doc, media, url }: DetectContext, site = 'generic'): EpisodeHint {
  const base = doc.baseURI || url.href;
  const session = mediaSessionMetadata(doc);
  const ld = jsonLdEpisode(doc);
  const title =
    clampText(session?.title, LIMITS.title) ??
    clampText(ld?.title, LIMITS.title) ??
    clampText(meta(doc, 'og:title', 'twitter:title'), LIMITS.title) ??
    clampText(doc.title, LIMITS.title) ??
    // A media element with no metadata at all: name it after its file, else the site.
    clampText(fileName(media.currentSrc), LIMITS.title) ??
    url.hostname;
  // Podcast players put the show in Media Session's album (episode players) or artist.
  const show =
    clampText(ld?.show, LIMITS.show) ??
    clampText(session?.album, LIMITS.show) ??
    clampText(meta(doc, 'og:site_name', 'application-name'), LIMITS.show) ??
    clampText(session?.artist, LIMITS.show);
  const mediaUrl = httpUrl(media.currentSrc || media.src, base);
  const duration =
    Number.isFinite(media.duration) && media.duration > 0 ? media.duration : ld?.durationSeconds;
  const transcripts = transcriptLinks(doc, media, base);
  const hint: EpisodeHint = {
    site,
    pageUrl: httpUrl(url.href, url.href) ?? url.origin,
    title,
    show,
    artwork:
      httpUrl(session?.artwork, base) ??
      httpUrl(ld?.image, base) ??
      httpUrl(meta(doc, 'og:image', 'twitter:image'), base),
    durationSeconds:
      duration !== undefined && duration <= LIMITS.durationSeconds
        ? Math.round(duration * 10) / 10
        : undefined,
    canonicalUrl: httpUrl(ld?.url, base) ?? httpUrl(linkHref(doc, 'link[rel="canonical"]'), base),
    enclosureUrl:
      httpUrl(ld?.mediaUrl, base) ?? httpUrl(meta(doc, 'og:audio', 'twitter:player:stream'), base),
    mediaUrl,
    feedUrl:
      httpUrl(ld?.feedUrl, base) ??
      httpUrl(linkHref(doc, 'link[rel="alternate"][type="application/rss+xml"]'), base) ??
      httpUrl(linkHref(doc, 'link[rel="alternate"][type="application/atom+xml"]'), base),
    published: clampText(ld?.published ?? meta(doc, 'article:published_time', 'og:published_time'), 40),
    transcripts: transcripts.length > 0 ? transcripts : undefined,
  };
  for (const key of Object.keys(hint) as (keyof EpisodeHint)[]) if (hint[key] === undefined) delete hint[key];
  return hint;
}

function fileName(src: string): string | undefined {
  // blob: and data: sources (MSE players, inline audio) name no file: their "names" are opaque.
  if (!/^https?:/i.test(src)) return undefined;
  try {
    const name = decodeURIComponent(new URL(src).pathname.split('/').pop() ?? '');
    return name.replace(/\.\w{2,4}$/, '').replace(/[-_]+/g, ' ') || undefined;
  } catch {
    return undefined;
  }
}

export const generic: SiteAdapter = {
  id: 'generic',
  matches: ['<all_urls>'],
  detect: (ctx) => genericHint(ctx),
};
