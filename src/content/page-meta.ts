// Reads what a page publishes about itself in stable, standard places: Media Session metadata,
// JSON-LD, Open Graph / Twitter meta, the RSS alternate link, the canonical link. Every value is
// page-controlled: it is clamped and URL-checked here and validated again by the background.
import { LIMITS } from '../core/episode/hint';

/** Trimmed, white space collapsed, cut to `max` characters; undefined when empty. */
export function clampText(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  if (text.length <= max) return text;
  // Cut by code points, so a character outside the BMP (an emoji) is never split in half.
  return `${Array.from(text.slice(0, max))
    .slice(0, -1)
    .join('')
    .replace(/[\uD800-\uDBFF]$/, '')}…`;
}

/** An absolute http(s) URL resolved against the page, or undefined (blob:, data:, too long…). */
export function httpUrl(value: unknown, base: string): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  try {
    const url = new URL(value.trim(), base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.href.length <= LIMITS.url ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export function meta(doc: Document, ...names: string[]): string | undefined {
  for (const name of names) {
    const el = doc.querySelector<HTMLMetaElement>(`meta[property="${name}"], meta[name="${name}"]`);
    const content = el?.content?.trim();
    if (content) return content;
  }
  return undefined;
}

export function linkHref(doc: Document, selector: string): string | undefined {
  return doc.querySelector<HTMLLinkElement>(selector)?.getAttribute('href') ?? undefined;
}

type JsonObject = Record<string, unknown>;
const isObject = (x: unknown): x is JsonObject => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Every JSON-LD node on the page (top level, arrays and @graph), malformed blocks skipped. */
export function jsonLdNodes(doc: Document): JsonObject[] {
  const out: JsonObject[] = [];
  const visit = (x: unknown, depth: number) => {
    if (depth > 4 || out.length > 200) return;
    if (Array.isArray(x)) for (const item of x) visit(item, depth + 1);
    else if (isObject(x)) {
      out.push(x);
      if (Array.isArray(x['@graph'])) visit(x['@graph'], depth + 1);
    }
  };
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    const text = script.textContent ?? '';
    if (text.length > 1_000_000) continue;
    try {
      visit(JSON.parse(text), 0);
    } catch {
      // A malformed block says nothing; the other sources still do.
    }
  }
  return out;
}

const types = (node: JsonObject): string[] => {
  const t = node['@type'];
  return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string');
};

export type JsonLdEpisode = {
  title?: string;
  published?: string;
  show?: string;
  url?: string;
  image?: string;
  mediaUrl?: string;
  feedUrl?: string;
  durationSeconds?: number;
};

/** The page's JSON-LD PodcastEpisode, if it has one. */
export function jsonLdEpisode(doc: Document): JsonLdEpisode | undefined {
  const node = jsonLdNodes(doc).find((n) => types(n).includes('PodcastEpisode'));
  if (!node) return undefined;
  const series = isObject(node.partOfSeries) ? node.partOfSeries : undefined;
  const media = [node.associatedMedia, node.audio].flat().find(isObject);
  const image = Array.isArray(node.image) ? node.image[0] : node.image;
  return {
    title: str(node.name),
    published: str(node.datePublished),
    show: str(series?.name),
    url: str(node.url),
    image: isObject(image) ? str(image.url) : str(image),
    mediaUrl: str(media?.contentUrl),
    feedUrl: str(series?.webFeed),
    durationSeconds: isoDuration(str(node.timeRequired) ?? str(node.duration) ?? str(media?.duration)),
  };
}

const str = (x: unknown): string | undefined => (typeof x === 'string' && x.trim() ? x.trim() : undefined);

/** "PT1H2M3S" → 3723; undefined for anything else. */
export function isoDuration(value: string | undefined): number | undefined {
  const m = value?.match(/^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/);
  if (!m || value === 'P' || value === 'PT') return undefined;
  const [, d = '0', h = '0', min = '0', s = '0'] = m;
  return Number(d) * 86400 + Number(h) * 3600 + Number(min) * 60 + Number(s);
}

export type SessionMetadata = { title?: string; artist?: string; album?: string; artwork?: string };

/** Media Session metadata the page set for its player (shared by the page and content worlds). */
export function mediaSessionMetadata(doc: Document): SessionMetadata | undefined {
  const md = doc.defaultView?.navigator.mediaSession?.metadata;
  if (!md) return undefined;
  const artwork = [...(md.artwork ?? [])].sort((a, b) => area(b.sizes) - area(a.sizes))[0]?.src;
  return { title: str(md.title), artist: str(md.artist), album: str(md.album), artwork: str(artwork) };
}

const area = (sizes: string | undefined) => {
  const m = sizes?.match(/(\d+)x(\d+)/);
  return m ? Number(m[1]) * Number(m[2]) : 0;
};

export type TranscriptLink = { url: string; type?: string; language?: string };

const TRANSCRIPT_TYPES =
  /^(text\/vtt|application\/(x-)?subrip|application\/srt|text\/srt|application\/json|text\/html|text\/plain)\b/i;
const TRANSCRIPT_FILE = /\.(vtt|srt)(\?|#|$)/i;
const LANGUAGE = /^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$/;

/**
 * Transcripts a page links: captions and subtitles <track>s of the playing media element,
 * `<link rel="alternate">` with a transcript type, and links to .vtt/.srt files. At most 8.
 */
export function transcriptLinks(doc: Document, media: HTMLMediaElement, base: string): TranscriptLink[] {
  const out: TranscriptLink[] = [];
  const add = (href: string | null | undefined, type?: string | null, language?: string | null) => {
    if (out.length >= 8) return; // a page may link thousands: read no more than are kept
    const url = httpUrl(href, base);
    if (!url || out.some((t) => t.url === url)) return;
    out.push({
      url,
      ...(type?.trim() ? { type: type.trim().slice(0, 100) } : {}),
      ...(language && LANGUAGE.test(language.trim()) ? { language: language.trim() } : {}),
    });
  };
  for (const track of media.querySelectorAll('track')) {
    const kind = (track.getAttribute('kind') ?? 'subtitles').toLowerCase();
    if (kind === 'subtitles' || kind === 'captions')
      add(track.getAttribute('src'), undefined, track.getAttribute('srclang'));
  }
  for (const link of doc.querySelectorAll<HTMLLinkElement>(
    'link[rel~="alternate"][type], link[rel~="transcript"]',
  )) {
    const type = link.getAttribute('type') ?? '';
    if (
      link.relList.contains('transcript') ||
      (TRANSCRIPT_TYPES.test(type) && !/html/i.test(type) && type !== 'application/json')
    )
      add(link.getAttribute('href'), type, link.getAttribute('hreflang'));
  }
  // The page's own transcript page, one segment below it: Buzzsprout, Transistor and Simplecast
  // episode pages link `…/<episode>/transcript`. Only this page's (or its canonical's): a list of
  // episodes links the transcripts of others.
  const own = [doc.URL, linkHref(doc, 'link[rel="canonical"]')].map((u) => `${place(u, base)}/transcript`);
  for (const a of doc.querySelectorAll<HTMLAnchorElement>('a[href]')) {
    const href = a.getAttribute('href') ?? '';
    if (TRANSCRIPT_FILE.test(href)) add(href, a.getAttribute('type'), a.getAttribute('hreflang'));
    else if (/transcript\/?([?#]|$)/.test(href) && own.includes(place(href, base) ?? ''))
      add(href, 'text/html');
  }
  return out;
}

/** A URL's origin and path, without query, fragment or trailing slash (for comparing places). */
function place(href: string | undefined, base: string): string | undefined {
  const url = httpUrl(href, base);
  return url && url.replace(/[?#].*$/, '').replace(/\/+$/, '');
}
