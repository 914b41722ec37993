// Which episode of a feed is the one a page or player describes? The strongest evidence first:
// the feed's GUID, then the enclosure file (tracking prefixes ignored), then the title with the
// date when both sides have one. An ambiguous title match gives undefined, not a guess: a wrong
// match would attach another episode's transcript and insights.
import { normaliseMediaUrl } from '../episode/identity';
import type { Feed, FeedEpisode } from '../types';
import { parseFeedDate } from './dates';

export interface EpisodeProbe {
  guid?: string;
  enclosureUrl?: string;
  title?: string;
  /** ISO 8601 or RFC 822. */
  published?: string;
}

/** Two days either way: time zones, and hosts that publish a day before the page shows. */
const DATE_TOLERANCE_MS = 2 * 86_400_000;

/** As aliasesFor() folds GUIDs: case and white space do not tell two episodes apart. */
export const foldGuid = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** Titles compared without case, accents, punctuation or spacing ("Q&A: Part 1" = "q and a part 1"). */
export function foldTitle(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const timeOf = (date: string | undefined): number | undefined => {
  const iso = parseFeedDate(date);
  return iso === undefined ? undefined : Date.parse(iso);
};

export function matchEpisode(feed: Feed, probe: EpisodeProbe): FeedEpisode | undefined {
  const episodes = feed.episodes;

  const guid = probe.guid ? foldGuid(probe.guid) : '';
  if (guid) {
    const hit = episodes.find((e) => e.guid !== undefined && foldGuid(e.guid) === guid);
    if (hit) return hit;
  }

  const media = probe.enclosureUrl ? normaliseMediaUrl(probe.enclosureUrl) : undefined;
  if (media) {
    const hit = episodes.find(
      (e) => e.enclosureUrl !== undefined && normaliseMediaUrl(e.enclosureUrl) === media,
    );
    if (hit) return hit;
  }

  const title = probe.title ? foldTitle(probe.title) : '';
  if (!title) return undefined;
  const when = timeOf(probe.published);
  const candidates = episodes.filter((e) => {
    if (foldTitle(e.title) !== title) return false;
    const then = timeOf(e.published);
    return when === undefined || then === undefined || Math.abs(then - when) <= DATE_TOLERANCE_MS;
  });
  if (candidates.length <= 1) return candidates[0];
  // Several episodes share the title (re-runs, "Trailer"): the date must pick exactly one.
  if (when === undefined) return undefined;
  let best: FeedEpisode | undefined;
  let bestGap = Infinity;
  let tie = false;
  for (const e of candidates) {
    const then = timeOf(e.published);
    if (then === undefined) continue;
    const gap = Math.abs(then - when);
    if (gap < bestGap) [best, bestGap, tie] = [e, gap, false];
    else if (gap === bestGap) tie = true;
  }
  return tie ? undefined : best;
}

/**
 * What tells a feed's episode apart from the others across fetches, as matchEpisode compares them:
 * the GUID folded, else the enclosure without tracking prefixes or query, else the title folded.
 */
export function episodeKeyOf(e: FeedEpisode): string {
  if (e.guid) return `guid:${foldGuid(e.guid)}`;
  const media = e.enclosureUrl ? normaliseMediaUrl(e.enclosureUrl) : undefined;
  return media ? `media:${media}` : `title:${foldTitle(e.title)}`;
}
