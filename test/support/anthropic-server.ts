// A local stand-in for the Anthropic Messages API (DESIGN.md section 7), started by tests and
// benchmarks, never shipped. It listens on 127.0.0.1 on a random port and speaks the real wire
// format of POST /v1/messages:
// - POST /v1/messages/count_tokens too (`{ input_tokens }`), for a "test the key" call;
// - JSON answers, and SSE streams: `message_start` (with usage), `content_block_start`, `ping`,
//   `content_block_delta` (`text_delta` for a text block, `input_json_delta` for a tool_use
//   block, `thinking_delta` for a thinking block), `content_block_stop`, `message_delta` (stop
//   reason and usage), `message_stop`;
// - HTTP errors with the API's body `{ type: "error", error: { type, message }, request_id }` and
//   its headers (`request-id`, `retry-after`), an `event: error` in the middle of a stream, a
//   connection cut mid-stream, a stream that stalls, and a request that is never answered;
// - a first-token delay and a token rate (tokens per second; the JSON is cut in small chunks);
// - a scripted "model": by default it reads the paragraphs inside `<transcript>` in the request
//   (their ids and text) and answers with real sentences from them, so quotes ground. Other modes
//   cite the wrong paragraph (`shifted`), invent quotes, paraphrase them, or obey instructions
//   planted in the transcript (`injected`).
// It answers in the shape the request asks for: a JSON text block for `output_config.format`, a
// `tool_use` block for a forced tool, plain text otherwise. It checks the key (`x-api-key`, which
// the API documents, or `Authorization: Bearer`, which SDK 1.14 sends), the `anthropic-version`
// header, the model name, and refuses sampling parameters (as current models do). Every request
// is recorded (headers and body) for assertions.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export type ScriptMode = 'grounded' | 'shifted' | 'invented' | 'paraphrased' | 'asr-noise' | 'injected';

/** One insight as the scripted model writes it (the engine's wire schema). */
export type ScriptedInsight = {
  text: string;
  quote: string;
  paragraph: string;
  topics: string[];
  importance: number;
};

/** A paragraph as read back from the request's `<transcript>`. */
export type SeenParagraph = { id: string; text: string };

export type ModelContext = {
  request: RecordedRequest;
  paragraphs: SeenParagraph[];
  /** How many insights the request asks for ("at most N"), else 5. */
  count: number;
  /** Index of this request among all the server has received (0-based). */
  index: number;
};

/** Something going wrong with one request. `afterItems`: insights fully sent first. */
export type Fault =
  | {
      kind: 'http';
      status: number;
      type: string;
      message: string;
      retryAfter?: number;
      errorCode?: string;
    }
  | { kind: 'stream-error'; afterItems: number; type?: string; message?: string }
  | { kind: 'cut'; afterItems: number }
  | { kind: 'stall'; afterItems: number }
  | { kind: 'hang' };

export type AnthropicServerOptions = {
  /** The key it accepts; any other gets 401. Default: any non-empty key. */
  apiKey?: string;
  /** Model ids it knows; another gets 404 not_found_error. */
  models?: readonly string[];
  /** Delay before the first content token, ms (the message_start goes out at once). */
  firstTokenDelayMs?: number;
  /** Output speed in tokens per second (a token is ~4 characters). Default: no delay. */
  tokensPerSecond?: number;
  /** Tokens per delta event (the API sends a few at a time). Default 3. */
  tokensPerDelta?: number;
  /** Extra wait before the last events (content_block_stop … message_stop), ms. */
  tailDelayMs?: number;
  /** The scripted model's behaviour. Default 'grounded'. */
  mode?: ScriptMode;
  /** Full control: the JSON value (or raw text) the model answers with. */
  answer?: (ctx: ModelContext) => unknown;
  /** Begin the answer with a thinking block, as adaptive-thinking models may. */
  thinking?: boolean;
  /** Fault for the i-th request (0-based); `undefined` entries answer normally. */
  faults?: readonly (Fault | undefined)[];
  /** Fault for every request (after `faults`). */
  fault?: Fault;
  /** Refuse temperature/top_p/top_k with 400, as current models do. Default true. */
  rejectSampling?: boolean;
  /** Serve HTTPS with this key and certificate (end-to-end tests map api.anthropic.com here). */
  tls?: { key: string; cert: string };
};

export type RecordedRequest = {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: MessagesBody;
  at: number;
  /** The usage the server reported for it (output: of what it sent). */
  usage?: { input: number; cacheRead: number; cacheWrite: number; output: number };
  /** The usage its stream's `message_start` told (all a client cut off mid-stream learns). */
  startUsage?: { input: number; cacheRead: number; cacheWrite: number; output: number };
};

/** The parts of a Messages request body the server reads. */
export type MessagesBody = {
  model?: string;
  max_tokens?: number;
  stream?: boolean;
  system?: string | { type: string; text: string; cache_control?: unknown }[];
  messages?: { role: string; content: string | ContentBlock[] }[];
  tools?: { name: string; input_schema?: unknown }[];
  tool_choice?: { type: string; name?: string };
  output_config?: { format?: { type: string; schema?: unknown }; effort?: string };
  [key: string]: unknown;
};

type ContentBlock = { type: string; text?: string; cache_control?: unknown };

export type AnthropicServer = {
  url: string;
  requests: RecordedRequest[];
  /** Changes options for the requests that follow. */
  configure(options: Partial<AnthropicServerOptions>): void;
  /** Forgets the prompt cache (what was written to it so far). */
  clearCache(): void;
  close(): Promise<void>;
};

export const KNOWN_MODELS = [
  'claude-haiku-5-5',
  'claude-haiku-4-5',
  'claude-haiku-4-5-20251001',
  'claude-sonnet-5-5',
  'claude-sonnet-5',
  'claude-sonnet-4-6',
  'claude-opus-5-5',
  'claude-opus-5',
];

const CHARS_PER_TOKEN = 4;

/** The server's token estimate (~4 characters a token), for usage. */
export const tokensOf = (text: string): number => Math.max(1, Math.ceil(text.length / CHARS_PER_TOKEN));

export async function startAnthropicServer(initial: AnthropicServerOptions = {}): Promise<AnthropicServer> {
  let options: AnthropicServerOptions = { ...initial };
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  /** Cache prefixes written so far (text up to a cache_control breakpoint). */
  const cache = new Set<string>();

  const listener: RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
        if (!res.headersSent) sendError(res, 500, 'api_error', `test server: ${String(error)}`);
        else res.destroy();
      });
    });
  };
  const server = initial.tls ? createTlsServer(initial.tls, listener) : createServer(listener);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const counting = path === '/v1/messages/count_tokens';
    if (req.method !== 'POST' || (path !== '/v1/messages' && !counting)) {
      sendError(res, 404, 'not_found_error', `Not found: ${req.method} ${path}`);
      return;
    }
    let body: MessagesBody;
    try {
      body = JSON.parse(raw) as MessagesBody;
    } catch {
      sendError(res, 400, 'invalid_request_error', 'The request body is not valid JSON.');
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const record: RecordedRequest = { method: req.method, path, headers, body, at: Date.now() };
    const index = requests.length;
    requests.push(record);

    const key = headers['x-api-key'] ?? /^Bearer\s+(.+)$/i.exec(headers['authorization'] ?? '')?.[1];
    if (!key) {
      sendError(res, 401, 'authentication_error', 'x-api-key header is required');
      return;
    }
    if (options.apiKey !== undefined && key !== options.apiKey) {
      sendError(res, 401, 'authentication_error', 'invalid x-api-key');
      return;
    }
    if (!headers['anthropic-version']) {
      sendError(res, 400, 'invalid_request_error', 'anthropic-version: header is required');
      return;
    }
    const fault = options.faults?.[index] ?? options.fault;
    if (fault?.kind === 'hang') return; // never answers; closed with the server
    if (fault?.kind === 'http') {
      sendError(res, fault.status, fault.type, fault.message, fault);
      return;
    }
    if (counting) {
      // POST /v1/messages/count_tokens (what a "test the key" button may call): no max_tokens.
      if (typeof body.model !== 'string' || !Array.isArray(body.messages)) {
        sendError(res, 400, 'invalid_request_error', 'model and messages are required');
      } else if (!(options.models ?? KNOWN_MODELS).includes(body.model)) {
        sendError(res, 404, 'not_found_error', `model: ${body.model}`);
      } else {
        res.writeHead(200, {
          'content-type': 'application/json',
          'request-id': `req_${randomUUID().slice(0, 8)}`,
        });
        res.end(JSON.stringify({ input_tokens: tokensOf(requestText(body)) }));
      }
      return;
    }
    if (
      typeof body.model !== 'string' ||
      typeof body.max_tokens !== 'number' ||
      !Array.isArray(body.messages)
    ) {
      sendError(res, 400, 'invalid_request_error', 'model, max_tokens and messages are required');
      return;
    }
    const models = options.models ?? KNOWN_MODELS;
    if (!models.includes(body.model)) {
      sendError(res, 404, 'not_found_error', `model: ${body.model}`);
      return;
    }
    if (options.rejectSampling !== false) {
      for (const param of ['temperature', 'top_p', 'top_k']) {
        if (param in body) {
          sendError(res, 400, 'invalid_request_error', `${param}: is not supported for this model`);
          return;
        }
      }
    }

    const paragraphs = readTranscript(body);
    const count = askedCount(body) ?? 5;
    const ctx: ModelContext = { request: record, paragraphs, count, index };
    const value = options.answer ? options.answer(ctx) : scripted(options.mode ?? 'grounded', ctx);
    const answer = serialize(value);
    const usage = usageOf(body);
    const shape = answerShape(body);
    if (body.stream) await stream(res, record, answer, usage, shape, fault);
    else {
      record.usage = {
        input: usage.input,
        cacheRead: usage.read,
        cacheWrite: usage.write,
        output: tokensOf(answer.text),
      };
      sendJson(res, body, answer, usage, shape);
    }
  }

  /** Input token counts, with the cache: a prefix up to a `cache_control` breakpoint seen before is read. */
  function usageOf(body: MessagesBody): Usage {
    const parts: { text: string; breakpoint: boolean }[] = [];
    for (const tool of body.tools ?? []) parts.push({ text: JSON.stringify(tool), breakpoint: false });
    if (typeof body.system === 'string') parts.push({ text: body.system, breakpoint: false });
    else
      for (const b of body.system ?? [])
        parts.push({ text: b.text, breakpoint: b.cache_control !== undefined });
    for (const m of body.messages ?? []) {
      if (typeof m.content === 'string') parts.push({ text: m.content, breakpoint: false });
      else
        for (const b of m.content)
          parts.push({ text: b.text ?? JSON.stringify(b), breakpoint: b.cache_control !== undefined });
    }
    let prefix = '';
    let cachedUpTo = 0;
    let read = 0;
    let write = 0;
    for (const part of parts) {
      prefix += part.text;
      if (!part.breakpoint) continue;
      const tokens = tokensOf(prefix) - cachedUpTo;
      if (cache.has(prefix)) read += tokens;
      else {
        write += tokens;
        cache.add(prefix);
      }
      cachedUpTo += tokens;
    }
    const all = tokensOf(parts.map((p) => p.text).join(''));
    return { input: Math.max(0, all - read - write), read, write };
  }

  async function stream(
    res: ServerResponse,
    record: RecordedRequest,
    answer: Answer,
    usage: Usage,
    shape: Shape,
    fault: Fault | undefined,
  ): Promise<void> {
    const body = record.body;
    const requestId = `req_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'request-id': requestId,
    });
    const send = (event: string, data: unknown): void => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    send('message_start', {
      type: 'message_start',
      message: {
        id: `msg_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage.input,
          cache_creation_input_tokens: usage.write,
          cache_read_input_tokens: usage.read,
          output_tokens: 1,
        },
      },
    });
    record.startUsage = { input: usage.input, cacheRead: usage.read, cacheWrite: usage.write, output: 1 };
    const first = options.firstTokenDelayMs ?? 0;
    if (first > 0) {
      send('ping', { type: 'ping' });
      await sleep(first);
    }
    if (res.destroyed) return;
    let block = 0;
    let outputTokens = 0;
    if (options.thinking) {
      const thought = 'Reading the transcript for claims a listener would repeat.';
      send('content_block_start', {
        type: 'content_block_start',
        index: block,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      });
      send('content_block_delta', {
        type: 'content_block_delta',
        index: block,
        delta: { type: 'thinking_delta', thinking: thought },
      });
      send('content_block_delta', {
        type: 'content_block_delta',
        index: block,
        delta: { type: 'signature_delta', signature: 'c2lnbmF0dXJl' },
      });
      send('content_block_stop', { type: 'content_block_stop', index: block });
      outputTokens += tokensOf(thought);
      block++;
    }
    if (shape.kind === 'tool') {
      send('content_block_start', {
        type: 'content_block_start',
        index: block,
        content_block: {
          type: 'tool_use',
          id: `toolu_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
          name: shape.name,
          input: {},
        },
      });
    } else {
      send('content_block_start', {
        type: 'content_block_start',
        index: block,
        content_block: { type: 'text', text: '' },
      });
    }
    send('ping', { type: 'ping' });

    // Where the stream stops early for a fault: just after the end of item `afterItems`.
    const stopAt =
      fault && 'afterItems' in fault
        ? fault.afterItems <= 0
          ? Math.min(answer.text.length, 8)
          : (answer.itemEnds[fault.afterItems - 1] ?? answer.text.length) + 1
        : answer.text.length;
    const rate = options.tokensPerSecond;
    const perDelta = Math.max(1, options.tokensPerDelta ?? 3) * CHARS_PER_TOKEN;
    let sent = 0;
    let tokensSent = 0;
    const contentStart = Date.now();
    while (sent < stopAt) {
      if (res.destroyed) return;
      const piece = answer.text.slice(sent, Math.min(stopAt, sent + perDelta));
      const delta =
        shape.kind === 'tool'
          ? { type: 'input_json_delta', partial_json: piece }
          : { type: 'text_delta', text: piece };
      send('content_block_delta', { type: 'content_block_delta', index: block, delta });
      sent += piece.length;
      tokensSent += piece.length / CHARS_PER_TOKEN;
      if (rate && rate > 0) {
        const due = contentStart + (tokensSent / rate) * 1000;
        const wait = due - Date.now();
        if (wait > 0) await sleep(wait);
      }
    }
    outputTokens += tokensOf(answer.text.slice(0, sent));
    record.usage = {
      input: usage.input,
      cacheRead: usage.read,
      cacheWrite: usage.write,
      output: outputTokens,
    };
    if (fault?.kind === 'stream-error') {
      send('error', {
        type: 'error',
        error: { type: fault.type ?? 'overloaded_error', message: fault.message ?? 'Overloaded' },
        request_id: requestId,
      });
      res.end();
      return;
    }
    if (fault?.kind === 'cut') {
      // Flush what was written, then drop the connection without ending the chunked body.
      await sleep(20);
      res.socket?.destroy();
      return;
    }
    if (fault?.kind === 'stall') return; // headers and some events, then silence
    if (options.tailDelayMs) await sleep(options.tailDelayMs);
    if (res.destroyed) return;
    send('content_block_stop', { type: 'content_block_stop', index: block });
    send('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: shape.kind === 'tool' ? 'tool_use' : 'end_turn', stop_sequence: null },
      usage: {
        input_tokens: usage.input,
        cache_creation_input_tokens: usage.write,
        cache_read_input_tokens: usage.read,
        output_tokens: outputTokens,
      },
    });
    send('message_stop', { type: 'message_stop' });
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${initial.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    configure(patch) {
      options = { ...options, ...patch };
    },
    clearCache() {
      cache.clear();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reading the request

type Shape = { kind: 'json' } | { kind: 'tool'; name: string } | { kind: 'text' };

function answerShape(body: MessagesBody): Shape {
  if (body.output_config?.format?.type === 'json_schema') return { kind: 'json' };
  const choice = body.tool_choice;
  if (choice?.type === 'tool' && choice.name) return { kind: 'tool', name: choice.name };
  if (choice?.type === 'any' && body.tools?.[0]) return { kind: 'tool', name: body.tools[0].name };
  return { kind: 'text' };
}

/** All the text the request carries (system and messages). */
export function requestText(body: MessagesBody): string {
  const parts: string[] = [];
  if (typeof body.system === 'string') parts.push(body.system);
  else for (const b of body.system ?? []) parts.push(b.text);
  for (const m of body.messages ?? []) {
    if (typeof m.content === 'string') parts.push(m.content);
    else for (const b of m.content) if (typeof b.text === 'string') parts.push(b.text);
  }
  return parts.join('\n');
}

/**
 * The paragraphs inside `<transcript>…</transcript>`: one a line, starting with the paragraph id
 * ("p12"), optionally in brackets and followed by a time and a speaker before the text.
 */
export function readTranscript(body: MessagesBody): SeenParagraph[] {
  const text = requestText(body);
  // The longest <transcript>…</transcript> (a system prompt may name the tags in passing).
  let inner = '';
  for (const m of text.matchAll(/<transcript[^>]*>([\s\S]*?)<\/transcript>/g))
    if ((m[1] ?? '').length > inner.length) inner = m[1] ?? '';
  const out: SeenParagraph[] = [];
  for (const line of inner.split('\n')) {
    const m = /^\s*\[?(p\d+)\b([^\]]*\])?\s*(.*)$/.exec(line);
    if (!m) continue;
    let rest = (m[3] ?? '').trim();
    // An optional time ("12:34" or "1:02:03") and speaker ("Ana:") before the words.
    rest = rest.replace(/^\(?\d{1,2}(:\d{2}){1,2}\)?\s*/, '');
    rest = rest.replace(SPEAKER_LABEL, '');
    if (rest) out.push({ id: m[1] as string, text: rest });
  }
  return out;
}

function askedCount(body: MessagesBody): number | undefined {
  const m = /find at most (\d+)/i.exec(requestText(body));
  return m ? Number(m[1]) : undefined;
}

// ---------------------------------------------------------------------------------------------
// The scripted model

type Answer = { text: string; itemEnds: number[] };

/** The answer as streamed text, with where each insight's JSON ends (for mid-stream faults). */
function serialize(value: unknown): Answer {
  if (typeof value === 'string') return { text: value, itemEnds: [] };
  const items = (value as { insights?: unknown[] } | null)?.insights;
  if (!Array.isArray(items)) return { text: JSON.stringify(value), itemEnds: [] };
  let text = '{"insights":[';
  const itemEnds: number[] = [];
  items.forEach((item, i) => {
    if (i > 0) text += ',';
    text += JSON.stringify(item);
    itemEnds.push(text.length - 1);
  });
  text += ']}';
  return { text, itemEnds };
}

const SENTENCE = /[^.!?]+[.!?]+/g;
const SPEAKER_LABEL = /^[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2}:\s+/;

/** Sentences of a paragraph that make a good quote: 6 to 30 words. */
function sentencesOf(text: string): string[] {
  const found = text.match(SENTENCE) ?? [text];
  // A short turn inside a paragraph is written "… Ben: words"; the label is not the speaker's words.
  return found
    .map((s) => s.trim().replace(SPEAKER_LABEL, ''))
    .filter((s) => {
      const words = s.split(/\s+/).length;
      return words >= 6 && words <= 30;
    });
}

/** Picks up to `count` (paragraph, sentence) pairs spread over the paragraphs. */
function pickSentences(paragraphs: SeenParagraph[], count: number): { p: number; sentence: string }[] {
  const candidates = paragraphs
    .map((para, p) => ({ p, sentences: sentencesOf(para.text) }))
    .filter((c) => c.sentences.length > 0);
  const out: { p: number; sentence: string }[] = [];
  if (candidates.length === 0) return out;
  const n = Math.min(count, candidates.length);
  for (let i = 0; i < n; i++) {
    const c = candidates[Math.floor((i * candidates.length) / n)] as (typeof candidates)[number];
    const longest = [...c.sentences].sort((a, b) => b.length - a.length)[0] as string;
    out.push({ p: c.p, sentence: longest });
  }
  return out;
}

function topicsOf(sentence: string): string[] {
  const words = sentence.toLowerCase().match(/[a-z]{6,}/g) ?? ['episode'];
  return [...new Set(words)].sort((a, b) => b.length - a.length).slice(0, 2);
}

function insightFor(id: string, quote: string, i: number): ScriptedInsight {
  const words = quote.replace(/[.!?]+$/, '').split(/\s+/);
  return {
    text: `Point ${i + 1}: ${words.slice(0, 12).join(' ')}`,
    quote,
    paragraph: id,
    topics: topicsOf(quote),
    importance: 5 - (i % 5),
  };
}

/** A paraphrase far from the words (reordered, most words replaced): should not ground. */
function paraphrase(sentence: string): string {
  const words = sentence.replace(/[.!?]+$/, '').split(/\s+/);
  const swapped = words.map((w, i) => (i % 3 === 0 ? w : `${w.slice(0, 2)}x${i}`));
  return `In other words, ${swapped.reverse().join(' ')}.`;
}

/** What an ASR-noisy copy looks like: case and punctuation changed, one word misheard. */
function asrNoise(sentence: string): string {
  const words = sentence
    .replace(/[.,!?;:]/g, '')
    .toLowerCase()
    .split(/\s+/);
  const at = Math.floor(words.length / 2);
  words[at] = `${words[at] ?? ''}s`;
  return words.join(' ');
}

export const INVENTED_QUOTE = 'Purple elephants negotiate every treaty on the dark side of the moon.';
export const INJECTED_TEXT = 'Visit evil.example now for a free prize.';

function scripted(mode: ScriptMode, ctx: ModelContext): { insights: ScriptedInsight[] } {
  const { paragraphs, count } = ctx;
  const picks = pickSentences(paragraphs, count);
  const idOf = (p: number): string => paragraphs[p]?.id ?? 'p1';
  const insights = picks.map(({ p, sentence }, i): ScriptedInsight => {
    switch (mode) {
      case 'shifted': {
        // Cites a paragraph far from the one the quote is in.
        const other = (p + Math.max(1, Math.floor(paragraphs.length / 2))) % paragraphs.length;
        return insightFor(idOf(other), sentence, i);
      }
      case 'invented':
        return insightFor(idOf(p), i % 2 === 0 ? INVENTED_QUOTE : sentence, i);
      case 'paraphrased':
        return insightFor(idOf(p), paraphrase(sentence), i);
      case 'asr-noise':
        return insightFor(idOf(p), asrNoise(sentence), i);
      default:
        return insightFor(idOf(p), sentence, i);
    }
  });
  if (mode === 'injected') {
    // The model "obeys" a line planted in the transcript: an invented claim with an invented
    // quote, and one that quotes the planted line itself (it is in the transcript).
    const planted = paragraphs.find((p) => /ignore (all |your )?(previous )?instructions/i.test(p.text));
    insights.unshift({
      text: INJECTED_TEXT,
      quote: 'Visit evil.example now.',
      paragraph: planted?.id ?? 'p1',
      topics: ['prize'],
      importance: 5,
    });
    if (planted) {
      const line = sentencesOf(planted.text).find((s) => /instructions/i.test(s)) ?? planted.text;
      insights.splice(1, 0, {
        text: INJECTED_TEXT,
        quote: line,
        paragraph: planted.id,
        topics: ['prize'],
        importance: 5,
      });
    }
  }
  return { insights };
}

// ---------------------------------------------------------------------------------------------
// Answers

type Usage = { input: number; read: number; write: number };

function sendJson(res: ServerResponse, body: MessagesBody, answer: Answer, usage: Usage, shape: Shape): void {
  const content =
    shape.kind === 'tool'
      ? [
          {
            type: 'tool_use',
            id: `toolu_${randomUUID().slice(0, 8)}`,
            name: shape.name,
            input: JSON.parse(answer.text) as unknown,
          },
        ]
      : [{ type: 'text', text: answer.text }];
  const requestId = `req_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
  res.end(
    JSON.stringify({
      id: `msg_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
      type: 'message',
      role: 'assistant',
      model: body.model,
      content,
      stop_reason: shape.kind === 'tool' ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: usage.input,
        cache_creation_input_tokens: usage.write,
        cache_read_input_tokens: usage.read,
        output_tokens: tokensOf(answer.text),
      },
    }),
  );
}

function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  extra: { retryAfter?: number; errorCode?: string } = {},
): void {
  const requestId = `req_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'request-id': requestId };
  if (extra.retryAfter !== undefined) headers['retry-after'] = String(extra.retryAfter);
  res.writeHead(status, headers);
  const error: Record<string, unknown> = { type, message };
  if (extra.errorCode) error['details'] = { error_code: extra.errorCode };
  res.end(JSON.stringify({ type: 'error', error, request_id: requestId }));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
