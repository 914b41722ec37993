// Settings, kept in the extension's IndexedDB (pages and content scripts cannot read it; it is
// never synced). The API key is read here and in the engine only; the UI sees a masked hint.
// Also the day's spending on the paid engine, for the daily budget.
import { detectOnDevice } from '../core/insights/on-device';
import { createClaudeClient } from '../core/insights/claude-client';
import { classifyClaudeError } from '../core/insights/claude-errors';
import { DEFAULT_MODEL } from '../core/insights/prices';
import type { EngineChoice, SettingsView } from '../messages';
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
};

export const DEFAULTS: Settings = {
  engine: 'auto',
  model: DEFAULT_MODEL,
  dailyBudgetUsd: 1,
  youtubeAllVideos: false,
  briefTime: '08:00',
  briefNotify: true,
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
] as const;

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
  patch: Partial<Omit<Settings, 'apiKey' | 'apiBaseUrl' | 'language'>> & {
    apiKey?: string | null;
    apiBaseUrl?: string | null;
    language?: string | null;
  },
): Promise<void> {
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
  };
}

/**
 * Checks an API key (the given one, else the stored one) without spending: counting tokens is
 * free. A failure is put in the same words the engine uses for it (claude-errors.ts).
 */
export async function testApiKey(
  settings: Settings,
  apiKey?: string,
): Promise<{ ok: boolean; message: string }> {
  const key = apiKey ?? settings.apiKey;
  if (!key) return { ok: false, message: 'No API key to test: paste one first.' };
  const client = createClaudeClient({
    apiKey: key,
    timeoutMs: 15_000,
    ...(settings.apiBaseUrl ? { baseURL: settings.apiBaseUrl } : {}),
  });
  try {
    await client.messages.countTokens({
      model: settings.model,
      messages: [{ role: 'user', content: 'ping' }],
    });
    return { ok: true, message: 'The key works.' };
  } catch (error) {
    return { ok: false, message: classifyClaudeError(error, { model: settings.model }).message };
  }
}
