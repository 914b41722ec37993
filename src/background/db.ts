// Earmark's IndexedDB: every durable fact lives here, never in module variables, because the
// background can be stopped at any moment. The schema is typed (DBSchema) and grows through
// cumulative migrations: a database written by any earlier version opens with its data kept.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { Feed, Segment, Transcript } from '../core/types';
import type { SttEngine, TranscriptStatus } from '../messages';
import type {
  BriefRecord,
  EpisodeRecord,
  FollowRecord,
  InsightRecord,
  SavedRecord,
} from '../core/library/records';

export type { BriefRecord, EpisodeRecord, FollowRecord, InsightRecord, SavedRecord };
import type { Playback } from '../core/episode/hint';
import { aliasesFor } from '../core/episode/identity';

export const DB_NAME = 'earmark';
export const DB_VERSION = 5;

export type TranscriptRecord = {
  episodeId: string;
  /** Where it came from: the page, the show's feed, or Earmark's transcription of the audio. */
  source: 'page' | 'feed' | 'transcribed';
  /** For source 'transcribed': who made it, in words. */
  by?: string;
  url: string;
  /** Handed over by the page (YouTube captions): it cannot be fetched again by the background. */
  pushed?: boolean;
  transcript: Transcript;
  fetchedAt: string;
  /** Least-recently-used pruning reads this. */
  usedAt: string;
};

export type JobRecord = {
  id: string;
  episodeId: string;
  kind: 'transcript' | 'insights' | 'transcribe';
  state: 'queued' | 'running' | 'done' | 'failed';
  progress?: number;
  /** With `progress`: work done of this much. */
  progressTotal?: number;
  /** For insight jobs: the engine that runs them. */
  engine?: string;
  /** For insight jobs: the parts of the transcript this engine finished (indexes in time order, of how many). */
  parts?: { engine: string; done: number[]; of: number };
  error?: string;
  /** For transcript jobs: what was tried, shown to the user. */
  transcript?: TranscriptStatus;
  /** For transcribe jobs (id `transcribe:<episodeId>`): the audio's transcription so far. */
  stt?: SttJob;
  updatedAt: string;
};

/**
 * Transcribing an episode's audio, piece by piece. Everything a stopped worker or a closed
 * offscreen document needs to go on is here: the audio's plan, the pieces done with their words.
 */
export type SttJob = {
  state: 'running' | 'paused' | 'done' | 'failed';
  engine: SttEngine;
  /** The Whisper model, or the service's model. */
  model: string;
  /** Who transcribes, in words. */
  by: string;
  audioUrl: string;
  /** Language asked for (service, multilingual Whisper); absent: detected. */
  language?: string;
  /** The language the engine heard first, when none was asked for. */
  detectedLanguage?: string;
  /** Where the listener was when it started: the pieces from there on go first. */
  startAt?: number;
  /** Known once the audio's first bytes were read. */
  plan?: SttPlan;
  /** Pieces finished (index = floor(start / pieceSeconds)): seconds of audio, segments (times absolute). */
  pieces: { index: number; seconds: number; segments: Segment[] }[];
  /** What it does now, in words. */
  activity?: string;
  error?: string;
  needsAccess?: string;
  costUsd?: number;
  /** Insights were made from the first piece done (the listener's), before the whole was. */
  insightsOf?: 'part' | 'whole';
  startedAt: string;
};

export type SttPlan = {
  format: string;
  totalBytes?: number;
  /** Unknown for a variable-bitrate MP3 with no frame count whose server gives no length. */
  durationSeconds?: number;
  pieceSeconds: number;
  /** How many pieces the audio makes (known with the duration, or once the audio was read to its end). */
  pieces?: number;
  /** The server answers range requests: pieces can be read in any order. */
  seekable: boolean;
  /** Times are estimated from byte positions (variable-bitrate MP3 read out of order). */
  approximate?: boolean;
};

/** A feed as last fetched, with the validators for the next conditional request. */
export type FeedRecord = { url: string; feed: Feed; etag?: string; lastModified?: string; fetchedAt: string };

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
    indexes: { 'by-episode': string; 'by-episode-start': [string, number]; 'by-createdAt': string };
  };
  jobs: { key: string; value: JobRecord; indexes: { 'by-episode': string; 'by-state': string } };
  saved: {
    key: string;
    value: SavedRecord;
    indexes: { 'by-day': string; 'by-insight': string; 'by-episode': string };
  };
  follows: { key: string; value: FollowRecord };
  briefs: { key: string; value: BriefRecord };
  /** Derived data kept to start fast (the search index snapshot): rebuilt from the stores when lost. */
  derived: { key: string; value: DerivedRecord };
  tabs: { key: number; value: TabRecord };
  feeds: { key: string; value: FeedRecord };
  /** Settings and small counters, one row a name (the API key among them: never synced). */
  settings: { key: string; value: { name: string; value: unknown } };
}

/** The search index as last persisted: `upTo` is the newest `createdAt` it includes. */
export type DerivedRecord = {
  name: string;
  bytes: Uint8Array;
  upTo: string;
  version: number;
  savedAt: string;
};

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
  // v5: the library. Saved items are keyed by their insight (one item per insight, however often
  // or from however many tabs it is saved) and keep a copy of it; follows and briefs get stores;
  // the search index snapshot is kept; insights are found by when they were made (to bring a
  // snapshot up to date). v4 saved items are rewritten in place, duplicates merged.
  (db, tx) => {
    tx.objectStore('insights').createIndex('by-createdAt', 'createdAt');
    const saved = tx.objectStore('saved');
    saved.createIndex('by-episode', 'episodeId');
    db.createObjectStore('follows', { keyPath: 'feedUrl' });
    db.createObjectStore('briefs', { keyPath: 'day' });
    db.createObjectStore('derived', { keyPath: 'name' });
    void (async () => {
      type V4Saved = Omit<SavedRecord, 'insight'> & { insight?: SavedRecord['insight'] };
      const rows = ((await saved.getAll()) as V4Saved[]).sort((a, b) => a.savedAt.localeCompare(b.savedAt));
      const byInsight = new Map<string, V4Saved>();
      for (const row of rows) {
        const first = byInsight.get(row.insightId);
        if (!first) byInsight.set(row.insightId, row);
        else if (row.note && row.note !== first.note)
          first.note = first.note ? `${first.note}\n\n${row.note}` : row.note;
      }
      await saved.clear();
      for (const [insightId, row] of byInsight) {
        const stored = await tx.objectStore('insights').get(insightId);
        await saved.put({
          id: insightId,
          insightId,
          episodeId: row.episodeId,
          day: row.day,
          ...(row.note ? { note: row.note } : {}),
          savedAt: row.savedAt,
          insight: stored
            ? {
                id: stored.id,
                text: stored.text,
                quote: stored.quote,
                start: stored.start,
                ...(stored.end !== undefined ? { end: stored.end } : {}),
                topics: stored.topics,
                importance: stored.importance,
              }
            : {
                id: insightId,
                text: 'An insight saved by an earlier version; its text is no longer stored.',
                quote: '',
                start: 0,
                topics: [],
                importance: 1,
              },
        });
      }
    })();
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
