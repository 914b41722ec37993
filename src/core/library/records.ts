// The records of Earmark's library as IndexedDB keeps them and the JSON export carries them.
// The background's database (src/background/db.ts) stores exactly these shapes; the archive
// (export/import) validates them field by field, so a change here is a change of both.
import type { Insight } from '../types';
import type { TranscriptStep } from '../../messages';

export type EpisodeRecord = {
  id: string;
  title: string;
  show?: string;
  artwork?: string;
  durationSeconds?: number;
  pageUrl: string;
  canonicalUrl?: string;
  enclosureUrl?: string;
  mediaUrl?: string;
  feedUrl?: string;
  guid?: string;
  /** The show's Apple Podcasts id, when the page gave it (leads to the feed via Apple's directory). */
  appleCollectionId?: string;
  published?: string;
  /** Transcripts the page linked. */
  transcriptLinks?: { url: string; type?: string; language?: string }[];
  /** What the page's player said of its own captions (a step shown first in every search). */
  pageNotes?: TranscriptStep[];
  site: string;
  /** Every identifier that names this episode across players (see core/episode/identity). */
  aliases: string[];
  firstSeen: string;
  lastSeen: string;
};

export type InsightRecord = Insight & { episodeId: string; engine: string; createdAt: string };

/**
 * An insight in a day's list. One per insight (its key is the insight id), so saving twice, from
 * two tabs at once, is one item. It keeps a copy of the insight as it was when saved: the list
 * stays whole even when the episode's insights are extracted again.
 */
export type SavedRecord = {
  /** = insightId. */
  id: string;
  insightId: string;
  episodeId: string;
  /** Local date of saving, YYYY-MM-DD: one list per day. */
  day: string;
  note?: string;
  savedAt: string;
  insight: Insight;
};

/** A show the user follows, with how its feed's checks went (the scanner writes those fields). */
export type FollowRecord = {
  feedUrl: string;
  title: string;
  image?: string;
  followedAt: string;
  lastCheckedAt?: string;
  /** Plain words, when the last check failed. */
  lastError?: string;
  /** Episodes in the feed at the last check. */
  episodeCount?: number;
  /** Checks failed in a row, for backing off. */
  failures?: number;
  /** Not checked by the timer before this (backing off a failing feed). */
  nextCheckAt?: string;
  /** A host Earmark needs the user's permission to read (the feed's, or a transcript's). */
  needsAccess?: string;
};

/** A daily brief: the top insights of a day, each with why it is there. */
export type BriefRecord = {
  /** Local date, YYYY-MM-DD: one brief a day. */
  day: string;
  createdAt: string;
  /** The brief covers what arrived or was heard from this instant to `createdAt`. */
  from?: string;
  /** Insights that were candidates (0: nothing new, and the brief says so). */
  considered?: number;
  items: { insightId: string; episodeId: string; insight: Insight; reason: string }[];
};
