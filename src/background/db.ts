// Earmark's IndexedDB: every durable fact lives here, never in module variables, because the
// background can be stopped at any moment. The schema is typed (DBSchema) and grows through
// cumulative migrations: a database written by any earlier version opens with its data kept.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { Feed, Insight, Transcript } from '../core/types';
import type { TranscriptStatus, TranscriptStep } from '../messages';
import type { Playback } from '../core/episode/hint';
import { aliasesFor } from '../core/episode/identity';

export const DB_NAME = 'earmark';
export const DB_VERSION = 4;

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

export type TranscriptRecord = {
  episodeId: string;
  /** Where it came from: the page, or the show's feed. */
  source: 'page' | 'feed';
  url: string;
  /** Handed over by the page (YouTube captions): it cannot be fetched again by the background. */
  pushed?: boolean;
  transcript: Transcript;
  fetchedAt: string;
  /** Least-recently-used pruning reads this. */
  usedAt: string;
};

export type InsightRecord = Insight & { episodeId: string; engine: string; createdAt: string };

export type JobRecord = {
  id: string;
  episodeId: string;
  kind: 'transcript' | 'insights';
  state: 'queued' | 'running' | 'done' | 'failed';
  progress?: number;
  /** With `progress`: work done of this much. */
  progressTotal?: number;
  /** For insight jobs: the engine that runs them. */
  engine?: string;
  error?: string;
  /** For transcript jobs: what was tried, shown to the user. */
  transcript?: TranscriptStatus;
  updatedAt: string;
};

/** A feed as last fetched, with the validators for the next conditional request. */
export type FeedRecord = { url: string; feed: Feed; etag?: string; lastModified?: string; fetchedAt: string };

export type SavedRecord = {
  id: string;
  insightId: string;
  episodeId: string;
  /** Local date of saving, YYYY-MM-DD: one list per day. */
  day: string;
  note?: string;
  savedAt: string;
};

/** What plays in an open tab; cleared when the tab closes or the browser starts. */
export type TabRecord = {
  tabId: number;
  episodeId?: string;
  pageUrl?: string;
  playback?: Playback;
  updatedAt: string;
};

export interface EarmarkSchema extends DBSchema {
  episodes: { key: string; value: EpisodeRecord; indexes: { 'by-alias': string; 'by-lastSeen': string } };
  transcripts: { key: string; value: TranscriptRecord; indexes: { 'by-usedAt': string } };
  insights: {
    key: string;
    value: InsightRecord;
    indexes: { 'by-episode': string; 'by-episode-start': [string, number] };
  };
  jobs: { key: string; value: JobRecord; indexes: { 'by-episode': string; 'by-state': string } };
  saved: { key: string; value: SavedRecord; indexes: { 'by-day': string; 'by-insight': string } };
  tabs: { key: number; value: TabRecord };
  feeds: { key: string; value: FeedRecord };
  /** Settings and small counters, one row a name (the API key among them: never synced). */
  settings: { key: string; value: { name: string; value: unknown } };
}

export type EarmarkDB = IDBPDatabase<EarmarkSchema>;
type UpgradeTx = IDBPTransaction<EarmarkSchema, StoreNames<EarmarkSchema>[], 'versionchange'>;

/**
 * Migrations, in order: entry N-1 takes a database from version N-1 to N. Never edit a released
 * step; add a new one. Each gets the raw database and the upgrade transaction.
 */
export const MIGRATIONS: ((db: EarmarkDB, tx: UpgradeTx) => void)[] = [
  // v1: the first stores.
  (db) => {
    db.createObjectStore('episodes', { keyPath: 'id' });
    const transcripts = db.createObjectStore('transcripts', { keyPath: 'episodeId' });
    transcripts.createIndex('by-usedAt', 'usedAt');
    const insights = db.createObjectStore('insights', { keyPath: 'id' });
    insights.createIndex('by-episode', 'episodeId');
    insights.createIndex('by-episode-start', ['episodeId', 'start']);
    const jobs = db.createObjectStore('jobs', { keyPath: 'id' });
    jobs.createIndex('by-episode', 'episodeId');
    jobs.createIndex('by-state', 'state');
    const saved = db.createObjectStore('saved', { keyPath: 'id' });
    saved.createIndex('by-day', 'day');
    saved.createIndex('by-insight', 'insightId');
  },
  // v2: episodes are found by any of their aliases across players; open tabs are tracked.
  // v1 episodes had no aliases: derive them from the fields they kept.
  (db, tx) => {
    const episodes = tx.objectStore('episodes');
    episodes.createIndex('by-alias', 'aliases', { multiEntry: true });
    episodes.createIndex('by-lastSeen', 'lastSeen');
    db.createObjectStore('tabs', { keyPath: 'tabId' });
    void episodes.openCursor().then(async function backfill(cursor): Promise<void> {
      if (!cursor) return;
      const old = cursor.value;
      if (!Array.isArray(old.aliases) || old.aliases.length === 0) {
        const aliases = aliasesFor({
          site: old.site ?? 'generic',
          pageUrl: old.pageUrl,
          title: old.title,
          ...(old.guid ? { guid: old.guid } : {}),
          ...(old.enclosureUrl ? { enclosureUrl: old.enclosureUrl } : {}),
        });
        await cursor.update({
          ...old,
          site: old.site ?? 'generic',
          aliases,
          lastSeen: old.lastSeen ?? old.firstSeen,
        });
      }
      return cursor.continue().then(backfill);
    });
  },
  // v3: fetched feeds are kept, so the next check is a conditional request.
  (db) => {
    db.createObjectStore('feeds', { keyPath: 'url' });
  },
  // v4: settings live here, in the extension's own database, which pages cannot read.
  (db) => {
    db.createObjectStore('settings', { keyPath: 'name' });
  },
];

export class StorageError extends Error {
  constructor(
    message: string,
    readonly code: 'quota' | 'blocked' | 'unavailable',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
}

/** Opens (and if needed upgrades) the database. */
export async function openEarmarkDb(name = DB_NAME): Promise<EarmarkDB> {
  try {
    const database = await openDB<EarmarkSchema>(name, DB_VERSION, {
      upgrade(upgrading, oldVersion, _newVersion, tx) {
        for (let v = oldVersion; v < MIGRATIONS.length; v++) MIGRATIONS[v]!(upgrading, tx);
      },
      blocked() {
        // An older connection (another extension page) still holds the database open; it will
        // close when it gets `versionchange` (see `blocking` below), and the open then proceeds.
      },
      blocking() {
        // A newer version wants to upgrade: step aside so it can.
        database.close();
        connection = undefined;
      },
    });
    return database;
  } catch (error) {
    throw toStorageError(error);
  }
}

export function toStorageError(error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'QuotaExceededError')
    return new StorageError(
      'The browser has no room left for Earmark’s data. Free some disk space.',
      'quota',
      {
        cause: error,
      },
    );
  return new StorageError(
    `Earmark could not open its database: ${String((error as Error)?.message ?? error)}`,
    'unavailable',
    {
      cause: error,
    },
  );
}

let connection: Promise<EarmarkDB> | undefined;

/** The shared connection of this context (a cache of the handle, not of any data). */
export function db(): Promise<EarmarkDB> {
  connection ??= openEarmarkDb().catch((error: unknown) => {
    connection = undefined; // let the next call try again
    throw error;
  });
  return connection;
}
