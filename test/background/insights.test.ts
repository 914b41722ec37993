// The insight job over a real (fake-indexeddb) database, with scripted engines below it.
import { describe, expect, it, vi } from 'vitest';
import {
  insightsStatus,
  resumeInsightJobs,
  runInsights,
  type InsightDeps,
} from '../../src/background/insights';
import { recordEpisode } from '../../src/background/episodes';
import { writeSettings } from '../../src/background/settings';
import { EngineError, type InsightEngine } from '../../src/core/insights/types';
import type { Insight, Transcript } from '../../src/core/types';
import { freshDb } from '../helpers/db';

const transcript: Transcript = {
  format: 'vtt',
  timed: true,
  segments: [
    { start: 1, text: 'Sleep fixes memories.' },
    { start: 5, text: 'Reviews beat cramming.' },
    { start: 9, text: 'Short lists get read.' },
  ],
};

const insight = (n: number): Insight => ({
  id: `ins_${n}`,
  text: `Insight ${n}`,
  quote: transcript.segments[n]!.text,
  start: transcript.segments[n]!.start,
  topics: ['memory'],
  importance: 3,
});

/** An engine that emits the given insights, skipping those it is told are known. */
function scripted(all: Insight[], fail?: EngineError): InsightEngine & { calls: { known: string[] }[] } {
  const calls: { known: string[] }[] = [];
  return {
    id: 'local',
    calls,
    async extract(_t, options = {}, callbacks = {}) {
      const known = new Set((options.known ?? []).map((i) => i.id));
      calls.push({ known: [...known] });
      const emitted: Insight[] = [];
      for (const [i, ins] of all.entries()) {
        if (known.has(ins.id)) continue;
        callbacks.onInsight?.(ins);
        emitted.push(ins);
        callbacks.onProgress?.(i + 1, all.length);
        await new Promise((r) => setTimeout(r, 1));
      }
      if (fail) throw fail;
      return { engine: 'local', insights: emitted };
    },
  };
}

async function setup(engine: InsightEngine) {
  const db = await freshDb();
  const episode = await recordEpisode(db, {
    site: 'generic',
    pageUrl: 'https://x.example.com/1',
    title: 'One',
    mediaUrl: 'https://x.example.com/1.mp3',
  });
  const stamp = new Date().toISOString();
  await db.put('transcripts', {
    episodeId: episode.id,
    source: 'feed',
    url: 'https://x.example.com/1.vtt',
    transcript,
    fetchedAt: stamp,
    usedAt: stamp,
  });
  const updates = vi.fn();
  const deps: InsightDeps = { db, engine: async () => engine, onUpdate: updates };
  return { db, episode, deps, updates };
}

describe('runInsights', () => {
  it('stores every insight as it arrives and ends ready', async () => {
    const engine = scripted([insight(0), insight(1), insight(2)]);
    const { db, episode, deps, updates } = await setup(engine);
    const status = await runInsights(deps, episode.id);
    expect(status.state).toBe('ready');
    expect(status.insights.map((i) => i.id)).toEqual(['ins_0', 'ins_1', 'ins_2']);
    expect(status.progress).toEqual({ done: 3, total: 3 });
    expect(await db.count('insights')).toBe(3);
    expect(updates.mock.calls.length).toBeGreaterThanOrEqual(4);
  });

  it('on a full disk frees cached transcripts, and if still full fails with words, keeping the rest', async () => {
    const engine = scripted([insight(0), insight(1)]);
    const { db, episode, deps } = await setup(engine);
    // Another episode's cached transcript is what can go; the disk refuses every insight write.
    await db.put('transcripts', {
      episodeId: 'ep_other',
      source: 'feed',
      url: 'https://x.example.com/2.vtt',
      transcript,
      fetchedAt: '2026-01-01T00:00:00.000Z',
      usedAt: '2026-01-01T00:00:00.000Z',
    });
    const put = db.put.bind(db);
    const full = vi
      .spyOn(db, 'put')
      .mockImplementation(((store: string, value: unknown) =>
        store === 'insights'
          ? Promise.reject(new DOMException('Quota exceeded.', 'QuotaExceededError'))
          : put(store as never, value as never)) as typeof db.put);
    const status = await runInsights(deps, episode.id);
    full.mockRestore();
    expect(status.state).toBe('failed');
    expect(status.error).toMatch(/^The disk has no room left for Earmark’s data .*free some disk space/);
    expect(await db.get('transcripts', 'ep_other')).toBeUndefined();
    expect(await db.get('transcripts', episode.id)).toBeDefined(); // the playing episode's stays
    expect(await db.count('insights')).toBe(0);
  });

  it('asks the engine for insights in the language the settings name', async () => {
    const seen: (string | undefined)[] = [];
    const engine: InsightEngine = {
      id: 'local',
      async extract(_t, options = {}) {
        seen.push(options.language);
        return { engine: 'local', insights: [] };
      },
    };
    const { db, episode, deps } = await setup(engine);
    await writeSettings(db, { language: 'de' });
    await runInsights(deps, episode.id);
    expect(seen).toEqual(['de']);
  });

  it('runs one job per episode, and never again once done unless asked', async () => {
    const engine = scripted([insight(0), insight(1)]);
    const { episode, deps } = await setup(engine);
    const [a, b] = await Promise.all([runInsights(deps, episode.id), runInsights(deps, episode.id)]);
    expect(a).toEqual(b);
    await runInsights(deps, episode.id);
    expect(engine.calls).toHaveLength(1);
    const again = await runInsights(deps, episode.id, { force: true });
    expect(engine.calls).toHaveLength(2);
    expect(again.insights).toHaveLength(2);
  });

  it('resumes a job a stopped worker left running: what was stored is known, nothing is duplicated', async () => {
    const engine = scripted([insight(0), insight(1), insight(2)]);
    const { db, episode, deps } = await setup(engine);
    // What a worker stopped mid-job leaves: the job running, one insight stored.
    await db.put('jobs', {
      id: `insights:${episode.id}`,
      episodeId: episode.id,
      kind: 'insights',
      state: 'running',
      updatedAt: new Date().toISOString(),
    });
    await db.put('insights', {
      ...insight(0),
      episodeId: episode.id,
      engine: 'local',
      createdAt: new Date().toISOString(),
    });
    expect(await resumeInsightJobs(deps)).toBe(1);
    expect(engine.calls[0]!.known).toEqual(['ins_0']);
    const status = await insightsStatus(db, episode.id);
    expect(status?.state).toBe('ready');
    expect(status?.insights.map((i) => i.id)).toEqual(['ins_0', 'ins_1', 'ins_2']);
  });

  it('keeps what was found when the engine fails, and says why in plain words', async () => {
    const engine = scripted(
      [insight(0)],
      new EngineError('stream-interrupted', 'The answer was cut off midway; try again.', true),
    );
    const { episode, deps } = await setup(engine);
    const status = await runInsights(deps, episode.id);
    expect(status.state).toBe('failed');
    expect(status.error).toBe('The answer was cut off midway; try again.');
    expect(status.insights.map((i) => i.id)).toEqual(['ins_0']);
  });

  it('refuses to run without a transcript', async () => {
    const { db, episode, deps } = await setup(scripted([]));
    await db.delete('transcripts', episode.id);
    await expect(runInsights(deps, episode.id)).rejects.toThrow(/no transcript/);
  });
});
