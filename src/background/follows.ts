// Following shows: by a feed address (checked first: it must be a feed Earmark can read), by the
// show of an episode whose feed is known, or by an OPML file from a podcast app; the list of
// follows with how their checks went; OPML export. New episodes go to the scanner.
import { feedKey } from '../core/feed';
import { OpmlError, parseOpml, serializeOpml } from '../core/follow/opml';
import { localDay } from '../core/library/day';
import type { FollowResult, FollowView, OpmlImportReport } from '../messages';
import type { EarmarkDB, FollowRecord } from './db';
import { hostOf } from './net';
import { checkFollow, enqueueEpisodes, type ScannerDeps } from './scanner';

export function followView(f: FollowRecord): FollowView {
  return {
    feedUrl: f.feedUrl,
    title: f.title,
    ...(f.image ? { image: f.image } : {}),
    followedAt: f.followedAt,
    ...(f.lastCheckedAt ? { lastCheckedAt: f.lastCheckedAt } : {}),
    ...(f.lastError ? { lastError: f.lastError } : {}),
    ...(f.episodeCount !== undefined ? { episodeCount: f.episodeCount } : {}),
    ...(f.failures ? { failures: f.failures } : {}),
    ...(f.nextCheckAt ? { nextCheckAt: f.nextCheckAt } : {}),
    ...(f.needsAccess ? { needsAccess: f.needsAccess } : {}),
  };
}

/** The follows, by title. */
export async function listFollows(db: EarmarkDB): Promise<FollowView[]> {
  const all = await db.getAll('follows');
  return all
    .sort((a, b) => a.title.localeCompare(b.title) || a.feedUrl.localeCompare(b.feedUrl))
    .map(followView);
}

/**
 * Follows a feed: its first check runs now, so a wrong address, a page that is not a feed or a
 * host Earmark may not read is said at once (and nothing is followed). The show's latest episode,
 * when it is recent, goes to the scanner.
 */
export async function followFeed(
  deps: ScannerDeps,
  feedUrl: string,
  options: { title?: string } = {},
): Promise<FollowResult> {
  const { db } = deps;
  const url = feedKey(feedUrl);
  const known = await db.get('follows', url);
  if (known) return { ok: true, follow: followView(known) };
  const now = (deps.now ?? (() => new Date()))();
  const record: FollowRecord = {
    feedUrl: url,
    title: options.title || hostOf(url),
    followedAt: now.toISOString(),
  };
  await db.put('follows', record);
  const outcome = await checkFollow(deps, record);
  if (!outcome.ok) {
    const failed = await db.get('follows', url);
    await db.delete('follows', url);
    return {
      ok: false,
      error: outcome.error,
      ...(failed?.needsAccess ? { needsAccess: failed.needsAccess } : {}),
    };
  }
  if (outcome.newEpisodes.length) await enqueueEpisodes(deps, outcome.newEpisodes);
  return { ok: true, follow: followView((await db.get('follows', url))!) };
}

/** Follows the show of an episode: its feed, found by the page or the transcript search. */
export async function followEpisodeShow(deps: ScannerDeps, episodeId: string): Promise<FollowResult> {
  const episode = await deps.db.get('episodes', episodeId);
  if (!episode) return { ok: false, error: 'No such episode.' };
  if (!episode.feedUrl)
    return {
      ok: false,
      error:
        'Earmark does not know this show’s feed yet. Paste its feed address in the options to follow it.',
    };
  return followFeed(deps, episode.feedUrl, episode.show ? { title: episode.show } : {});
}

export async function unfollow(db: EarmarkDB, feedUrl: string): Promise<boolean> {
  const url = feedKey(feedUrl);
  if (!(await db.get('follows', url))) return false;
  await db.delete('follows', url);
  return true;
}

/**
 * Follows every feed of an OPML file. The feeds are not fetched here (a file can list hundreds):
 * the scan that follows checks each, and the list shows what came of it.
 */
export async function importOpml(db: EarmarkDB, text: string, now = new Date()): Promise<OpmlImportReport> {
  let parsed: ReturnType<typeof parseOpml>;
  try {
    parsed = parseOpml(text);
  } catch (error) {
    if (error instanceof OpmlError) throw new Error(error.message, { cause: error });
    throw error;
  }
  const report: OpmlImportReport = { added: 0, already: 0, problems: [...parsed.problems] };
  const tx = db.transaction('follows', 'readwrite');
  for (const feed of parsed.feeds) {
    const url = feedKey(feed.url);
    if (await tx.store.get(url)) {
      report.already += 1;
      continue;
    }
    await tx.store.put({
      feedUrl: url,
      title: feed.title || hostOf(url),
      followedAt: now.toISOString(),
    });
    report.added += 1;
  }
  await tx.done;
  return report;
}

export async function exportOpml(
  db: EarmarkDB,
  now = new Date(),
): Promise<{ opml: string; filename: string }> {
  const follows = (await db.getAll('follows')).sort((a, b) => a.title.localeCompare(b.title));
  return {
    opml: serializeOpml(follows, { title: 'Shows followed in Earmark', now }),
    filename: `earmark-follows-${localDay(now)}.opml`,
  };
}
