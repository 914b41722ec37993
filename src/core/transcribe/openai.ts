// Speech to text at an OpenAI-compatible service: POST {baseUrl}/audio/transcriptions with the
// piece as a WAV upload (multipart/form-data), the user's key as a Bearer token. Asks for
// verbose_json (segments with times); models that only give text (gpt-4o-transcribe,
// gpt-4o-mini-transcribe) refuse it with a 400 naming response_format, so the engine asks again
// for json and spreads the text over the piece, and asks those models for json from then on.
// Every failure becomes an SttError in plain words; the key is never part of one.
// Pure TypeScript on fetch/FormData/Blob: runs in an extension page, a worker, or Node.
import { hostOf } from '../net/host';
import { readCapped } from '../net/read-capped';
import { normaliseLanguage } from '../transcript/language';
import type { Segment } from '../types';
import { estimateSegments } from './segments';
import {
  STT_SAMPLE_RATE,
  SttError,
  type SpeechEngine,
  type SttErrorCode,
  type SttOptions,
  type SttResult,
} from './types';
import { encodeWav16 } from './wav';

export type OpenAiSttConfig = {
  /** e.g. https://api.openai.com/v1 (a trailing slash is fine). */
  baseUrl: string;
  apiKey: string;
  model: string;
  /** US dollars a minute of audio, for SttResult.costUsd. */
  pricePerMinute: number;
  /** How long one request may take, ms. Default 120 s (two minutes of audio takes ~10 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
};

const DEFAULT_STT_TIMEOUT_MS = 120_000;
/** Whisper reads only the last 224 tokens of a prompt; 200 words is about that. */
const PROMPT_WORDS = 200;
const PROMPT_CHARS = 1_200;
/** The largest answer read (two minutes of verbose_json is a few kB). */
const MAX_ANSWER_BYTES = 1024 * 1024;
/** How much of the service's own error message is passed on. */
const SERVICE_MESSAGE_CHARS = 200;

export function createOpenAiEngine(config: OpenAiSttConfig): SpeechEngine {
  const base = config.baseUrl.trim().replace(/\/+$/, '');
  const host = hostOf(base);
  const endpoint = `${base}/audio/transcriptions`;
  const timeoutMs = config.timeoutMs ?? DEFAULT_STT_TIMEOUT_MS;
  const service = `The transcription service at ${host}`;
  // Called unbound: a browser's fetch called as a method of `config` throws "Illegal invocation".
  const doFetch = config.fetch ?? fetch;
  /** Set once the model refused verbose_json: later pieces ask for text at once. */
  let textOnly = false;

  const fail = (code: SttErrorCode, message: string, retryable = false, retryAfterSeconds?: number) =>
    new SttError(code, redact(message, config.apiKey), retryable, retryAfterSeconds);

  /** One request; an HTTP answer of any status comes back, a failure to get one is thrown. */
  async function send(form: FormData, signal: AbortSignal | undefined): Promise<Answer> {
    if (signal?.aborted) throw fail('aborted', 'Stopped.', true);
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const response = await doFetch(endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${config.apiKey.trim()}`, accept: 'application/json, text/plain' },
        body: form,
        signal: combined,
      });
      // Read inside the try: a connection cut mid-answer, a timeout or a pause can end it too.
      const bytes = await readCapped(response, MAX_ANSWER_BYTES);
      // A transcript of two minutes is a few kB: a bigger answer is not the wire format.
      const body = bytes ? new TextDecoder().decode(bytes) : '';
      return { status: response.status, headers: response.headers, body };
    } catch (error) {
      if (signal?.aborted) throw fail('aborted', 'Stopped.', true);
      if (timeout.aborted)
        throw fail(
          'timeout',
          `${service} did not answer within ${seconds(timeoutMs)}. Try again later.`,
          true,
        );
      throw fail(
        'network',
        `Could not reach ${host}, or the connection was cut (${errorText(error)}). ` +
          'Check your internet connection, then try again.',
        true,
      );
    }
  }

  function form(
    wav: Uint8Array<ArrayBuffer>,
    options: SttOptions,
    format: 'verbose_json' | 'json',
  ): FormData {
    const data = new FormData();
    data.append('file', new Blob([wav], { type: 'audio/wav' }), 'piece.wav');
    data.append('model', config.model);
    data.append('response_format', format);
    // Timestamps come only with verbose_json; the service refuses them with another format.
    if (format === 'verbose_json') data.append('timestamp_granularities[]', 'segment');
    const language = requestLanguage(options.language);
    if (language) data.append('language', language);
    const prompt = promptTail(options.prompt);
    if (prompt) data.append('prompt', prompt);
    data.append('temperature', '0');
    return data;
  }

  async function transcribe(pcm: Float32Array, options: SttOptions = {}): Promise<SttResult> {
    if (!config.apiKey.trim())
      throw fail('auth', 'No API key is set for the transcription service. Add one in Earmark’s options.');
    if (!/^https?:\/\//i.test(base))
      throw fail(
        'not-found',
        `"${base.slice(0, 100)}" is not a web address. Check the base URL in Earmark’s options.`,
      );
    const duration = pcm.length / STT_SAMPLE_RATE;
    const wav = encodeWav16(pcm, STT_SAMPLE_RATE);
    const costUsd = (duration / 60) * config.pricePerMinute;

    let answer: Answer | undefined;
    if (!textOnly) {
      answer = await send(form(wav, options, 'verbose_json'), options.signal);
      if (answer.status === 400 && refusesFormat(answer.body)) {
        textOnly = true;
        answer = undefined;
      }
    }
    answer ??= await send(form(wav, options, 'json'), options.signal);
    if (answer.status < 200 || answer.status > 299) throw httpError(answer, duration);

    const read = readAnswer(answer, duration);
    if (!read) {
      const what = answer.body.trimStart().startsWith('<')
        ? 'a web page'
        : answer.body.trim()
          ? 'not the transcription format'
          : 'empty';
      throw fail(
        'bad-response',
        `${service} answered, but its answer is ${what}. Check the base URL in Earmark’s options ` +
          '(it ends in /v1 for most services).',
      );
    }
    return {
      segments: read.segments,
      ...(read.language ? { language: read.language } : {}),
      ...(config.pricePerMinute > 0 ? { costUsd } : {}),
    };
  }

  function httpError({ status, headers, body }: Answer, duration: number): SttError {
    const said = serviceError(body);
    const quote = said.message ? ` The service said: “${oneLine(redact(said.message, config.apiKey))}”` : '';
    const after = retryAfter(headers, said.message);
    const quota =
      status === 402 ||
      said.code === 'insufficient_quota' ||
      said.type === 'insufficient_quota' ||
      said.code === 'billing_hard_limit_reached';
    if (status === 401)
      return fail(
        'auth',
        `${service} did not accept the API key (401). Check the key in Earmark’s options.${quote}`,
      );
    if (quota)
      return fail(
        'quota',
        `Your account at ${host} is out of credit or over its spending limit. ` +
          `Add credit or raise the limit there, then resume.${quote}`,
      );
    if (status === 403)
      return fail(
        'forbidden',
        `${service} does not let this key use the model "${config.model}" (403). ` +
          `Choose another model in Earmark’s options, or a key that may use it.${quote}`,
      );
    if (status === 404 || said.code === 'model_not_found')
      return fail(
        'not-found',
        `${base} has no transcription endpoint or no model "${config.model}" (${status}). ` +
          `Check the base URL and the model in Earmark’s options.${quote}`,
      );
    if (status === 413)
      return fail(
        'too-large',
        `${service} refused a ${seconds(1000 * duration)} piece of audio as too large (413). ` +
          `Choose another service in Earmark’s options.${quote}`,
      );
    if (status === 429)
      return fail(
        'rate-limit',
        `${service} is limiting how fast requests are sent (429). ` +
          `Wait ${after !== undefined ? `about ${seconds(after * 1000)}` : 'a minute'}, then go on.${quote}`,
        true,
        after,
      );
    if (status === 408 || status === 504)
      return fail('timeout', `${service} timed out (${status}). Try again later.${quote}`, true, after);
    if (status >= 500)
      return fail(
        'server',
        `${service} had an internal error (${status}). Try again later.${quote}`,
        true,
        after,
      );
    return fail('server', `${service} refused the request (${status}).${quote}`);
  }

  return { by: `${config.model} at ${host}`, transcribe };
}

type Answer = { status: number; headers: Headers; body: string };

/** The segments and language of a 2xx answer, or undefined when it is not the wire format. */
function readAnswer(
  answer: Answer,
  duration: number,
): { segments: Segment[]; language?: string } | undefined {
  const type = answer.headers.get('content-type') ?? '';
  const body = answer.body;
  const looksJson = /json/i.test(type) || /^\s*[{[]/.test(body);
  if (!looksJson) {
    // response_format=text, or a server that always answers so: the words, no times.
    if (/^text\/plain/i.test(type) || (!type && !body.trimStart().startsWith('<')))
      return { segments: estimateSegments(body, duration) };
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const language = languageCode(value['language']);
  const withLanguage = language ? { language } : {};
  if (Array.isArray(value['segments'])) {
    const segments: Segment[] = [];
    for (const raw of value['segments']) {
      if (!isRecord(raw)) continue;
      const { start, end, text } = raw;
      if (typeof start !== 'number' || !Number.isFinite(start) || typeof text !== 'string') continue;
      const words = text.replace(/\s+/g, ' ').trim();
      if (!words || isNoSpeech(raw)) continue;
      const from = Math.max(0, start);
      segments.push({
        start: from,
        ...(typeof end === 'number' && Number.isFinite(end) ? { end: Math.max(from, end) } : {}),
        text: words,
      });
    }
    return { segments, ...withLanguage };
  }
  // response_format=json: `{ text }` only.
  if (typeof value['text'] === 'string')
    return { segments: estimateSegments(value['text'], duration), ...withLanguage };
  return undefined;
}

/**
 * Whisper's own rule for a segment that is silence or noise, not speech (openai/whisper
 * transcribe.py: no_speech_prob over the threshold and a low average log-probability), at a
 * stricter 0.8 than Whisper's default 0.6 since the service has already applied its own.
 */
function isNoSpeech(segment: Record<string, unknown>): boolean {
  const noSpeech = segment['no_speech_prob'];
  const logprob = segment['avg_logprob'];
  return typeof noSpeech === 'number' && typeof logprob === 'number' && noSpeech > 0.8 && logprob < -1;
}

/** The 400 a text-only model gives for verbose_json (or for timestamp_granularities). */
function refusesFormat(body: string): boolean {
  const said = serviceError(body);
  return (
    said.param === 'response_format' ||
    said.param === 'timestamp_granularities' ||
    /response_format|verbose_json|timestamp_granularities/i.test(said.message ?? '')
  );
}

type ServiceError = { message?: string; type?: string; code?: string; param?: string };

/** `{ error: { message, type, code, param } }` (OpenAI), or `{ error: "…" }` / `{ detail }` (others). */
function serviceError(body: string): ServiceError {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    // A proxy's HTML page says nothing worth passing on; plain text may.
    const text = body.trim();
    return text && !text.startsWith('<') ? { message: text } : {};
  }
  if (!isRecord(value)) return {};
  const error = value['error'] ?? value['detail'] ?? value['message'];
  if (typeof error === 'string') return { message: error };
  if (!isRecord(error)) return {};
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
  const out: ServiceError = {};
  const message = str(error['message']);
  const type = str(error['type']);
  const code = str(error['code']);
  const param = str(error['param']);
  if (message) out.message = message;
  if (type) out.type = type;
  if (code) out.code = code;
  if (param) out.param = param;
  return out;
}

/** Seconds to wait: `retry-after-ms`, `retry-after` (seconds or a date), or "try again in 1.5s". */
export function retryAfter(headers: Headers, message?: string): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.has('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return Math.ceil(ms / 1000);
  const raw = headers.get('retry-after');
  if (raw) {
    const s = Number(raw);
    if (Number.isFinite(s) && s >= 0) return Math.ceil(s);
    const date = Date.parse(raw);
    if (Number.isFinite(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  }
  const m = /try again in (\d+(?:\.\d+)?)\s*(ms|s)\b/i.exec(message ?? '');
  if (m) return Math.ceil(Number(m[1]) / (m[2]!.toLowerCase() === 'ms' ? 1000 : 1));
  return undefined;
}

/** The service wants ISO 639-1 ("en"), not a full BCP 47 tag ("en-GB"). */
function requestLanguage(tag: string | undefined): string | undefined {
  const primary = normaliseLanguage(tag)?.split('-')[0];
  return primary && /^[a-z]{2,3}$/.test(primary) ? primary : undefined;
}

/** The last PROMPT_WORDS words (Whisper keeps the end of a long prompt anyway). */
function promptTail(prompt: string | undefined): string | undefined {
  const words = (prompt ?? '').split(/\s+/).filter(Boolean);
  if (words.length === 0) return undefined;
  let tail = words.slice(-PROMPT_WORDS).join(' ');
  if (tail.length > PROMPT_CHARS) tail = tail.slice(tail.length - PROMPT_CHARS).replace(/^\S*\s/, '');
  return tail;
}

/** Whisper's language names (tokenizer.py LANGUAGES, with its aliases) → BCP 47. */
const LANGUAGE_NAMES: Record<string, string> = Object.fromEntries(
  (
    'english en,chinese zh,mandarin zh,german de,spanish es,castilian es,russian ru,korean ko,french fr,' +
    'japanese ja,portuguese pt,turkish tr,polish pl,catalan ca,valencian ca,dutch nl,flemish nl,arabic ar,' +
    'swedish sv,italian it,indonesian id,hindi hi,finnish fi,vietnamese vi,hebrew he,ukrainian uk,greek el,' +
    'malay ms,czech cs,romanian ro,moldavian ro,moldovan ro,danish da,hungarian hu,tamil ta,norwegian no,' +
    'thai th,urdu ur,croatian hr,bulgarian bg,lithuanian lt,latin la,maori mi,malayalam ml,welsh cy,' +
    'slovak sk,telugu te,persian fa,latvian lv,bengali bn,serbian sr,azerbaijani az,slovenian sl,kannada kn,' +
    'estonian et,macedonian mk,breton br,basque eu,icelandic is,armenian hy,nepali ne,mongolian mn,' +
    'bosnian bs,kazakh kk,albanian sq,swahili sw,galician gl,marathi mr,punjabi pa,panjabi pa,sinhala si,' +
    'sinhalese si,khmer km,shona sn,yoruba yo,somali so,afrikaans af,occitan oc,georgian ka,belarusian be,' +
    'tajik tg,sindhi sd,gujarati gu,amharic am,yiddish yi,lao lo,uzbek uz,faroese fo,haitian creole ht,' +
    'haitian ht,pashto ps,pushto ps,turkmen tk,nynorsk nn,maltese mt,sanskrit sa,luxembourgish lb,' +
    'letzeburgesch lb,myanmar my,burmese my,tibetan bo,tagalog tl,malagasy mg,assamese as,tatar tt,' +
    'hawaiian haw,lingala ln,hausa ha,bashkir ba,javanese jv,sundanese su,cantonese yue'
  )
    .split(',')
    .map((pair) => {
      const at = pair.lastIndexOf(' ');
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
);

/** "english" or "en" → "en"; anything else → undefined. */
export function languageCode(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.trim().toLowerCase();
  // Own keys only: "constructor" is no language.
  if (Object.hasOwn(LANGUAGE_NAMES, name)) return LANGUAGE_NAMES[name];
  // A code: Whisper's "jw" is BCP 47's "jv".
  if (name === 'jw') return 'jv';
  return /^[a-z]{2,3}([-_][a-z0-9]{1,8})*$/.test(name) ? normaliseLanguage(name) : undefined;
}

/** Removes the key, and anything shaped like one (OpenAI's 401 quotes a masked key), from text. */
function redact(text: string, key: string): string {
  let out = text;
  const trimmed = key.trim();
  if (trimmed.length >= 4) out = out.split(trimmed).join('[key]');
  return out.replace(/\bsk-[\w*-]{4,}/g, '[key]');
}

const oneLine = (s: string): string => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > SERVICE_MESSAGE_CHARS ? `${flat.slice(0, SERVICE_MESSAGE_CHARS - 1)}…` : flat;
};

const errorText = (error: unknown): string => {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const detail = typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : '';
  return oneLine(String(detail || 'no answer')).slice(0, 80);
};

const seconds = (ms: number): string =>
  ms >= 90_000 && ms % 60_000 === 0 ? `${ms / 60_000} minutes` : `${Math.round(ms / 100) / 10} s`;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
