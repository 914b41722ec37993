// The feed parser: a podcast's RSS 2.0 (with the iTunes and Podcasting 2.0 namespaces), RSS 1.0
// or Atom document → Feed (DESIGN.md §4). Plain TypeScript: runs in the service worker (which has
// no DOMParser) and in Node. Bad input gives a FeedError with a code and a sentence for the user,
// never another exception and never a hang (one linear pass, no DTD or entity expansion).
import type { Feed, FeedEpisode } from '../types';
import { parseFeedDate } from './dates';
import { parseDuration } from './duration';
import { FeedError, MAX_FEED_SIZE } from './errors';
import { normaliseLanguage } from './language';
import { HTML_ELEMENTS, HTML_PAGE_MESSAGE, readFeed, type ItemDraft } from './reader';
import { plainText, squash } from './text';

export { decodeFeedBytes } from './encoding';
export { FeedError, MAX_FEED_SIZE, type FeedErrorCode } from './errors';
export { episodeKeyOf, matchEpisode, type EpisodeProbe } from './match';
export { feedKey } from './address';

export function parseFeed(xml: string): Feed {
  if (xml.length > MAX_FEED_SIZE)
    throw new FeedError(
      'too-large',
      `the feed is ${(xml.length / 1024 / 1024).toFixed(1)} MB, over the ${MAX_FEED_SIZE / 1024 / 1024} MB limit`,
    );
  if (!/\S/.test(xml)) throw new FeedError('empty', 'the feed is empty');

  let read: ReturnType<typeof readFeed>;
  try {
    read = readFeed(xml);
  } catch (err) {
    if (err instanceof FeedError) throw err;
    // htmlparser2 is lenient and should never throw; if it does, the input is what broke it.
    throw new FeedError('malformed', `the feed could not be read (${String(err).slice(0, 120)})`);
  }

  if (!read.kind) throw notAFeed(xml, read.firstElement);
  if (!read.channel) throw new FeedError('malformed', 'the feed has an <rss> element but no <channel> in it');
  // One item that breaks the reader (a case nobody foresaw) is skipped, not the whole feed.
  const episodes = read.items
    .map((draft) => {
      try {
        return buildEpisode(draft);
      } catch {
        return undefined;
      }
    })
    .filter((e): e is FeedEpisode => e !== undefined);
  if (read.truncated && episodes.length === 0)
    throw new FeedError('malformed', 'the feed is cut off before its first complete episode');

  const ch = read.channelDraft;
  const feed: Feed = { title: plainText(ch.title ?? '') || plainText(ch.itunesTitle ?? ''), episodes };
  const link = squash(ch.link ?? '');
  const language = normaliseLanguage(ch.language);
  const image = squash(ch.image ?? '') || squash(ch.imageUrl ?? '') || squash(ch.logo ?? '');
  if (link) feed.link = link;
  if (language) feed.language = language;
  if (image) feed.image = image;
  return feed;
}

function notAFeed(xml: string, firstElement: string | undefined): FeedError {
  if (firstElement) {
    if (HTML_ELEMENTS.has(firstElement.toLowerCase())) return new FeedError('not-a-feed', HTML_PAGE_MESSAGE);
    return new FeedError(
      'not-a-feed',
      `the document is XML with a <${firstElement.slice(0, 60)}> root, not an RSS or Atom feed`,
    );
  }
  const start = xml.replace(/^[\s\uFEFF]+/, '');
  if (start.startsWith('<')) return new FeedError('malformed', 'the feed ends before its first element');
  if (/^[{[]/.test(start))
    return new FeedError('not-a-feed', 'the server sent JSON, not an RSS or Atom feed');
  return new FeedError('not-a-feed', 'the server sent plain text, not an RSS or Atom feed');
}

/** An episode from an item's raw fields, or undefined for an item with neither title nor enclosure. */
function buildEpisode(d: ItemDraft): FeedEpisode | undefined {
  const title = plainText(d.title ?? '') || plainText(d.itunesTitle ?? '');
  const enclosureUrl = d.enclosure ?? d.mediaUrl;
  if (!title && !enclosureUrl) return undefined;
  const episode: FeedEpisode = { title, transcripts: [] };
  const guid = d.guid?.trim();
  const published =
    parseFeedDate(d.pubDate) ??
    parseFeedDate(d.dcDate) ??
    parseFeedDate(d.published) ??
    parseFeedDate(d.updated);
  const durationSeconds = parseDuration(d.duration);
  if (guid) episode.guid = guid;
  if (published) episode.published = published;
  if (enclosureUrl) episode.enclosureUrl = enclosureUrl;
  if (durationSeconds !== undefined) episode.durationSeconds = durationSeconds;
  for (const t of d.transcripts) {
    const language = normaliseLanguage(t.language);
    const { language: _raw, ...rest } = t;
    episode.transcripts.push(language ? { ...rest, language } : rest);
  }
  if (d.chaptersUrl) episode.chaptersUrl = d.chaptersUrl;
  return episode;
}
