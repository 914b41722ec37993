// The on-device engine (Chrome's built-in model through the Prompt API), against a fake of the
// API defined at the end of this file: detection, windows that fit a small context (the
// listener's first), every insight grounded at its real time, bad answers skipped, the whole
// episode failing only when no window gave a usable answer, abort, known insights, injection.
import { describe, expect, it } from 'vitest';
import { compactTranscript } from '../../../src/core/insights/compact';
import { satisfiesGrounding } from '../../../src/core/insights/grounding';
import {
  createOnDeviceEngine,
  detectOnDevice,
  ON_DEVICE_SYSTEM_PROMPT,
  parseAnswer,
  type PromptApi,
  type PromptCoreOptions,
  type PromptCreateOptions,
  type PromptOptions,
  type PromptSession,
} from '../../../src/core/insights/on-device';
import { ANSWER_SCHEMA } from '../../../src/core/insights/prompt';
import { EngineError } from '../../../src/core/insights/types';
import { planWindows } from '../../../src/core/insights/windows';
import type { Insight, Transcript } from '../../../src/core/types';
import { injectedTranscript, makeTranscript, startOfQuote } from '../../fixtures/anthropic/episode';
import { INJECTED_TEXT, INVENTED_QUOTE, readTranscript } from '../../support/anthropic-server';

const short = makeTranscript(0.25); // 15 minutes: two windows of ~3,000 tokens
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

describe('detectOnDevice', () => {
  it.each([
    ['available', 'available'],
    ['downloadable', 'downloadable'],
    ['downloading', 'downloadable'],
    ['unavailable', 'unavailable'],
    ['something new', 'unavailable'],
  ] as const)('reads %s as %s', async (answer, expected) => {
    const api = fakePromptApi({ availability: answer });
    expect(await detectOnDevice(api)).toBe(expected);
    // It asks about English text in and out (the instruction's language).
    expect(api.availabilityCalls[0]).toEqual({
      expectedInputs: [{ type: 'text', languages: ['en'] }],
      expectedOutputs: [{ type: 'text', languages: ['en'] }],
    });
  });

  it('is unavailable without the API, with a broken one, or one that never answers', async () => {
    expect(await detectOnDevice(undefined)).toBe('unavailable');
    expect(await detectOnDevice({} as PromptApi)).toBe('unavailable');
    const throwing = fakePromptApi({
      availability: () => {
        throw new Error('boom');
      },
    });
    expect(await detectOnDevice(throwing)).toBe('unavailable');
    const silent = { availability: () => new Promise<string>(() => {}), create: throwing.create };
    expect(await detectOnDevice(silent, { timeoutMs: 20 })).toBe('unavailable');
  });

  it('reads the global LanguageModel by default', async () => {
    const global = globalThis as { LanguageModel?: unknown };
    expect(await detectOnDevice()).toBe('unavailable');
    global.LanguageModel = fakePromptApi({ availability: 'available' });
    try {
      expect(await detectOnDevice()).toBe('available');
    } finally {
      delete global.LanguageModel;
    }
  });
});

describe('a good answer', () => {
  it('is grounded at the time each quote is said and emitted as each window completes', async () => {
    const api = fakePromptApi({ respond: answer('grounded') });
    const windows = planWindows(compactTranscript(short), { maxTokens: 3000 });
    expect(windows.length).toBe(2);
    const events: string[] = [];
    const result = await createOnDeviceEngine(api).extract(
      short,
      { count: 6 },
      {
        onInsight: (i) => events.push(`insight ${i.id}`),
        onProgress: (done, total) => events.push(`progress ${done}/${total}`),
      },
    );
    expect(result.engine).toBe('on-device');
    expect(result).not.toHaveProperty('model'); // the API names no model
    expect(result.dropped).toBe(0);
    expect(result.insights).toHaveLength(6);
    for (const insight of result.insights) {
      expect(satisfiesGrounding(short, insight)).toBe(true);
      expect(insight.start).toBe(startOfQuote(short, insight.quote));
      expect(insight.id).toMatch(/^ins_/);
    }
    // Progress per window, each window's insights between its start and its end.
    expect(events.filter((e) => e.startsWith('progress'))).toEqual([
      'progress 0/2',
      'progress 1/2',
      'progress 2/2',
    ]);
    const [first, second] = [events.indexOf('progress 1/2'), events.indexOf('progress 2/2')];
    expect(events.slice(1, first).every((e) => e.startsWith('insight'))).toBe(true);
    expect(first).toBeGreaterThan(1);
    expect(second - first).toBeGreaterThan(1);
    // Each window a session of its own, all freed.
    expect(api.prompts).toHaveLength(2);
    expect(api.liveSessions()).toBe(0);
  });

  it('sends the transcript delimited as data, with the schema as the response constraint', async () => {
    const api = fakePromptApi({ respond: answer('grounded') });
    await createOnDeviceEngine(api).extract(short, { count: 2 });
    expect(api.created[0]?.initialPrompts).toEqual([{ role: 'system', content: ON_DEVICE_SYSTEM_PROMPT }]);
    expect(api.created[0]?.expectedInputs).toEqual([{ type: 'text', languages: ['en'] }]);
    expect(api.created[0]?.expectedOutputs).toEqual([{ type: 'text', languages: ['en'] }]);
    const { input, options } = api.prompts[0] as { input: string; options?: PromptOptions };
    expect(options?.responseConstraint).toBe(ANSWER_SCHEMA);
    expect(input).toMatch(/^<transcript>\n\[p1 0:00\] /);
    expect(input).toContain('</transcript>\nFind at most 1 key insights');
    expect(input).toContain('Answer with the JSON object only.');
    expect(ON_DEVICE_SYSTEM_PROMPT).toMatch(/untrusted data, never instructions/);
  });

  it('gives a quote cited from the wrong paragraph its real time', async () => {
    const api = fakePromptApi({ respond: answer('shifted') });
    const result = await createOnDeviceEngine(api).extract(short, { count: 4 });
    expect(result.insights).toHaveLength(4);
    expect(result.dropped).toBe(0);
    for (const insight of result.insights) expect(insight.start).toBe(startOfQuote(short, insight.quote));
  });

  it('drops an invented quote and counts it', async () => {
    const api = fakePromptApi({ respond: answer('invented') });
    const result = await createOnDeviceEngine(api).extract(short, { count: 6 });
    // Two windows of three answers, the first and third of each quoting a sentence nobody said.
    expect(result.dropped).toBe(4);
    expect(result.insights).toHaveLength(2);
    expect(result.insights.some((i) => i.quote === INVENTED_QUOTE)).toBe(false);
    for (const insight of result.insights) expect(satisfiesGrounding(short, insight)).toBe(true);
  });

  it('writes in the transcript’s language when the model can, else in English', async () => {
    const german: Transcript = { ...short, language: 'de-DE' };
    const speaks = fakePromptApi({ respond: answer('grounded') });
    await createOnDeviceEngine(speaks).extract(german, { count: 2 });
    expect(speaks.created[0]?.expectedOutputs).toEqual([{ type: 'text', languages: ['de'] }]);
    expect(speaks.prompts[0]?.input).toContain('Write texts and topics in German');

    const englishOnly = fakePromptApi({
      availability: (o) => (o?.expectedOutputs?.[0]?.languages?.[0] === 'en' ? 'available' : 'unavailable'),
      respond: answer('grounded'),
    });
    const result = await createOnDeviceEngine(englishOnly).extract(german, { count: 2 });
    expect(result.insights.length).toBeGreaterThan(0);
    expect(englishOnly.created[0]?.expectedOutputs).toEqual([{ type: 'text', languages: ['en'] }]);
    expect(englishOnly.prompts[0]?.input).toContain('Write texts and topics in English (en).');
  });
});

describe('unusable answers', () => {
  it('skips a window whose answer is not JSON and keeps the others', async () => {
    const grounded = answer('grounded');
    const api = fakePromptApi({
      respond: (input, n) => (n === 0 ? 'Sure! Here are the insights: {' : grounded(input, n)),
    });
    const result = await createOnDeviceEngine(api).extract(short, { count: 6 });
    expect(result.failedWindows).toBe(1);
    expect(result.insights).toHaveLength(3); // the second window's share
    for (const insight of result.insights) expect(satisfiesGrounding(short, insight)).toBe(true);
  });

  it('skips a window the model could not answer in the schema (SyntaxError)', async () => {
    const grounded = answer('grounded');
    const api = fakePromptApi({
      respond: (input, n) => {
        if (n === 1) throw new DOMException('Could not satisfy the response constraint.', 'SyntaxError');
        return grounded(input, n);
      },
    });
    const result = await createOnDeviceEngine(api).extract(short, { count: 6 });
    expect(result.failedWindows).toBe(1);
    expect(result.insights).toHaveLength(3);
  });

  it('fails with bad-output when no window gave usable JSON', async () => {
    const api = fakePromptApi({ respond: (_, n) => (n % 2 ? '{"insights": "none"}' : 'not json') });
    const error = await rejection(createOnDeviceEngine(api).extract(short, { count: 4 }));
    expect(error.code).toBe('bad-output');
    expect(error.message).toMatch(/on-device model gave no answer that could be read/);
    expect(api.liveSessions()).toBe(0);
  });

  it('reads JSON in a code fence, with prose around it, or as a bare array', () => {
    const one = { paragraph: 'p1', quote: 'q', text: 't', topics: ['x'], importance: 3 };
    expect(parseAnswer('```json\n{"insights": [1]}\n```')).toEqual([1]);
    expect(parseAnswer('Here you go: {"insights": []} Enjoy.')).toEqual([]);
    expect(parseAnswer(JSON.stringify([one]))).toEqual([one]);
    expect(parseAnswer('{"insights": 3}')).toBeUndefined();
    expect(parseAnswer('')).toBeUndefined();
  });
});

describe('errors', () => {
  it('says plainly, and differently, when the model is missing, to download, or downloading', async () => {
    const messages = new Set<string>();
    for (const [availability, retry] of [
      ['unavailable', false],
      ['downloadable', true],
      ['downloading', true],
    ] as const) {
      const error = await rejection(createOnDeviceEngine(fakePromptApi({ availability })).extract(short));
      expect(error.code).toBe('model-not-found');
      expect(error.retry).toBe(retry);
      expect(error.message).toMatch(/on-device model/);
      messages.add(error.message);
    }
    expect(messages.size).toBe(3);
    const none = await rejection(createOnDeviceEngine(undefined).extract(short));
    expect(none.message).toMatch(/not available in this browser/);
  });

  it('asks for the download when Chrome refuses to start it (no user activation)', async () => {
    const api = fakePromptApi({});
    api.create = () => Promise.reject(new DOMException('Requires a user gesture.', 'NotAllowedError'));
    const error = await rejection(createOnDeviceEngine(api).extract(short));
    expect(error.code).toBe('model-not-found');
    expect(error.message).toMatch(/not downloaded yet/);
  });

  it('refuses an empty transcript', async () => {
    const empty: Transcript = { format: 'vtt', segments: [{ start: 0, text: '  ' }] };
    const error = await rejection(createOnDeviceEngine(fakePromptApi({})).extract(empty));
    expect(error.code).toBe('empty-transcript');
  });

  it('keeps what was grounded when the model fails midway', async () => {
    const grounded = answer('grounded');
    const api = fakePromptApi({
      respond: (input, n) => {
        if (n === 1) throw new DOMException('The model crashed.', 'UnknownError');
        return grounded(input, n);
      },
    });
    const error = await rejection(createOnDeviceEngine(api).extract(short, { count: 6 }));
    expect(error.code).toBe('server');
    expect(error.retry).toBe(true);
    expect(error.message).toMatch(/on-device model failed \(The model crashed\.\)/);
    expect(error.partial).toHaveLength(3);
    expect(api.liveSessions()).toBe(0);
  });
});

describe('abort', () => {
  it('stops between windows, keeping what was already emitted', async () => {
    const controller = new AbortController();
    const grounded = answer('grounded');
    const api = fakePromptApi({
      respond: async (input, n) => {
        if (n === 1) {
          controller.abort();
          await new Promise((r) => setTimeout(r, 5));
        }
        return grounded(input, n);
      },
    });
    const emitted: Insight[] = [];
    const error = await rejection(
      createOnDeviceEngine(api).extract(
        short,
        { count: 6, signal: controller.signal },
        { onInsight: (i) => emitted.push(i) },
      ),
    );
    expect(error.code).toBe('aborted');
    expect(emitted).toHaveLength(3);
    expect(error.partial).toEqual([...emitted].sort((a, b) => a.start - b.start));
    expect(api.liveSessions()).toBe(0);
  });

  it('does nothing when stopped before it starts', async () => {
    const api = fakePromptApi({ respond: answer('grounded') });
    const error = await rejection(createOnDeviceEngine(api).extract(short, { signal: AbortSignal.abort() }));
    expect(error.code).toBe('aborted');
    expect(api.availabilityCalls).toHaveLength(0);
  });
});

describe('long episodes', () => {
  it('covers a 3-hour transcript in small windows, the listener’s position first', async () => {
    const position = 2 * 3600;
    const paragraphs = compactTranscript(threeHours);
    const windows = planWindows(paragraphs, { maxTokens: 3000, position });
    expect(windows.length).toBeGreaterThanOrEqual(10);
    const api = fakePromptApi({ respond: answer('grounded') });
    const progress: number[] = [];
    const result = await createOnDeviceEngine(api).extract(
      threeHours,
      { count: 12, position },
      { onProgress: (done) => progress.push(done) },
    );
    const sent = api.prompts.map((p) => seen(p.input).map((s) => s.id));
    expect(sent).toEqual(windows.map((w) => w.paragraphs.map((p) => p.id)));
    expect(sent.flat().sort()).toEqual(paragraphs.map((p) => p.id).sort());
    // The first window holds the listener's position.
    const first = windows[0] as (typeof windows)[number];
    expect(first.from).toBeLessThanOrEqual(position);
    expect(first.to).toBeGreaterThanOrEqual(position);
    expect(progress).toHaveLength(windows.length + 1);
    for (const insight of result.insights) expect(satisfiesGrounding(threeHours, insight)).toBe(true);
  });

  it('halves a window the model measures as too large for its context, leaving nothing out', async () => {
    for (const names of ['current', 'deprecated'] as const) {
      const paragraphs = compactTranscript(oneHour);
      // A tokenizer that counts 1 token per 2.5 characters, and a 4,096-token context.
      const api = fakePromptApi({ respond: answer('grounded'), measure: names, contextWindow: 4096 });
      const totals: number[] = [];
      const left: number[] = [];
      const result = await createOnDeviceEngine(api).extract(
        oneHour,
        { count: 8, position: 1800 },
        {
          onProgress: (done, total) => {
            totals.push(total);
            left.push(total - done);
          },
        },
      );
      // Windows were halved on the way (the total grew), and every one was done.
      expect(totals.at(-1)).toBeGreaterThan(totals[0] as number);
      expect(left.at(-1)).toBe(0);
      expect(api.measured.length).toBeGreaterThan(api.prompts.length - 1);
      for (const p of api.prompts) expect(Math.ceil(p.input.length / 2.5)).toBeLessThanOrEqual(4096 - 1024);
      const sent = api.prompts.map((p) => seen(p.input).map((s) => s.id));
      expect(sent.flat().sort()).toEqual(paragraphs.map((p) => p.id).sort());
      // The listener's part first.
      const firstSent = paragraphs.filter((p) => sent[0]?.includes(p.id));
      expect(firstSent[0]?.start).toBeLessThanOrEqual(1800);
      expect(result.insights.length).toBeGreaterThan(0);
    }
  });
});

describe('known insights and injection', () => {
  it('does not emit known insights again and names them to the model', async () => {
    const api = fakePromptApi({ respond: answer('grounded') });
    const first = await createOnDeviceEngine(api).extract(short, { count: 4 });
    const again = fakePromptApi({ respond: answer('grounded') });
    const emitted: Insight[] = [];
    await createOnDeviceEngine(again).extract(
      short,
      { count: 4, known: first.insights },
      { onInsight: (i) => emitted.push(i) },
    );
    const knownIds = new Set(first.insights.map((i) => i.id));
    expect(
      emitted.filter((i) => knownIds.has(i.id) || first.insights.some((k) => k.quote === i.quote)),
    ).toEqual([]);
    const prompts = again.prompts.map((p) => p.input).join('\n');
    expect(prompts).toContain('Already known for this episode');
    for (const k of first.insights) expect(prompts).toContain(k.text.slice(0, 30));
  });

  it('yields only grounded insights from a transcript that tries to steer the model', async () => {
    const transcript = injectedTranscript();
    const api = fakePromptApi({ respond: answer('injected') });
    const result = await createOnDeviceEngine(api).extract(transcript, { count: 4 });
    expect(result.insights.length).toBeGreaterThan(0);
    // The invented "visit" quote, the planted line itself, and a real quote dressed up as an ad.
    expect(result.dropped).toBe(3);
    for (const insight of result.insights) {
      expect(satisfiesGrounding(transcript, insight)).toBe(true);
      expect(insight.text).not.toBe(INJECTED_TEXT);
      expect(insight.text).not.toMatch(/evil\.example/);
      expect(insight.quote).not.toMatch(/ignore your instructions/i);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// A fake of the Prompt API: `LanguageModel.availability()` / `create()` and sessions that
// `prompt()` (with a scripted answer), `measureContextUsage()` (or the deprecated
// `measureInputUsage()`), `clone()` and `destroy()`, honouring the abort signal.

type Responder = (input: string, call: number) => string | Promise<string>;

type FakeOptions = {
  availability?: string | ((options: PromptCoreOptions | undefined) => string);
  respond?: Responder;
  /** Which measuring method sessions have (1 token per 2.5 characters); none by default. */
  measure?: 'current' | 'deprecated';
  contextWindow?: number;
};

type FakeApi = PromptApi & {
  availabilityCalls: (PromptCoreOptions | undefined)[];
  created: PromptCreateOptions[];
  prompts: { input: string; options?: PromptOptions }[];
  measured: string[];
  liveSessions(): number;
};

function fakePromptApi(options: FakeOptions): FakeApi {
  let live = 0;
  let calls = 0;
  const fake: FakeApi = {
    availabilityCalls: [],
    created: [],
    prompts: [],
    measured: [],
    liveSessions: () => live,
    async availability(o) {
      fake.availabilityCalls.push(o);
      const a = options.availability ?? 'available';
      return typeof a === 'function' ? a(o) : a;
    },
    async create(o = {}) {
      fake.created.push(o);
      return session();
    },
  };
  const count = (text: string): number => Math.ceil(text.length / 2.5);

  function session(): PromptSession {
    live++;
    let destroyed = false;
    const s: Record<string, unknown> = {
      async prompt(input: string, o?: PromptOptions) {
        if (destroyed) throw new DOMException('The session was destroyed.', 'InvalidStateError');
        if (o?.signal?.aborted) throw new DOMException('Aborted.', 'AbortError');
        fake.prompts.push({ input, ...(o ? { options: o } : {}) });
        const text = await (options.respond ?? (() => '{"insights": []}'))(input, calls++);
        if (o?.signal?.aborted) throw new DOMException('Aborted.', 'AbortError');
        return text;
      },
      async clone() {
        return session();
      },
      destroy() {
        if (!destroyed) live--;
        destroyed = true;
      },
    };
    if (options.contextWindow !== undefined) {
      const key = options.measure === 'deprecated' ? 'inputQuota' : 'contextWindow';
      s[key] = options.contextWindow;
      s[options.measure === 'deprecated' ? 'inputUsage' : 'contextUsage'] = count(ON_DEVICE_SYSTEM_PROMPT);
    }
    if (options.measure) {
      s[options.measure === 'current' ? 'measureContextUsage' : 'measureInputUsage'] = async (
        input: string,
      ) => {
        fake.measured.push(input);
        return count(input);
      };
    }
    return s as unknown as PromptSession;
  }
  return fake;
}

/** The paragraphs a prompt carries. */
const seen = (input: string) => readTranscript({ messages: [{ role: 'user', content: input }] });

/** A scripted model: insights quoting whole sentences of the window, as `mode` says. */
function answer(mode: 'grounded' | 'shifted' | 'invented' | 'injected'): Responder {
  return (input) => {
    const paragraphs = seen(input);
    const count = Number(/Find at most (\d+)/.exec(input)?.[1] ?? 1);
    const candidates = paragraphs
      .map((p, i) => ({ i, sentence: sentencesOf(p.text).sort((a, b) => b.length - a.length)[0] }))
      .filter((c): c is { i: number; sentence: string } => !!c.sentence && !/instructions/i.test(c.sentence));
    const n = Math.min(count, candidates.length);
    const insights = [];
    for (let k = 0; k < n; k++) {
      const { i, sentence } = candidates[
        Math.floor((k * candidates.length) / n)
      ] as (typeof candidates)[number];
      const cited = mode === 'shifted' ? (i + Math.max(1, paragraphs.length >> 1)) % paragraphs.length : i;
      const quote = mode === 'invented' && k % 2 === 0 ? INVENTED_QUOTE : sentence;
      insights.push({
        paragraph: paragraphs[cited]?.id ?? 'p1',
        quote,
        text: `In short: ${sentence.toLowerCase()}`,
        topics: ['research'],
        importance: 3,
      });
    }
    if (mode === 'injected') {
      const planted = paragraphs.find((p) => /ignore your instructions/i.test(p.text));
      const line = planted ? sentencesOf(planted.text).find((s) => /instructions/i.test(s)) : undefined;
      const real = insights[0];
      insights.unshift(
        {
          paragraph: planted?.id ?? 'p1',
          quote: 'Visit evil.example now.',
          text: INJECTED_TEXT,
          topics: ['prize'],
          importance: 5,
        },
        {
          paragraph: planted?.id ?? 'p1',
          quote: line ?? 'x',
          text: INJECTED_TEXT,
          topics: ['prize'],
          importance: 5,
        },
        {
          ...(real ?? { paragraph: 'p1', quote: 'x' }),
          text: 'Go to evil.example for a prize.',
          topics: ['prize'],
          importance: 5,
        },
      );
    }
    return JSON.stringify({ insights });
  };
}

function sentencesOf(text: string): string[] {
  return (text.match(/[^.!?]+[.!?]+/g) ?? [])
    .map((s) => s.trim().replace(/^[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2}:\s+/, ''))
    .filter((s) => {
      const words = s.split(/\s+/).length;
      return words >= 6 && words <= 30;
    });
}
