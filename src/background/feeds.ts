// A show's feed fetched as the transcript search and the follow scanner both need it: a
// conditional request with the validators of the copy kept (an unchanged feed is a 304 and that
// copy), parsed, with the validators to keep for the next time. Storing it is the caller's.
import { decodeFeedBytes, parseFeed } from '../core/feed';
import type { Feed } from '../core/types';
import type { FeedRecord } from './db';
import { FetchError, hostOf, LIMITS, type GuardedFetch } from './net';

export type FetchedFeed = { feed: Feed; etag?: string; lastModified?: string };

export async function fetchFeed(
  fetch: GuardedFetch,
  url: string,
  cached: FeedRecord | undefined,
): Promise<FetchedFeed> {
  const fetched = await fetch(url, {
    ...LIMITS.feed,
    accept: 'application/rss+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1',
    ...(cached?.etag ? { etag: cached.etag } : {}),
    ...(cached?.lastModified ? { lastModified: cached.lastModified } : {}),
  });
  const kept = fetched.status === 304 ? cached : fetched;
  if (!kept) throw new FetchError('http', `${hostOf(url)} answered 304 to a request without validators.`);
  const feed =
    fetched.status === 304 ? cached!.feed : parseFeed(decodeFeedBytes(fetched.bytes, fetched.contentType));
  return {
    feed,
    ...(kept.etag ? { etag: kept.etag } : {}),
    ...(kept.lastModified ? { lastModified: kept.lastModified } : {}),
  };
}
