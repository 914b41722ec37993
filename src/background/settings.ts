// Settings, kept in the extension's IndexedDB (pages and content scripts cannot read it; it is
// never synced). The API key is read here and in the engine only; the UI sees a masked hint.
// Also the day's spending on the paid engine, for the daily budget.
import { detectOnDevice } from '../core/insights/on-device';
import { DEFAULT_MODEL } from '../core/insights/prices';
import { WHISPER_MODELS, type EngineChoice, type SettingsView, type SttEngine } from '../messages';
import { whisperCached } from '../core/transcribe/whisper-cache';
import type { EarmarkDB } from './db';
import { localDay } from '../core/library/day';

export type Settings = {
  engine: EngineChoice;
  model: string;
  apiKey?: string;
  apiBaseUrl?: string;
  dailyBudgetUsd: number;
  /** BCP 47 language of the insight texts; unset: the transcript's own language. */
  language?: string;
  /** On YouTube, cards open on every video; by default only on long-form ones (else a pill). */
  youtubeAllVideos: boolean;
  /** Local time of the daily brief, HH:MM. */
  briefTime: string;
  /** A notification when the brief is ready. */
  briefNotify: boolean;
  /** Speech to text, for episodes with no published transcript. */
  sttEngine: SttEngine;
  whisperModel: string;
  /** The OpenAI-compatible service: base URL (…/v1), model, key, price per minute of audio. */
  sttBaseUrl: string;
  sttModel: string;
  sttApiKey?: string;
  sttPricePerMinute: number;
};

export const STT_DEFAULTS = {
  sttEngine: 'whisper',
  whisperModel: WHISPER_MODELS[0].id,
  sttBaseUrl: 'https://api.openai.com/v1',
  sttModel: 'whisper-1',
  // OpenAI's price for whisper-1; the options say to set your provider's.
  sttPricePerMinute: 0.006,
} as const;

export const DEFAULTS: Settings = {
  engine: 'auto',
  model: DEFAULT_MODEL,
  dailyBudgetUsd: 1,
  youtubeAllVideos: false,
  briefTime: '08:00',
  briefNotify: true,
  ...STT_DEFAULTS,
};

const NAMES = [
  'engine',
  'model',
  'apiKey',
  'apiBaseUrl',
  'dailyBudgetUsd',
  'language',
  'youtubeAllVideos',
  'briefTime',
  'briefNotify',
  'sttEngine',
  'whisperModel',
  'sttBaseUrl',
  'sttModel',
  'sttApiKey',
  'sttPricePerMinute',
] as const;

/** The settings patch's `stt` part, as the contract has it (null: back to the default). */
export type SttPatch = {
  engine?: SttEngine | undefined;
  whisperModel?: string | undefined;
  baseUrl?: string | null | undefined;
  model?: string | null | undefined;
  apiKey?: string | null | undefined;
  pricePerMinute?: number | null | undefined;
};

export async function readSettings(db: EarmarkDB): Promise<Settings> {
  const out: Record<string, unknown> = { ...DEFAULTS };
  for (const name of NAMES) {
    const row = await db.get('settings', name);
    if (row && row.value !== undefined && row.value !== null) out[name] = row.value;
  }
  return out as Settings;
}

export async function writeSettings(
  db: EarmarkDB,
  {
    stt,
    ...rest
  }: Partial<Omit<Settings, 'apiKey' | 'apiBaseUrl' | 'language' | keyof typeof STT_DEFAULTS>> & {
    apiKey?: string | null;
    apiBaseUrl?: string | null;
    language?: string | null;
    stt?: SttPatch | undefined;
  },
): Promise<void> {
  const patch: Record<string, unknown> = { ...rest };
  if (stt) {
    const names = {
      engine: 'sttEngine',
      whisperModel: 'whisperModel',
      baseUrl: 'sttBaseUrl',
      model: 'sttModel',
      apiKey: 'sttApiKey',
      pricePerMinute: 'sttPricePerMinute',
    } as const;
    for (const [key, name] of Object.entries(names)) if (key in stt) patch[name] = stt[key as keyof SttPatch];
    if (typeof patch.sttBaseUrl === 'string') patch.sttBaseUrl = patch.sttBaseUrl.replace(/\/+$/, '');
  }
  const tx = db.transaction('settings', 'readwrite');
  for (const name of NAMES) {
    if (!(name in patch)) continue;
    const value = patch[name];
    if (value === null || value === '') await tx.store.delete(name);
    else if (value !== undefined) await tx.store.put({ name, value });
  }
  await tx.done;
}

export async function spentToday(db: EarmarkDB, now = new Date()): Promise<number> {
  const row = await db.get('settings', `spent:${localDay(now)}`);
  return typeof row?.value === 'number' ? row.value : 0;
}

export async function addSpending(db: EarmarkDB, usd: number, now = new Date()): Promise<void> {
  if (!(usd > 0)) return;
  const tx = db.transaction('settings', 'readwrite');
  const name = `spent:${localDay(now)}`;
  const row = await tx.store.get(name);
  await tx.store.put({ name, value: (typeof row?.value === 'number' ? row.value : 0) + usd });
  await tx.done;
}

export type EffectiveEngine = 'claude' | 'on-device' | 'local';

/**
 * The engine the settings run (DESIGN.md): "auto" is Claude when a key is set, else Chrome's
 * on-device model when it is available (`onDeviceAvailable`), else the local engine. "claude"
 * without a key, and "local", run the local engine.
 */
export function effectiveEngine(settings: Settings, onDeviceAvailable = false): EffectiveEngine {
  if (settings.engine === 'local') return 'local';
  // Chosen outright: the browser's built-in model where it is ready, else the local picker.
  if (settings.engine === 'on-device') return onDeviceAvailable ? 'on-device' : 'local';
  if (settings.apiKey) return 'claude';
  if (settings.engine === 'claude') return 'local';
  return onDeviceAvailable ? 'on-device' : 'local';
}

/** Whether the browser must be asked for its on-device model ("on-device", or "auto" with no key). */
export function needsOnDeviceCheck(settings: Settings): boolean {
  return settings.engine === 'on-device' || (settings.engine === 'auto' && !settings.apiKey);
}

export async function settingsView(db: EarmarkDB): Promise<SettingsView> {
  const settings = await readSettings(db);
  const onDevice = needsOnDeviceCheck(settings) && (await detectOnDevice()) === 'available';
  return {
    engine: settings.engine,
    model: settings.model,
    hasKey: !!settings.apiKey,
    ...(settings.apiKey ? { keyHint: settings.apiKey.slice(-4) } : {}),
    dailyBudgetUsd: settings.dailyBudgetUsd,
    ...(settings.language ? { language: settings.language } : {}),
    youtubeAllVideos: settings.youtubeAllVideos,
    briefTime: settings.briefTime,
    briefNotify: settings.briefNotify,
    spentTodayUsd: Math.round((await spentToday(db)) * 10000) / 10000,
    effectiveEngine: effectiveEngine(settings, onDevice),
    stt: {
      engine: settings.sttEngine,
      whisperModel: settings.whisperModel,
      whisperCached: await whisperCached(settings.whisperModel).catch(() => false),
      baseUrl: settings.sttBaseUrl,
      model: settings.sttModel,
      hasKey: !!settings.sttApiKey,
      ...(settings.sttApiKey ? { keyHint: settings.sttApiKey.slice(-4) } : {}),
      pricePerMinute: settings.sttPricePerMinute,
    },
  };
}
