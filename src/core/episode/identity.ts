// Episode identity: the same episode heard on a host page, in a feed or in another player is one
// episode where the evidence allows it. A hint yields aliases, strongest first; the background
// stores each alias against one episode id.
import type { EpisodeHint } from './hint';

/** Query parameters that only track the listener and never identify the episode. */
const TRACKING_PARAMS = /^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_[ce]id|igshid|si|ref|ref_src|_ga)$/i;

/**
 * What must follow a prefix whose own shape is loose (a bare host, or a free-form segment): the
 * wrapped URL's host ("cdn.example.com/", optionally with its scheme). Without it, stripping
 * "media.blubrry.com/show/" from a file hosted there would leave "file.mp3" and merge shows.
 */
const HOST_NEXT = String.raw`(?=(?:https?:\/\/)?[\w-]+(?:\.[\w-]+)+(?::\d+)?\/)`;

/** Measurement services that wrap an enclosure URL as a prefix ("dts.podtrac.com/redirect.mp3/host/…"). */
const TRACKING_PREFIXES: RegExp[] = [
  /^(?:www\.)?dts\.podtrac\.com\/redirect\.\w+\//i,
  /^(?:www\.)?podtrac\.com\/pts\/redirect\.\w+\//i,
  /^chtbl\.com\/track\/[\w-]+\//i,
  /^chrt\.fm\/track\/[\w-]+\//i,
  /^pdst\.fm\/e\//i,
  /^op3\.dev\/e(?:,[\w=,-]+)?\//i,
  /^pfx\.vpixl\.com\/[\w-]+\//i,
  /^arttrk\.com\/p\/[\w-]+\//i,
  /^verifi\.podscribe\.com\/rss\/p\//i,
  /^mgln\.ai\/e\/[\w-]+\//i,
  /^claritaspod\.com\/measure\//i,
  /^tracking\.swap\.fm\/track\/[\w-]+\//i,
  /^prfx\.byspotify\.com\/e\//i,
  /^pscrb\.fm\/rss\/p\//i,
  /^growx\.podkite\.com\/[\w-]+\/[\w-]+\//i,
  // Shapes as documented by OP3's chain estimator (skymethod/op3) and the hosts' own help pages.
  new RegExp(`^play\\.podtrac\\.com\\/[\\w.-]+\\/${HOST_NEXT}`, 'i'), // Podtrac network prefix
  /^mgln\.ai\/track\//i, // Magellan AI, older form
  /^pdcn\.co\/e\//i, // Podcorn
  /^pfx\.veritonicmetrics\.com\/[\w-]+\//i, // Veritonic
  /^s\.gum\.fm\/r1\/[\da-f]+\//i, // Gumball
  new RegExp(`^2\\.gum\\.fm\\/${HOST_NEXT}`, 'i'), // Gumball, older form
  /^p\.podderapp\.com\/\d+\//i, // Podder
  /^r\.zen\.ai\/r\//i, // Zencastr
  /^t\.glystn\.com\/v2\/track\/[\w-]+\//i, // Glystn
  /^adbarker\.com\/stream\/[\w-]+\//i, // AdBarker
  /^letscast\.fm\/track\/(?=https?:\/\/)/i, // LetsCast (always names the scheme)
  new RegExp(`^media\\.blubrry\\.com\\/[\\w-]+\\/${HOST_NEXT}`, 'i'), // Blubrry statistics
  new RegExp(`^clrtpod\\.com\\/m\\/${HOST_NEXT}`, 'i'), // Claritas, newer domain
  new RegExp(`^pdrl\\.fm\\/[\\w-]+\\/${HOST_NEXT}`, 'i'), // Podroll
  new RegExp(`^a\\.pdcst\\.to\\/[\\w-]+\\/${HOST_NEXT}`, 'i'), // Voxalyze
];

/** A URL reduced to what identifies the resource: lower-case host, no fragment, no tracking. */
export function normaliseUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  for (const name of [...url.searchParams.keys()])
    if (TRACKING_PARAMS.test(name)) url.searchParams.delete(name);
  url.searchParams.sort();
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  return `${url.host.toLowerCase().replace(/^www\./, '')}${path}${url.search}`;
}

/** An enclosure URL without measurement prefixes, scheme or query: the file itself. */
export function normaliseMediaUrl(raw: string): string | undefined {
  const base = normaliseUrl(raw);
  if (!base) return undefined;
  let rest = base.replace(/\?.*$/, '');
  // Prefixes can be stacked ("pdst.fm/e/chtbl.com/track/X/host/file.mp3"): strip until none match.
  for (let changed = true; changed;) {
    changed = false;
    for (const prefix of TRACKING_PREFIXES) {
      if (prefix.test(rest)) {
        rest = rest.replace(prefix, '').replace(/^https?:\/\//i, '');
        changed = true;
      }
    }
  }
  return rest.toLowerCase().replace(/^www\./, '');
}

const fold = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * The aliases of the episode a hint describes, strongest first. A page URL alone is ambiguous (a
 * show page can hold many episodes, a player can play many under one URL), so the page alias
 * carries the title and is used only when nothing better identifies the episode.
 */
export function aliasesFor(hint: EpisodeHint): string[] {
  const out: string[] = [];
  const add = (alias: string | undefined) => {
    if (alias && !out.includes(alias)) out.push(alias);
  };
  if (hint.guid) add(`guid:${fold(hint.guid)}`);
  if (hint.enclosureUrl) add(mediaAlias(hint.enclosureUrl));
  if (hint.mediaUrl) add(mediaAlias(hint.mediaUrl));
  if (hint.ids?.youtube) add(`youtube:${hint.ids.youtube}`);
  if (hint.ids?.spotify) add(`spotify:${hint.ids.spotify}`);
  if (hint.ids?.appleEpisode) add(`apple:${hint.ids.appleEpisode}`);
  if (out.length === 0) {
    const page = normaliseUrl(hint.canonicalUrl ?? hint.pageUrl);
    if (page) add(`page:${page}|${fold(hint.title)}`);
  }
  return out;
}

function mediaAlias(url: string): string | undefined {
  const media = normaliseMediaUrl(url);
  return media ? `media:${media}` : undefined;
}

/** A stable, short id for a new episode from its strongest alias (cyrb53, 53-bit). */
export function episodeIdFor(alias: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < alias.length; i++) {
    const ch = alias.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const n = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return `ep_${n.toString(36)}`;
}
