// The messages the background answers (runtime.sendMessage): who may send each, the schema its
// payload must pass, and the type of its answer. Part of the one contract (messages.ts holds the
// views, the types and what content scripts receive); kept in a file of its own so content
// scripts, which import the contract's small shared part, do not load every schema.
import * as v from 'valibot';
import { EpisodeHintSchema, PlaybackSchema } from './core/episode/hint';
import { ERASE_CONFIRMATION } from './message-names';
import {
  EmptySchema,
  ENGINES,
  InsightId,
  STT_ENGINES,
  WHISPER_MODELS,
  PageCaptionsSchema,
  TabId,
  type BriefView,
  type CardsView,
  type DayListView,
  type EpisodeDetailView,
  type EpisodeListView,
  type FollowResult,
  type FollowsView,
  type ImportReport,
  type LibraryStats,
  type NowPlaying,
  type OpmlImportReport,
  type RelatedView,
  type SavedView,
  type ScanView,
  type SearchView,
  type SenderKind,
  type SettingsView,
  type TranscriptStatus,
  type TranscriptionView,
} from './messages';

const DetectedSchema = v.strictObject({ hint: EpisodeHintSchema });
const TabRequestSchema = v.strictObject({ tabId: TabId });
const SettingsPatchSchema = v.strictObject({
  engine: v.optional(v.picklist(ENGINES)),
  model: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100), v.regex(/^[\w.:-]*$/))),
  apiKey: v.optional(
    v.nullable(v.pipe(v.string(), v.trim(), v.minLength(10), v.maxLength(300), v.regex(/^[\x21-\x7e]+$/))),
  ),
  dailyBudgetUsd: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1000))),
  youtubeAllVideos: v.optional(v.boolean()),
  briefTime: v.optional(v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/))),
  briefNotify: v.optional(v.boolean()),
  /** null or '': the transcript's own language. */
  language: v.optional(
    v.nullable(v.pipe(v.string(), v.maxLength(35), v.regex(/^([a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*)?$/))),
  ),
  /** Where the Messages API is (tests, proxies): an http(s) origin; null for the real API. */
  apiBaseUrl: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(300), v.url(), v.regex(/^https?:\/\//)))),
  /** Speech to text (a partial patch: what is absent is unchanged; null resets to the default). */
  stt: v.optional(
    v.strictObject({
      engine: v.optional(v.picklist(STT_ENGINES)),
      whisperModel: v.optional(v.picklist(WHISPER_MODELS.map((m) => m.id))),
      baseUrl: v.optional(
        v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(300), v.url(), v.regex(/^https?:\/\//))),
      ),
      model: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(100), v.regex(/^[\w./:-]+$/)))),
      apiKey: v.optional(
        v.nullable(v.pipe(v.string(), v.trim(), v.minLength(8), v.maxLength(400), v.regex(/^[\x21-\x7e]+$/))),
      ),
      pricePerMinute: v.optional(v.nullable(v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(10)))),
    }),
  ),
});
const TestKeySchema = v.strictObject({
  apiKey: v.optional(
    v.pipe(v.string(), v.trim(), v.minLength(10), v.maxLength(300), v.regex(/^[\x21-\x7e]+$/)),
  ),
});

const EpisodeRequestSchema = v.strictObject({
  episodeId: v.pipe(v.string(), v.regex(/^ep_[a-z0-9]{1,20}$/)),
});
const DaySchema = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/));
const NoteText = v.pipe(v.string(), v.maxLength(10_000));
const SaveSchema = v.strictObject({ insightId: InsightId, note: v.optional(NoteText) });
const CardSaveSchema = v.strictObject({ insightId: InsightId, saved: v.boolean() });
const InsightRequestSchema = v.strictObject({ insightId: InsightId });
const NoteSchema = v.strictObject({ insightId: InsightId, note: NoteText });
const DayRequestSchema = v.strictObject({ day: DaySchema });
const RelatedSchema = v.strictObject({
  insightIds: v.pipe(v.array(InsightId), v.maxLength(500)),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(20))),
});
const SearchSchema = v.strictObject({
  query: v.pipe(v.string(), v.maxLength(500)),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100))),
});
const EpisodesPageSchema = v.strictObject({
  offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000))),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(200))),
});
/** An export file's text: Chrome carries messages up to 64 MiB. */
const ImportSchema = v.strictObject({ json: v.pipe(v.string(), v.maxLength(60 * 1024 * 1024)) });
const FeedUrlSchema = v.strictObject({
  feedUrl: v.pipe(v.string(), v.trim(), v.maxLength(2000), v.url(), v.regex(/^https?:\/\//i)),
});
/** An OPML file's text (podcast apps' subscription lists are a few hundred kB at most). */
const OpmlSchema = v.strictObject({ text: v.pipe(v.string(), v.maxLength(5 * 1024 * 1024)) });
const OptionalDaySchema = v.strictObject({ day: v.optional(DaySchema) });
const EraseSchema = v.strictObject({ confirm: v.literal(ERASE_CONFIRMATION) });
const SttChangedSchema = v.strictObject({
  /** Absent with `idle` when the driver found nothing to run. */
  episodeId: v.optional(v.pipe(v.string(), v.regex(/^ep_[a-z0-9]{1,20}$/))),
  /** The driver has no job left to run: its document may close. */
  idle: v.optional(v.boolean()),
});

type Declaration<S extends v.GenericSchema, R> = { from: SenderKind; request: S; response: R };
const declare = <S extends v.GenericSchema, R>(from: SenderKind, request: S): Declaration<S, R> => ({
  from,
  request,
  response: undefined as R,
});

/** Messages sent to the background with runtime.sendMessage. */
export const toBackground = {
  /** A content script saw an episode start playing in its tab. */
  'episode/detected': declare<typeof DetectedSchema, { episodeId: string }>('content', DetectedSchema),
  /** A content script's player changed state (play, pause, seek, rate, end). */
  'playback/changed': declare<typeof PlaybackSchema, null>('content', PlaybackSchema),
  /** A content script read the player's captions in its tab (YouTube), or learnt why it cannot. */
  'transcript/page-captions': declare<typeof PageCaptionsSchema, TranscriptStatus | null>(
    'content',
    PageCaptionsSchema,
  ),
  /** The UI asks to look for the episode's transcript again (after access was granted, say). */
  'transcript/retry': declare<typeof EpisodeRequestSchema, TranscriptStatus>('ui', EpisodeRequestSchema),
  /** The UI asks for the episode's insights again (after a failure, or to start over). */
  'insights/retry': declare<typeof EpisodeRequestSchema, null>('ui', EpisodeRequestSchema),
  /** The UI reads the settings (the API key only as a masked hint). */
  'settings/get': declare<typeof EmptySchema, SettingsView>('ui', EmptySchema),
  /** The UI changes settings; `apiKey: null` forgets the key. */
  'settings/set': declare<typeof SettingsPatchSchema, SettingsView>('ui', SettingsPatchSchema),
  /** The UI checks an API key without spending (a token count): the given one, else the stored. */
  'settings/test-key': declare<typeof TestKeySchema, { ok: boolean; message: string }>('ui', TestKeySchema),
  /** Save an insight to today's list (saving it again changes nothing but a given note). */
  'library/save': declare<typeof SaveSchema, SavedView>('ui', SaveSchema),
  /** Take an insight off the list it is in. */
  'library/unsave': declare<typeof InsightRequestSchema, { removed: boolean }>('ui', InsightRequestSchema),
  /** Set (or with '' clear) the note of a saved insight. */
  'library/note': declare<typeof NoteSchema, SavedView>('ui', NoteSchema),
  /** A day's list. */
  'library/day': declare<typeof DayRequestSchema, DayListView>('ui', DayRequestSchema),
  /** The days that have a list, newest first. */
  'library/days': declare<typeof EmptySchema, { day: string; count: number }[]>('ui', EmptySchema),
  /** Related insights from other episodes, for each insight asked about. */
  'library/related': declare<typeof RelatedSchema, Record<string, RelatedView[]>>('ui', RelatedSchema),
  /** Search the library: insights, quotes, episodes, shows. */
  'library/search': declare<typeof SearchSchema, SearchView>('ui', SearchSchema),
  /** The library's episodes, most recently heard first, a page at a time. */
  'library/episodes': declare<typeof EpisodesPageSchema, EpisodeListView>('ui', EpisodesPageSchema),
  /** One episode with all its insights. */
  'library/episode': declare<typeof EpisodeRequestSchema, EpisodeDetailView | null>(
    'ui',
    EpisodeRequestSchema,
  ),
  /** The whole library as JSON (never the API key, never cached transcripts). */
  'library/export': declare<typeof EmptySchema, { json: string; filename: string }>('ui', EmptySchema),
  /** A day's list as Markdown. */
  'library/export-day': declare<typeof DayRequestSchema, { markdown: string; filename: string }>(
    'ui',
    DayRequestSchema,
  ),
  /** Merge an export file into the library: lossless and idempotent. */
  'library/import': declare<typeof ImportSchema, ImportReport>('ui', ImportSchema),
  /** Erase everything Earmark stored: library, cache, settings and the API key. */
  'library/erase': declare<typeof EraseSchema, null>('ui', EraseSchema),
  /** Counts and disk use, for the options page. */
  'library/stats': declare<typeof EmptySchema, LibraryStats>('ui', EmptySchema),
  /** The followed shows and the scanner's state. */
  'follows/list': declare<typeof EmptySchema, FollowsView>('ui', EmptySchema),
  /** Follow a show by its feed's address (the feed is fetched and checked first). */
  'follows/add': declare<typeof FeedUrlSchema, FollowResult>('ui', FeedUrlSchema),
  /** Follow the show of an episode whose feed is known. */
  'follows/add-episode': declare<typeof EpisodeRequestSchema, FollowResult>('ui', EpisodeRequestSchema),
  /** Stop following a show (what it brought stays in the library). */
  'follows/remove': declare<typeof FeedUrlSchema, { removed: boolean }>('ui', FeedUrlSchema),
  /** Follow every feed of an OPML file (what podcast apps export). */
  'follows/import-opml': declare<typeof OpmlSchema, OpmlImportReport>('ui', OpmlSchema),
  /** The followed shows as an OPML file. */
  'follows/export-opml': declare<typeof EmptySchema, { opml: string; filename: string }>('ui', EmptySchema),
  /** Check every followed feed now (also those the timer is backing off); answers at once. */
  'scan/run': declare<typeof EmptySchema, ScanView>('ui', EmptySchema),
  /** A day's brief (default today), or null when none was made. */
  'brief/get': declare<typeof OptionalDaySchema, BriefView | null>('ui', OptionalDaySchema),
  /** Make today's brief now (again, if it was made: the same window, new candidates). */
  'brief/build': declare<typeof EmptySchema, BriefView>('ui', EmptySchema),
  /** The days that have a brief, newest first, with how many items each. */
  'brief/days': declare<typeof EmptySchema, { day: string; count: number }[]>('ui', EmptySchema),
  /** A day's brief as Markdown. */
  'brief/export': declare<typeof DayRequestSchema, { markdown: string; filename: string }>(
    'ui',
    DayRequestSchema,
  ),
  /** A card's "Follow this show": the show of the episode the sender's tab plays. */
  'cards/follow': declare<typeof EmptySchema, FollowResult>('content', EmptySchema),
  /** A page's cards ask for the insights of the episode their tab plays (null: none reported). */
  'cards/get': declare<typeof EmptySchema, CardsView | null>('content', EmptySchema),
  /** A card's Save toggle: only for an insight of the episode the sender's tab plays. */
  'cards/save': declare<typeof CardSaveSchema, { saved: boolean }>('content', CardSaveSchema),
  /** Transcribe the episode's audio (the user saw the offer: cost or download size). */
  'stt/start': declare<typeof EpisodeRequestSchema, TranscriptionView>('ui', EpisodeRequestSchema),
  /** Pause transcribing; what was transcribed is kept. */
  'stt/pause': declare<typeof EpisodeRequestSchema, TranscriptionView>('ui', EpisodeRequestSchema),
  /** Go on transcribing after a pause or a failure, from where it stopped. */
  'stt/resume': declare<typeof EpisodeRequestSchema, TranscriptionView>('ui', EpisodeRequestSchema),
  /** The transcription driver (offscreen document) wrote progress or finished an episode. */
  'stt/changed': declare<typeof SttChangedSchema, null>('ui', SttChangedSchema),
  /** Delete the downloaded Whisper model(s) from the device. */
  'stt/delete-model': declare<typeof EmptySchema, { deleted: number }>('ui', EmptySchema),
  /** The UI asks what is playing in a tab. */
  'tab/now-playing': declare<typeof TabRequestSchema, NowPlaying | null>('ui', TabRequestSchema),
};
