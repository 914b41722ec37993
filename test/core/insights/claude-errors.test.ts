// Every way the Claude API can fail maps to its own EngineError code and its own words, through
// the real SDK against the local server (the API's real error bodies and headers).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClaudeEngine, type ClaudeEngineOptions } from '../../../src/core/insights/claude';
import { ClaudeEngineError } from '../../../src/core/insights/claude-errors';
import { DEFAULT_MODEL } from '../../../src/core/insights/prices';
import { EngineError, type EngineErrorCode } from '../../../src/core/insights/types';
import { startAnthropicServer, type AnthropicServer, type Fault } from '../../support/anthropic-server';
import { makeTranscript } from '../../fixtures/anthropic/episode';

const KEY = 'sk-ant-test-key';
const transcript = makeTranscript(0.1);
let server: AnthropicServer;
let closedPort: number;

beforeAll(async () => {
  server = await startAnthropicServer({ apiKey: KEY });
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});
afterEach(() => {
  server.configure({ fault: undefined, faults: [] });
  server.requests.length = 0;
});
afterAll(async () => {
  await server.close();
});

async function failure(options: Partial<ClaudeEngineOptions>, fault?: Fault): Promise<ClaudeEngineError> {
  server.configure({ fault });
  const engine = createClaudeEngine({
    apiKey: KEY,
    baseURL: server.url,
    retries: 0,
    timeoutMs: 3000,
    ...options,
  });
  const error = await engine.extract(transcript, { count: 4 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  expect(error).toBeInstanceOf(ClaudeEngineError);
  return error as ClaudeEngineError;
}

const http = (status: number, type: string, message: string, extra: Partial<Fault> = {}): Fault =>
  ({ kind: 'http', status, type, message, ...extra }) as Fault;

type Case = {
  name: string;
  options?: Partial<ClaudeEngineOptions>;
  fault?: Fault;
  code: EngineErrorCode;
  retry: boolean;
  words: RegExp;
};

const CASES: Case[] = [
  {
    name: 'a wrong key (401 invalid x-api-key)',
    options: { apiKey: 'sk-ant-wrong' },
    code: 'bad-key',
    retry: false,
    words: /key was not accepted/,
  },
  {
    name: 'a key whose organisation disallows browser use (401 CORS)',
    fault: http(
      401,
      'authentication_error',
      'CORS requests are not allowed for this Organization because of its settings. If you believe this in error, contact support at https://support.anthropic.com/.',
    ),
    code: 'browser-access-disabled',
    retry: false,
    words: /does not allow requests from a browser/,
  },
  {
    name: 'a key without permission (403)',
    fault: http(
      403,
      'permission_error',
      'Your API key does not have permission to use the specified resource.',
    ),
    code: 'permission',
    retry: false,
    words: /not allowed to use this model/,
  },
  {
    name: 'a retired model (404 not_found_error)',
    options: { model: 'claude-2-retired' },
    code: 'model-not-found',
    retry: false,
    words: new RegExp(`"claude-2-retired" was not found or has been retired.*${DEFAULT_MODEL}`),
  },
  {
    name: 'a request too large (413)',
    fault: http(413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.'),
    code: 'too-large',
    retry: false,
    words: /too large/,
  },
  {
    name: 'a rate limit (429 with retry-after)',
    fault: http(
      429,
      'rate_limit_error',
      "This request would exceed your account's rate limit. Please try again later.",
      { retryAfter: 42 },
    ),
    code: 'rate-limited',
    retry: true,
    words: /limiting how fast.*in about 42 s/,
  },
  {
    name: 'the monthly spend limit (429 enforced_spend_limit_reached)',
    fault: http(
      429,
      'rate_limit_error',
      'Your organization has crossed the monthly API usage threshold of its tier.',
      { errorCode: 'enforced_spend_limit_reached' },
    ),
    code: 'spend-limit',
    retry: false,
    words: /spend limit or is out of credit/,
  },
  {
    name: 'a usage limit the user set (400, with the date access returns)',
    fault: http(
      400,
      'invalid_request_error',
      'You have reached your specified API usage limits. You will regain access on 2026-12-01 at 00:00 UTC.',
    ),
    code: 'spend-limit',
    retry: false,
    words: /spend limit.*Access returns on 2026-12-01 at 00:00 UTC\./,
  },
  {
    name: 'an overloaded API (529)',
    fault: http(529, 'overloaded_error', 'Overloaded'),
    code: 'overloaded',
    retry: true,
    words: /overloaded right now/,
  },
  {
    name: 'a server error (500)',
    fault: http(500, 'api_error', 'Internal server error'),
    code: 'server',
    retry: true,
    words: /internal error \(500\)/,
  },
  {
    name: 'no network (connection refused)',
    options: { baseURL: 'http://127.0.0.1:1' },
    code: 'offline',
    retry: true,
    words: /Could not reach the Claude API/,
  },
  {
    name: 'no answer at all (timeout)',
    options: { timeoutMs: 300 },
    fault: { kind: 'hang' },
    code: 'timeout',
    retry: true,
    words: /did not answer within 0\.3 s\./,
  },
  {
    name: 'an error event mid-stream',
    fault: { kind: 'stream-error', afterItems: 1, type: 'overloaded_error', message: 'Overloaded' },
    code: 'stream-interrupted',
    retry: true,
    words: /stopped midway: Claude became overloaded/,
  },
  {
    name: 'a connection cut mid-stream',
    fault: { kind: 'cut', afterItems: 1 },
    code: 'stream-interrupted',
    retry: true,
    words: /connection to Claude was cut/,
  },
];

describe('Claude errors in plain words', () => {
  it.each(CASES)('$name → $code', async ({ options = {}, fault, code, retry, words }) => {
    const error = await failure(options, fault);
    expect(error.code).toBe(code);
    expect(error.retry).toBe(retry);
    expect(error.message).toMatch(words);
    expect(error.message).not.toMatch(/\n/);
  });

  it('each cause has its own message', async () => {
    const messages = new Map<string, string>();
    for (const c of CASES) {
      const error = await failure(c.options ?? {}, c.fault);
      messages.set(c.name, error.message.replace(/\d+/g, 'N'));
    }
    // The two spend limits say the same thing (one with a date); every other cause differs.
    expect(new Set(messages.values()).size).toBeGreaterThanOrEqual(CASES.length - 1);
  });

  it('the server also counts tokens, with the same key check (a "test the key" call)', async () => {
    const { createClaudeClient } = await import('../../../src/core/insights/claude-client');
    const good = createClaudeClient({ apiKey: KEY, baseURL: server.url });
    const count = await good.messages.countTokens({
      model: DEFAULT_MODEL,
      messages: [{ role: 'user', content: 'ping' }],
    });
    expect(count.input_tokens).toBeGreaterThan(0);
    const bad = createClaudeClient({ apiKey: 'sk-ant-wrong', baseURL: server.url });
    const error = await bad.messages
      .countTokens({ model: DEFAULT_MODEL, messages: [{ role: 'user', content: 'ping' }] })
      .catch((e: unknown) => e);
    expect((error as { status?: number }).status).toBe(401);
  });

  it('keeps what the API said: status, request id, retry-after', async () => {
    const error = await failure({}, http(429, 'rate_limit_error', 'Slow down.', { retryAfter: 30 }));
    expect(error.details).toMatchObject({
      status: 429,
      retryAfterSeconds: 30,
      requestId: expect.stringMatching(/^req_/),
    });
  });

  it('a stream that goes quiet mid-answer times out, keeping what was found', async () => {
    const error = await failure({ timeoutMs: 400 }, { kind: 'stall', afterItems: 2 });
    expect(error.code).toBe('timeout');
    expect(error.partial).toHaveLength(2);
  });

  it('a 404 that is not about a model says to check the address', async () => {
    const error = await failure({ baseURL: `${server.url}/nowhere` });
    expect(error.code).toBe('server');
    expect(error.message).toMatch(/404/);
  });

  it('reaches no server on a port nothing listens on', async () => {
    const error = await failure({ baseURL: `http://127.0.0.1:${closedPort}` });
    expect(error.code).toBe('offline');
  });

  it('does not retry a spend limit, retries a rate limit with a short retry-after', async () => {
    server.configure({ faults: [http(429, 'rate_limit_error', 'Slow down.', { retryAfter: 0 })] });
    const engine = createClaudeEngine({ apiKey: KEY, baseURL: server.url, retries: 1, retryDelayMs: 10 });
    const result = await engine.extract(transcript, { count: 2 });
    expect(result.insights).toHaveLength(2);
    expect(server.requests).toHaveLength(2);

    server.requests.length = 0;
    server.configure({
      faults: [http(429, 'rate_limit_error', 'Usage cap', { errorCode: 'enforced_spend_limit_reached' })],
    });
    const error = await engine.extract(transcript, { count: 2 }).catch((e: unknown) => e);
    expect((error as EngineError).code).toBe('spend-limit');
    expect(server.requests).toHaveLength(1);
  });
});
