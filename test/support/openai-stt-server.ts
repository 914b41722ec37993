// A local stand-in for OpenAI's speech-to-text endpoint, started by tests and benchmarks, never
// shipped. It listens on 127.0.0.1 on a random port (HTTP, or HTTPS given a key and certificate,
// for end-to-end tests that map api.openai.com here) and speaks the real wire format of
// POST /v1/audio/transcriptions:
// - multipart/form-data read properly (the boundary from the content-type, binary-safe): `file`,
//   `model`, `response_format`, `timestamp_granularities[]`, `language`, `prompt`, `temperature`;
// - `Authorization: Bearer <key>` checked, with OpenAI's 401 bodies (`{ error: { message, type,
//   param, code } }`, the key quoted masked as OpenAI does);
// - models: whisper-1 answers every format; gpt-4o(-mini)-transcribe refuse verbose_json, srt and
//   vtt with the 400 OpenAI gives (param response_format), and any model refuses
//   timestamp_granularities without verbose_json; an unknown model is a 404 model_not_found;
// - answers as json, text, verbose_json (segments with no_speech_prob, avg_logprob …), srt, vtt;
// - "recognition": the uploaded WAV is decoded, `locateTone` finds where in the tone episode
//   (test/support/tone-audio.ts) the piece starts, and the answer is the script's lines that start
//   within the piece, timed from the piece's start (language "english", duration = the piece's);
// - faults, set at run time for the next N requests or until cleared: 401, 403, 404, 413, 429
//   rate limit (with retry-after), 429 insufficient_quota, 500, 503, a request never answered, a
//   connection cut in the middle of the answer, a 200 that is an HTML page, a slow answer;
// - CORS: preflights answered, `Access-Control-Allow-Origin: *` on every answer.
// Every request is recorded (fields, the audio's format and length, where it lay in the episode,
// the key used) for assertions.
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { decodeWav, locateTone } from './tone-audio';

/** A line of what is said in the episode, in episode seconds (a VTT cue, say). */
export type ScriptLine = {
  start: number;
  end: number;
  text: string;
  /** Reported on the line's segment (defaults 0.01 and -0.25: clearly speech). */
  noSpeechProb?: number;
  avgLogprob?: number;
};

/** How a model answers: every format, or text only (the gpt-4o transcribe models). */
export type SttModelKind = 'whisper' | 'text-only';

export const DEFAULT_STT_MODELS: Readonly<Record<string, SttModelKind>> = {
  'whisper-1': 'whisper',
  'gpt-4o-transcribe': 'text-only',
  'gpt-4o-mini-transcribe': 'text-only',
};

export type SttFault =
  | { kind: 'status'; status: 401 | 403 | 404 | 413 | 500 | 503 }
  | { kind: 'rate-limit'; retryAfter?: number }
  | { kind: 'quota' }
  | { kind: 'hang' }
  | { kind: 'cut' }
  | { kind: 'not-json' }
  | { kind: 'slow'; delayMs: number };

export type OpenAiSttServerOptions = {
  /** The key it accepts; another gets 401. Default: any non-empty key. */
  apiKey?: string;
  /** What is said in the tone episode. Default: nothing (every piece comes back without words). */
  script?: readonly ScriptLine[];
  /** Models it knows. Default DEFAULT_STT_MODELS. */
  models?: Readonly<Record<string, SttModelKind>>;
  /** The language it says it heard (Whisper names it: "english"). */
  language?: string;
  /** Answer text/plain whatever was asked, as some compatible servers do. */
  alwaysText?: boolean;
  /** The largest request body it takes (OpenAI: 25 MiB); over it, a 413. */
  maxBytes?: number;
  /** Serve HTTPS with this key and certificate. */
  tls?: { key: string; cert: string };
};

export type RecordedSttRequest = {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The Bearer token sent, if any. */
  key?: string;
  /** Form fields (repeated ones, like `timestamp_granularities[]`, in order). */
  fields: Record<string, string[]>;
  model?: string;
  language?: string;
  prompt?: string;
  responseFormat?: string;
  temperature?: string;
  granularities: string[];
  file?: {
    filename?: string;
    contentType?: string;
    bytes: number;
    /** From the WAV header, when it is one. */
    sampleRate?: number;
    channels?: number;
    bitsPerSample?: number;
  };
  /** Seconds of audio in the upload (a WAV). */
  audioSeconds?: number;
  /** The episode second the piece starts at, when it is tone episode. */
  locatedStart?: number;
  /** The fault this request met, if any. */
  fault?: SttFault['kind'];
  /** The status answered (0: none, a hang or a cut before the status). */
  status: number;
  at: number;
};

export type OpenAiSttServer = {
  /** The base URL, with /v1 (what Earmark's options take). */
  url: string;
  requests: RecordedSttRequest[];
  /** A fault for the next `times` requests (default: every request until cleared with undefined). */
  setFault(fault: SttFault | undefined, times?: number): void;
  close(): Promise<void>;
};

export const OPENAI_MAX_BYTES = 25 * 1024 * 1024;
const PATH = '/v1/audio/transcriptions';
const FORMATS = ['json', 'text', 'srt', 'verbose_json', 'vtt'];
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'retry-after, retry-after-ms, x-request-id',
};

export async function startOpenAiSttServer(options: OpenAiSttServerOptions = {}): Promise<OpenAiSttServer> {
  const requests: RecordedSttRequest[] = [];
  const sockets = new Set<Socket>();
  let fault: { fault: SttFault; left: number } | undefined;
  const maxBytes = options.maxBytes ?? OPENAI_MAX_BYTES;

  const listener: RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= maxBytes) chunks.push(c);
    });
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks), size).catch((error: unknown) => {
        if (!res.headersSent) sendError(res, 500, `test server: ${String(error)}`, 'server_error');
        else res.destroy();
      });
    });
  };
  const server = options.tls ? createTlsServer(options.tls, listener) : createServer(listener);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    size: number,
  ): Promise<void> {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...CORS,
        'access-control-allow-methods': 'POST, OPTIONS',
        'access-control-allow-headers': 'authorization, content-type, accept',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const key = /^Bearer\s+(.+)$/i.exec(headers['authorization'] ?? '')?.[1]?.trim();
    const record: RecordedSttRequest = {
      method: req.method ?? '',
      path,
      headers,
      ...(key ? { key } : {}),
      fields: {},
      granularities: [],
      status: 0,
      at: Date.now(),
    };
    requests.push(record);
    const answer = (status: number) => (record.status = status);

    if (req.method !== 'POST' || path !== PATH) {
      answer(404);
      sendError(res, 404, `Invalid URL (${req.method ?? ''} ${path})`, 'invalid_request_error');
      return;
    }
    let parts: Part[] = [];
    try {
      parts = size <= maxBytes ? parseMultipart(body, headers['content-type'] ?? '') : [];
    } catch (error) {
      if (size <= maxBytes) {
        answer(400);
        sendError(res, 400, `Could not parse multipart form: ${String(error)}`, 'invalid_request_error');
        return;
      }
    }
    for (const part of parts) {
      if (part.filename !== undefined) continue;
      (record.fields[part.name] ??= []).push(part.data.toString('utf8'));
    }
    const field = (name: string) => record.fields[name]?.[0];
    const model = field('model');
    if (model !== undefined) record.model = model;
    const language = field('language');
    if (language !== undefined) record.language = language;
    const prompt = field('prompt');
    if (prompt !== undefined) record.prompt = prompt;
    const temperature = field('temperature');
    if (temperature !== undefined) record.temperature = temperature;
    const format = field('response_format') ?? 'json';
    record.responseFormat = format;
    record.granularities =
      record.fields['timestamp_granularities[]'] ?? record.fields['timestamp_granularities'] ?? [];
    const file = parts.find((p) => p.name === 'file' && p.filename !== undefined);
    let pcm: { sampleRate: number; pcm: Float32Array } | undefined;
    if (file) {
      record.file = {
        ...(file.filename ? { filename: file.filename } : {}),
        ...(file.contentType ? { contentType: file.contentType } : {}),
        bytes: file.data.length,
        ...wavFormat(file.data),
      };
      try {
        pcm = decodeWav(new Uint8Array(file.data.buffer, file.data.byteOffset, file.data.length));
        record.audioSeconds = pcm.pcm.length / pcm.sampleRate;
        const start = locateTone(pcm.pcm, pcm.sampleRate);
        if (start !== undefined) record.locatedStart = start;
      } catch {
        pcm = undefined;
      }
    }

    // A fault, before anything is checked (as a proxy or an outage would).
    const current = fault;
    if (current) {
      current.left -= 1;
      if (current.left <= 0) fault = undefined;
      record.fault = current.fault.kind;
      const done = await applyFault(current.fault, res, record, model ?? 'whisper-1');
      if (done) return;
    }

    if (!key) {
      answer(401);
      sendError(
        res,
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        'invalid_request_error',
      );
      return;
    }
    if (options.apiKey !== undefined && key !== options.apiKey) {
      answer(401);
      sendError(
        res,
        401,
        `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        'invalid_request_error',
        'invalid_api_key',
      );
      return;
    }
    if (size > maxBytes) {
      answer(413);
      sendError(
        res,
        413,
        `Maximum content size limit (${maxBytes}) exceeded (${size} bytes read)`,
        'server_error',
      );
      return;
    }
    if (!/^multipart\/form-data/i.test(headers['content-type'] ?? '')) {
      answer(400);
      sendError(
        res,
        400,
        "Invalid Content-Type header (application/json), expected multipart/form-data. (HINT: If you're using curl, you can pass -F 'key=value' to send form data.)",
        'invalid_request_error',
      );
      return;
    }
    if (!model) {
      answer(400);
      sendError(res, 400, 'you must provide a model parameter', 'invalid_request_error', null, 'model');
      return;
    }
    const kind = (options.models ?? DEFAULT_STT_MODELS)[model];
    if (!kind) {
      answer(404);
      sendError(
        res,
        404,
        `The model \`${model}\` does not exist or you do not have access to it.`,
        'invalid_request_error',
        'model_not_found',
        'model',
      );
      return;
    }
    if (!FORMATS.includes(format)) {
      answer(400);
      sendError(
        res,
        400,
        `'${format}' is not one of ['json', 'text', 'srt', 'verbose_json', 'vtt'] - 'response_format'`,
        'invalid_request_error',
        null,
        'response_format',
      );
      return;
    }
    if (kind === 'text-only' && format !== 'json' && format !== 'text') {
      answer(400);
      sendError(
        res,
        400,
        `response_format '${format}' is not compatible with model '${model}'. Use 'json' or 'text' instead.`,
        'invalid_request_error',
        'unsupported_value',
        'response_format',
      );
      return;
    }
    if (record.granularities.length > 0 && format !== 'verbose_json') {
      answer(400);
      sendError(
        res,
        400,
        'timestamp_granularities requires response_format=verbose_json',
        'invalid_request_error',
        'unsupported_value',
        'timestamp_granularities',
      );
      return;
    }
    if (!file) {
      answer(400);
      sendError(
        res,
        400,
        '1 validation error for Request\nbody -> file\n  field required (type=value_error.missing)',
        'invalid_request_error',
      );
      return;
    }
    if (!pcm) {
      answer(400);
      sendError(
        res,
        400,
        "Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']",
        'invalid_request_error',
      );
      return;
    }

    // Recognition: the script's lines that start inside the piece, from the piece's start.
    const duration = pcm.pcm.length / pcm.sampleRate;
    const start = record.locatedStart;
    const lines =
      start === undefined
        ? []
        : (options.script ?? []).filter((l) => l.start >= start - 0.05 && l.start < start + duration - 0.05);
    const segments = lines.map((l, id) => ({
      id,
      seek: 0,
      start: round(Math.max(0, l.start - start!)),
      end: round(Math.min(duration, l.end - start!)),
      text: ` ${l.text}`,
      tokens: [] as number[],
      temperature: 0,
      avg_logprob: l.avgLogprob ?? -0.25,
      compression_ratio: 1.3,
      no_speech_prob: l.noSpeechProb ?? 0.01,
    }));
    const text = lines.map((l) => l.text).join(' ');
    answer(200);
    if (options.alwaysText || format === 'text') {
      send(res, 200, 'text/plain; charset=utf-8', `${text}\n`);
    } else if (format === 'srt' || format === 'vtt') {
      send(res, 200, 'text/plain; charset=utf-8', captions(segments, format));
    } else if (format === 'verbose_json') {
      const body = {
        task: 'transcribe',
        language: options.language ?? 'english',
        duration: round(duration),
        text,
        segments,
        usage: { type: 'duration', seconds: Math.ceil(duration) },
      };
      send(res, 200, 'application/json', JSON.stringify(body));
    } else {
      const usage =
        kind === 'text-only'
          ? {
              type: 'tokens',
              input_tokens: Math.ceil(duration * 10),
              output_tokens: Math.ceil(text.length / 4),
              total_tokens: 0,
            }
          : { type: 'duration', seconds: Math.ceil(duration) };
      send(res, 200, 'application/json', JSON.stringify({ text, usage }));
    }
  }

  /** Answers for a fault; false when the request goes on (a slow answer, after its wait). */
  async function applyFault(
    f: SttFault,
    res: ServerResponse,
    record: RecordedSttRequest,
    model: string,
  ): Promise<boolean> {
    switch (f.kind) {
      case 'slow':
        await sleep(f.delayMs);
        return res.destroyed;
      case 'hang':
        return true; // never answered; the socket closes with the server
      case 'cut': {
        // Headers and half a body, then the connection drops.
        const body = JSON.stringify({
          task: 'transcribe',
          language: 'english',
          duration: 120,
          text: 'Cut off',
          segments: [],
        });
        record.status = 200;
        res.writeHead(200, {
          ...CORS,
          'content-type': 'application/json',
          'content-length': String(body.length),
        });
        res.write(body.slice(0, body.length >> 1));
        await sleep(20);
        res.socket?.destroy();
        return true;
      }
      case 'not-json':
        record.status = 200;
        send(
          res,
          200,
          'text/html; charset=utf-8',
          '<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>',
        );
        return true;
      case 'rate-limit': {
        record.status = 429;
        const wait = f.retryAfter;
        sendError(
          res,
          429,
          `Rate limit reached for ${model} in organization org-test on requests per min (RPM): Limit 3, Used 3, Requested 1.${wait !== undefined ? ` Please try again in ${wait}s.` : ''}`,
          'requests',
          'rate_limit_exceeded',
          null,
          wait !== undefined ? { 'retry-after': String(wait) } : {},
        );
        return true;
      }
      case 'quota':
        record.status = 429;
        sendError(
          res,
          429,
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
          'insufficient_quota',
          'insufficient_quota',
        );
        return true;
      case 'status': {
        record.status = f.status;
        const [message, type, code] = STATUS_ERRORS[f.status](model, record.key ?? '');
        sendError(res, f.status, message, type, code);
        return true;
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/v1`,
    requests,
    setFault(f, times) {
      fault = f ? { fault: f, left: times ?? Infinity } : undefined;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** OpenAI's words for each status fault: message, type, code. */
const STATUS_ERRORS: Record<
  401 | 403 | 404 | 413 | 500 | 503,
  (model: string, key: string) => [string, string, string | null]
> = {
  401: (_model, key) => [
    `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    'invalid_request_error',
    'invalid_api_key',
  ],
  403: (model) => [
    `You are not allowed to sample from this model (${model}).`,
    'invalid_request_error',
    null,
  ],
  404: (model) => [
    `The model \`${model}\` does not exist or you do not have access to it.`,
    'invalid_request_error',
    'model_not_found',
  ],
  413: () => [
    `Maximum content size limit (${OPENAI_MAX_BYTES}) exceeded (26970000 bytes read)`,
    'server_error',
    null,
  ],
  500: () => [
    'The server had an error while processing your request. Sorry about that!',
    'server_error',
    null,
  ],
  503: () => ['The engine is currently overloaded, please try again later.', 'server_error', null],
};

/** How OpenAI quotes a wrong key: "sk-te**********1234". */
function maskKey(key: string): string {
  if (key.length <= 8) return '*'.repeat(key.length);
  return `${key.slice(0, 5)}${'*'.repeat(Math.min(20, key.length - 9))}${key.slice(-4)}`;
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | null = null,
  param: string | null = null,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...CORS,
    ...headers,
    'content-type': 'application/json',
    'x-request-id': `req_${Math.random().toString(16).slice(2, 14)}`,
  });
  res.end(JSON.stringify({ error: { message, type, param, code } }));
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    ...CORS,
    'content-type': type,
    'x-request-id': `req_${Math.random().toString(16).slice(2, 14)}`,
  });
  res.end(body);
}

// ---------------------------------------------------------------------------------------------
// multipart/form-data (RFC 7578), read from the bytes

type Part = { name: string; filename?: string; contentType?: string; data: Buffer };

export function parseMultipart(body: Buffer, contentType: string): Part[] {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!/^multipart\/form-data/i.test(contentType) || !boundary) return [];
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw new Error('no boundary in the body');
  for (;;) {
    const after = at + delimiter.length;
    if (body.subarray(after, after + 2).toString('latin1') === '--') break; // the closing delimiter
    const headStart = after + 2; // past CRLF
    const headEnd = body.indexOf('\r\n\r\n', headStart);
    if (headEnd < 0) throw new Error('a part without headers');
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headEnd + 4);
    if (next < 0) throw new Error('a part without its closing boundary');
    const head = body.subarray(headStart, headEnd).toString('utf8');
    const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(head)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    const type = /^content-type:\s*(.+)$/im.exec(head)?.[1]?.trim();
    if (name === undefined) throw new Error('a part without a name');
    parts.push({
      name,
      ...(filename !== undefined ? { filename } : {}),
      ...(type ? { contentType: type } : {}),
      data: body.subarray(headEnd + 4, next),
    });
    at = next + 2;
  }
  return parts;
}

/** The fmt chunk of a WAV, for the record. */
function wavFormat(data: Buffer): { sampleRate?: number; channels?: number; bitsPerSample?: number } {
  if (
    data.length < 36 ||
    data.toString('latin1', 0, 4) !== 'RIFF' ||
    data.toString('latin1', 8, 12) !== 'WAVE'
  )
    return {};
  let offset = 12;
  while (offset + 8 <= data.length) {
    const id = data.toString('latin1', offset, offset + 4);
    const size = data.readUInt32LE(offset + 4);
    if (id === 'fmt ' && offset + 24 <= data.length)
      return {
        channels: data.readUInt16LE(offset + 10),
        sampleRate: data.readUInt32LE(offset + 12),
        bitsPerSample: data.readUInt16LE(offset + 22),
      };
    offset += 8 + size + (size % 2);
  }
  return {};
}

function captions(segments: { start: number; end: number; text: string }[], format: 'srt' | 'vtt'): string {
  const stamp = (s: number) => {
    const ms = Math.round(s * 1000);
    const h = Math.floor(ms / 3_600_000);
    const m = Math.floor(ms / 60_000) % 60;
    const sec = Math.floor(ms / 1000) % 60;
    const sep = format === 'srt' ? ',' : '.';
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    return `${pad(h)}:${pad(m)}:${pad(sec)}${sep}${pad(ms % 1000, 3)}`;
  };
  const cues = segments.map(
    (s, i) =>
      `${format === 'srt' ? `${i + 1}\n` : ''}${stamp(s.start)} --> ${stamp(s.end)}\n${s.text.trim()}\n`,
  );
  return `${format === 'vtt' ? 'WEBVTT\n\n' : ''}${cues.join('\n')}`;
}

const round = (s: number): number => Math.round(s * 1000) / 1000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
