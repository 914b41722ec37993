// The Claude API's faults as a listener meets them: the insight job in the background
// (runInsights over fake-indexeddb) with the real Claude engine that engineFor builds from the
// settings (key, model, and the API address of the local Anthropic server). For each fault the
// job must end failed with its own plain words, keep (once, and paid once) what streamed before
// it, touch nothing else, and, once the fault is gone, finish on a retry as the popup's "Try
// again" runs it (runInsights without force), with every insight exactly once.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EarmarkDB } from '../../src/background/db';
import { recordEpisode } from '../../src/background/episodes';
import { engineFor, runInsights, type InsightDeps } from '../../src/background/insights';
import { spentToday, writeSettings } from '../../src/background/settings';
import { createClaudeEngine } from '../../src/core/insights/claude';
import { ClaudeEngineError } from '../../src/core/insights/claude-errors';
import { costUsd, DEFAULT_MODEL } from '../../src/core/insights/prices';
import type { Insight } from '../../src/core/types';
import { generatedEpisode } from '../core/insights/support';
import { freshDb } from '../helpers/db';
import {
  startAnthropicServer,
  type AnthropicServer,
  type Fault,
  type RecordedRequest,
} from '../support/anthropic-server';

// engineFor leaves the engine's clocks at their defaults (60 s timeout; retries 2 s, then 4 s
// apart): the same engine with shorter clocks keeps these tests quick. Nothing else changes.
const clocks = vi.hoisted(() => ({ timeoutMs: 1500, retryDelayMs: 20 }));
vi.mock('../../src/core/insights/claude', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/insights/claude')>();
  return {
    ...real,
    createClaudeEngine: (config: Parameters<typeof real.createClaudeEngine>[0]) =>
      real.createClaudeEngine({ ...clocks, ...config }),
  };
});

const KEY = 'sk-ant-test-key';
/** A one-hour episode: two windows, four insights asked of each. */
const EPISODE = generatedEpisode(60).transcript;
const WINDOW_1 = 4;

let server: AnthropicServer;
/** The insights a run without faults finds (their ids). */
let clean: string[];

beforeAll(async () => {
  server = await startAnthropicServer({ apiKey: KEY });
  const result = await createClaudeEngine({ apiKey: KEY, baseURL: server.url }).extract(EPISODE);
  clean = result.insights.map((i) => i.id).sort();
  server.requests.length = 0;
});
/** No fault, no stubbed fetch, nothing recorded. */
function reset(): void {
  vi.unstubAllGlobals();
  server.configure({ fault: undefined, faults: [] });
  server.requests.length = 0;
  server.clearCache();
}
afterEach(reset);
afterAll(async () => {
  await server.close();
});

type Case = {
  name: string;
  /** Whether the fault hits the first window's request, or the second's (after 4 insights). */
  from: 0 | 1;
  /** Breaks things before the job runs: a server fault from request `from` on, or a setting. */
  breakIt: (ctx: { db: EarmarkDB; from: number }) => Promise<void> | void;
  /** Puts them right before the retry (default: the server answers again). */
  mend?: (ctx: { db: EarmarkDB }) => Promise<void> | void;
  words: RegExp;
  /** The classification's `retry`: false where trying again is pointless until the user acts. */
  retry: boolean;
  /** What the message tells the user to do. */
  advice: RegExp;
  /** Insights kept from the failed run. */
  kept: number;
  /** Requests the failed run sent, the engine's own retries included. */
  requests: number;
  /** Another case with the same cause (and so the same words). */
  sameCauseAs?: string;
};

/** `fault` for request `from` and every one after it. */
const faultFrom =
  (fault: Fault) =>
  ({ from }: { from: number }): void =>
    server.configure({ faults: Array.from({ length: 12 }, (_, i) => (i >= from ? fault : undefined)) });

const http = (status: number, type: string, message: string, extra: Partial<Fault> = {}): Fault =>
  ({ kind: 'http', status, type, message, ...extra }) as Fault;

const CASES: Case[] = [
  {
    name: '401 invalid key',
    from: 0,
    breakIt: ({ db }) => writeSettings(db, { apiKey: 'sk-ant-mistyped' }),
    mend: ({ db }) => writeSettings(db, { apiKey: KEY }),
    words: /API key was not accepted/,
    retry: false,
    advice: /Check the key in Earmark’s options/,
    kept: 0,
    requests: 1,
  },
  {
    name: '401 browser access disabled',
    from: 1,
    breakIt: faultFrom(
      http(
        401,
        'authentication_error',
        'CORS requests are not allowed for this Organization because of its settings. If you believe this in error, contact support at https://support.anthropic.com/.',
      ),
    ),
    words: /organisation does not allow requests from a browser/,
    retry: false,
    advice: /Ask the organisation’s admin .* to allow browser access/,
    kept: WINDOW_1,
    requests: 2,
  },
  {
    name: '403 permission',
    from: 1,
    breakIt: faultFrom(
      http(403, 'permission_error', 'Your API key does not have permission to use the specified resource.'),
    ),
    words: /key is not allowed to use this model/,
    retry: false,
    advice: /Choose another model in Earmark’s options/,
    kept: WINDOW_1,
    requests: 2,
  },
  {
    name: '404 unknown model',
    from: 0,
    breakIt: ({ db }) => writeSettings(db, { model: 'claude-2-retired' }),
    mend: ({ db }) => writeSettings(db, { model: DEFAULT_MODEL }),
    words: /"claude-2-retired" was not found or has been retired/,
    retry: false,
    advice: new RegExp(`Choose another model in Earmark’s options, such as the default, ${DEFAULT_MODEL}`),
    kept: 0,
    requests: 1,
  },
  {
    name: '413 request too large',
    from: 1,
    breakIt: faultFrom(
      http(413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.'),
    ),
    words: /too large for one request/,
    retry: false,
    // Nothing to do about it but report it: the windows are made far smaller than the API's limit.
    advice: /too large/,
    kept: WINDOW_1,
    requests: 2,
  },
  {
    name: '429 rate limit (retry-after 30 s)',
    from: 1,
    breakIt: faultFrom(
      http(429, 'rate_limit_error', "This request would exceed your account's rate limit.", {
        retryAfter: 30,
      }),
    ),
    words: /limiting how fast your key can send requests/,
    retry: true,
    advice: /Try again in about 30 s/,
    kept: WINDOW_1,
    // A wait longer than 20 s is the listener's to take, not the engine's.
    requests: 2,
  },
  {
    name: '429 rate limit (retry-after 1 s, waited for twice)',
    from: 1,
    breakIt: faultFrom(
      http(429, 'rate_limit_error', "This request would exceed your account's rate limit.", {
        retryAfter: 1,
      }),
    ),
    words: /limiting how fast your key can send requests/,
    retry: true,
    advice: /Try again in about 1 s/,
    kept: WINDOW_1,
    requests: 4,
    sameCauseAs: '429 rate limit (retry-after 30 s)',
  },
  {
    name: '429 spend limit',
    from: 1,
    breakIt: faultFrom(
      http(429, 'rate_limit_error', 'Your organization has crossed the monthly API usage threshold.', {
        errorCode: 'enforced_spend_limit_reached',
      }),
    ),
    words: /reached its spend limit or is out of credit/,
    retry: false,
    advice: /until the limit is raised or credit added in the Claude Console/,
    kept: WINDOW_1,
    requests: 2,
  },
  {
    name: '500 internal error',
    from: 1,
    breakIt: faultFrom(http(500, 'api_error', 'Internal server error')),
    words: /internal error \(500\)/,
    retry: true,
    advice: /Try again later/,
    kept: WINDOW_1,
    requests: 4,
  },
  {
    name: '529 overloaded',
    from: 1,
    breakIt: faultFrom(http(529, 'overloaded_error', 'Overloaded')),
    words: /Claude is overloaded right now/,
    retry: true,
    advice: /Try again in a few minutes/,
    kept: WINDOW_1,
    requests: 4,
  },
  {
    name: 'event: error mid-stream',
    from: 1,
    breakIt: faultFrom({
      kind: 'stream-error',
      afterItems: 2,
      type: 'overloaded_error',
      message: 'Overloaded',
    }),
    words: /answer stopped midway: Claude became overloaded/,
    retry: true,
    advice: /The 6 insights already found are kept\. Try again for the rest/,
    kept: WINDOW_1 + 2,
    requests: 2,
  },
  {
    name: 'connection cut mid-stream',
    from: 1,
    breakIt: faultFrom({ kind: 'cut', afterItems: 2 }),
    words: /connection to Claude was cut while the answer was arriving/,
    retry: true,
    advice: /The 6 insights already found are kept\. Try again for the rest/,
    kept: WINDOW_1 + 2,
    requests: 2,
  },
  {
    name: 'stream hangs past the timeout',
    from: 1,
    breakIt: faultFrom({ kind: 'stall', afterItems: 2 }),
    words: /Claude did not answer within 1\.5 s/,
    retry: true,
    advice: /The 6 insights already found are kept\. Try again later/,
    kept: WINDOW_1 + 2,
    requests: 2,
  },
  {
    name: 'request never answered',
    from: 1,
    breakIt: faultFrom({ kind: 'hang' }),
    words: /Claude did not answer within 1\.5 s/,
    retry: true,
    advice: /Try again later/,
    kept: WINDOW_1,
    requests: 2,
    sameCauseAs: 'stream hangs past the timeout',
  },
  {
    name: 'offline (fetch fails)',
    from: 1,
    // What fetch throws with no network: a TypeError whose cause names the socket error.
    breakIt: ({ from }) => {
      const online = globalThis.fetch;
      let calls = 0;
      vi.stubGlobal('fetch', (async (input, init) => {
        if (++calls > from)
          throw new TypeError('fetch failed', {
            cause: Object.assign(new Error('getaddrinfo ENOTFOUND api.anthropic.com'), { code: 'ENOTFOUND' }),
          });
        return online(input, init);
      }) as typeof fetch);
    },
    mend: () => {
      vi.unstubAllGlobals();
    },
    words: /Could not reach the Claude API/,
    retry: true,
    advice: /Check your internet connection, then try again/,
    kept: WINDOW_1,
    requests: 2,
  },
];

/** The episode with its transcript cached, Claude set up, and an unrelated episode beside it. */
async function setup() {
  const db = await freshDb();
  const episode = await recordEpisode(db, {
    site: 'generic',
    pageUrl: 'https://pod.example.com/ep/1',
    title: 'An hour on habits',
    mediaUrl: 'https://pod.example.com/ep/1.mp3',
  });
  const stamp = '2026-11-20T10:00:00.000Z';
  await db.put('transcripts', {
    episodeId: episode.id,
    source: 'feed',
    url: 'https://pod.example.com/ep/1.vtt',
    transcript: EPISODE,
    fetchedAt: stamp,
    usedAt: stamp,
  });
  // Another episode, done long ago: a fault here must not touch it.
  const other = await recordEpisode(db, {
    site: 'generic',
    pageUrl: 'https://pod.example.com/ep/2',
    title: 'Another',
    mediaUrl: 'https://pod.example.com/ep/2.mp3',
  });
  await db.put('jobs', {
    id: `insights:${other.id}`,
    episodeId: other.id,
    kind: 'insights',
    state: 'done',
    engine: 'local',
    updatedAt: stamp,
  });
  await db.put('insights', {
    id: 'ins_other',
    episodeId: other.id,
    text: 'Naps help.',
    quote: 'A short nap helps.',
    start: 12,
    topics: ['sleep'],
    importance: 3,
    engine: 'local',
    createdAt: stamp,
  });
  await writeSettings(db, { engine: 'claude', apiKey: KEY, apiBaseUrl: server.url });

  const errors: unknown[] = [];
  const stored: string[] = [];
  const deps: InsightDeps = {
    db,
    // engineFor's engine as it is; only what it throws is noted, for its `retry`.
    engine: async () => {
      const engine = await engineFor(db);
      return {
        ...engine,
        extract: (transcript, options, callbacks) =>
          engine.extract(transcript, options, callbacks).catch((error: unknown) => {
            errors.push(error);
            throw error;
          }),
      };
    },
    onStored: (records) => stored.push(...records.map((r) => r.id)),
  };
  return { db, episode, deps, errors, stored };
}

/** Everything in the database but this episode's job and insights, and the bookkeeping of use. */
async function untouched(db: EarmarkDB, episodeId: string): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const name of db.objectStoreNames) {
    const rows = (await db.getAll(name)) as Record<string, unknown>[];
    out[name] = rows
      .filter((r) => !(['jobs', 'insights'].includes(name) && r['episodeId'] === episodeId))
      .filter((r) => !(name === 'settings' && String(r['name']).startsWith('spent:')))
      .map((r) => (name === 'transcripts' ? { ...r, usedAt: undefined } : r));
  }
  return out;
}

/** What the server's answers cost, as it counted them (what it sent). */
const costOf = (requests: readonly RecordedRequest[], model = DEFAULT_MODEL): number =>
  requests.reduce((sum, { usage }) => {
    if (!usage) return sum;
    const cost = costUsd(model, {
      inputTokens: usage.input,
      outputTokens: usage.output,
      cacheReadTokens: usage.cacheRead,
      cacheWriteTokens: usage.cacheWrite,
    });
    return sum + (cost ?? 0);
  }, 0);

const noDuplicates = (insights: readonly Insight[]): void => {
  expect(new Set(insights.map((i) => i.id)).size).toBe(insights.length);
  expect(new Set(insights.map((i) => i.text)).size).toBe(insights.length);
  expect(new Set(insights.map((i) => i.quote)).size).toBe(insights.length);
};

/** A message without its numbers and its note of what was kept. */
const gist = (message: string): string =>
  message.replace(/ The \d+ insights already found are kept\./, '').replace(/\d+(\.\d+)?/g, 'N');

/** Each case's words, as its failed run gave them (for the test that they all differ). */
const messages = new Map<string, string>();

async function failedRun(c: Case) {
  const ctx = await setup();
  await c.breakIt({ db: ctx.db, from: c.from });
  const before = await untouched(ctx.db, ctx.episode.id);
  // Every request the engine makes goes through fetch: counted, whether it reaches the server or not.
  let fetchCalls = 0;
  const counted = globalThis.fetch;
  vi.stubGlobal('fetch', ((input, init) => {
    fetchCalls++;
    return counted(input, init);
  }) as typeof fetch);
  const status = await runInsights(ctx.deps, ctx.episode.id);
  messages.set(c.name, status.error ?? '');
  return { ...ctx, status, before, fetchCalls: () => fetchCalls };
}

describe('the insight job under each API fault', () => {
  it.each(CASES)(
    '$name: fails in its own words, keeps what streamed, and a retry finishes it',
    { timeout: 20_000 },
    async (c) => {
      const run = await failedRun(c);
      const { db, episode, deps, status, errors, stored } = run;

      // 1. Failed, in plain words (one line, no stack, no JSON), saying what to do.
      expect(status.state).toBe('failed');
      expect((await db.get('jobs', `insights:${episode.id}`))?.state).toBe('failed');
      expect(status.engine).toMatch(/^Claude \(claude-/);
      expect(status.error).toMatch(c.words);
      expect(status.error).toMatch(c.advice);
      expect(status.error).not.toMatch(/\n|\{|Error:|at .*\.ts/);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(ClaudeEngineError);
      expect((errors[0] as ClaudeEngineError).retry).toBe(c.retry);

      // The engine's own retries are few: the server (or, offline, fetch) saw a small bound.
      // (The SDK retries nothing behind the engine's back: every fetch reached the server, unless offline.)
      expect(run.fetchCalls()).toBe(c.requests);
      expect(run.fetchCalls()).toBeLessThanOrEqual(4);
      if (!c.name.startsWith('offline')) expect(server.requests).toHaveLength(c.requests);

      // 2. What streamed before the fault is stored, once, and the rest of the database is as it was.
      const keptIds = status.insights.map((i) => i.id);
      expect(keptIds).toHaveLength(c.kept);
      expect(stored).toEqual(expect.arrayContaining(keptIds));
      expect(stored).toHaveLength(c.kept);
      noDuplicates(status.insights);
      for (const id of keptIds) expect(clean).toContain(id);
      expect(await untouched(db, episode.id)).toEqual(run.before);
      expect((await db.get('transcripts', episode.id))?.transcript).toEqual(EPISODE);
      // Today's spending is what the API sent before the fault (a stream cut short: what arrived
      // of it), as the server counted it; a refused request costs nothing.
      const spentBefore = await spentToday(db);
      if (c.from === 0) expect(spentBefore).toBe(0);
      else expect(spentBefore).toBeGreaterThan(0);
      expect(spentBefore).toBeCloseTo(costOf(server.requests), 6);
      const keptRows = await Promise.all(keptIds.map((id) => db.get('insights', id)));

      // 3. With the fault gone, "Try again" (runInsights without force) goes on from what was kept.
      server.requests.length = 0;
      server.configure({ faults: [], fault: undefined });
      await c.mend?.({ db });
      const mended = await untouched(db, episode.id);
      const retried = await runInsights(deps, episode.id);
      expect(retried.state).toBe('ready');
      expect(retried.error).toBeUndefined();
      expect(retried.insights.map((i) => i.id).sort()).toEqual(clean);
      noDuplicates(retried.insights);
      // Only what was not finished is asked (and paid) for again: the second part, when the first
      // had ended before the fault; both, when the fault hit the first.
      expect(server.requests).toHaveLength(c.from === 1 ? 1 : 2);
      // The ones found before are the same rows, not written again.
      for (const row of keptRows) expect(await db.get('insights', row!.id)).toEqual(row);
      expect(stored).toHaveLength(clean.length);
      expect(new Set(stored).size).toBe(clean.length);
      // The retry's answers are added to today's spending once, on top of what the failure cost.
      expect(await spentToday(db)).toBeCloseTo(spentBefore + costOf(server.requests), 6);
      expect(await untouched(db, episode.id)).toEqual(mended);
    },
  );

  it('says each cause in its own words', { timeout: 30_000 }, async () => {
    for (const c of CASES) {
      if (messages.has(c.name)) continue;
      reset();
      await failedRun(c);
    }
    const causes = CASES.filter((c) => !c.sameCauseAs);
    const words = causes.map((c) => gist(messages.get(c.name)!));
    expect(new Set(words).size).toBe(causes.length);
    // A second fault of the same kind says the same thing (a rate limit is a rate limit).
    for (const c of CASES.filter((k) => k.sameCauseAs))
      expect(gist(messages.get(c.name)!)).toBe(gist(messages.get(c.sameCauseAs!)!));
  });

  it('with nothing listening at the API address, fails offline and spends nothing', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closed = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise((resolve) => probe.close(resolve));
    const { db, episode, deps } = await setup();
    await writeSettings(db, { apiBaseUrl: closed });
    const status = await runInsights(deps, episode.id);
    expect(status.state).toBe('failed');
    expect(status.error).toMatch(/Could not reach the Claude API\. Check your internet connection/);
    expect(status.insights).toEqual([]);
    expect(await spentToday(db)).toBe(0);
  });

  it('a second failure on retry loses nothing found by the first', { timeout: 20_000 }, async () => {
    const { db, episode, deps } = await setup();
    faultFrom({ kind: 'cut', afterItems: 2 })({ from: 1 });
    const first = await runInsights(deps, episode.id);
    expect(first.insights).toHaveLength(WINDOW_1 + 2);
    // The retry asks only for the second part (the first was finished), and it breaks again,
    // earlier this time: the six stay.
    server.requests.length = 0;
    faultFrom(http(529, 'overloaded_error', 'Overloaded'))({ from: 0 });
    const second = await runInsights(deps, episode.id);
    expect(second.state).toBe('failed');
    expect(second.error).toMatch(/overloaded.*The 6 insights already found are kept/);
    expect(second.insights.map((i) => i.id)).toEqual(first.insights.map((i) => i.id));
    server.configure({ faults: [] });
    const third = await runInsights(deps, episode.id);
    expect(third.state).toBe('ready');
    expect(third.insights.map((i) => i.id).sort()).toEqual(clean);
    expect(await db.count('insights')).toBe(clean.length + 1); // and the other episode's one
  });
});
