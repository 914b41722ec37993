// The local stand-in for OpenAI's transcription endpoint, checked on its own with hand-made
// requests: the wire format it speaks is what the engine's tests (and the e2e test) rely on.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseMultipart, startOpenAiSttServer, type OpenAiSttServer } from '../../support/openai-stt-server';
import { encodeWav, toneEpisode } from '../../support/tone-audio';

const KEY = 'sk-test-server-key-0000';
const SCRIPT = [
  { start: 61, end: 63.5, text: 'First line.' },
  { start: 70.25, end: 75, text: 'Second line.' },
  { start: 95, end: 99, text: 'Outside the piece.' },
];
const rate = 16_000;
const wav = encodeWav(toneEpisode(100, rate).slice(60 * rate, 80 * rate), rate);

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

function form(fields: Record<string, string | string[]>, file: Uint8Array | null = wav): FormData {
  const data = new FormData();
  if (file) data.append('file', new Blob([new Uint8Array(file)], { type: 'audio/wav' }), 'a.wav');
  for (const [name, value] of Object.entries(fields))
    for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
  return data;
}

const post = (body: FormData, key = KEY, path = '/audio/transcriptions') =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body });

describe('the OpenAI transcription stand-in', () => {
  it('answers verbose_json with the script lines inside the piece, timed from its start', async () => {
    const res = await post(form({ model: 'whisper-1', response_format: 'verbose_json' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await res.json()) as {
      language: string;
      duration: number;
      text: string;
      segments: { start: number; end: number; text: string; no_speech_prob: number }[];
    };
    expect(body.language).toBe('english');
    expect(body.duration).toBe(20);
    expect(body.text).toBe('First line. Second line.');
    expect(body.segments.map((s) => s.text)).toEqual([' First line.', ' Second line.']);
    expect(Math.abs(body.segments[0]!.start - 1)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(body.segments[1]!.end - 15)).toBeLessThanOrEqual(0.1);
    expect(server.requests[0]!.locatedStart).toBeCloseTo(60, 0);
    expect(server.requests[0]!.key).toBe(KEY);
  });

  it('answers json, text, srt and vtt', async () => {
    const json = await post(form({ model: 'whisper-1' }));
    expect(await json.json()).toMatchObject({ text: 'First line. Second line.' });
    const text = await post(form({ model: 'whisper-1', response_format: 'text' }));
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await text.text()).toBe('First line. Second line.\n');
    const srt = await (await post(form({ model: 'whisper-1', response_format: 'srt' }))).text();
    expect(srt).toMatch(/^1\n00:00:0\d,\d{3} --> 00:00:0\d,\d{3}\nFirst line\.\n\n2\n/);
    const vtt = await (await post(form({ model: 'whisper-1', response_format: 'vtt' }))).text();
    expect(vtt).toMatch(/^WEBVTT\n\n00:00:0\d\.\d{3} --> 00:00:0\d\.\d{3}\nFirst line\.\n/);
  });

  it('refuses verbose_json for a text-only model as OpenAI does', async () => {
    const res = await post(form({ model: 'gpt-4o-mini-transcribe', response_format: 'verbose_json' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        message:
          "response_format 'verbose_json' is not compatible with model 'gpt-4o-mini-transcribe'. Use 'json' or 'text' instead.",
        type: 'invalid_request_error',
        param: 'response_format',
        code: 'unsupported_value',
      },
    });
  });

  it('refuses timestamp granularities without verbose_json', async () => {
    const res = await post(
      form({ model: 'whisper-1', response_format: 'json', 'timestamp_granularities[]': 'segment' }),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { param: string } }).error.param).toBe('timestamp_granularities');
  });

  it('checks the key, quoting a wrong one masked', async () => {
    const wrong = await post(form({ model: 'whisper-1' }), 'sk-wrong-key-123456789');
    expect(wrong.status).toBe(401);
    const body = (await wrong.json()) as { error: { message: string; code: string } };
    expect(body.error.code).toBe('invalid_api_key');
    expect(body.error.message).toMatch(/^Incorrect API key provided: sk-wr\*+6789\./);
    const none = await fetch(`${server.url}/audio/transcriptions`, {
      method: 'POST',
      body: form({ model: 'whisper-1' }),
    });
    expect(none.status).toBe(401);
    expect(server.requests.map((r) => r.key)).toEqual(['sk-wrong-key-123456789', undefined]);
  });

  it('refuses an unknown model, a missing file, a file that is not audio, and an unknown path', async () => {
    const model = await post(form({ model: 'whisper-9' }));
    expect([model.status, ((await model.json()) as { error: { code: string } }).error.code]).toEqual([
      404,
      'model_not_found',
    ]);
    expect((await post(form({ model: 'whisper-1' }, null))).status).toBe(400);
    const junk = await post(form({ model: 'whisper-1' }, new TextEncoder().encode('not audio')));
    expect(((await junk.json()) as { error: { message: string } }).error.message).toMatch(
      /^Invalid file format/,
    );
    expect((await post(form({ model: 'whisper-1' }), KEY, '/audio/translate')).status).toBe(404);
  });

  it('answers a CORS preflight', async () => {
    const res = await fetch(`${server.url}/audio/transcriptions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://example.com', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(server.requests).toHaveLength(0);
  });

  it('applies a fault to the next N requests only', async () => {
    server.setFault({ kind: 'status', status: 503 }, 2);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(form({ model: 'whisper-1' }))).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(server.requests.map((r) => r.fault)).toEqual(['status', 'status', undefined]);
  });

  it('sends retry-after with a rate limit, and insufficient_quota as its own 429', async () => {
    server.setFault({ kind: 'rate-limit', retryAfter: 12 }, 1);
    const limited = await post(form({ model: 'whisper-1' }));
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '12']);
    server.setFault({ kind: 'quota' }, 1);
    const quota = await post(form({ model: 'whisper-1' }));
    expect(((await quota.json()) as { error: { code: string } }).error.code).toBe('insufficient_quota');
  });
});

describe('parseMultipart', () => {
  it('reads binary parts byte for byte, whatever bytes they hold', () => {
    const bytes = Buffer.from([0, 13, 10, 45, 45, 255, 13, 10, 13, 10, 1]);
    const boundary = 'XyZ';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n`),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const parts = parseMultipart(body, `multipart/form-data; boundary="${boundary}"`);
    expect(parts.map((p) => [p.name, p.filename, p.contentType])).toEqual([
      ['model', undefined, undefined],
      ['file', 'p.wav', 'audio/wav'],
    ]);
    expect(parts[0]!.data.toString()).toBe('whisper-1');
    expect([...parts[1]!.data]).toEqual([...bytes]);
  });

  it('throws on a body without its closing boundary', () => {
    const body = Buffer.from('--b\r\nContent-Disposition: form-data; name="x"\r\n\r\nhalf');
    expect(() => parseMultipart(body, 'multipart/form-data; boundary=b')).toThrow(/closing boundary/);
  });
});
