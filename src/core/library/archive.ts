// The library archive: the whole library as one versioned JSON file, to export, keep and import
// back losslessly (DESIGN.md §5). Writing is canonical (records sorted by key, keys in a fixed
// order), so export → import → export gives the same bytes apart from `exportedAt`. Reading is
// strict about the file and tolerant about records: a file that is not an archive throws an
// ArchiveError with words a user can act on; a bad record is skipped and reported, never lost
// in silence. Merging an archive into a library is the background's job; the two merge rules
// that need care (episodes, saved items) are here so they can be tested as plain functions.
import * as v from 'valibot';
import type { BriefRecord, EpisodeRecord, FollowRecord, InsightRecord, SavedRecord } from './records';

export const ARCHIVE_FORMAT = 'earmark-library';
export const ARCHIVE_VERSION = 1;

export type LibraryArchive = {
  format: typeof ARCHIVE_FORMAT;
  version: typeof ARCHIVE_VERSION;
  exportedAt: string;
  /** What wrote the file, e.g. "Earmark 0.1.0" (informational). */
  app?: string;
  episodes: EpisodeRecord[];
  insights: InsightRecord[];
  saved: SavedRecord[];
  follows: FollowRecord[];
  briefs: BriefRecord[];
};

export type ArchiveErrorCode = 'not-json' | 'truncated' | 'not-ours' | 'newer' | 'invalid';

/** A file that cannot be imported at all; `message` is meant for the user. */
export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
  constructor(
    readonly code: ArchiveErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type RecordKind = 'episode' | 'insight' | 'saved' | 'follow' | 'brief';

/**
 * One record the importer should hear about. `skipped`: the record is not in the result (invalid,
 * or a conflicting duplicate); otherwise it is, with a caveat. `reason` is a whole sentence for the
 * user that names the record; `index` is its position in the file's list of its kind.
 */
export type ArchiveProblem = {
  kind: RecordKind;
  index: number;
  id?: string;
  reason: string;
  skipped: boolean;
};

/** Longest strings an archive may hold (characters). */
export const ARCHIVE_LIMITS = {
  title: 2_000,
  text: 5_000,
  url: 4_000,
  note: 10_000,
  /** Identifiers and short labels (guid, engine, alias parts). */
  label: 200,
  alias: 8_000,
} as const;

// ── Schemas ────────────────────────────────────────────────────────────────────────────────────
// Messages are predicates ("is too long …"): a problem's reason puts the field's name before them.

const num = (n: number) => n.toLocaleString('en-GB');

const str = (max: number) =>
  v.pipe(v.string('is not text'), v.maxLength(max, `is too long (over ${num(max)} characters)`));

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const timestamp = v.pipe(
  v.string('is not text'),
  v.maxLength(40, 'is not a date and time'),
  v.check((s) => ISO_TIME.test(s) && Number.isFinite(Date.parse(s)), 'is not an ISO 8601 date and time'),
);

const DAY = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;
const day = v.pipe(v.string('is not text'), v.regex(DAY, 'is not a day (YYYY-MM-DD)'));

const httpUrl = v.pipe(
  str(ARCHIVE_LIMITS.url),
  v.check((s) => /^https?:\/\//i.test(s) && URL.canParse(s), 'is not an http(s) link'),
);

export const EPISODE_ID = /^ep_[a-z0-9]{1,20}$/;
export const INSIGHT_ID = /^ins_[a-z0-9]{1,20}$/;
const episodeId = v.pipe(v.string('is not text'), v.regex(EPISODE_ID, 'is not an episode id (ep_…)'));
const insightId = v.pipe(v.string('is not text'), v.regex(INSIGHT_ID, 'is not an insight id (ins_…)'));

const seconds = v.pipe(
  v.number('is not a number'),
  v.finite('is not a finite number'),
  v.minValue(0, 'is negative'),
);
const count = v.pipe(
  v.number('is not a number'),
  v.safeInteger('is not a whole number'),
  v.minValue(0, 'is negative'),
);
const list = <T extends v.GenericSchema>(item: T, max: number) =>
  v.pipe(v.array(item, 'is not a list'), v.maxLength(max, `has more than ${num(max)} entries`));

const insightEntries = {
  id: insightId,
  text: str(ARCHIVE_LIMITS.text),
  quote: str(ARCHIVE_LIMITS.text),
  start: seconds,
  end: v.optional(seconds),
  topics: list(str(ARCHIVE_LIMITS.label), 100),
  importance: v.picklist([1, 2, 3, 4, 5], 'is not an importance from 1 to 5'),
};
/** An insight without words is no insight (checks for the pipes of both insight schemas). */
const hasText = <T extends { text: string }>() =>
  v.check<T, string>((i) => i.text.trim() !== '', 'has no text');
const hasQuote = <T extends { quote: string }>() =>
  v.check<T, string>((i) => i.quote.trim() !== '', 'has no quote');

const InsightSchema = v.pipe(v.object(insightEntries, 'is not an object'), hasText(), hasQuote());

const TranscriptStepSchema = v.object(
  {
    source: v.picklist(['page', 'directory', 'feed'], 'is not page, directory or feed'),
    outcome: v.picklist(['found', 'none', 'error', 'no-access'], 'is not found, none, error or no-access'),
    detail: str(ARCHIVE_LIMITS.text),
    host: v.optional(str(ARCHIVE_LIMITS.label)),
  },
  'is not an object',
);

export const EpisodeRecordSchema = v.pipe(
  v.object(
    {
      id: episodeId,
      title: str(ARCHIVE_LIMITS.title),
      show: v.optional(str(ARCHIVE_LIMITS.title)),
      artwork: v.optional(httpUrl),
      durationSeconds: v.optional(seconds),
      pageUrl: httpUrl,
      canonicalUrl: v.optional(httpUrl),
      enclosureUrl: v.optional(httpUrl),
      mediaUrl: v.optional(httpUrl),
      feedUrl: v.optional(httpUrl),
      guid: v.optional(str(ARCHIVE_LIMITS.title)),
      appleCollectionId: v.optional(
        v.pipe(str(ARCHIVE_LIMITS.label), v.regex(/^[\w.:~-]+$/, 'is not a plain identifier')),
      ),
      published: v.optional(str(ARCHIVE_LIMITS.label)),
      transcriptLinks: v.optional(
        list(
          v.object(
            {
              url: httpUrl,
              type: v.optional(str(ARCHIVE_LIMITS.label)),
              language: v.optional(str(ARCHIVE_LIMITS.label)),
            },
            'is not an object',
          ),
          100,
        ),
      ),
      pageNotes: v.optional(list(TranscriptStepSchema, 100)),
      site: v.pipe(v.string('is not text'), v.regex(/^[a-z0-9-]{1,40}$/, 'is not a site name')),
      aliases: list(str(ARCHIVE_LIMITS.alias), 1_000),
      firstSeen: timestamp,
      lastSeen: timestamp,
    },
    'is not an object',
  ),
  v.check((e) => e.title.trim() !== '', 'has no title'),
);

export const InsightRecordSchema = v.pipe(
  v.object(
    {
      ...insightEntries,
      episodeId,
      engine: v.pipe(str(ARCHIVE_LIMITS.label), v.minLength(1, 'is empty')),
      createdAt: timestamp,
    },
    'is not an object',
  ),
  hasText(),
  hasQuote(),
);

export const SavedRecordSchema = v.pipe(
  v.object(
    {
      id: insightId,
      insightId,
      episodeId,
      day,
      note: v.optional(str(ARCHIVE_LIMITS.note)),
      savedAt: timestamp,
      insight: InsightSchema,
    },
    'is not an object',
  ),
  v.check(
    (s) => s.id === s.insightId && s.insight.id === s.insightId,
    'does not match its insight (id, insightId and insight.id differ)',
  ),
);

export const FollowRecordSchema = v.object(
  {
    feedUrl: httpUrl,
    title: str(ARCHIVE_LIMITS.title),
    image: v.optional(httpUrl),
    followedAt: timestamp,
    lastCheckedAt: v.optional(timestamp),
    lastError: v.optional(str(ARCHIVE_LIMITS.text)),
    episodeCount: v.optional(count),
    failures: v.optional(count),
    nextCheckAt: v.optional(timestamp),
    needsAccess: v.optional(str(300)),
  },
  'is not an object',
);

export const BriefRecordSchema = v.object(
  {
    day,
    createdAt: timestamp,
    from: v.optional(timestamp),
    considered: v.optional(count),
    items: list(
      v.pipe(
        v.object(
          { insightId, episodeId, insight: InsightSchema, reason: str(ARCHIVE_LIMITS.text) },
          'is not an object',
        ),
        v.check((i) => i.insight.id === i.insightId, 'does not match its insight (insight.id differs)'),
      ),
      100,
    ),
  },
  'is not an object',
);

// Compile-time: each schema's output and its record type have the same fields, at every depth,
// with types assignable both ways, so a field added to records.ts without its schema here (or the
// reverse) fails `tsc`. (Plain mutual assignability would miss a missing optional field.)
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type SameShape<A, B> =
  Same<A, B> extends false
    ? false
    : [A, B] extends [readonly (infer X)[], readonly (infer Y)[]]
      ? SameShape<X, Y>
      : [A] extends [object]
        ? Same<keyof A, keyof B> extends false
          ? false
          : false extends {
                [K in keyof A & keyof B]-?: SameShape<NonNullable<A[K]>, NonNullable<B[K]>>;
              }[keyof A & keyof B]
            ? false
            : true
        : true;
type Assert<T extends true> = T;
export type _SchemasMatchRecords = [
  Assert<SameShape<v.InferOutput<typeof EpisodeRecordSchema>, EpisodeRecord>>,
  Assert<SameShape<v.InferOutput<typeof InsightRecordSchema>, InsightRecord>>,
  Assert<SameShape<v.InferOutput<typeof SavedRecordSchema>, SavedRecord>>,
  Assert<SameShape<v.InferOutput<typeof FollowRecordSchema>, FollowRecord>>,
  Assert<SameShape<v.InferOutput<typeof BriefRecordSchema>, BriefRecord>>,
];

// ── Writing ────────────────────────────────────────────────────────────────────────────────────

/** Keys in the order they are written; keys not listed follow, in code-unit order. */
const KEY_ORDER = [
  // archive
  'format',
  'version',
  'exportedAt',
  'app',
  // keys first
  'id',
  'insightId',
  'episodeId',
  'day',
  'feedUrl',
  'url',
  'source',
  'outcome',
  // what a person reads first
  'title',
  'show',
  'site',
  'text',
  'quote',
  'start',
  'end',
  'topics',
  'importance',
  'engine',
  'pageUrl',
  'canonicalUrl',
  'enclosureUrl',
  'mediaUrl',
  'guid',
  'appleCollectionId',
  'artwork',
  'image',
  'durationSeconds',
  'published',
  'type',
  'language',
  'detail',
  'host',
  'transcriptLinks',
  'pageNotes',
  'aliases',
  'reason',
  'note',
  'insight',
  'items',
  'createdAt',
  'savedAt',
  'followedAt',
  'lastCheckedAt',
  'lastError',
  'episodeCount',
  'failures',
  'nextCheckAt',
  'needsAccess',
  'from',
  'considered',
  'firstSeen',
  'lastSeen',
  // archive lists last: the header stays at the top of the file
  'episodes',
  'insights',
  'saved',
  'follows',
  'briefs',
];
const RANK = new Map(KEY_ORDER.map((key, i) => [key, i]));

function byKeyOrder(a: string, b: string): number {
  const ra = RANK.get(a) ?? KEY_ORDER.length;
  const rb = RANK.get(b) ?? KEY_ORDER.length;
  return ra - rb || (a < b ? -1 : a > b ? 1 : 0);
}

/** JSON.stringify replacer: every object's keys in KEY_ORDER. Arrays keep their order. */
function canonical(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj).sort(byKeyOrder)) out[key] = obj[key];
  return out;
}

const codeUnitOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sortBy = <T>(items: readonly T[], key: (item: T) => string) =>
  [...items].sort((a, b) => codeUnitOrder(key(a), key(b)));

/**
 * The archive as compact JSON: records sorted by their key, keys of every object in one fixed
 * order, undefined fields left out. Writes every record it is given, valid or not (an export
 * loses nothing; the import reports what it cannot take back).
 */
export function serializeArchive(a: LibraryArchive): string {
  const out = {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    exportedAt: a.exportedAt,
    app: a.app,
    episodes: sortBy(a.episodes, (e) => e.id),
    insights: sortBy(a.insights, (i) => i.id),
    saved: sortBy(a.saved, (s) => s.id),
    follows: sortBy(a.follows, (f) => f.feedUrl),
    briefs: sortBy(a.briefs, (b) => b.day),
  };
  return JSON.stringify(out, canonical);
}

// ── Reading ────────────────────────────────────────────────────────────────────────────────────

const MESSAGES = {
  notJson: 'This file is not an Earmark export (it is not JSON).',
  damaged: (at: number) =>
    `This Earmark export is damaged (it stops being valid JSON near character ${num(at + 1)}); export your library again.`,
  truncated: 'This file looks cut off before its end; export your library again and import the new file.',
  notOurs: 'This file is not an Earmark export (it is JSON, but not a library exported by Earmark).',
  newer: (version: number) =>
    `This file was exported by a newer Earmark (archive version ${version}; this Earmark reads version ${ARCHIVE_VERSION}). Update Earmark, then import it again.`,
  invalid: (what: string) => `This Earmark export is damaged: ${what}. Export your library again.`,
};

const KINDS = [
  {
    kind: 'episode',
    list: 'episodes',
    noun: 'Episode',
    schema: EpisodeRecordSchema,
    key: 'id',
    keyName: 'id',
  },
  {
    kind: 'insight',
    list: 'insights',
    noun: 'Insight',
    schema: InsightRecordSchema,
    key: 'id',
    keyName: 'id',
  },
  { kind: 'saved', list: 'saved', noun: 'Saved item', schema: SavedRecordSchema, key: 'id', keyName: 'id' },
  {
    kind: 'follow',
    list: 'follows',
    noun: 'Followed show',
    schema: FollowRecordSchema,
    key: 'feedUrl',
    keyName: 'feed address',
  },
  { kind: 'brief', list: 'briefs', noun: 'Brief', schema: BriefRecordSchema, key: 'day', keyName: 'day' },
] as const;

/**
 * Reads an export file. Throws ArchiveError when the file as a whole cannot be read (not JSON, cut
 * off, not an Earmark export, from a newer Earmark, wrong shape). Otherwise returns every valid
 * record, in file order, and a problem for each record skipped or kept with a caveat:
 * - a record that fails its schema is skipped;
 * - records with the same key: identical copies are one record; a copy that differs is skipped;
 * - an insight or saved item whose episode is not in the file is kept (the library may have it);
 * - fields this version does not know are dropped, and said so.
 * Unknown top-level fields are ignored (a later version 1 writer may add informational ones).
 */
export function parseArchive(text: string): { archive: LibraryArchive; problems: ArchiveProblem[] } {
  const data = parseJson(text);
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new ArchiveError('not-ours', MESSAGES.notOurs);
  const top = data as Record<string, unknown>;
  if (top.format !== ARCHIVE_FORMAT) throw new ArchiveError('not-ours', MESSAGES.notOurs);
  const version = top.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1)
    throw new ArchiveError('invalid', MESSAGES.invalid('its version is missing or not a whole number'));
  if (version > ARCHIVE_VERSION) throw new ArchiveError('newer', MESSAGES.newer(version));
  const exportedAt = v.safeParse(timestamp, top.exportedAt);
  if (!exportedAt.success)
    throw new ArchiveError('invalid', MESSAGES.invalid('its export date is missing or not a date'));
  for (const { list } of KINDS)
    if (!Array.isArray(top[list]))
      throw new ArchiveError('invalid', MESSAGES.invalid(`"${list}" is not a list`));
  const app = typeof top.app === 'string' && top.app.length <= ARCHIVE_LIMITS.label ? top.app : undefined;

  const problems: ArchiveProblem[] = [];
  const lists = {} as { [K in (typeof KINDS)[number]['list']]: Kept[] };
  for (const spec of KINDS) lists[spec.list] = readList(spec, top[spec.list] as unknown[], problems);

  // Insights and saved items whose episode the file does not carry: kept (the library the file
  // is imported into may have the episode), and said so.
  const episodeIds = new Set(lists.episodes.map((k) => (k.record as EpisodeRecord).id));
  for (const [kind, kept] of [
    ['insight', lists.insights],
    ['saved', lists.saved],
  ] as const) {
    for (const { record, index } of kept) {
      const { id, episodeId } = record as InsightRecord | SavedRecord;
      if (episodeIds.has(episodeId)) continue;
      const noun = kind === 'insight' ? 'Insight' : 'Saved item';
      problems.push({
        kind,
        index,
        id,
        reason: `${noun} #${index + 1} (${id}) was kept, but its episode (${episodeId}) is not in this file.`,
        skipped: false,
      });
    }
  }
  problems.sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || a.index - b.index);

  const records = <T>(kept: Kept[]) => kept.map((k) => k.record as T);
  const archive: LibraryArchive = {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    exportedAt: exportedAt.output,
    ...(app !== undefined ? { app } : {}),
    episodes: records<EpisodeRecord>(lists.episodes),
    insights: records<InsightRecord>(lists.insights),
    saved: records<SavedRecord>(lists.saved),
    follows: records<FollowRecord>(lists.follows),
    briefs: records<BriefRecord>(lists.briefs),
  };
  return { archive, problems };
}

const kindRank = (kind: RecordKind) => KINDS.findIndex((k) => k.kind === kind);

/** A record that passed its schema, with its position in the file. */
type Kept = { record: object; index: number; json?: string };

/** The valid records of one list, first of each key; a problem for each record left out or altered. */
function readList(spec: (typeof KINDS)[number], raw: unknown[], problems: ArchiveProblem[]): Kept[] {
  const kept = new Map<string, Kept>();
  raw.forEach((input, index) => {
    const id = keyOf(input, spec.key);
    const where = `${spec.noun} #${index + 1}${id !== undefined ? ` (${id})` : ''}`;
    const result = v.safeParse(spec.schema, input, { abortEarly: true });
    if (!result.success || Array.isArray(input)) {
      problems.push({
        kind: spec.kind,
        index,
        ...(id !== undefined ? { id } : {}),
        // valibot takes a list for an object (with no fields); say what it is.
        reason: `${where} was skipped: ${Array.isArray(input) ? 'it is not an object' : describeIssue(result.issues?.[0])}.`,
        skipped: true,
      });
      return;
    }
    const record = result.output as Record<string, unknown>;
    const key = record[spec.key] as string;
    const first = kept.get(key);
    if (first) {
      // Outputs of one schema have their keys in one order, so equal records give equal JSON.
      first.json ??= JSON.stringify(first.record);
      if (JSON.stringify(record) !== first.json)
        problems.push({
          kind: spec.kind,
          index,
          id: key,
          reason: `${where} was skipped: an earlier ${spec.noun.toLowerCase()} in this file has the same ${spec.keyName} and different contents (the first one is kept).`,
          skipped: true,
        });
      return;
    }
    const extra: string[] = [];
    unknownKeys(spec.schema as unknown as SchemaShape, input, '', extra);
    if (extra.length > 0)
      problems.push({
        kind: spec.kind,
        index,
        id: key,
        reason: `${where} was kept without fields this version of Earmark does not know: ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ` and ${extra.length - 5} more` : ''}.`,
        skipped: false,
      });
    kept.set(key, { record, index });
  });
  return [...kept.values()];
}

/** A record's key, for naming it in a problem, when it is a short string. */
function keyOf(input: unknown, key: string): string | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  const value = (input as Record<string, unknown>)[key];
  return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : undefined;
}

/** "items[2].insight.quote is too long (over 5,000 characters)", "it has no text". */
function describeIssue(issue: v.BaseIssue<unknown> | undefined): string {
  if (!issue) return 'it is not valid';
  const path = issue.path ?? [];
  let label = '';
  for (const item of path) {
    const key = (item as { key: unknown }).key;
    label += typeof key === 'number' ? `[${key}]` : `${label ? '.' : ''}${String(key)}`;
  }
  const missing = (path.at(-1) as { origin?: string } | undefined)?.origin === 'key';
  return `${label || 'it'} ${missing ? 'is missing' : issue.message}`;
}

type SchemaShape = {
  type: string;
  entries?: Record<string, SchemaShape>;
  item?: SchemaShape;
  wrapped?: SchemaShape;
};

/** Fields of `value` that `schema` does not declare (and so drops), as paths. */
function unknownKeys(schema: SchemaShape, value: unknown, path: string, out: string[]): void {
  if (value === null || typeof value !== 'object') return;
  if (schema.wrapped) return unknownKeys(schema.wrapped, value, path, out);
  if (schema.item && Array.isArray(value)) {
    value.forEach((item, i) => unknownKeys(schema.item!, item, `${path}[${i}]`, out));
    return;
  }
  if (!schema.entries) return;
  for (const key of Object.keys(value)) {
    // Own keys only: a field named "constructor" or "toString" is not declared, though the
    // entries object inherits one of that name.
    const entry = Object.hasOwn(schema.entries, key) ? schema.entries[key] : undefined;
    const at = path ? `${path}.${key}` : key;
    if (entry) unknownKeys(entry, (value as Record<string, unknown>)[key], at, out);
    else out.push(at);
  }
}

// ── JSON errors: not JSON at all, or JSON cut off ─────────────────────────────────────────────

function parseJson(text: string): unknown {
  if (typeof text !== 'string') throw new ArchiveError('not-json', MESSAGES.notJson);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a byte-order mark
  try {
    return JSON.parse(body);
  } catch {
    // Engines word JSON errors differently (V8: "Unexpected end of JSON input", Firefox: "end of
    // data …"), so the file is read again here to tell a cut-off export from something else.
  }
  const scan = scanJson(body);
  if (scan.state === 'prefix' && /^\s*[[{]/.test(body))
    throw new ArchiveError('truncated', MESSAGES.truncated);
  if (scan.state === 'error' && /^\s*\{/.test(body) && body.slice(0, 1000).includes(`"${ARCHIVE_FORMAT}"`))
    throw new ArchiveError('not-json', MESSAGES.damaged(scan.at));
  throw new ArchiveError('not-json', MESSAGES.notJson);
}

// JSON strings may not hold raw control characters (U+0000–U+001F), hence the ranges below.
/* eslint-disable no-control-regex */
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const STRING_TO_END =
  /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*(?:\\(?:u[0-9a-fA-F]{0,3})?)?$/y;
/* eslint-enable no-control-regex */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const NUMBER_TO_END = /-?(?:0|[1-9]\d*)?(?:\.\d*)?(?:[eE][+-]?\d*)?$/y;
const SPACE = /[ \t\n\r]*/y;

/**
 * Reads JSON syntax without building values: 'complete' (one whole value), 'prefix' (valid so
 * far, but the text ends before the value does: a cut-off file) or 'error' at a character.
 */
function scanJson(text: string): { state: 'complete' | 'prefix' | 'error'; at: number } {
  const stack: ('{' | '[')[] = [];
  // What may come next: a value, an object key, or what follows a value.
  let expect: 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'after' = 'value';
  let i = 0;
  const n = text.length;
  const match = (re: RegExp) => {
    re.lastIndex = i;
    return re.exec(text) ? re.lastIndex : -1;
  };
  for (;;) {
    SPACE.lastIndex = i;
    SPACE.exec(text);
    i = SPACE.lastIndex;
    if (i >= n) return { state: stack.length === 0 && expect === 'after' ? 'complete' : 'prefix', at: i };
    if (expect === 'after' && stack.length === 0) return { state: 'error', at: i };
    const c = text[i]!;
    if (expect === 'colon') {
      if (c !== ':') return { state: 'error', at: i };
      i++;
      expect = 'value';
      continue;
    }
    if (expect === 'after') {
      const top = stack[stack.length - 1];
      if (c === ',') expect = top === '{' ? 'key' : 'value';
      else if ((c === '}' && top === '{') || (c === ']' && top === '[')) stack.pop();
      else return { state: 'error', at: i };
      i++;
      continue;
    }
    if ((c === '}' && expect === 'key-or-close') || (c === ']' && expect === 'value-or-close')) {
      stack.pop();
      i++;
      expect = 'after';
      continue;
    }
    if (expect === 'key' || expect === 'key-or-close') {
      if (c !== '"') return { state: 'error', at: i };
      const end = match(STRING);
      if (end < 0) return { state: match(STRING_TO_END) < 0 ? 'error' : 'prefix', at: i };
      i = end;
      expect = 'colon';
      continue;
    }
    // A value.
    expect = 'after';
    if (c === '{' || c === '[') {
      stack.push(c);
      expect = c === '{' ? 'key-or-close' : 'value-or-close';
      i++;
    } else if (c === '"') {
      const end = match(STRING);
      if (end < 0) return { state: match(STRING_TO_END) < 0 ? 'error' : 'prefix', at: i };
      i = end;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const end = match(NUMBER);
      // "1." or "-" at the very end is a number cut short (NUMBER_TO_END matches only to the end).
      if (end !== n && match(NUMBER_TO_END) === n) return { state: 'prefix', at: i };
      if (end < 0) return { state: 'error', at: i };
      i = end;
    } else {
      const word = ['true', 'false', 'null'].find((w) => w[0] === c);
      if (!word) return { state: 'error', at: i };
      const rest = text.slice(i, i + word.length);
      if (rest === word) i += word.length;
      else return { state: word.startsWith(rest) && i + rest.length === n ? 'prefix' : 'error', at: i };
    }
  }
}

// ── Merging ────────────────────────────────────────────────────────────────────────────────────

/** Whether ISO time a is before b (by instant when both parse, else by text). */
function before(a: string, b: string): boolean {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  return Number.isFinite(ta) && Number.isFinite(tb) ? ta < tb : a < b;
}

/**
 * One episode known twice (the library's and a file's): the existing record's fields win, fields
 * it lacks come from the incoming one; aliases are the union (sorted), firstSeen the earliest,
 * lastSeen the latest. Idempotent: merging the same incoming record again changes nothing.
 */
export function mergeEpisode(existing: EpisodeRecord, incoming: EpisodeRecord): EpisodeRecord {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(existing)) if (value !== undefined) out[key] = value;
  for (const [key, value] of Object.entries(incoming))
    if (value !== undefined && out[key] === undefined) out[key] = value;
  const merged = out as EpisodeRecord;
  merged.aliases = [...new Set([...existing.aliases, ...incoming.aliases])].sort(codeUnitOrder);
  merged.firstSeen = before(incoming.firstSeen, existing.firstSeen) ? incoming.firstSeen : existing.firstSeen;
  merged.lastSeen = before(existing.lastSeen, incoming.lastSeen) ? incoming.lastSeen : existing.lastSeen;
  return merged;
}

/**
 * One saved item known twice: the existing record wins, except that the earlier save gives the
 * item its savedAt and day (together). Notes are joined so neither is lost: a note contained in
 * the other is not repeated; two different notes become "existing\n\nincoming" unless that would
 * pass ARCHIVE_LIMITS.note (then the existing note stays). Idempotent.
 */
export function mergeSaved(existing: SavedRecord, incoming: SavedRecord): SavedRecord {
  const earlier = before(incoming.savedAt, existing.savedAt) ? incoming : existing;
  const merged: SavedRecord = { ...existing, savedAt: earlier.savedAt, day: earlier.day };
  const note = mergeNotes(existing.note ?? '', incoming.note ?? '');
  if (note !== '') merged.note = note;
  else if (merged.note === undefined) delete merged.note;
  return merged;
}

function mergeNotes(a: string, b: string): string {
  if (b.trim() === '' || a.includes(b)) return a;
  if (a.trim() === '' || b.includes(a)) return b;
  const joined = `${a}\n\n${b}`;
  return joined.length <= ARCHIVE_LIMITS.note ? joined : a;
}
