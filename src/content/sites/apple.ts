// Apple Podcasts on the web (podcasts.apple.com). The page carries its episodes as data, read
// newest layout first: the 2024– Svelte app's `serialized-server-data` (EpisodeLockup items:
// title, showTitle, releaseDate, duration in seconds, an artwork template, the stream URL under
// playAction.episodeOffer), then the 2019–2024 Ember app's shoebox of Media API answers
// (podcast-episodes records: name, assetUrl, guid, durationInMilliseconds, url, and the show with
// its feedUrl). JSON-LD, Media Session and og: meta come after, through the generic reading.
// Which episode plays: the record whose file the player plays, else the one Media Session names,
// else (on an episode page, when Media Session names nothing else) the page's own. None: null.
import { LIMITS, type EpisodeHint } from '../../core/episode/hint';
import { clampText, httpUrl, jsonLdEpisode, mediaSessionMetadata } from '../page-meta';
import { genericHint } from './generic';
import type { SiteAdapter } from './types';

/** The page's data, newest layout first. */
const DATA_SCRIPTS = [
  // 2024– Svelte app: [{ intent, data: { headerButtonItems, shelves: [{ contentType, items }], seoData } }].
  'script#serialized-server-data',
  // 2019–2024 Ember app (FastBoot shoebox): { "<Media API path>": "<JSON of { d: [record] }>" }.
  // Added 2026; can go once no page is served in the Ember layout.
  'script#shoebox-media-api-cache-amp-podcasts',
];

/** What the cards go after, on episode pages only (show pages: a corner). */
const MOUNT_SELECTORS = [
  // 2024– Svelte app: the episode header's title block (h1.headings__title, the show, date and
  // duration under it), as scrapers of 2024–2026 pages read it; not checked against a live page
  // here. The classes stay; only their svelte-* companions change per release.
  '.headings:has(.headings__title)',
  // 2019–2024 Ember app: the hero (artwork, header, play button), else its header alone.
  '.product-hero',
  '.product-header',
];

/** Keys only an episode's record has, in either layout (a share button's wrapper has none). */
const EPISODE_KEYS = ['streamUrl', 'assetUrl', 'playAction', 'showTitle', 'releaseDate', 'releaseDateTime'];
const MAX_SCRIPT = 5_000_000;
const MAX_NODES = 20_000;

type Json = Record<string, unknown>;
type Ids = { collection?: string; episode?: string };
/** One episode as the page's data gives it (strings not yet clamped, URLs not yet checked). */
type Rec = Ids & {
  title: string;
  show?: string;
  published?: string;
  duration?: number;
  artwork?: string;
  url?: string;
  stream?: string;
  feedUrl?: string;
  guid?: string;
};

const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown): string | undefined => (typeof x === 'string' && x.trim() ? x : undefined);
const num = (x: unknown): number | undefined =>
  typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : undefined;
const digits = (x: unknown): string | undefined =>
  (typeof x === 'string' || typeof x === 'number') && /^\d{1,20}$/.test(String(x)) ? String(x) : undefined;
const parse = (text: string): unknown => {
  try {
    return text.length <= MAX_SCRIPT ? JSON.parse(text) : undefined;
  } catch {
    return undefined; // malformed data says nothing; the other sources still do
  }
};

/** The show and episode ids of an address: /{country}/podcast/{slug}/id{show}?i={episode}. */
export function appleIds(raw: string | undefined): Ids {
  let url: URL;
  try {
    url = new URL(raw ?? '');
  } catch {
    return {};
  }
  if (url.hostname !== 'podcasts.apple.com') return {};
  const collection = /^(?:\/[a-z]{2})?\/podcast\/(?:[^/]+\/)?id(\d{1,20})\/?$/i.exec(url.pathname)?.[1];
  const episode = digits(url.searchParams.get('i'));
  return { ...(collection ? { collection } : {}), ...(episode ? { episode } : {}) };
}

/** The first value under `key`, breadth first, in `root` and the objects below it, `depth` levels. */
function find(root: Json, key: string, depth = 3): unknown {
  let level: unknown[] = [root];
  for (let d = 0; d < depth && level.length > 0; d++) {
    const next: unknown[] = [];
    for (const node of level.slice(0, 100)) {
      if (!isObj(node)) continue;
      if (node[key] !== undefined && node[key] !== null) return node[key];
      for (const v of Object.values(node)) if (typeof v === 'object' && v) next.push(v);
    }
    level = next;
  }
  return undefined;
}

function record(node: Json): Rec | undefined {
  // Media API records keep their fields in `attributes` and the show in relationships.podcast.
  const a = isObj(node.attributes) ? { ...node, ...node.attributes } : node;
  const title = str(a.title) ?? str(a.name);
  if (!title || !(a.type === 'podcast-episodes' || EPISODE_KEYS.some((k) => k in a))) return undefined;
  const podcast = find(a, 'podcast', 2);
  const show = isObj(podcast) && Array.isArray(podcast.data) && isObj(podcast.data[0]) ? podcast.data[0] : {};
  const showAttrs = isObj(show.attributes) ? show.attributes : {};
  const art = a.episodeArtwork ?? a.artwork ?? a.icon;
  const ms = num(a.durationInMilliseconds);
  // The Svelte app gives seconds; a "duration" past two days can only be milliseconds.
  const s = num(a.duration);
  const duration =
    ms !== undefined ? ms / 1000 : s !== undefined && s > LIMITS.durationSeconds ? s / 1000 : s;
  const collection = digits(show.id);
  const episode = digits(a.id) ?? digits(a.adamId);
  return {
    title,
    show: str(a.showTitle) ?? str(showAttrs.name),
    published: str(a.releaseDate) ?? str(a.releaseDateTime),
    duration:
      duration !== undefined && duration <= LIMITS.durationSeconds
        ? Math.round(duration * 10) / 10
        : undefined,
    artwork: str(art) ?? (isObj(art) ? (str(art.template) ?? str(find(art, 'url', 2))) : undefined),
    url: str(a.url),
    stream: str(find(a, 'streamUrl')) ?? str(a.assetUrl),
    feedUrl: str(a.feedUrl) ?? str(showAttrs.feedUrl),
    guid: str(a.guid),
    ...(collection ? { collection } : {}),
    ...(episode ? { episode } : {}),
  };
}

/** Every episode record in the page's data, newest layout first. */
function records(doc: Document): Rec[] {
  const out: Rec[] = [];
  for (const selector of DATA_SCRIPTS) {
    const root = parse(doc.querySelector(selector)?.textContent ?? '');
    const queue: unknown[] = [root];
    // The shoebox's values are JSON documents themselves.
    if (isObj(root))
      for (const v of Object.values(root))
        if (typeof v === 'string' && /^\s*[[{]/.test(v)) queue.push(parse(v));
    for (let i = 0; i < queue.length && i < MAX_NODES; i++) {
      const node = queue[i];
      if (typeof node !== 'object' || node === null) continue;
      for (const v of Object.values(node))
        if (typeof v === 'object' && v && queue.length < MAX_NODES) queue.push(v);
      const rec = isObj(node) ? record(node) : undefined;
      if (rec) out.push(rec);
    }
  }
  return out;
}

/**
 * The first record that matches, preferring whole episode records (a date or a show) to wrappers
 * that only hold a play action (a show header's "play the latest" button).
 */
const pick = (recs: Rec[], match: (r: Rec) => boolean) =>
  recs.find((r) => match(r) && (r.published || r.show)) ?? recs.find(match);

/** A media address without query and fragment: the file, whichever tracking parameters ride along. */
const fileOf = (src: string | undefined, base: string) => httpUrl(src, base)?.replace(/[?#].*$/, '');

/** A page title without Apple's decorations: "‎Title - Show - Apple Podcasts" → "Title". */
function cleanTitle(title: string, show: string | undefined): string {
  let t = title.replace(/[\u200e\u200f]/g, '').replace(/\s*(?:[-–|]|\bon)\s*Apple Podcasts$/i, '');
  if (show) t = t.replace(` - ${show}`, '').replace(`${show}: `, '');
  return t.trim() || title;
}

/** The object without its undefined values (what is unknown does not override what is known). */
const defined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export const apple: SiteAdapter = {
  id: 'apple-podcasts',
  matches: ['https://podcasts.apple.com/*'],
  detect(ctx): EpisodeHint | null {
    const { doc, media, url } = ctx;
    const base = doc.baseURI || url.href;
    const page = appleIds(url.href);
    const recs = records(doc);
    const session = mediaSessionMetadata(doc);
    const said = clampText(session?.title, LIMITS.title);
    const src = fileOf(media.currentSrc || media.src, base);
    const rec =
      (src ? pick(recs, (r) => fileOf(r.stream, base) === src) : undefined) ??
      (said ? pick(recs, (r) => clampText(r.title, LIMITS.title) === said) : undefined) ??
      (page.episode && !said ? pick(recs, (r) => r.episode === page.episode) : undefined);
    const ld = jsonLdEpisode(doc);
    const pageTitle = page.episode
      ? clampText(pick(recs, (r) => r.episode === page.episode)?.title ?? ld?.title, LIMITS.title)
      : undefined;
    // Whether the page's own episode is what plays: its header, JSON-LD and meta then apply.
    const onPage =
      !!page.episode &&
      (rec ? !rec.episode || rec.episode === page.episode : !said || !pageTitle || pageTitle === said);
    // A show or browse page where nothing names what plays: not an episode we know.
    if (!rec && !onPage && !said) return null;

    const g = genericHint(ctx, 'apple-podcasts');
    const fromMedia = Number.isFinite(media.duration) && media.duration > 0 ? g.durationSeconds : undefined;
    const fromUrl = appleIds(rec?.url);
    const ids = fromUrl.episode
      ? fromUrl
      : {
          collection: rec?.collection ?? (rec || onPage ? page.collection : undefined),
          episode: onPage ? page.episode : rec?.episode,
        };
    const show =
      clampText(rec?.show, LIMITS.show) ??
      (onPage ? clampText(ld?.show, LIMITS.show) : undefined) ??
      clampText(session?.album, LIMITS.show) ??
      clampText(session?.artist, LIMITS.show);
    const title =
      clampText(rec?.title, LIMITS.title) ?? (onPage ? cleanTitle(g.title, show) : said) ?? g.title;
    const hint: EpisodeHint = {
      // The page's own reading only for its own episode; for any other, only the player's.
      ...(onPage
        ? g
        : {
            site: g.site,
            pageUrl: g.pageUrl,
            mediaUrl: g.mediaUrl,
            artwork: httpUrl(session?.artwork, base),
            durationSeconds: fromMedia,
          }),
      title,
      show, // never og:site_name ("Apple Podcasts")
      ...defined({
        // Apple's artwork is a template ("…/{w}x{h}bb.{f}", newer "{w}x{h}{c}.{f}"): ask for 600px JPEG.
        artwork: httpUrl(
          rec?.artwork
            ?.replace(/\{[wh]\}/g, '600')
            .replace('{c}', 'bb')
            .replace('{f}', 'jpg'),
          base,
        ),
        durationSeconds: fromMedia ?? rec?.duration,
        canonicalUrl: fromUrl.episode
          ? httpUrl(rec?.url, base)
          : !onPage && ids.collection && ids.episode
            ? `https://podcasts.apple.com/podcast/id${ids.collection}?i=${ids.episode}`
            : undefined,
        enclosureUrl: httpUrl(rec?.stream, base),
        feedUrl: httpUrl(rec?.feedUrl, base),
        guid: clampText(rec?.guid, LIMITS.id),
        published: clampText(rec?.published, 40),
      }),
      ids: defined({ appleCollection: ids.collection, appleEpisode: ids.episode }),
    };
    if (!hint.ids?.appleCollection && !hint.ids?.appleEpisode) delete hint.ids;
    for (const key of Object.keys(hint) as (keyof EpisodeHint)[])
      if (hint[key] === undefined) delete hint[key];
    return hint;
  },
  mount: (doc) =>
    appleIds(doc.URL).episode
      ? (MOUNT_SELECTORS.map((s) => doc.querySelector(s)).find((el) => el) ?? null)
      : null,
};
