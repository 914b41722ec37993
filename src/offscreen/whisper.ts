// On-device Whisper: a SpeechEngine over @huggingface/transformers' speech recognition pipeline.
// Runs in Chrome's offscreen document and Firefox's background page; the driver imports this file
// dynamically and this file imports the library dynamically, so neither reaches another bundle.
// The model comes from the Hugging Face hub once (the driver calls this only after the user agreed
// to the download) and is kept in the library's Cache API cache (see whisper-cache.ts); the ONNX
// runtime's WebAssembly ships inside the extension (MV3 runs no code from elsewhere).
import { ORT_WASM_FILE } from './ort';
import { STT_SAMPLE_RATE, SttError } from '../core/transcribe/types';
import type { SpeechEngine, SttOptions, SttResult } from '../core/transcribe/types';
import { WHISPER_DTYPE, whisperCached } from '../core/transcribe/whisper-cache';
import type { Segment } from '../core/types';
import type { WhisperModelId } from '../messages';

/** The runtime's WebAssembly (ort.ts), for the tests. */
export { ORT_WASM_FILE };

export type WhisperProgress = {
  loadedBytes: number;
  totalBytes: number;
  file?: string;
  /** 'download': files are being fetched (or read from the cache); 'load': the runtime prepares them. */
  phase: 'download' | 'load';
};

type WhisperDevice = 'webgpu' | 'wasm';

/** What transformers' progress_callback is given (the fields read here). */
export type LibraryProgress = {
  status: string;
  file?: string;
  loaded?: number;
  total?: number;
  files?: Record<string, { loaded: number; total: number }>;
};

type AsrChunk = { text: string; timestamp: readonly (number | null | undefined)[] };
export type AsrOutput = { text: string; chunks?: AsrChunk[] };
export type AsrCallOptions = {
  return_timestamps: true;
  chunk_length_s: number;
  stride_length_s: number;
  language?: string;
  task?: 'transcribe';
};
/** The pipeline transformers' pipeline() resolves to, as far as this file uses it. */
export type AsrPipeline = ((
  audio: Float32Array,
  options: AsrCallOptions,
) => Promise<AsrOutput | AsrOutput[]>) & {
  model?: { generation_config?: { lang_to_id?: Record<string, number> } | null };
};
export type AsrPipelineOptions = {
  device: WhisperDevice;
  dtype: typeof WHISPER_DTYPE;
  progress_callback: (info: LibraryProgress) => void;
};
export type PipelineFactory = (
  task: 'automatic-speech-recognition',
  model: string,
  options: AsrPipelineOptions,
) => Promise<AsrPipeline>;

/** The part of transformers' `env` this file sets. */
export type LibraryEnv = {
  allowLocalModels: boolean;
  allowRemoteModels: boolean;
  useBrowserCache: boolean;
  useWasmCache: boolean;
  backends: { onnx: { wasm?: { wasmPaths?: unknown; numThreads?: number; proxy?: boolean } } };
};

type WhisperEngine = SpeechEngine & { readonly device: WhisperDevice };

/** Whisper reads 30 s at a time; 5 s of overlap each side lets words cut at a window's edge be heard whole. */
const CHUNK_SECONDS = 30;
const STRIDE_SECONDS = 5;

export async function createWhisperEngine(options: {
  model: WhisperModelId;
  /** For `by`: `${label} on this device`. */
  label: string;
  onProgress?: (p: WhisperProgress) => void;
  /** Where the ONNX runtime's files are inside the extension (runtime.getURL of a folder). */
  wasmBase: string;
  /** Tests: a stand-in for transformers' pipeline() (the library is then not loaded). */
  pipelineFactory?: PipelineFactory;
}): Promise<WhisperEngine> {
  const cached = await whisperCached(options.model).catch(() => false);
  let factory = options.pipelineFactory;
  if (!factory) {
    let lib: typeof import('@huggingface/transformers');
    try {
      lib = await import('@huggingface/transformers');
    } catch (error) {
      throw sttError(error, 'load');
    }
    configureEnv(lib.env as unknown as LibraryEnv, {
      wasmBase: options.wasmBase,
      cached,
      isolated: globalThis.crossOriginIsolated === true,
      cores: globalThis.navigator?.hardwareConcurrency ?? 1,
    });
    factory = lib.pipeline as unknown as PipelineFactory;
  }
  const tally = progressTally(options.onProgress, cached ? 'load' : 'download');
  const load = (device: WhisperDevice) =>
    factory('automatic-speech-recognition', options.model, {
      device,
      dtype: WHISPER_DTYPE,
      progress_callback: tally,
    });

  let device = await preferredDevice();
  let pipe: AsrPipeline;
  try {
    pipe = await load(device);
  } catch (error) {
    // Some GPUs and drivers refuse a model WebAssembly runs: the files are cached by now, so
    // trying again on the CPU costs no download (the build patches the library so that a load
    // can follow a failed one: vite.config.ts). A download that failed fails either way.
    if (device !== 'webgpu' || !canRetryOnCpu(error)) throw sttError(error, 'load');
    device = 'wasm';
    try {
      pipe = await load(device);
    } catch (again) {
      throw sttError(again, 'load');
    }
  }

  const multilingual = !options.model.endsWith('.en');
  return {
    by: `${options.label} on this device`,
    device,
    async transcribe(pcm: Float32Array, sttOptions: SttOptions = {}): Promise<SttResult> {
      if (sttOptions.signal?.aborted) throw paused();
      const language = multilingual ? whisperLanguage(sttOptions.language, pipe) : undefined;
      const call: AsrCallOptions = {
        return_timestamps: true,
        chunk_length_s: CHUNK_SECONDS,
        stride_length_s: STRIDE_SECONDS,
        ...(language ? { language, task: 'transcribe' as const } : {}),
      };
      let output: AsrOutput | AsrOutput[];
      try {
        output = await pipe(pcm, call);
      } catch (error) {
        throw sttError(error, 'run');
      }
      // The library cannot stop mid-piece: a pause takes effect once it returns.
      if (sttOptions.signal?.aborted) throw paused();
      const first = Array.isArray(output) ? output[0] : output;
      const heard = multilingual ? language : 'en';
      return {
        segments: chunksToSegments(first, pcm.length / STT_SAMPLE_RATE),
        ...(heard ? { language: heard } : {}),
      };
    },
  };
}

/** Sets transformers' environment for an extension page. */
export function configureEnv(
  env: LibraryEnv,
  {
    wasmBase,
    cached,
    isolated,
    cores,
  }: { wasmBase: string; cached: boolean; isolated: boolean; cores: number },
): void {
  // Models come from the hub only (no /models/ path on the extension's own origin); once the
  // model is cached, from the cache only, so it works offline and makes no request at all.
  env.allowLocalModels = false;
  env.allowRemoteModels = !cached;
  env.useBrowserCache = true;
  // The runtime's files are in the extension already: no second copy in the Cache API.
  env.useWasmCache = false;
  const wasm = (env.backends.onnx.wasm ??= {});
  // Only the .wasm is named: the runtime then uses the JavaScript glue bundled with it instead of
  // importing one, and nothing is fetched from the CDN the library defaults to.
  wasm.wasmPaths = { wasm: new URL(ORT_WASM_FILE, wasmBase.endsWith('/') ? wasmBase : `${wasmBase}/`).href };
  // WebAssembly threads need SharedArrayBuffer, which only a cross-origin isolated page has (an
  // extension page is not, unless the manifest sets COOP/COEP).
  wasm.numThreads = isolated ? Math.max(1, Math.min(4, Math.floor(cores / 2))) : 1;
  wasm.proxy = false;
}

/** WebGPU when the browser gives an adapter, else WebAssembly on the CPU. */
async function preferredDevice(): Promise<WhisperDevice> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
  if (!gpu) return 'wasm';
  try {
    return (await gpu.requestAdapter()) ? 'webgpu' : 'wasm';
  } catch {
    return 'wasm';
  }
}

/**
 * transformers' per-file progress events made into one count of bytes: every file it announces
 * ('initiate', or the sizes it looked up first in 'progress_total'), what has arrived of each
 * ('progress'), and which are complete ('done'). Once the model's weights are all in, the rest is
 * the runtime preparing them.
 */
export function progressTally(
  onProgress: ((p: WhisperProgress) => void) | undefined,
  initialPhase: WhisperProgress['phase'] = 'download',
): (info: LibraryProgress) => void {
  const files = new Map<string, { loaded: number; total: number; done: boolean }>();
  let phase = initialPhase;
  const entry = (file: string) => {
    let f = files.get(file);
    if (!f) files.set(file, (f = { loaded: 0, total: 0, done: false }));
    return f;
  };
  return (info) => {
    if (!onProgress || !info || typeof info !== 'object') return;
    const { status, file } = info;
    if (status === 'initiate' && file) entry(file);
    else if (status === 'progress' && file) {
      const f = entry(file);
      f.loaded = Math.max(f.loaded, finite(info.loaded));
      f.total = Math.max(finite(info.total), f.loaded);
    } else if (status === 'progress_total' && info.files) {
      for (const [name, sizes] of Object.entries(info.files)) {
        const f = entry(name);
        f.total = Math.max(f.total, finite(sizes?.total));
      }
    } else if (status === 'done' && file) {
      const f = entry(file);
      f.done = true;
      f.total = Math.max(f.total, f.loaded);
      f.loaded = f.total;
      // An optional file the hub does not have (404) never reports done: only the weights count.
      const weights = [...files.entries()].filter(([name]) => WEIGHTS.test(name));
      if (weights.length > 0 && weights.every(([, x]) => x.done)) phase = 'load';
    } else return;
    let loadedBytes = 0;
    let totalBytes = 0;
    for (const f of files.values()) {
      loadedBytes += f.loaded;
      totalBytes += Math.max(f.total, f.loaded);
    }
    onProgress({ loadedBytes, totalBytes, ...(file ? { file } : {}), phase });
  };
}

/** A model's weights: `x.onnx`, and its external data `x.onnx_data`, `x.onnx_data_1`… */
const WEIGHTS = /\.onnx(_data(_\d+)?)?$/;

function finite(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

/** Text that is only a sound tag ("[BLANK_AUDIO]", "(music)"): Whisper's words for no words. */
const SOUND_TAG = /^[[(][^\])]*[\])]$/;

/**
 * Whisper's timed chunks as segments from the piece's start: in time order, text trimmed, empty
 * and sound-tag chunks dropped; a chunk still open at the end (end null) ends with the piece.
 */
export function chunksToSegments(output: AsrOutput | undefined, pieceSeconds: number): Segment[] {
  if (!output) return [];
  const duration = Number.isFinite(pieceSeconds) && pieceSeconds > 0 ? pieceSeconds : 0;
  const chunks = output.chunks ?? [{ text: output.text ?? '', timestamp: [0, null] }];
  const segments: Segment[] = [];
  let previousEnd = 0;
  for (const chunk of chunks) {
    const text = (chunk.text ?? '').replace(/\s+/g, ' ').trim();
    const [rawStart, rawEnd] = chunk.timestamp ?? [];
    const start = clamp(typeof rawStart === 'number' ? rawStart : previousEnd, duration);
    const end = Math.max(start, clamp(typeof rawEnd === 'number' ? rawEnd : duration, duration));
    previousEnd = end;
    if (!text || SOUND_TAG.test(text)) continue;
    segments.push({ start: round(start), end: round(end), text });
  }
  // Stable sort: chunks of overlapping windows can come out of order.
  return segments.sort((a, b) => a.start - b.start);
}

function clamp(seconds: number, duration: number): number {
  if (!Number.isFinite(seconds) || seconds < 0) return 0;
  return duration > 0 ? Math.min(seconds, duration) : seconds;
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

/** BCP 47 tags whose primary subtag Whisper spells differently. */
const WHISPER_SPELLING: Record<string, string> = {
  jv: 'jw',
  nb: 'no',
  iw: 'he',
  in: 'id',
  ji: 'yi',
  fil: 'tl',
};

/**
 * The Whisper language code for a BCP 47 tag ("en-GB" → "en"), or undefined when the model does
 * not know it. transformers 4.3.2 does not detect the language: without one it assumes English.
 */
export function whisperLanguage(tag: string | undefined, pipe?: AsrPipeline): string | undefined {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  if (!primary || !/^[a-z]{2,3}$/.test(primary)) return undefined;
  const code = WHISPER_SPELLING[primary] ?? primary;
  const known = pipe?.model?.generation_config?.lang_to_id;
  if (known && !(`<|${code}|>` in known)) return undefined;
  return code;
}

function paused(): SttError {
  return new SttError('aborted', 'Transcription paused.');
}

type Failure = 'offline' | 'missing' | 'incomplete' | 'server' | 'memory' | 'damaged' | 'runtime' | 'unknown';

function errorText(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e != null && depth < 4; depth++) {
    if (e instanceof Error) parts.push(`${e.name}: ${e.message}`);
    else parts.push(String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(' | ');
}

function failureOf(error: unknown): Failure {
  const text = errorText(error);
  const status = (error as { status?: unknown } | null)?.status;
  if (
    /out of memory|array buffer allocation failed|bad_alloc|failed to allocate|could not allocate|cannot allocate|memory allocation/i.test(
      text,
    )
  )
    return 'memory';
  if (
    /failed to fetch|networkerror|network error|load failed|network connection|err_internet|err_network/i.test(
      text,
    )
  )
    return 'offline';
  // Loading from the cache only (configureEnv) and a file is gone: evicted or deleted meanwhile.
  if (/not found locally|allowRemoteModels=false/i.test(text)) return 'incomplete';
  if (
    status === 401 ||
    status === 403 ||
    status === 404 ||
    /could not locate file|unauthorized access|forbidden access/i.test(text)
  )
    return 'missing';
  if (/error occurred while trying to load file|\(5\d\d\)/i.test(text)) return 'server';
  if (
    /protobuf parsing failed|invalid model|is not valid json|unexpected token|json\.parse|unexpected end of json/i.test(
      text,
    )
  )
    return 'damaged';
  if (
    /no available backend|webassembly|\bwasm\b|backend|aborted\(|can't create a session|session/i.test(text)
  )
    return 'runtime';
  return 'unknown';
}

/** Whether a load that failed on WebGPU may work on the CPU (not a download problem). */
function canRetryOnCpu(error: unknown): boolean {
  const failure = failureOf(error);
  return failure === 'runtime' || failure === 'memory' || failure === 'unknown';
}

/** Any failure of the library, as an SttError('model') in words for the listener. */
export function sttError(error: unknown, stage: 'load' | 'run'): SttError {
  if (error instanceof SttError) return error;
  const failure = failureOf(error);
  const words: Record<Failure, [string, boolean]> = {
    offline: [
      'The Whisper model could not be downloaded: the connection failed. Check that this device is online; Earmark will try again.',
      true,
    ],
    missing: [
      'The Whisper model could not be downloaded: Hugging Face does not have one of its files. Choose another model in the options.',
      false,
    ],
    incomplete: [
      'Part of the Whisper model is no longer on this device. Earmark will download it again.',
      true,
    ],
    server: [
      'The Whisper model could not be downloaded: Hugging Face’s server failed. Try again later.',
      true,
    ],
    memory: [
      'There is not enough memory to run the Whisper model on this device. Choose a smaller model, or close some tabs and try again.',
      false,
    ],
    damaged: [
      'The downloaded Whisper model is damaged. Delete it in the options and transcribe again to download it afresh.',
      false,
    ],
    runtime:
      stage === 'load'
        ? ['The speech recognition runtime could not start in this browser.', false]
        : ['Whisper failed while transcribing this part of the audio.', false],
    unknown:
      stage === 'load'
        ? ['The Whisper model could not be loaded.', false]
        : ['Whisper failed while transcribing this part of the audio.', false],
  };
  const [message, retryable] = words[failure];
  const out = new SttError('model', message, retryable);
  (out as Error).cause = error;
  return out;
}
