// The OpenAI-compatible engine against the local stand-in (real HTTP, real multipart): what it
// sends, what it makes of each answer format, and every failure as an SttError in plain words.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createOpenAiEngine,
  languageCode,
  retryAfter,
  type OpenAiSttConfig,
} from '../../../src/core/transcribe/openai';
import { STT_SAMPLE_RATE, SttError } from '../../../src/core/transcribe/types';
import {
  startOpenAiSttServer,
  type OpenAiSttServer,
  type ScriptLine,
  type SttFault,
} from '../../support/openai-stt-server';
import { toneEpisode } from '../../support/tone-audio';

const KEY = 'sk-proj-TestKey0123456789abcdefZQXJ';
const RATE = STT_SAMPLE_RATE;

/** A five-minute script: a line every 7.3 s, each 5 s long. */
const SCRIPT: ScriptLine[] = Array.from({ length: 41 }, (_, i) => ({
  start: Math.round((2 + 7.3 * i) * 100) / 100,
  end: Math.round((7 + 7.3 * i) * 100) / 100,
  text: `Line ${i} of the show, said plainly.`,
}));

const episode = toneEpisode(300, RATE);
/** Seconds [from, to) of the tone episode, as the driver hands them to an engine. */
const piece = (from: number, to: number): Float32Array => episode.slice(from * RATE, to * RATE);

let server: OpenAiSttServer;
beforeAll(async () => {
  server = await startOpenAiSttServer({ apiKey: KEY, script: SCRIPT });
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  server.setFault(undefined);
  server.requests.length = 0;
});

const engine = (patch: Partial<OpenAiSttConfig> = {}) =>
  createOpenAiEngine({
    baseUrl: server.url,
    apiKey: KEY,
    model: 'whisper-1',
    pricePerMinute: 0.006,
    ...patch,
  });

async function failure(run: Promise<unknown>): Promise<SttError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SttError);
  return error as SttError;
}

describe('the OpenAI-compatible engine', () => {
  it('transcribes seconds 120–240 with the script lines said there, timed from the piece', async () => {
    const result = await engine().transcribe(piece(120, 240));
    const expected = SCRIPT.filter((l) => l.start >= 120 && l.start < 240);
    expect(expected.length).toBeGreaterThan(10);
    expect(result.segments.map((s) => s.text)).toEqual(expected.map((l) => l.text));
    result.segments.forEach((s, i) => {
      expect(Math.abs(s.start - (expected[i]!.start - 120))).toBeLessThanOrEqual(0.1);
      // A line running past the piece's end is cut there, as Whisper times only what it heard.
      expect(Math.abs(s.end! - (Math.min(expected[i]!.end, 240) - 120))).toBeLessThanOrEqual(0.1);
    });
    expect(result.language).toBe('en');
    expect(result.costUsd).toBeCloseTo(0.012, 6);
  });

  it('names itself by model and host', () => {
    expect(engine().by).toBe(`whisper-1 at ${new URL(server.url).host}`);
    expect(
      createOpenAiEngine({
        baseUrl: 'https://api.openai.com/v1/',
        apiKey: KEY,
        model: 'whisper-1',
        pricePerMinute: 0,
      }).by,
    ).toBe('whisper-1 at api.openai.com');
  });

  it('sends a well-formed multipart request: a 16 kHz mono 16-bit WAV and the fields', async () => {
    const long = Array.from({ length: 300 }, (_, i) => `w${i}`).join(' ');
    await engine({ baseUrl: `${server.url}/` }).transcribe(piece(0, 30), { language: 'en-GB', prompt: long });
    expect(server.requests).toHaveLength(1);
    const r = server.requests[0]!;
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/v1/audio/transcriptions');
    expect(r.key).toBe(KEY);
    expect(r.headers['content-type']).toMatch(/^multipart\/form-data; ?boundary=/);
    expect(r.file).toEqual({
      filename: 'piece.wav',
      contentType: 'audio/wav',
      bytes: 44 + 30 * RATE * 2,
      sampleRate: 16000,
      channels: 1,
      bitsPerSample: 16,
    });
    expect(r.audioSeconds).toBe(30);
    expect(r.locatedStart).toBeCloseTo(0, 1);
    expect(r.model).toBe('whisper-1');
    expect(r.responseFormat).toBe('verbose_json');
    expect(r.granularities).toEqual(['segment']);
    expect(r.temperature).toBe('0');
    expect(r.language).toBe('en');
    // The tail of the prompt: its last 200 words.
    const words = r.prompt!.split(' ');
    expect(words).toHaveLength(200);
    expect(words[0]).toBe('w100');
    expect(words.at(-1)).toBe('w299');
  });

  it('keeps a prompt of long words to its last whole words, about 1,200 characters', async () => {
    const long = Array.from({ length: 300 }, (_, i) => `${'x'.repeat(20)}${i}`).join(' ');
    await engine().transcribe(piece(0, 5), { prompt: long });
    const prompt = server.requests[0]!.prompt!;
    expect(prompt.length).toBeLessThanOrEqual(1_200);
    expect(prompt.length).toBeGreaterThan(1_000);
    expect(long.endsWith(prompt)).toBe(true);
    expect(prompt).toMatch(/^x{20}\d+ /);
  });

  it('sends no language or prompt when none is given', async () => {
    await engine().transcribe(piece(0, 10), { prompt: '   ' });
    const r = server.requests[0]!;
    expect(r.fields['language']).toBeUndefined();
    expect(r.fields['prompt']).toBeUndefined();
    expect(Object.keys(r.fields).sort()).toEqual([
      'model',
      'response_format',
      'temperature',
      'timestamp_granularities[]',
    ]);
  });

  it('drops segments Whisper marks as no speech, keeps confident ones', async () => {
    const local = await startOpenAiSttServer({
      script: [
        { start: 1, end: 2, text: 'Speech.' },
        { start: 3, end: 4, text: 'Silence hallucinated.', noSpeechProb: 0.95, avgLogprob: -1.6 },
        { start: 5, end: 6, text: 'Quiet but sure.', noSpeechProb: 0.95, avgLogprob: -0.4 },
        { start: 7, end: 8, text: 'Unsure but speech.', noSpeechProb: 0.3, avgLogprob: -1.6 },
        { start: 9, end: 10, text: '   ' },
      ],
    });
    try {
      const result = await engine({ baseUrl: local.url }).transcribe(piece(0, 12));
      expect(result.segments.map((s) => s.text)).toEqual([
        'Speech.',
        'Quiet but sure.',
        'Unsure but speech.',
      ]);
    } finally {
      await local.close();
    }
  });

  it('asks a text-only model again for json, estimates times, and asks for json from then on', async () => {
    const stt = engine({ model: 'gpt-4o-mini-transcribe', pricePerMinute: 0.003 });
    const first = await stt.transcribe(piece(120, 240));
    expect(server.requests.map((r) => [r.status, r.responseFormat])).toEqual([
      [400, 'verbose_json'],
      [200, 'json'],
    ]);
    expect(server.requests[1]!.granularities).toEqual([]);
    const expected = SCRIPT.filter((l) => l.start >= 120 && l.start < 240).map((l) => l.text);
    expect(first.segments.map((s) => s.text)).toEqual(expected);
    const starts = first.segments.map((s) => s.start);
    expect(starts[0]).toBe(0);
    for (let i = 1; i < starts.length; i++) expect(starts[i]!).toBeGreaterThan(starts[i - 1]!);
    expect(first.segments.at(-1)!.end).toBeCloseTo(120, 3);
    expect(first.language).toBeUndefined();
    expect(first.costUsd).toBeCloseTo(0.006, 6);

    server.requests.length = 0;
    const second = await stt.transcribe(piece(240, 300));
    expect(server.requests.map((r) => [r.status, r.responseFormat])).toEqual([[200, 'json']]);
    expect(second.segments.map((s) => s.text)).toEqual(
      SCRIPT.filter((l) => l.start >= 240).map((l) => l.text),
    );
  });

  it('takes a plain-text answer from a server that always gives one', async () => {
    const local = await startOpenAiSttServer({ script: SCRIPT, alwaysText: true });
    try {
      const result = await engine({ baseUrl: local.url }).transcribe(piece(60, 90));
      expect(result.segments.map((s) => s.text)).toEqual(
        SCRIPT.filter((l) => l.start >= 60 && l.start < 90).map((l) => l.text),
      );
      expect(result.segments.every((s) => s.start >= 0 && s.end! <= 30)).toBe(true);
    } finally {
      await local.close();
    }
  });

  it('comes back empty for audio with no words (not tone episode)', async () => {
    const result = await engine().transcribe(new Float32Array(RATE * 5));
    expect(result.segments).toEqual([]);
    expect(server.requests[0]!.locatedStart).toBeUndefined();
  });

  it('gives no cost when there is no price', async () => {
    expect((await engine({ pricePerMinute: 0 }).transcribe(piece(0, 6))).costUsd).toBeUndefined();
  });

  it('reads the language the service names, as BCP 47', async () => {
    const local = await startOpenAiSttServer({ script: SCRIPT, language: 'german' });
    try {
      expect((await engine({ baseUrl: local.url }).transcribe(piece(0, 10))).language).toBe('de');
    } finally {
      await local.close();
    }
  });
});

describe('failures', () => {
  const cases: [string, SttFault, SttError['code'], boolean, RegExp][] = [
    [
      '401',
      { kind: 'status', status: 401 },
      'auth',
      false,
      /did not accept the API key.*Check the key in Earmark’s options/,
    ],
    [
      '403',
      { kind: 'status', status: 403 },
      'forbidden',
      false,
      /does not let this key use the model "whisper-1" \(403\)/,
    ],
    [
      '404',
      { kind: 'status', status: 404 },
      'not-found',
      false,
      /no transcription endpoint or no model "whisper-1"/,
    ],
    [
      '413',
      { kind: 'status', status: 413 },
      'too-large',
      false,
      /refused a 10 s piece of audio as too large \(413\)/,
    ],
    [
      '429 quota',
      { kind: 'quota' },
      'quota',
      false,
      /out of credit.*Add credit.*exceeded your current quota/,
    ],
    ['500', { kind: 'status', status: 500 }, 'server', true, /internal error \(500\)\. Try again later/],
    ['503', { kind: 'status', status: 503 }, 'server', true, /internal error \(503\).*overloaded/],
    ['a cut connection', { kind: 'cut' }, 'network', true, /connection was cut.*try again/],
    ['an HTML page', { kind: 'not-json' }, 'bad-response', false, /its answer is a web page.*base URL/],
  ];
  it.each(cases)('%s → its SttError', async (_name, fault, code, retryable, words) => {
    server.setFault(fault);
    const error = await failure(engine().transcribe(piece(0, 10)));
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.message).toMatch(words);
    expect(error.message).not.toMatch(/\n/);
    expect(error.retryAfterSeconds).toBeUndefined();
  });

  it('a rate limit with retry-after: retryable, with the wait', async () => {
    server.setFault({ kind: 'rate-limit', retryAfter: 20 }, 1);
    const error = await failure(engine().transcribe(piece(0, 10)));
    expect(error.code).toBe('rate-limit');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterSeconds).toBe(20);
    expect(error.message).toMatch(/limiting how fast.*Wait about 20 s, then go on/);
    // The fault was for one request: the next goes through.
    expect((await engine().transcribe(piece(0, 10))).segments.length).toBeGreaterThan(0);
  });

  it('a rate limit without a wait is retryable too', async () => {
    server.setFault({ kind: 'rate-limit' });
    const error = await failure(engine().transcribe(piece(0, 10)));
    expect([error.code, error.retryable, error.retryAfterSeconds]).toEqual(['rate-limit', true, undefined]);
  });

  it('a wrong key: 401, and neither the key nor the masked key the service quotes is repeated', async () => {
    const wrong = 'sk-proj-WrongKey9876543210fedcbaWXYZ';
    const error = await failure(engine({ apiKey: wrong }).transcribe(piece(0, 10)));
    expect(error.code).toBe('auth');
    expect(server.requests[0]!.status).toBe(401);
    expect(error.message).toMatch(/The service said: “Incorrect API key provided: \[key\]\./);
    expect(error.message).not.toContain(wrong);
    expect(error.message).not.toContain('WXYZ');
  });

  it('never repeats the key, even when a service echoes it whole', async () => {
    const echo: typeof fetch = async () =>
      new Response(JSON.stringify({ error: { message: `Key ${KEY} is not valid here.` } }), {
        status: 400,
        headers: { 'content-type': 'application/json' },
      });
    const error = await failure(engine({ fetch: echo }).transcribe(piece(0, 2)));
    expect(error.code).toBe('server');
    expect(error.message).toMatch(
      /refused the request \(400\)\. The service said: “Key \[key\] is not valid here\.”/,
    );
    expect(error.message).not.toContain('ZQXJ');
  });

  it('no key: refused before anything is sent', async () => {
    const error = await failure(engine({ apiKey: ' ' }).transcribe(piece(0, 10)));
    expect(error.code).toBe('auth');
    expect(error.message).toMatch(/No API key is set.*Earmark’s options/);
    expect(server.requests).toHaveLength(0);
  });

  it('an unknown model: not-found, naming the model and the base URL', async () => {
    const error = await failure(engine({ model: 'whisper-9' }).transcribe(piece(0, 10)));
    expect(error.code).toBe('not-found');
    expect(error.message).toContain('"whisper-9"');
    expect(error.message).toContain(server.url);
    expect(error.message).toMatch(/does not exist/);
  });

  it('a wrong base URL: not-found', async () => {
    const error = await failure(
      engine({ baseUrl: server.url.replace(/\/v1$/, '/v2') }).transcribe(piece(0, 5)),
    );
    expect(error.code).toBe('not-found');
    expect(error.message).toMatch(/Check the base URL and the model/);
  });

  it('an upload over the service limit: too-large', async () => {
    const local = await startOpenAiSttServer({ maxBytes: 100_000 });
    try {
      const error = await failure(engine({ baseUrl: local.url }).transcribe(piece(0, 10)));
      expect(error.code).toBe('too-large');
      expect(error.message).toMatch(/Maximum content size limit \(100000\) exceeded/);
    } finally {
      await local.close();
    }
  });

  it('an unreachable service: network, retryable', async () => {
    const gone = await startOpenAiSttServer();
    const url = gone.url;
    await gone.close();
    const error = await failure(engine({ baseUrl: url }).transcribe(piece(0, 5)));
    expect(error.code).toBe('network');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/Could not reach 127\.0\.0\.1:\d+.*Check your internet connection/);
  });

  it('a base URL that is not a web address: not-found, nothing sent', async () => {
    const error = await failure(engine({ baseUrl: 'api.openai.com/v1' }).transcribe(piece(0, 5)));
    expect(error.code).toBe('not-found');
    expect(error.message).toMatch(/is not a web address/);
  });

  it('a service that never answers: timeout, retryable', async () => {
    server.setFault({ kind: 'hang' });
    const error = await failure(engine({ timeoutMs: 300 }).transcribe(piece(0, 5)));
    expect(error.code).toBe('timeout');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/did not answer within 0\.3 s/);
  });

  it('the caller’s abort while the service is silent: aborted', async () => {
    server.setFault({ kind: 'hang' });
    const controller = new AbortController();
    const run = engine().transcribe(piece(0, 5), { signal: controller.signal });
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const error = await failure(run);
    expect(error.code).toBe('aborted');
  });

  it('an abort before the start: aborted, nothing sent', async () => {
    const error = await failure(engine().transcribe(piece(0, 5), { signal: AbortSignal.abort() }));
    expect(error.code).toBe('aborted');
    expect(server.requests).toHaveLength(0);
  });

  it('a slow answer still arrives', async () => {
    server.setFault({ kind: 'slow', delayMs: 150 }, 1);
    const result = await engine().transcribe(piece(0, 10));
    expect(result.segments.map((s) => s.text)).toEqual(SCRIPT.filter((l) => l.start < 10).map((l) => l.text));
    expect(server.requests[0]!.fault).toBe('slow');
  });

  it('a 200 that is JSON but not a transcription: bad-response', async () => {
    const odd: typeof fetch = async () =>
      new Response(JSON.stringify({ ok: true }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    const error = await failure(engine({ fetch: odd }).transcribe(piece(0, 2)));
    expect(error.code).toBe('bad-response');
    expect(error.message).toMatch(/not the transcription format/);
  });

  it('keeps the service’s message to one short line', async () => {
    const long: typeof fetch = async () =>
      new Response(
        JSON.stringify({ error: { message: `Bad\nthing ${'x'.repeat(500)}`, type: 'server_error' } }),
        {
          status: 502,
        },
      );
    const error = await failure(engine({ fetch: long }).transcribe(piece(0, 2)));
    expect(error.code).toBe('server');
    const said = /“(.*)”/.exec(error.message)![1]!;
    expect(said.length).toBeLessThanOrEqual(200);
    expect(said.startsWith('Bad thing xxx')).toBe(true);
  });
});

describe('retryAfter', () => {
  it.each([
    [{ 'retry-after': '7' }, undefined, 7],
    [{ 'retry-after-ms': '1500' }, undefined, 2],
    [{}, 'Limit 3, Used 3, Requested 1. Please try again in 21s.', 21],
    [{}, 'Please try again in 450ms.', 1],
    [{}, 'no hint', undefined],
  ])('%j %s → %s', (headers, message, seconds) => {
    expect(retryAfter(new Headers(headers as Record<string, string>), message)).toBe(seconds);
  });

  it('reads an HTTP date', () => {
    const at = new Date(Date.now() + 60_000).toUTCString();
    expect(retryAfter(new Headers({ 'retry-after': at }))).toBeGreaterThan(50);
  });
});

describe('languageCode', () => {
  it.each([
    ['english', 'en'],
    ['English', 'en'],
    ['en', 'en'],
    ['pt-br', 'pt-BR'],
    ['haitian creole', 'ht'],
    ['cantonese', 'yue'],
    ['javanese', 'jv'],
    ['jw', 'jv'],
    ['klingon', undefined],
    ['constructor', undefined],
    ['__proto__', undefined],
    ['', undefined],
    [42, undefined],
  ])('%s → %s', (value, code) => {
    expect(languageCode(value)).toBe(code);
  });
});
