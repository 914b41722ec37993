// Settings in IndexedDB: defaults, the key never shown, "auto" choosing the engine, the budget.
import { describe, expect, it } from 'vitest';
import {
  addSpending,
  effectiveEngine,
  localDay,
  readSettings,
  settingsView,
  spentToday,
  writeSettings,
  DEFAULTS,
} from '../../src/background/settings';
import { engineFor } from '../../src/background/insights';
import { freshDb } from '../helpers/db';

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

  it('add up the day’s spending, per local day', async () => {
    const db = await freshDb();
    const day = new Date(2026, 10, 29, 12);
    await addSpending(db, 0.12, day);
    await addSpending(db, 0.03, day);
    await addSpending(db, 0.5, new Date(2026, 10, 30, 9));
    expect(await spentToday(db, day)).toBeCloseTo(0.15, 10);
    expect(localDay(day)).toBe('2026-11-29');
  });
});
