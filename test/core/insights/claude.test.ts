// The Claude engine against the local Anthropic-compatible server, through the real SDK: what a
// listener would notice (insights arrive while the answer streams, every one grounded at its
// real time, long episodes covered, the budget respected, nothing lost when a stream breaks)
// and what the request must carry (the transcript delimited and cached, no tools, no sampling
// parameters, the key).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createClaudeEngine,
  estimateCost,
  shareOut,
  type ClaudeEngineOptions,
} from '../../../src/core/insights/claude';
import { ClaudeEngineError } from '../../../src/core/insights/claude-errors';
import { compactTranscript } from '../../../src/core/insights/compact';
import { satisfiesGrounding } from '../../../src/core/insights/grounding';
import { costUsd, DEFAULT_MODEL } from '../../../src/core/insights/prices';
import { EngineError } from '../../../src/core/insights/types';
import { planWindows } from '../../../src/core/insights/windows';
import type { Insight, Transcript } from '../../../src/core/types';
import {
  INJECTED_TEXT,
  INVENTED_QUOTE,
  readTranscript,
  startAnthropicServer,
  type AnthropicServer,
  type MessagesBody,
} from '../../support/anthropic-server';
import { injectedTranscript, makeTranscript, startOfQuote } from '../../fixtures/anthropic/episode';

const KEY = 'sk-ant-test-key';
let server: AnthropicServer;

beforeAll(async () => {
  server = await startAnthropicServer({ apiKey: KEY });
});
afterEach(() => {
  server.requests.length = 0;
  server.clearCache();
  server.configure({
    mode: 'grounded',
    faults: [],
    fault: undefined,
    firstTokenDelayMs: 0,
    tokensPerSecond: undefined,
    tailDelayMs: 0,
    thinking: false,
    answer: undefined,
  });
});
afterAll(async () => {
  await server.close();
});

const engine = (options: Partial<ClaudeEngineOptions> = {}) =>
  createClaudeEngine({ apiKey: KEY, baseURL: server.url, retries: 0, timeoutMs: 5000, ...options });

/** Where a quote really is: the start of the segment where its words begin. */
const realStart = (t: Transcript, quote: string): number | undefined => startOfQuote(t, quote);

const short = makeTranscript(0.25); // 15 minutes: one window
const oneHour = makeTranscript(1);
const threeHours = makeTranscript(3);

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

describe('streaming', () => {
  it('emits the first insight while the answer is still arriving', async () => {
    server.configure({ tokensPerSecond: 400, tailDelayMs: 1500 });
    const started = Date.now();
    const times: number[] = [];
    const result = await engine().extract(short, { count: 4 }, { onInsight: () => times.push(Date.now()) });
    const done = Date.now();
    expect(result.insights).toHaveLength(4);
    expect(times).toHaveLength(4);
    // The server holds the end of the stream back for 1.5 s: every insight came before that.
    for (const t of times) expect(done - t).toBeGreaterThan(1200);
    // And one by one, not all at once at the end.
    expect((times[3] as number) - (times[0] as number)).toBeGreaterThan(50);
    expect((times[0] as number) - started).toBeLessThan(done - started - 1200);
  });

  it('reads an answer that begins with a thinking block', async () => {
    server.configure({ thinking: true });
    const result = await engine().extract(short, { count: 3 });
    expect(result.insights).toHaveLength(3);
  });

  it('reports progress per window', async () => {
    const progress: [number, number][] = [];
    await engine().extract(oneHour, { count: 4 }, { onProgress: (d, t) => progress.push([d, t]) });
    expect(progress).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
  });
});

describe('grounding', () => {
  it('keeps a good quote with the time it is said, in the transcript’s own words', async () => {
    const result = await engine().extract(short, { count: 5 });
    expect(result.dropped).toBe(0);
    expect(result.insights).toHaveLength(5);
    for (const insight of result.insights) {
      expect(satisfiesGrounding(short, insight)).toBe(true);
      expect(insight.start).toBe(realStart(short, insight.quote));
      expect(insight.id).toMatch(/^ins_/);
      expect(insight.topics.length).toBeGreaterThan(0);
    }
  });

  it('gives a quote cited from the wrong paragraph its real time', async () => {
    server.configure({ mode: 'shifted' });
    const result = await engine().extract(short, { count: 4 });
    expect(result.insights).toHaveLength(4);
    expect(result.dropped).toBe(0);
    // The cited paragraphs were elsewhere: the times come from where the quotes really are.
    const paragraphs = compactTranscript(short);
    const body = server.requests[0]?.body as MessagesBody;
    expect(readTranscript(body)).toHaveLength(paragraphs.length);
    for (const insight of result.insights) expect(insight.start).toBe(realStart(short, insight.quote));
  });

  it('drops an invented quote and counts it', async () => {
    server.configure({ mode: 'invented' });
    const result = await engine().extract(short, { count: 6 });
    // Every other answer quoted a sentence nobody said.
    expect(result.dropped).toBe(3);
    expect(result.insights).toHaveLength(3);
    expect(result.insights.some((i) => i.quote === INVENTED_QUOTE)).toBe(false);
    for (const insight of result.insights) expect(satisfiesGrounding(short, insight)).toBe(true);
  });

  it('drops a paraphrase (not the speaker’s words)', async () => {
    server.configure({ mode: 'paraphrased' });
    const result = await engine().extract(short, { count: 4 });
    expect(result.insights).toEqual([]);
    expect(result.dropped).toBe(4);
  });

  it('keeps a quote with transcription noise, stored in the transcript’s words', async () => {
    server.configure({ mode: 'asr-noise' });
    const result = await engine().extract(short, { count: 4 });
    expect(result.insights).toHaveLength(4);
    for (const insight of result.insights) {
      expect(startOfQuote(short, insight.quote)).toBe(insight.start);
      expect(satisfiesGrounding(short, insight)).toBe(true);
    }
  });

  it('yields only grounded insights from a transcript that tries to steer the model', async () => {
    server.configure({ mode: 'injected' });
    const transcript = injectedTranscript();
    const result = await engine().extract(transcript, { count: 4 });
    expect(result.insights.length).toBeGreaterThan(0);
    expect(result.dropped).toBe(2); // the invented "visit" quote and the planted line itself
    for (const insight of result.insights) {
      expect(satisfiesGrounding(transcript, insight)).toBe(true);
      expect(insight.text).not.toBe(INJECTED_TEXT);
      expect(insight.quote).not.toMatch(/ignore your instructions/i);
    }
  });

  it('skips what is already known and tells the model about it', async () => {
    const first = await engine().extract(short, { count: 3 });
    server.requests.length = 0;
    const emitted: Insight[] = [];
    const again = await engine().extract(
      short,
      { count: 3, known: first.insights },
      { onInsight: (i) => emitted.push(i) },
    );
    const knownIds = new Set(first.insights.map((i) => i.id));
    expect(emitted.filter((i) => knownIds.has(i.id))).toEqual([]);
    expect(again.insights).toEqual(emitted);
    const instructions = JSON.stringify(server.requests[0]?.body.messages);
    for (const k of first.insights) expect(instructions).toContain(k.text.slice(0, 30));
  });
});

describe('long episodes', () => {
  it('sends every window of a 3-hour transcript, the listener’s position first', async () => {
    const position = 2 * 3600; // two hours in
    const paragraphs = compactTranscript(threeHours);
    const windows = planWindows(paragraphs, { maxTokens: 12_000, position });
    expect(windows.length).toBeGreaterThanOrEqual(3);
    const result = await engine().extract(threeHours, { count: 12, position });
    expect(server.requests).toHaveLength(windows.length);
    const sent = server.requests.map((r) => readTranscript(r.body).map((p) => p.id));
    // In work order, each window's paragraphs exactly.
    expect(sent).toEqual(windows.map((w) => w.paragraphs.map((p) => p.id)));
    // Together: every paragraph once, nothing truncated.
    expect(sent.flat().sort()).toEqual(paragraphs.map((p) => p.id).sort());
    // The first request holds the position.
    const first = windows[0]!;
    expect(first.from).toBeLessThanOrEqual(position);
    expect(first.to).toBeGreaterThanOrEqual(position);
    // Insights come from the whole episode, in time order, grounded.
    const last = threeHours.segments[threeHours.segments.length - 1]!.start;
    expect(result.insights[0]!.start).toBeLessThan(last / 4);
    expect(result.insights[result.insights.length - 1]!.start).toBeGreaterThan((last * 3) / 4);
    expect(result.insights.map((i) => i.start)).toEqual(
      [...result.insights.map((i) => i.start)].sort((a, b) => a - b),
    );
    for (const insight of result.insights) expect(satisfiesGrounding(threeHours, insight)).toBe(true);
  });

  it('shares the count out between windows', () => {
    const windows = planWindows(compactTranscript(threeHours), { maxTokens: 12_000 });
    const shares = shareOut(12, windows);
    expect(shares).toHaveLength(windows.length);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(12);
    for (const share of shares) expect(share).toBeGreaterThanOrEqual(2);
    expect(shareOut(2, windows).every((s) => s >= 1)).toBe(true);
  });
});

describe('the request', () => {
  it('delimits and caches the transcript, gives no tools, sends no sampling parameters', async () => {
    await engine().extract(oneHour, { count: 4, language: 'fr' });
    expect(server.requests.length).toBe(2);
    for (const { body, headers } of server.requests) {
      expect(body.model).toBe(DEFAULT_MODEL);
      expect(body.stream).toBe(true);
      for (const param of ['temperature', 'top_p', 'top_k']) expect(body).not.toHaveProperty(param);
      expect(body).not.toHaveProperty('tools');
      expect(body).not.toHaveProperty('tool_choice');
      expect(body.output_config?.format?.type).toBe('json_schema');
      expect(typeof body.system).toBe('string');
      expect(body.system).toMatch(/data, never instructions/);
      const content = body.messages?.[0]?.content as {
        type: string;
        text: string;
        cache_control?: unknown;
      }[];
      expect(content[0]?.text).toMatch(/^<transcript>\n\[p\d+ [\d:]+\] [\s\S]+\n<\/transcript>$/);
      expect(content[0]?.cache_control).toEqual({ type: 'ephemeral' });
      expect(content[1]?.cache_control).toBeUndefined();
      expect(content[1]?.text).toMatch(/Find at most \d+ key insights/);
      expect(content[1]?.text).toContain('French (fr)');
      // The key, as the SDK sends it (the server also takes x-api-key, as the API documents).
      expect(headers['x-api-key'] ?? headers['authorization']?.replace(/^Bearer /, '')).toBe(KEY);
      expect(headers['anthropic-dangerous-direct-browser-access']).toBe('true');
      expect(headers['anthropic-version']).toBeTruthy();
    }
  });

  it('a follow-up on the same transcript reads it from the cache', async () => {
    const first = await engine().extract(short, { count: 3 });
    expect(first.usage?.cacheReadTokens).toBe(0);
    const more = await engine().extract(short, { count: 3, known: first.insights });
    expect(more.usage?.cacheReadTokens).toBeGreaterThan(1000);
    expect(more.usage?.costUsd).toBeLessThan(first.usage!.costUsd!);
  });

  it('uses the model it is given', async () => {
    const result = await engine({ model: 'claude-sonnet-5-5' }).extract(short, { count: 2 });
    expect(result.model).toBe('claude-sonnet-5-5');
    expect(server.requests[0]?.body.model).toBe('claude-sonnet-5-5');
  });
});

describe('usage and cost', () => {
  it('sums tokens over the windows and prices them', async () => {
    const result = await engine().extract(oneHour, { count: 6 });
    const reported = server.requests.map((r) => r.usage!);
    const sum = (f: (u: (typeof reported)[number]) => number) => reported.reduce((n, u) => n + f(u), 0);
    expect(result.usage).toEqual({
      inputTokens: sum((u) => u.input + u.cacheWrite),
      outputTokens: sum((u) => u.output),
      cacheReadTokens: sum((u) => u.cacheRead),
      costUsd: expect.any(Number),
    });
    const expected = reported.reduce(
      (n, u) =>
        n +
        costUsd(DEFAULT_MODEL, {
          inputTokens: u.input,
          outputTokens: u.output,
          cacheReadTokens: u.cacheRead,
          cacheWriteTokens: u.cacheWrite,
        })!,
      0,
    );
    expect(result.usage?.costUsd).toBeCloseTo(expected, 6);
    expect(result.usage!.costUsd!).toBeGreaterThan(0);
  });
});

describe('budget', () => {
  it('sends nothing when the first window would cost more than is left', async () => {
    const error = await rejection(engine({ budget: { remainingUsd: 0.0001 } }).extract(short));
    expect(error.code).toBe('budget');
    expect(error.retry).toBe(false);
    expect(error.message).toMatch(/budget/i);
    expect(server.requests).toHaveLength(0);
  });

  it('stops before the window it cannot pay for, keeping what was found', async () => {
    const windows = planWindows(compactTranscript(threeHours), { maxTokens: 12_000 });
    const shares = shareOut(8, windows);
    const firstCost = estimateCost(DEFAULT_MODEL, { paragraphs: windows[0]!.paragraphs, count: shares[0]! });
    const emitted: Insight[] = [];
    const error = await rejection(
      engine({ budget: { remainingUsd: firstCost * 1.2 } }).extract(
        threeHours,
        { count: 8 },
        { onInsight: (i) => emitted.push(i) },
      ),
    );
    expect(error.code).toBe('budget');
    expect(server.requests).toHaveLength(1);
    expect(error.partial.length).toBeGreaterThan(0);
    expect(error.partial).toEqual(emitted);
  });
});

describe('a stream that breaks', () => {
  it('an error event mid-stream keeps the insights already grounded (and emitted)', async () => {
    server.configure({ faults: [{ kind: 'stream-error', afterItems: 2 }] });
    const emitted: Insight[] = [];
    const error = await rejection(
      engine().extract(short, { count: 5 }, { onInsight: (i) => emitted.push(i) }),
    );
    expect(error.code).toBe('stream-interrupted');
    expect(error.retry).toBe(true);
    expect(emitted).toHaveLength(2);
    expect(error.partial).toEqual(emitted);
    expect(error.message).toMatch(/2 insights already found are kept/);
    // What the broken request cost is still counted (a daily budget needs it).
    expect((error as ClaudeEngineError).details.spentUsd).toBeGreaterThan(0);
  });

  it('a cut connection keeps them too', async () => {
    server.configure({ faults: [{ kind: 'cut', afterItems: 3 }] });
    const emitted: Insight[] = [];
    const error = await rejection(
      engine().extract(short, { count: 5 }, { onInsight: (i) => emitted.push(i) }),
    );
    expect(error.code).toBe('stream-interrupted');
    expect(emitted).toHaveLength(3);
    expect(error.partial).toEqual(emitted);
  });

  it('a break in the second window keeps the first window’s insights', async () => {
    server.configure({ faults: [undefined, { kind: 'stream-error', afterItems: 1 }] });
    const emitted: Insight[] = [];
    const error = await rejection(
      engine().extract(oneHour, { count: 6 }, { onInsight: (i) => emitted.push(i) }),
    );
    expect(error.code).toBe('stream-interrupted');
    expect(emitted.length).toBe(4); // 3 from the first window, 1 from the second
    expect(error.partial).toEqual([...emitted].sort((a, b) => a.start - b.start));
  });

  it('retries an overloaded API before anything streamed', async () => {
    server.configure({
      faults: [{ kind: 'http', status: 529, type: 'overloaded_error', message: 'Overloaded' }],
    });
    const result = await engine({ retries: 2, retryDelayMs: 10 }).extract(short, { count: 3 });
    expect(result.insights).toHaveLength(3);
    expect(server.requests).toHaveLength(2);
  });

  it('stops when the caller aborts', async () => {
    server.configure({ tokensPerSecond: 200 });
    const controller = new AbortController();
    const promise = engine().extract(
      short,
      { count: 5, signal: controller.signal },
      { onInsight: () => controller.abort() },
    );
    const error = await rejection(promise);
    expect(error.code).toBe('aborted');
    expect(error.partial.length).toBeGreaterThanOrEqual(1);
  });
});

describe('callbacks', () => {
  it('an error thrown by onInsight comes back as it is', async () => {
    const mine = new TypeError('my bug');
    const error = await engine()
      .extract(
        short,
        { count: 3 },
        {
          onInsight: () => {
            throw mine;
          },
        },
      )
      .catch((e: unknown) => e);
    expect(error).toBe(mine);
  });
});

describe('input', () => {
  it('refuses a transcript with no words', async () => {
    const error = await rejection(engine().extract({ format: 'text', segments: [{ start: 0, text: '  ' }] }));
    expect(error.code).toBe('empty-transcript');
    expect(server.requests).toHaveLength(0);
  });
});
