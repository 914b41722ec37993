// Apple's public iTunes Search and Lookup APIs, as pure helpers: the addresses to ask, and readers
// for the answers. They find a show's feed from an Apple Podcasts page (collection id → Lookup) or
// from names alone (Spotify, Pocket Casts → Search). The readers validate each result on its own
// with loose schemas: one odd entry is skipped, the rest of the answer is kept; an optional field
// that is malformed is dropped rather than sinking its entry. Ids are strings of digits, as
// EpisodeHint carries them (episode ids pass 2^32; a string is never rounded).
import * as v from 'valibot';

export type DirectoryShow = {
  collectionId: string;
  name: string;
  artist?: string;
  feedUrl?: string;
  artwork?: string;
};

export type DirectoryEpisode = {
  guid?: string;
  title: string;
  /** The audio file as Apple lists it (tracking prefixes included, as in the feed). */
  url?: string;
  published?: string;
  durationSeconds?: number;
  trackId: string;
};

export type Lookup = { show?: DirectoryShow; episodes: DirectoryEpisode[] };

export type AppleIds = { collectionId: string; episodeId?: string };

export class DirectoryError extends Error {
  override name = 'DirectoryError';
}

const API = 'https://itunes.apple.com';
const DIGITS = /^\d{1,20}$/;
const MAX_TERM = 200;

/** Lookup of a show and its newest episodes (Apple returns at most 200). */
export function lookupUrl(collectionId: string | number): string {
  const id = String(collectionId);
  if (!DIGITS.test(id)) throw new DirectoryError(`Not an Apple Podcasts id: ${id.slice(0, 40)}.`);
  return `${API}/lookup?id=${id}&entity=podcastEpisode&limit=200`;
}

/**
 * Search by show name. With an episode title, the search is for episodes (entity=podcastEpisode,
 * term "show title"): Apple matches episode titles only there, and each episode result names its
 * show and feed, which parseSearch reads the same way.
 */
export function searchUrl(show: string, episodeTitle?: string): string {
  const term = [show, episodeTitle ?? ''].join(' ').replace(/\s+/g, ' ').trim().slice(0, MAX_TERM);
  const entity = episodeTitle?.trim() ? 'podcastEpisode' : 'podcast';
  const params = new URLSearchParams({ media: 'podcast', entity, term, limit: '10' });
  return `${API}/search?${params.toString()}`;
}

// Schemas: loose objects (Apple adds fields freely), one entry at a time.

// A safe integer only: a larger number is already rounded by JSON.parse (or reads "1e+308").
const Id = v.pipe(
  v.union([v.pipe(v.number(), v.safeInteger(), v.minValue(1)), v.pipe(v.string(), v.regex(DIGITS))]),
  v.transform((id) => String(id)),
);
const Text = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(1000));
const HttpUrl = v.pipe(
  v.string(),
  v.maxLength(2048),
  v.check((s) => /^https?:\/\/[^\s]+$/i.test(s) && URL.canParse(s), 'must be an http(s) URL'),
);
/** An optional field: absent when missing or malformed. */
const opt = <T extends v.GenericSchema>(schema: T) => v.fallback(v.optional(schema), undefined);

const ResponseSchema = v.looseObject({ results: v.array(v.unknown()) });

const Kind = v.looseObject({ kind: opt(v.string()), wrapperType: opt(v.string()) });

const ShowResult = v.looseObject({
  collectionId: Id,
  collectionName: Text,
  artistName: opt(Text),
  feedUrl: opt(HttpUrl),
  artworkUrl600: opt(HttpUrl),
  artworkUrl160: opt(HttpUrl),
  artworkUrl100: opt(HttpUrl),
  artworkUrl60: opt(HttpUrl),
  artworkUrl30: opt(HttpUrl),
});

const EpisodeResult = v.looseObject({
  trackId: Id,
  trackName: Text,
  episodeGuid: opt(Text),
  episodeUrl: opt(HttpUrl),
  releaseDate: opt(
    v.pipe(
      v.string(),
      v.check((s) => !Number.isNaN(Date.parse(s))),
    ),
  ),
  trackTimeMillis: opt(v.pipe(v.number(), v.finite(), v.minValue(0))),
});

/** Reads a Lookup answer: the show (when listed) and its episodes, newest first as Apple sends them. */
export function parseLookup(json: unknown): Lookup {
  const results = resultsOf(json);
  let show: DirectoryShow | undefined;
  const episodes: DirectoryEpisode[] = [];
  for (const result of results) {
    const kind = kindOf(result);
    if (kind === 'show') show ??= readShow(result);
    else if (kind === 'episode') {
      const episode = readEpisode(result);
      if (episode) episodes.push(episode);
    }
  }
  // Some answers list only episodes; each names its show (collectionId, collectionName, feedUrl).
  if (!show)
    for (const result of results) if (kindOf(result) === 'episode' && (show = readShow(result))) break;
  return { ...(show ? { show } : {}), episodes };
}

/**
 * Reads a Search answer: the shows that have a public feed (Apple-only shows have none), in
 * Apple's order, once each. Episode results (entity=podcastEpisode) count for their show.
 */
export function parseSearch(json: unknown): (DirectoryShow & { feedUrl: string })[] {
  const shows: (DirectoryShow & { feedUrl: string })[] = [];
  const seen = new Set<string>();
  for (const result of resultsOf(json)) {
    if (kindOf(result) === undefined) continue;
    const show = readShow(result);
    if (!show?.feedUrl || seen.has(show.collectionId)) continue;
    seen.add(show.collectionId);
    shows.push({ ...show, feedUrl: show.feedUrl });
  }
  return shows;
}

/**
 * The show whose name is `showName`: equal once folded (case, accents, punctuation, "&"/"and",
 * a leading "The"), else the most similar by bigram overlap if it reaches `minSimilarity`.
 * Ties keep Apple's order (its relevance ranking).
 */
export function bestShowMatch<T extends { name: string }>(
  shows: readonly T[],
  showName: string,
  minSimilarity = 0.8,
): T | undefined {
  const want = foldName(showName);
  if (!want) return undefined;
  const exact = shows.find((s) => foldName(s.name) === want);
  if (exact) return exact;
  let best: T | undefined;
  let bestScore = minSimilarity;
  for (const show of shows) {
    const score = similarity(foldName(show.name), want);
    if (score >= bestScore && (best === undefined || score > bestScore)) {
      best = show;
      bestScore = score;
    }
  }
  return best;
}

/**
 * The ids in an Apple Podcasts address: podcasts.apple.com/{country}/podcast/{slug}/id{n}?i={m},
 * with or without the country, the slug or the episode; itunes.apple.com links too.
 */
export function appleIds(raw: string): AppleIds | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (!/^(?:podcasts|itunes|embed\.podcasts)\.apple\.com$/i.test(url.hostname)) return undefined;
  const match = /^(?:\/[a-z]{2})?\/podcast\/(?:[^/]+\/)?id(\d{1,20})\/?$/i.exec(url.pathname);
  if (!match?.[1]) return undefined;
  const episodeId = url.searchParams.get('i') ?? '';
  return { collectionId: match[1], ...(DIGITS.test(episodeId) ? { episodeId } : {}) };
}

/** A show name reduced for comparison: "The Vergecast™ & Friends!" → "vergecast and friends". */
export function foldName(name: string): string {
  return name
    .replace(/\p{S}/gu, ' ') // ™, ®, emoji: before NFKD turns "™" into "TM"
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^the /, '');
}

/** Dice coefficient of character bigrams, 0 to 1. */
function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const counts = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) {
    const gram = a.slice(i, i + 2);
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  let shared = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const gram = b.slice(i, i + 2);
    const n = counts.get(gram) ?? 0;
    if (n > 0) {
      shared++;
      counts.set(gram, n - 1);
    }
  }
  return (2 * shared) / (a.length - 1 + (b.length - 1));
}

function resultsOf(json: unknown): unknown[] {
  const parsed = v.safeParse(ResponseSchema, json);
  if (!parsed.success) throw new DirectoryError('The iTunes answer has no results list.');
  return parsed.output.results;
}

function kindOf(result: unknown): 'show' | 'episode' | undefined {
  const parsed = v.safeParse(Kind, result);
  if (!parsed.success) return undefined;
  const { kind, wrapperType } = parsed.output;
  if (kind === 'podcast-episode' || wrapperType === 'podcastEpisode') return 'episode';
  if (kind === 'podcast') return 'show';
  return undefined;
}

function readShow(result: unknown): DirectoryShow | undefined {
  const parsed = v.safeParse(ShowResult, result);
  if (!parsed.success) return undefined;
  const r = parsed.output;
  const artwork = r.artworkUrl600 ?? r.artworkUrl160 ?? r.artworkUrl100 ?? r.artworkUrl60 ?? r.artworkUrl30;
  return {
    collectionId: r.collectionId,
    name: r.collectionName,
    ...(r.artistName ? { artist: r.artistName } : {}),
    ...(r.feedUrl ? { feedUrl: r.feedUrl } : {}),
    ...(artwork ? { artwork } : {}),
  };
}

function readEpisode(result: unknown): DirectoryEpisode | undefined {
  const parsed = v.safeParse(EpisodeResult, result);
  if (!parsed.success) return undefined;
  const r = parsed.output;
  return {
    ...(r.episodeGuid ? { guid: r.episodeGuid } : {}),
    title: r.trackName,
    ...(r.episodeUrl ? { url: r.episodeUrl } : {}),
    ...(r.releaseDate ? { published: new Date(r.releaseDate).toISOString() } : {}),
    ...(r.trackTimeMillis !== undefined ? { durationSeconds: Math.round(r.trackTimeMillis) / 1000 } : {}),
    trackId: r.trackId,
  };
}
