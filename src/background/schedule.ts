// The timers: the scanner's periodic alarm and the daily brief's alarm at the user's chosen local
// time. Alarms can be lost (an update, a profile restored, a browser that cleared them), so they
// are re-created whenever the worker starts, is installed or updated; a run missed while the
// browser was closed is caught up once at the next start.

export const SCAN_ALARM = 'earmark-scan';
/** A one-off run soon after a run that left new episodes for later. */
export const SCAN_MORE_ALARM = 'earmark-scan-more';
export const BRIEF_ALARM = 'earmark-brief';

/** The part of the alarms API used here (browser.alarms, or a test double). */
export type Alarms = {
  get(name: string): Promise<{ name: string; scheduledTime: number; periodInMinutes?: number } | undefined>;
  create(name: string, info: { when?: number; delayInMinutes?: number; periodInMinutes?: number }): unknown;
  clear(name: string): Promise<boolean>;
};

/** The next local moment at `briefTime` (HH:MM) strictly after `now`. */
export function nextBriefAt(briefTime: string, now: Date): Date {
  const [hours, minutes] = parseTime(briefTime);
  const at = new Date(now.getFullYear(), now.getMonth(), now.getDate(), hours, minutes, 0, 0);
  if (at.getTime() <= now.getTime()) at.setDate(at.getDate() + 1);
  return at;
}

/** Today's brief time, local. */
export function briefTimeToday(briefTime: string, now: Date): Date {
  const [hours, minutes] = parseTime(briefTime);
  return new Date(now.getFullYear(), now.getMonth(), now.getDate(), hours, minutes, 0, 0);
}

function parseTime(briefTime: string): [number, number] {
  const match = /^(\d{1,2}):(\d{2})$/.exec(briefTime);
  const hours = Number(match?.[1] ?? 8);
  const minutes = Number(match?.[2] ?? 0);
  return hours < 24 && minutes < 60 ? [hours, minutes] : [8, 0];
}

/**
 * Makes sure both alarms exist: the scan's every `scanPeriodMinutes`, the brief's at the next
 * `briefTime` (moved when the time setting changed). Returns the names it (re-)created.
 */
export async function ensureAlarms(
  alarms: Alarms,
  {
    briefTime,
    scanPeriodMinutes,
    now = new Date(),
  }: { briefTime: string; scanPeriodMinutes: number; now?: Date },
): Promise<string[]> {
  const made: string[] = [];
  const scan = await alarms.get(SCAN_ALARM);
  if (!scan || scan.periodInMinutes !== scanPeriodMinutes) {
    await alarms.create(SCAN_ALARM, { delayInMinutes: 1, periodInMinutes: scanPeriodMinutes });
    made.push(SCAN_ALARM);
  }
  const when = nextBriefAt(briefTime, now).getTime();
  const brief = await alarms.get(BRIEF_ALARM);
  // A minute's slack: an alarm due right now (about to fire) is not moved to tomorrow.
  if (
    !brief ||
    (Math.abs(brief.scheduledTime - when) > 60_000 && brief.scheduledTime > now.getTime() + 60_000)
  ) {
    await alarms.create(BRIEF_ALARM, { when });
    made.push(BRIEF_ALARM);
  }
  return made;
}

/** What a start-up has to catch up: a scan missed for a whole period, today's brief missed. */
export function missedWork(
  {
    briefTime,
    lastScanAt,
    hasBriefToday,
    follows,
    scanPeriodMinutes,
  }: {
    briefTime: string;
    lastScanAt?: string;
    hasBriefToday: boolean;
    follows: number;
    scanPeriodMinutes: number;
  },
  now: Date,
): { scan: boolean; brief: boolean } {
  const last = lastScanAt ? Date.parse(lastScanAt) : 0;
  return {
    scan: follows > 0 && now.getTime() - last >= scanPeriodMinutes * 60_000,
    brief: !hasBriefToday && now.getTime() >= briefTimeToday(briefTime, now).getTime(),
  };
}

/** The notification of a day's brief (its id names the day, so a click opens that brief). */
export const briefNotificationId = (day: string) => `brief:${day}`;
export const dayOfNotification = (id: string) => /^brief:(\d{4}-\d{2}-\d{2})$/.exec(id)?.[1];
