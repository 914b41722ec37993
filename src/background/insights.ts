// The insight job of an episode: one per episode however many tabs play it. It runs the engine
// over the episode's cached transcript and writes every grounded insight to IndexedDB the moment
// it arrives (ids are stable, so writing one twice is harmless), with the job's state and
// progress beside them. A job a stopped worker left running is run again with what is already
// stored passed as `known`: nothing is lost, nothing duplicated. A finished episode is not run
// again unless asked.
import { createClaudeEngine } from '../core/insights/claude';
import { localEngine } from '../core/insights/local';
import { builtInPromptApi, createOnDeviceEngine, detectOnDevice } from '../core/insights/on-device';
import { EngineError, type InsightEngine } from '../core/insights/types';
import type { Insight } from '../core/types';
import type { InsightsStatus } from '../messages';
import { StorageError, type EarmarkDB, type InsightRecord, type JobRecord } from './db';
import { withRoom } from './library/room';
import { insightView, savedIdsOf } from './library/saved';
import { addSpending, effectiveEngine, needsOnDeviceCheck, readSettings, spentToday } from './settings';

export type InsightDeps = {
  db: EarmarkDB;
  /** The engine to use (the settings' choice; the local engine until a key is set). */
  engine: () => Promise<InsightEngine>;
  /** Where the listener is, to work on that part first. */
  position?: (episodeId: string) => Promise<number | undefined>;
  onUpdate?: (episodeId: string) => void;
  /** Insights written (for the library's search index). */
  onStored?: (records: InsightRecord[]) => void;
  /** Insights deleted (a forced run starts over). */
  onDeleted?: (ids: string[]) => void;
  now?: () => Date;
};

const jobId = (episodeId: string) => `insights:${episodeId}`;
const inFlight = new Map<string, Promise<InsightsStatus>>();

/**
 * The engine the settings choose: Claude with the user's key (within today's budget); else, for
 * "auto", Chrome's on-device model when the browser has it ready; else the local engine.
 */
export async function engineFor(db: EarmarkDB): Promise<InsightEngine> {
  const settings = await readSettings(db);
  const onDevice = needsOnDeviceCheck(settings) && (await detectOnDevice()) === 'available';
  const choice = effectiveEngine(settings, onDevice);
  if (choice === 'on-device') return createOnDeviceEngine(builtInPromptApi());
  if (choice !== 'claude' || !settings.apiKey) return localEngine;
  const remainingUsd = Math.max(0, settings.dailyBudgetUsd - (await spentToday(db)));
  // Today's budget is spent: the free engines take over until tomorrow (as the options page says).
  if (remainingUsd <= 0)
    return (await detectOnDevice()) === 'available' ? createOnDeviceEngine(builtInPromptApi()) : localEngine;
  const claude = createClaudeEngine({
    apiKey: settings.apiKey,
    model: settings.model,
    budget: { remainingUsd },
    ...(settings.apiBaseUrl ? { baseURL: settings.apiBaseUrl } : {}),
  });
  // What each request costs is added to today's spending, for the budget, as soon as it is known
  // (its input when it starts): a worker stopped mid-stream, which never sees the extraction
  // end, has still counted what the API charged.
  return {
    id: claude.id,
    model: claude.model,
    async extract(transcript, options, callbacks = {}) {
      const spending: Promise<void>[] = [];
      const onSpend = (usd: number) => spending.push(addSpending(db, usd));
      try {
        return await claude.extract(transcript, options, { ...callbacks, onSpend });
      } finally {
        await Promise.all(spending);
      }
    },
  } as InsightEngine & { model: string };
}

export async function storedInsights(db: EarmarkDB, episodeId: string): Promise<InsightRecord[]> {
  const rows = await db.getAllFromIndex('insights', 'by-episode', episodeId);
  return rows.sort((a, b) => a.start - b.start);
}

/** The episode's insight status as the UI shows it, or undefined before any job. */
export async function insightsStatus(db: EarmarkDB, episodeId: string): Promise<InsightsStatus | undefined> {
  const job = await db.get('jobs', jobId(episodeId));
  if (!job) return undefined;
  const saved = await savedIdsOf(db, episodeId);
  const insights = (await storedInsights(db, episodeId)).map((r) => insightView(r, saved.has(r.id)));
  return {
    state: job.state === 'done' ? 'ready' : job.state === 'failed' ? 'failed' : 'extracting',
    engine: job.engine ?? 'local',
    ...(job.progressTotal ? { progress: { done: job.progress ?? 0, total: job.progressTotal } } : {}),
    ...(job.error ? { error: job.error } : {}),
    insights,
    updatedAt: job.updatedAt,
  };
}

/** The extraction running in this worker for the episode, if any (to run another after it). */
export function insightsRunning(episodeId: string): Promise<unknown> | undefined {
  return inFlight.get(episodeId);
}

export function runInsights(
  deps: InsightDeps,
  episodeId: string,
  options: { force?: boolean } = {},
): Promise<InsightsStatus> {
  const running = inFlight.get(episodeId);
  if (running) return running;
  const run = extract(deps, episodeId, options).finally(() => inFlight.delete(episodeId));
  inFlight.set(episodeId, run);
  return run;
}

async function extract(
  deps: InsightDeps,
  episodeId: string,
  { force = false }: { force?: boolean },
): Promise<InsightsStatus> {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const existing = await db.get('jobs', jobId(episodeId));
  if (existing?.state === 'done' && !force) return (await insightsStatus(db, episodeId))!;
  const stored = await db.get('transcripts', episodeId);
  if (!stored) throw new Error('The episode has no transcript yet.');
  await db.put('transcripts', { ...stored, usedAt: now().toISOString() });

  const engine = await deps.engine();
  const model = (engine as { model?: string }).model;
  const engineLabel =
    engine.id === 'claude'
      ? `Claude${model ? ` (${model})` : ''}`
      : engine.id === 'on-device'
        ? 'the browser’s built-in model'
        : 'local';
  // Saves of the job record follow one another: each reads what the last one wrote.
  let saving: Promise<unknown> = Promise.resolve();
  const save = (patch: Partial<JobRecord>): Promise<void> => {
    const next = saving.then(async () => {
      const current = (await db.get('jobs', jobId(episodeId))) ?? {
        id: jobId(episodeId),
        episodeId,
        kind: 'insights' as const,
        state: 'running' as const,
        updatedAt: now().toISOString(),
      };
      await db.put('jobs', { ...current, engine: engineLabel, ...patch, updatedAt: now().toISOString() });
      deps.onUpdate?.(episodeId);
    });
    saving = next.catch(() => {});
    return next;
  };
  // Parts of the transcript an earlier run of this engine finished (a stop, a failure): skipped.
  const prior = !force && existing?.parts?.engine === engineLabel ? existing.parts : undefined;
  let partsDone = [...(prior?.done ?? [])];
  // A forced run starts over; a resumed one keeps what was stored.
  if (force) {
    const old = await storedInsights(db, episodeId);
    for (const { id } of old) await db.delete('insights', id);
    if (old.length) deps.onDeleted?.(old.map((r) => r.id));
  }
  await save({ state: 'running', error: undefined, ...(force ? { parts: undefined } : {}) });
  const known: Insight[] = await storedInsights(db, episodeId);

  const writes: Promise<unknown>[] = [];
  // A write can fail while the engine still runs: it is awaited (and reported) after the engine
  // ends, so mark it handled now rather than let it count as an unhandled rejection meanwhile.
  const track = (write: Promise<unknown>) => {
    write.catch(() => {});
    writes.push(write);
  };
  try {
    const position = await deps.position?.(episodeId);
    const { language } = await readSettings(db);
    await engine.extract(
      stored.transcript,
      {
        known,
        ...(position !== undefined ? { position } : {}),
        ...(language ? { language } : {}),
        ...(prior ? { done: { parts: prior.done, of: prior.of } } : {}),
      },
      {
        onInsight: (insight) => {
          const record: InsightRecord = {
            ...insight,
            episodeId,
            engine: engineLabel,
            createdAt: now().toISOString(),
          };
          track(
            withRoom(db, () => db.put('insights', record), { keep: [episodeId] }).then(() => {
              deps.onStored?.([record]);
              deps.onUpdate?.(episodeId);
            }),
          );
        },
        onProgress: (done, total) => {
          track(save({ progress: done, progressTotal: total }));
        },
        onPartDone: (index, of) => {
          partsDone = [...new Set([...partsDone, index])];
          const parts = { engine: engineLabel, done: partsDone, of };
          // Marked done once its insights are written, never before.
          track(Promise.all([...writes]).then(() => save({ parts })));
        },
      },
    );
    await Promise.all(writes);
    await save({ state: 'done' });
  } catch (error) {
    await Promise.allSettled(writes);
    const message =
      error instanceof EngineError || error instanceof StorageError
        ? error.message
        : `The insight engine failed: ${(error as Error)?.message ?? error}`;
    await save({ state: 'failed', error: message });
  }
  return (await insightsStatus(db, episodeId))!;
}

/** Insight jobs a stopped worker left running: run them again (with what they had stored). */
export async function resumeInsightJobs(deps: InsightDeps): Promise<number> {
  const running = await deps.db.getAllFromIndex('jobs', 'by-state', 'running');
  const orphans = running.filter((j) => j.kind === 'insights' && !inFlight.has(j.episodeId));
  await Promise.all(orphans.map((job) => runInsights(deps, job.episodeId).catch(() => undefined)));
  return orphans.length;
}
