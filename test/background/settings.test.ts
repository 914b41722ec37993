// Settings in IndexedDB: defaults, the key never shown, "auto" choosing the engine, the budget.
import { afterEach, describe, expect, it } from 'vitest';
import {
  addSpending,
  effectiveEngine,
  readSettings,
  settingsView,
  spentToday,
  writeSettings,
  DEFAULTS,
} from '../../src/background/settings';
import { localDay } from '../../src/core/library/day';
import { engineFor } from '../../src/background/insights';
import type { PromptApi, PromptSession } from '../../src/core/insights/on-device';
import { freshDb } from '../helpers/db';

/** Chrome's `LanguageModel` as the worker would see it: a fake that answers `availability`. */
function fakeLanguageModel(availability: string): PromptApi & { asked: number } {
  const api = {
    asked: 0,
    async availability() {
      api.asked++;
      return availability;
    },
    async create(): Promise<PromptSession> {
      return { prompt: async () => '{"insights": []}', destroy: () => {} };
    },
  };
  return api;
}

const global = globalThis as { LanguageModel?: unknown };
afterEach(() => {
  delete global.LanguageModel;
});

describe('settings', () => {
  it('start from the defaults: auto, the local engine, a one-dollar daily budget', async () => {
    const db = await freshDb();
    expect(await readSettings(db)).toEqual(DEFAULTS);
    expect(await settingsView(db)).toMatchObject({
      engine: 'auto',
      hasKey: false,
      effectiveEngine: 'local',
      dailyBudgetUsd: 1,
    });
    expect((await engineFor(db)).id).toBe('local');
  });

  it('never show the key, only its last four characters; forgetting it goes back to local', async () => {
    const db = await freshDb();
    await writeSettings(db, { apiKey: 'sk-ant-api03-secret-WXYZ' });
    const view = await settingsView(db);
    expect(view).toMatchObject({ hasKey: true, keyHint: 'WXYZ', effectiveEngine: 'claude' });
    expect(JSON.stringify(view)).not.toContain('secret');
    expect((await engineFor(db)).id).toBe('claude');
    await writeSettings(db, { apiKey: null });
    expect(await settingsView(db)).toMatchObject({ hasKey: false, effectiveEngine: 'local' });
  });

  it.each([
    ['auto', true, 'claude'],
    ['auto', false, 'local'],
    ['local', true, 'local'],
    ['claude', false, 'local'],
    ['claude', true, 'claude'],
  ] as const)('engine %s with key %s runs %s', (engine, key, expected) => {
    expect(effectiveEngine({ ...DEFAULTS, engine, ...(key ? { apiKey: 'sk-ant-xxxxxxxxxx' } : {}) })).toBe(
      expected,
    );
  });

  it.each([
    ['auto', false, true, 'on-device'],
    ['auto', true, true, 'claude'],
    ['auto', false, false, 'local'],
    ['local', false, true, 'local'],
    ['claude', false, true, 'local'],
    ['claude', true, true, 'claude'],
  ] as const)(
    'engine %s with key %s and the on-device model %s runs %s',
    (engine, key, onDevice, expected) => {
      const settings = { ...DEFAULTS, engine, ...(key ? { apiKey: 'sk-ant-xxxxxxxxxx' } : {}) };
      expect(effectiveEngine(settings, onDevice)).toBe(expected);
    },
  );

  it('auto uses Chrome’s on-device model when it is ready, else the local engine', async () => {
    const db = await freshDb();
    global.LanguageModel = fakeLanguageModel('available');
    expect(await settingsView(db)).toMatchObject({ engine: 'auto', effectiveEngine: 'on-device' });
    expect((await engineFor(db)).id).toBe('on-device');

    // Still to download (or no such model): the local engine meanwhile.
    for (const state of ['downloadable', 'downloading', 'unavailable']) {
      global.LanguageModel = fakeLanguageModel(state);
      expect(await settingsView(db)).toMatchObject({ effectiveEngine: 'local' });
      expect((await engineFor(db)).id).toBe('local');
    }
    // A browser whose API throws is a browser without it.
    global.LanguageModel = {
      availability: () => Promise.reject(new Error('boom')),
      create: () => Promise.reject(new Error('boom')),
    };
    expect((await engineFor(db)).id).toBe('local');
  });

  it('does not ask the browser when a key is set or the local engine is chosen', async () => {
    const db = await freshDb();
    const api = fakeLanguageModel('available');
    global.LanguageModel = api;
    await writeSettings(db, { apiKey: 'sk-ant-api03-secret-WXYZ' });
    expect(await settingsView(db)).toMatchObject({ effectiveEngine: 'claude' });
    expect((await engineFor(db)).id).toBe('claude');
    await writeSettings(db, { apiKey: null, engine: 'local' });
    expect(await settingsView(db)).toMatchObject({ effectiveEngine: 'local' });
    expect((await engineFor(db)).id).toBe('local');
    await writeSettings(db, { engine: 'claude' });
    expect((await engineFor(db)).id).toBe('local');
    expect(api.asked).toBe(0);
  });

  it('add up the day’s spending, per local day', async () => {
    const db = await freshDb();
    const day = new Date(2026, 10, 29, 12);
    await addSpending(db, 0.12, day);
    await addSpending(db, 0.03, day);
    await addSpending(db, 0.5, new Date(2026, 10, 30, 9));
    expect(await spentToday(db, day)).toBeCloseTo(0.15, 10);
    expect(localDay(day)).toBe('2026-11-29');
  });

  it.each([
    ['on-device', undefined, true, 'on-device'],
    ['on-device', undefined, false, 'local'],
    ['on-device', 'sk-ant-key-123456', true, 'on-device'],
    ['auto', undefined, true, 'on-device'],
    ['auto', 'sk-ant-key-123456', true, 'claude'],
    ['local', 'sk-ant-key-123456', true, 'local'],
  ] as const)('engine %s (key %s, built-in model ready: %s) runs %s', (engine, apiKey, ready, expected) => {
    const settings = { ...DEFAULTS, engine, ...(apiKey ? { apiKey } : {}) };
    expect(effectiveEngine(settings, ready)).toBe(expected);
  });

  it('keep the insight language, and forget it back to the transcript’s own', async () => {
    const db = await freshDb();
    expect((await settingsView(db)).language).toBeUndefined();
    await writeSettings(db, { language: 'fr' });
    expect((await readSettings(db)).language).toBe('fr');
    expect((await settingsView(db)).language).toBe('fr');
    await writeSettings(db, { language: null });
    expect((await readSettings(db)).language).toBeUndefined();
  });
});

describe('the daily budget', () => {
  it('hands the work to the free engine once today’s budget is spent, and back to Claude tomorrow', async () => {
    const db = await freshDb();
    await writeSettings(db, { apiKey: 'sk-ant-api03-secret-WXYZ', dailyBudgetUsd: 0.5 });
    expect((await engineFor(db)).id).toBe('claude');
    await addSpending(db, 0.5);
    expect((await engineFor(db)).id).toBe('local');
    await writeSettings(db, { dailyBudgetUsd: 2 });
    expect((await engineFor(db)).id).toBe('claude');
  });
});

describe('cards on YouTube', () => {
  it('open by themselves on long-form videos and on other sites; start folded on short videos unless asked', async () => {
    const { cardsView } = await import('../../src/background/cards');
    const db = await freshDb();
    const episode = (id: string, site: string, durationSeconds?: number) =>
      db.put('episodes', {
        id,
        title: id,
        pageUrl: `https://x.example.com/${id}`,
        site,
        aliases: [`page:${id}`],
        firstSeen: '2026-11-29T00:00:00.000Z',
        lastSeen: '2026-11-29T00:00:00.000Z',
        ...(durationSeconds !== undefined ? { durationSeconds } : {}),
      });
    await episode('ep_short', 'youtube', 600);
    await episode('ep_long', 'youtube', 3600);
    await episode('ep_unknown', 'youtube');
    await episode('ep_overcast', 'overcast', 300);
    expect((await cardsView(db, 'ep_short')).quiet).toBe(true);
    expect((await cardsView(db, 'ep_unknown')).quiet).toBe(true);
    expect((await cardsView(db, 'ep_long')).quiet).toBeUndefined();
    expect((await cardsView(db, 'ep_overcast')).quiet).toBeUndefined();
    await writeSettings(db, { youtubeAllVideos: true });
    expect((await cardsView(db, 'ep_short')).quiet).toBeUndefined();
    expect((await settingsView(db)).youtubeAllVideos).toBe(true);
  });
});
