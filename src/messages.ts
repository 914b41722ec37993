// The one typed contract between Earmark's contexts (content scripts, background, UI pages).
// Every message is declared once here: who may send it, the schema its payload must pass, and
// the type of its answer. The background router validates each payload against its schema and
// checks the sender's context before any handler runs.
import * as v from 'valibot';
import type { toBackground } from './messages-background';
import { type Playback } from './core/episode/hint';

export type { EpisodeHint, Playback } from './core/episode/hint';

/** Which context may send a message: a content script in a web page tab, or an extension page. */
export type SenderKind = 'content' | 'ui';

/** A stored episode as the UI sees it. */
export type EpisodeView = {
  id: string;
  title: string;
  show?: string;
  artwork?: string;
  durationSeconds?: number;
  pageUrl: string;
  site: string;
  lastSeen: string;
};

/** One thing the transcript resolver tried, as the user sees it. */
export type TranscriptStep = {
  source: 'page' | 'directory' | 'feed';
  outcome: 'found' | 'none' | 'error' | 'no-access';
  /** Plain words: what was tried and what came of it. */
  detail: string;
  /** The host that Earmark needs permission to read, for outcome 'no-access'. */
  host?: string;
};

export type TranscriptStatus = {
  state: 'finding' | 'found' | 'none';
  steps: TranscriptStep[];
  found?: {
    source: 'page' | 'feed' | 'transcribed';
    format: string;
    language?: string;
    segments: number;
    url: string;
    /** For source 'transcribed': who made it, in words ("whisper-1 at api.openai.com"). */
    by?: string;
  };
  updatedAt: string;
};

/** The speech-to-text engines: Whisper on this device, or an OpenAI-compatible service. */
export const STT_ENGINES = ['whisper', 'openai'] as const;
export type SttEngine = (typeof STT_ENGINES)[number];

/** Transcribing an episode's audio because nothing is published (the job as the UI sees it). */
export type TranscriptionView = {
  state: 'running' | 'paused' | 'done' | 'failed';
  engine: SttEngine;
  /** Who transcribes, in words: "Whisper tiny.en on this device", "whisper-1 at api.openai.com". */
  by: string;
  /** Seconds of audio transcribed, and of the whole episode (once its audio was read). */
  doneSeconds: number;
  totalSeconds?: number;
  /** What it does now, in words ("Downloading the speech model: 12 of 41 MB"). */
  activity?: string;
  /** Plain words, for state 'failed'. */
  error?: string;
  /** A host Earmark needs permission to read (the audio, the service), for an Allow button. */
  needsAccess?: string;
  /** Spent at the service so far, at the price per minute set in the options. */
  costUsd?: number;
  updatedAt: string;
};

/** What transcribing an episode would take, shown before it starts (the user's consent). */
export type TranscribeOffer = {
  engine: SttEngine;
  by: string;
  /** The episode's audio address is known: transcribing is possible. */
  audio: boolean;
  /** Why it cannot start yet, in words (no audio address, no key for the service). */
  blocked?: string;
  durationSeconds?: number;
  /** Service: the estimated cost at the price per minute set in the options. */
  costUsd?: number;
  /** Service: the host the audio is sent to ("api.openai.com"), and its price per minute (USD). */
  host?: string;
  pricePerMinute?: number;
  /** Whisper: bytes to download first (absent when the model is already on the device). */
  downloadBytes?: number;
};

/** An insight as the UI shows it (the contract's Insight). */
export type InsightView = {
  id: string;
  text: string;
  quote: string;
  start: number;
  end?: number;
  topics: string[];
  importance: 1 | 2 | 3 | 4 | 5;
  /** In a day's list (set where the UI shows a Save toggle). */
  saved?: boolean;
};

/** What a page's cards show: the insights of the episode its tab plays (saved ones marked). */
export type CardsView = {
  episodeId: string;
  state: 'none' | 'extracting' | 'ready' | 'failed';
  insights: InsightView[];
  /** Start folded to the pill (a short YouTube video, unless the settings say every video). */
  quiet?: boolean;
  /** Present when the show's feed is known: the card offers "Follow this show" (true: followed). */
  followed?: boolean;
};

/** An item of a day's list: the insight as saved, its episode, a link back to the moment. */
export type SavedView = {
  insight: InsightView;
  episodeId: string;
  /** Local date of saving, YYYY-MM-DD. */
  day: string;
  note?: string;
  savedAt: string;
  episode?: EpisodeView;
  /** Where the moment can be heard again (YouTube `t=`, an Overcast time link, the audio `#t=`). */
  link?: string;
};

export type DayListView = { day: string; items: SavedView[] };

/** An insight from another episode related to one on screen, with why. */
export type RelatedView = { insight: InsightView; episode: EpisodeView; reason: string; link?: string };

export type SearchView = {
  query: string;
  insights: { insight: InsightView; episode: EpisodeView; link?: string }[];
  episodes: { episode: EpisodeView; insights: number }[];
};

/** A page of the library's episodes, most recently heard first. */
export type EpisodeListView = {
  total: number;
  episodes: { episode: EpisodeView; insights: number; saved: number }[];
};

/** One episode of the library with all its insights (saved ones marked). */
export type EpisodeDetailView = { episode: EpisodeView; insights: InsightView[] };

export type LibraryStats = {
  episodes: number;
  insights: number;
  saved: number;
  days: number;
  transcripts: number;
  follows: number;
  briefs: number;
  /** From navigator.storage.estimate(), where the browser tells. */
  usageBytes?: number;
  quotaBytes?: number;
};

export type ImportReport = {
  /** Records added, by kind. */
  added: { episodes: number; insights: number; saved: number; follows: number; briefs: number };
  /** Records already present that the file completed (aliases, notes). */
  merged: number;
  /** Records already present and identical. */
  unchanged: number;
  /** What was skipped or repaired, in plain words. */
  problems: string[];
};

export type InsightsStatus = {
  state: 'extracting' | 'ready' | 'failed';
  engine: string;
  /** Work done of work in all (windows, for the engines that have them). */
  progress?: { done: number; total: number };
  /** Plain words, for state 'failed'. */
  error?: string;
  insights: InsightView[];
  updatedAt: string;
};

export type NowPlaying = {
  tabId: number;
  episode: EpisodeView;
  playback?: Playback;
  transcript?: TranscriptStatus;
  insights?: InsightsStatus;
  /** The show's feed, when known: the popup offers to follow it. */
  follow?: ShowFollow;
  /** Transcribing the audio, when it was started. */
  transcription?: TranscriptionView;
  /** When no transcript was found and none is being made: what transcribing would take. */
  transcribe?: TranscribeOffer;
};

/** A followed show as the options page lists it. */
export type FollowView = {
  feedUrl: string;
  title: string;
  image?: string;
  followedAt: string;
  lastCheckedAt?: string;
  /** Plain words, when the last check failed. */
  lastError?: string;
  episodeCount?: number;
  /** Checks failed in a row (the timer then waits longer before the next). */
  failures?: number;
  /** When the timer checks it next (absent: at its next run). */
  nextCheckAt?: string;
  /** A host Earmark needs the user's permission to read (the feed, or a transcript it links). */
  needsAccess?: string;
};

/** Following a show: done, or why not (with the host to allow, when access is what is missing). */
export type FollowResult =
  { ok: true; follow: FollowView } | { ok: false; error: string; needsAccess?: string };

/** The scanner's state: the run in progress or the last one, for the options page. */
export type ScanView = {
  state: 'idle' | 'running';
  /** The run in progress, or the last one. */
  startedAt?: string;
  finishedAt?: string;
  /** Feeds checked of the feeds this run checks. */
  checked: number;
  total: number;
  /** New episodes found, and of those, the ones whose transcript and insights are done. */
  found: number;
  processed: number;
  /** Feeds that failed in this run. */
  failed: number;
  /** When the timer runs next, if known. */
  nextRunAt?: string;
};

export type FollowsView = { follows: FollowView[]; scan: ScanView };

/** Following the show of what plays in a tab: its feed, and whether it is followed already. */
export type ShowFollow = { feedUrl: string; title?: string; followed: boolean };

/** One item of a daily brief. */
export type BriefItemView = {
  insight: InsightView;
  episodeId: string;
  episode?: EpisodeView;
  /** Why it is in the brief, in plain words. */
  reason: string;
  /** Where the moment can be heard (as in the daily list). */
  link?: string;
};

export type BriefView = {
  day: string;
  createdAt: string;
  from?: string;
  /** Insights that were candidates; 0 means nothing new (the page says so rather than pad). */
  considered: number;
  items: BriefItemView[];
};

export type OpmlImportReport = {
  /** Feeds followed now. */
  added: number;
  /** Feeds already followed. */
  already: number;
  /** Outlines skipped, in plain words. */
  problems: string[];
};

import { ERASE_CONFIRMATION, POPUP_PORT } from './message-names';
export { ERASE_CONFIRMATION, POPUP_PORT };

export const TabId = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 31));
const Seconds = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(172_800));

const SeekSchema = v.strictObject({ time: Seconds });

export const ENGINES = ['auto', 'claude', 'on-device', 'local'] as const;
export type EngineChoice = (typeof ENGINES)[number];

/** Settings as the UI sees them: never the key itself. */
export type SettingsView = {
  engine: EngineChoice;
  model: string;
  hasKey: boolean;
  /** The key's last four characters, to tell keys apart. */
  keyHint?: string;
  dailyBudgetUsd: number;
  /** BCP 47 language of insight texts (Claude); absent: the transcript's own. */
  language?: string;
  /** On YouTube, open cards on every video, not only long-form ones. */
  youtubeAllVideos: boolean;
  /** Local time of the daily brief, HH:MM (24 h). */
  briefTime: string;
  /** A notification when the brief is ready. */
  briefNotify: boolean;
  spentTodayUsd: number;
  /** The engine "auto" resolves to now. */
  effectiveEngine: 'claude' | 'on-device' | 'local';
  /** Speech to text, when an episode has no transcript. */
  stt: SttSettingsView;
};

/** The speech-to-text settings as the UI sees them (never the service's key itself). */
export type SttSettingsView = {
  engine: SttEngine;
  /** Whisper: the model (an id of WHISPER_MODELS), and whether it is on the device already. */
  whisperModel: string;
  whisperCached: boolean;
  /** The service: its base URL (…/v1), model, whether a key is set and its last four characters. */
  baseUrl: string;
  model: string;
  hasKey: boolean;
  keyHint?: string;
  /** The service's price per minute of audio, in US dollars, for the estimate shown first. */
  pricePerMinute: number;
};

/** The on-device Whisper models offered, with their download size (quantized ONNX weights). */
export const WHISPER_MODELS = [
  { id: 'onnx-community/whisper-tiny.en', label: 'Whisper tiny (English)', bytes: 44_000_000 },
  { id: 'onnx-community/whisper-base.en', label: 'Whisper base (English)', bytes: 80_000_000 },
  { id: 'onnx-community/whisper-base', label: 'Whisper base (99 languages)', bytes: 80_000_000 },
  { id: 'onnx-community/whisper-small', label: 'Whisper small (99 languages)', bytes: 252_000_000 },
] as const;
export type WhisperModelId = (typeof WHISPER_MODELS)[number]['id'];

/** What a page's player said of its captions (YouTube), with the caption file when it gave one. */
export const PageCaptionsSchema = v.strictObject({
  videoId: v.pipe(v.string(), v.regex(/^([\w-]{11})?$/)),
  status: v.picklist([
    'ok',
    'po-token-required',
    'disabled',
    'unplayable',
    'login-required',
    'blocked',
    'unavailable',
  ]),
  reason: v.optional(v.pipe(v.string(), v.maxLength(300))),
  track: v.optional(
    v.strictObject({
      languageCode: v.pipe(v.string(), v.maxLength(35)),
      name: v.pipe(v.string(), v.maxLength(200)),
      kind: v.optional(v.pipe(v.string(), v.maxLength(20))),
    }),
  ),
  body: v.optional(v.pipe(v.string(), v.maxLength(10 * 1024 * 1024))),
});
export type PageCaptions = v.InferOutput<typeof PageCaptionsSchema>;
export const EmptySchema = v.strictObject({});
export const InsightId = v.pipe(v.string(), v.regex(/^ins_[a-z0-9]{1,20}$/));
const CardsUpdateSchema = v.strictObject({
  episodeId: v.pipe(v.string(), v.regex(/^ep_[a-z0-9]{1,20}$/)),
  quiet: v.optional(v.boolean()),
  followed: v.optional(v.boolean()),
  state: v.picklist(['none', 'extracting', 'ready', 'failed']),
  insights: v.pipe(
    v.array(
      v.strictObject({
        id: InsightId,
        text: v.pipe(v.string(), v.maxLength(5000)),
        quote: v.pipe(v.string(), v.maxLength(5000)),
        start: v.pipe(v.number(), v.finite(), v.minValue(0)),
        end: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0))),
        topics: v.array(v.pipe(v.string(), v.maxLength(200))),
        importance: v.picklist([1, 2, 3, 4, 5]),
        saved: v.optional(v.boolean()),
      }),
    ),
    v.maxLength(1000),
  ),
});

/** What a content script says of its tab right now: the episode it reported and its player. */
export type TabState = { episodeId: string; playback: Playback } | null;

/**
 * Messages sent to a tab's content script with tabs.sendMessage, by the background or the UI.
 * The content script accepts them only from this extension and validates them too.
 */
export const toContent = {
  /** Move the playhead of the detected episode's player. */
  'player/seek': { request: SeekSchema, response: undefined as unknown as { position: number } | null },
  /** The tab's live state: which episode its player has, where the playhead is. */
  'player/state': { request: EmptySchema, response: undefined as unknown as TabState },
  /** The insights of the tab's episode changed (more arrived, one was saved): cards update. */
  'cards/update': { request: CardsUpdateSchema, response: undefined as unknown as null },
  /** For the keyboard shortcut: the insight of the card on screen, or null when none shows. */
  'cards/current': { request: EmptySchema, response: undefined as unknown as { insightId: string } | null },
};

export type BackgroundType = keyof typeof toBackground;
// (toBackground lives in messages-background.ts: content scripts need few of its schemas.)
export type BackgroundRequest<K extends BackgroundType> = v.InferOutput<(typeof toBackground)[K]['request']>;
export type BackgroundResponse<K extends BackgroundType> = (typeof toBackground)[K]['response'];
export type ContentType = keyof typeof toContent;
export type ContentRequest<K extends ContentType> = v.InferOutput<(typeof toContent)[K]['request']>;
export type ContentResponse<K extends ContentType> = (typeof toContent)[K]['response'];

/** The wire form of every message. */
export type Envelope<K extends string = string, P = unknown> = { type: K; payload: P };

export type ErrorCode = 'invalid-message' | 'unknown-type' | 'forbidden-sender' | 'failed';
/** Every answer: handlers' errors arrive as values, never as silent `undefined`. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string } };

export const PopupPortRequestSchema = v.strictObject({ type: v.literal('subscribe'), tabId: TabId });
export type PopupPortRequest = v.InferOutput<typeof PopupPortRequestSchema>;
export type PopupPortPush = { type: 'now-playing'; tabId: number; value: NowPlaying | null };
