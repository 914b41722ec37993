// The timers: the brief's next local time, alarms re-created when lost (and moved when the brief's
// time changes), and what a start-up catches up.
import { describe, expect, it } from 'vitest';
import {
  BRIEF_ALARM,
  briefNotificationId,
  dayOfNotification,
  ensureAlarms,
  missedWork,
  nextBriefAt,
  SCAN_ALARM,
  type Alarms,
} from '../../src/background/schedule';

/** The alarms API as Chrome keeps it: a map of named alarms. */
function fakeAlarms(now: () => number) {
  const all = new Map<string, { name: string; scheduledTime: number; periodInMinutes?: number }>();
  const api: Alarms = {
    get: async (name) => all.get(name),
    create: (name, info) => {
      const scheduledTime = info.when ?? now() + (info.delayInMinutes ?? info.periodInMinutes ?? 0) * 60_000;
      all.set(name, {
        name,
        scheduledTime,
        ...(info.periodInMinutes ? { periodInMinutes: info.periodInMinutes } : {}),
      });
    },
    clear: async (name) => all.delete(name),
  };
  return { api, all };
}

describe('nextBriefAt', () => {
  it('is today at the brief time when that is still ahead, else tomorrow', () => {
    const morning = new Date(2026, 10, 29, 7, 30);
    expect(nextBriefAt('08:00', morning)).toEqual(new Date(2026, 10, 29, 8, 0));
    const after = new Date(2026, 10, 29, 8, 0, 0, 1);
    expect(nextBriefAt('08:00', after)).toEqual(new Date(2026, 10, 30, 8, 0));
    expect(nextBriefAt('23:59', new Date(2026, 11, 31, 23, 59, 30))).toEqual(new Date(2027, 0, 1, 23, 59));
  });

  it('falls back to 08:00 for a time it cannot read', () => {
    expect(nextBriefAt('25:99', new Date(2026, 10, 29, 6, 0))).toEqual(new Date(2026, 10, 29, 8, 0));
  });
});

describe('ensureAlarms', () => {
  it('creates both alarms when missing, leaves them alone when present', async () => {
    const now = new Date(2026, 10, 29, 12, 0);
    const { api, all } = fakeAlarms(() => now.getTime());
    expect(await ensureAlarms(api, { briefTime: '18:30', scanPeriodMinutes: 180, now })).toEqual([
      SCAN_ALARM,
      BRIEF_ALARM,
    ]);
    expect(all.get(SCAN_ALARM)?.periodInMinutes).toBe(180);
    expect(all.get(BRIEF_ALARM)?.scheduledTime).toBe(new Date(2026, 10, 29, 18, 30).getTime());
    expect(await ensureAlarms(api, { briefTime: '18:30', scanPeriodMinutes: 180, now })).toEqual([]);
  });

  it('re-creates an alarm that was lost, and moves the brief when its time changes', async () => {
    const now = new Date(2026, 10, 29, 12, 0);
    const { api, all } = fakeAlarms(() => now.getTime());
    await ensureAlarms(api, { briefTime: '18:30', scanPeriodMinutes: 180, now });
    await api.clear(SCAN_ALARM);
    expect(await ensureAlarms(api, { briefTime: '18:30', scanPeriodMinutes: 180, now })).toEqual([
      SCAN_ALARM,
    ]);
    expect(await ensureAlarms(api, { briefTime: '07:15', scanPeriodMinutes: 180, now })).toEqual([
      BRIEF_ALARM,
    ]);
    expect(all.get(BRIEF_ALARM)?.scheduledTime).toBe(new Date(2026, 10, 30, 7, 15).getTime());
  });

  it('does not push a brief alarm that is about to fire to tomorrow', async () => {
    const due = new Date(2026, 10, 29, 8, 0);
    const { api, all } = fakeAlarms(() => due.getTime());
    api.create(BRIEF_ALARM, { when: due.getTime() + 10_000 });
    await ensureAlarms(api, { briefTime: '08:00', scanPeriodMinutes: 180, now: due });
    expect(all.get(BRIEF_ALARM)?.scheduledTime).toBe(due.getTime() + 10_000);
  });
});

describe('missedWork', () => {
  const base = { briefTime: '08:00', scanPeriodMinutes: 180, follows: 2 };
  it('catches up a brief whose time passed today without one, once', () => {
    const at = new Date(2026, 10, 29, 9, 0);
    expect(missedWork({ ...base, hasBriefToday: false, lastScanAt: at.toISOString() }, at).brief).toBe(true);
    expect(missedWork({ ...base, hasBriefToday: true, lastScanAt: at.toISOString() }, at).brief).toBe(false);
    expect(missedWork({ ...base, hasBriefToday: false }, new Date(2026, 10, 29, 7, 0)).brief).toBe(false);
  });

  it('catches up a scan missed for a whole period, only when something is followed', () => {
    const at = new Date(2026, 10, 29, 9, 0);
    const old = new Date(at.getTime() - 4 * 3600_000).toISOString();
    const recent = new Date(at.getTime() - 3600_000).toISOString();
    expect(missedWork({ ...base, hasBriefToday: true, lastScanAt: old }, at).scan).toBe(true);
    expect(missedWork({ ...base, hasBriefToday: true, lastScanAt: recent }, at).scan).toBe(false);
    expect(missedWork({ ...base, follows: 0, hasBriefToday: true }, at).scan).toBe(false);
  });
});

it('names a brief’s notification by its day, and reads the day back', () => {
  expect(dayOfNotification(briefNotificationId('2026-11-29'))).toBe('2026-11-29');
  expect(dayOfNotification('something-else')).toBeUndefined();
});
