// The on-device Whisper engine with a stand-in for transformers' pipeline(): the options it asks
// the library for, Whisper's chunks made into segments, progress counted across files, and the
// library's failures in words. (test/e2e/whisper-runtime.test.ts runs the real library.)
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SttError } from '../../src/core/transcribe/types';
import { WHISPER_CACHE_NAME, WHISPER_FILES, whisperFileUrl } from '../../src/core/transcribe/whisper-cache';
import {
  chunksToSegments,
  configureEnv,
  createWhisperEngine,
  ORT_WASM_FILE,
  progressTally,
  sttError,
  whisperLanguage,
  type AsrCallOptions,
  type AsrOutput,
  type AsrPipeline,
  type AsrPipelineOptions,
  type LibraryEnv,
  type LibraryProgress,
  type PipelineFactory,
  type WhisperProgress,
} from '../../src/offscreen/whisper';
import { ORT_DIR, ORT_FILES, patchTransformers } from '../../vite.config';

type Call = { task: string; model: string; options: AsrPipelineOptions };

/** A pipeline() double: records how it was asked, plays the given progress events, answers `output`. */
function fakeFactory({
  output = { text: '', chunks: [] } as AsrOutput | AsrOutput[] | Error,
  events = [] as LibraryProgress[],
  fail = [] as unknown[],
  langToId,
}: {
  output?: AsrOutput | AsrOutput[] | Error;
  events?: LibraryProgress[];
  /** Errors thrown by the first loads, in turn. */
  fail?: unknown[];
  langToId?: Record<string, number>;
} = {}) {
  const calls: Call[] = [];
  const runs: { pcm: Float32Array; options: AsrCallOptions }[] = [];
  const factory: PipelineFactory = async (task, model, options) => {
    calls.push({ task, model, options });
    for (const e of events) options.progress_callback(e);
    if (fail.length) throw fail.shift();
    const pipe = (async (pcm: Float32Array, options: AsrCallOptions) => {
      runs.push({ pcm, options });
      if (output instanceof Error) throw output;
      return output;
    }) as AsrPipeline;
    if (langToId) pipe.model = { generation_config: { lang_to_id: langToId } };
    return pipe;
  };
  return { factory, calls, runs };
}

function engine(
  factory: PipelineFactory,
  model: Parameters<typeof createWhisperEngine>[0]['model'] = 'onnx-community/whisper-tiny.en',
  onProgress?: (p: WhisperProgress) => void,
) {
  return createWhisperEngine({
    model,
    label: 'Whisper tiny (English)',
    wasmBase: 'chrome-extension://abc/ort/',
    pipelineFactory: factory,
    ...(onProgress ? { onProgress } : {}),
  });
}

async function rejection(promise: Promise<unknown>): Promise<SttError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SttError);
  return error as SttError;
}

const PCM = new Float32Array(16_000 * 120);

beforeEach(() => {
  vi.stubGlobal('navigator', { hardwareConcurrency: 8 });
  vi.stubGlobal('caches', undefined);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('createWhisperEngine: what it asks the library for', () => {
  it('the speech recognition pipeline of the model, 8-bit weights, on WebAssembly without WebGPU', async () => {
    const { factory, calls } = fakeFactory();
    const e = await engine(factory, 'onnx-community/whisper-base');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      task: 'automatic-speech-recognition',
      model: 'onnx-community/whisper-base',
      options: { device: 'wasm', dtype: 'q8' },
    });
    expect(typeof calls[0]!.options.progress_callback).toBe('function');
    expect(e.device).toBe('wasm');
    expect(e.by).toBe('Whisper tiny (English) on this device');
  });

  it('WebGPU when the browser gives an adapter, WebAssembly when it gives none or fails', async () => {
    const cases: [unknown, string][] = [
      [{ requestAdapter: async () => ({ name: 'gpu' }) }, 'webgpu'],
      [{ requestAdapter: async () => null }, 'wasm'],
      [
        {
          requestAdapter: async () => {
            throw new Error('blocked');
          },
        },
        'wasm',
      ],
    ];
    for (const [gpu, device] of cases) {
      vi.stubGlobal('navigator', { gpu, hardwareConcurrency: 8 });
      const { factory, calls } = fakeFactory();
      expect((await engine(factory)).device).toBe(device);
      expect(calls[0]!.options.device).toBe(device);
    }
  });

  it('loads again on WebAssembly when the model will not start on WebGPU', async () => {
    vi.stubGlobal('navigator', { gpu: { requestAdapter: async () => ({}) } });
    const { factory, calls } = fakeFactory({
      fail: [new Error("Can't create a session. ERROR_MESSAGE: webgpu kernel missing")],
    });
    const e = await engine(factory);
    expect(calls.map((c) => c.options.device)).toEqual(['webgpu', 'wasm']);
    expect(e.device).toBe('wasm');
  });

  it('does not load again on the CPU when the download failed', async () => {
    vi.stubGlobal('navigator', { gpu: { requestAdapter: async () => ({}) } });
    const { factory, calls } = fakeFactory({ fail: [new TypeError('Failed to fetch')] });
    const error = await rejection(engine(factory));
    expect(calls).toHaveLength(1);
    expect(error.code).toBe('model');
    expect(error.retryable).toBe(true);
  });

  it('passes language and task only to a multilingual model, as Whisper spells the language', async () => {
    const multi = fakeFactory({ langToId: { '<|de|>': 1, '<|no|>': 2, '<|en|>': 3 } });
    const m = await engine(multi.factory, 'onnx-community/whisper-small');
    await m.transcribe(PCM, { language: 'de-DE' });
    await m.transcribe(PCM, { language: 'nb' });
    await m.transcribe(PCM, { language: 'tlh' }); // not a language the model knows
    await m.transcribe(PCM);
    expect(multi.runs.map((r) => r.options)).toEqual([
      { return_timestamps: true, chunk_length_s: 30, stride_length_s: 5, language: 'de', task: 'transcribe' },
      { return_timestamps: true, chunk_length_s: 30, stride_length_s: 5, language: 'no', task: 'transcribe' },
      { return_timestamps: true, chunk_length_s: 30, stride_length_s: 5 },
      { return_timestamps: true, chunk_length_s: 30, stride_length_s: 5 },
    ]);
    expect(multi.runs[0]!.pcm).toBe(PCM);

    // An English-only model refuses a language (the library throws): none is passed.
    const english = fakeFactory();
    const en = await engine(english.factory, 'onnx-community/whisper-base.en');
    const result = await en.transcribe(PCM, { language: 'fr' });
    expect(english.runs[0]!.options).toEqual({
      return_timestamps: true,
      chunk_length_s: 30,
      stride_length_s: 5,
    });
    expect(result.language).toBe('en');
  });

  it('says which language a multilingual model transcribed in, when it was given one', async () => {
    const { factory } = fakeFactory({ langToId: { '<|fr|>': 1 } });
    const m = await engine(factory, 'onnx-community/whisper-base');
    expect((await m.transcribe(PCM, { language: 'fr-CA' })).language).toBe('fr');
    expect((await m.transcribe(PCM)).language).toBeUndefined();
  });

  it('a paused job is not transcribed', async () => {
    const { factory, runs } = fakeFactory();
    const e = await engine(factory);
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(e.transcribe(PCM, { signal: controller.signal }));
    expect(error.code).toBe('aborted');
    expect(runs).toHaveLength(0);
  });

  it('reads a cached model from the cache only, and reports it as loading, not downloading', async () => {
    const stores = new Map([
      [
        WHISPER_CACHE_NAME,
        new Set(WHISPER_FILES.map((f) => whisperFileUrl('onnx-community/whisper-tiny.en', f))),
      ],
    ]);
    vi.stubGlobal('caches', {
      has: async (name: string) => stores.has(name),
      open: async (name: string) => ({
        match: async (url: string) => (stores.get(name)?.has(url) ? new Response('x') : undefined),
      }),
    });
    const seen: WhisperProgress[] = [];
    const { factory } = fakeFactory({
      events: [{ status: 'progress', file: 'config.json', loaded: 10, total: 10 }],
    });
    await engine(factory, 'onnx-community/whisper-tiny.en', (p) => seen.push(p));
    expect(seen).toEqual([{ loadedBytes: 10, totalBytes: 10, file: 'config.json', phase: 'load' }]);
  });
});

describe('progress', () => {
  it('counts bytes over every file, sizes announced first included, and turns to loading when the weights are in', async () => {
    const seen: WhisperProgress[] = [];
    const { factory } = fakeFactory({
      events: [
        { status: 'initiate', file: 'config.json' },
        { status: 'progress', file: 'config.json', loaded: 2_000, total: 2_000 },
        { status: 'done', file: 'config.json' },
        {
          status: 'progress_total',
          files: {
            'config.json': { loaded: 2_000, total: 2_000 },
            'onnx/encoder_model_quantized.onnx': { loaded: 0, total: 10_000 },
            'onnx/decoder_model_merged_quantized.onnx': { loaded: 0, total: 30_000 },
          },
        },
        { status: 'initiate', file: 'onnx/encoder_model_quantized.onnx' },
        { status: 'initiate', file: 'onnx/decoder_model_merged_quantized.onnx' },
        { status: 'progress', file: 'onnx/encoder_model_quantized.onnx', loaded: 4_000, total: 10_000 },
        {
          status: 'progress',
          file: 'onnx/decoder_model_merged_quantized.onnx',
          loaded: 6_000,
          total: 30_000,
        },
        { status: 'progress', file: 'onnx/encoder_model_quantized.onnx', loaded: 10_000, total: 10_000 },
        { status: 'done', file: 'onnx/encoder_model_quantized.onnx' },
        {
          status: 'progress',
          file: 'onnx/decoder_model_merged_quantized.onnx',
          loaded: 30_000,
          total: 30_000,
        },
        { status: 'done', file: 'onnx/decoder_model_merged_quantized.onnx' },
        { status: 'ready' },
      ],
    });
    await engine(factory, 'onnx-community/whisper-tiny.en', (p) => seen.push(p));
    const line = (p: WhisperProgress) => `${p.loadedBytes}/${p.totalBytes} ${p.phase} ${p.file ?? ''}`;
    expect(seen.map(line)).toEqual([
      '0/0 download config.json',
      '2000/2000 download config.json',
      // config.json alone is done, but no weights yet: still downloading.
      '2000/2000 download config.json',
      '2000/42000 download ',
      '2000/42000 download onnx/encoder_model_quantized.onnx',
      '2000/42000 download onnx/decoder_model_merged_quantized.onnx',
      '6000/42000 download onnx/encoder_model_quantized.onnx',
      '12000/42000 download onnx/decoder_model_merged_quantized.onnx',
      '18000/42000 download onnx/encoder_model_quantized.onnx',
      '18000/42000 download onnx/encoder_model_quantized.onnx',
      '42000/42000 download onnx/decoder_model_merged_quantized.onnx',
      '42000/42000 load onnx/decoder_model_merged_quantized.onnx',
    ]);
  });

  it('turns to loading when the weights are in, though an optional file the hub lacks never finished', () => {
    const seen: WhisperProgress[] = [];
    const tally = progressTally((p) => seen.push(p));
    tally({ status: 'initiate', file: 'generation_config.json' });
    tally({ status: 'initiate', file: 'onnx/encoder_model_quantized.onnx' });
    tally({ status: 'initiate', file: 'onnx/encoder_model_quantized.onnx_data' });
    tally({ status: 'progress', file: 'onnx/encoder_model_quantized.onnx', loaded: 10, total: 10 });
    tally({ status: 'done', file: 'onnx/encoder_model_quantized.onnx' });
    expect(seen.at(-1)?.phase).toBe('download');
    tally({ status: 'progress', file: 'onnx/encoder_model_quantized.onnx_data', loaded: 90, total: 90 });
    tally({ status: 'done', file: 'onnx/encoder_model_quantized.onnx_data' });
    expect(seen.at(-1)).toEqual({
      loadedBytes: 100,
      totalBytes: 100,
      file: 'onnx/encoder_model_quantized.onnx_data',
      phase: 'load',
    });
  });

  it('never counts down, and takes a file with no size as the size that arrived', () => {
    const seen: WhisperProgress[] = [];
    const tally = progressTally((p) => seen.push(p));
    tally({ status: 'progress', file: 'tokenizer.json', loaded: 500, total: 0 });
    tally({ status: 'progress', file: 'tokenizer.json', loaded: 300, total: Number.NaN });
    tally({ status: 'done', file: 'tokenizer.json' });
    tally({ status: 'download', file: 'tokenizer.json' });
    expect(seen.map((p) => [p.loadedBytes, p.totalBytes])).toEqual([
      [500, 500],
      [500, 500],
      [500, 500],
    ]);
  });
});

describe('chunksToSegments', () => {
  it('times from the piece start, a chunk without an end ending with the piece', () => {
    expect(
      chunksToSegments(
        {
          text: 'Hello there. And goodbye.',
          chunks: [
            { text: ' Hello there.', timestamp: [0, 4.2] },
            { text: ' And goodbye.', timestamp: [4.2, null] },
          ],
        },
        120,
      ),
    ).toEqual([
      { start: 0, end: 4.2, text: 'Hello there.' },
      { start: 4.2, end: 120, text: 'And goodbye.' },
    ]);
  });

  it('drops empty text and sound tags, squeezes spaces, puts chunks in time order', () => {
    expect(
      chunksToSegments(
        {
          text: '',
          chunks: [
            { text: ' Second   part ', timestamp: [30, 35] },
            { text: '   ', timestamp: [35, 36] },
            { text: ' [BLANK_AUDIO]', timestamp: [36, 40] },
            { text: ' (upbeat music)', timestamp: [40, 44] },
            { text: 'First', timestamp: [1, 5] },
          ],
        },
        60,
      ),
    ).toEqual([
      { start: 1, end: 5, text: 'First' },
      { start: 30, end: 35, text: 'Second part' },
    ]);
  });

  it('keeps times inside the piece, an end never before its start', () => {
    expect(
      chunksToSegments(
        {
          text: '',
          chunks: [
            { text: 'a', timestamp: [-1, 2] },
            { text: 'b', timestamp: [8, 7] },
            { text: 'c', timestamp: [null, 12] },
            { text: 'd', timestamp: [9.5, 130] },
          ],
        },
        10,
      ),
    ).toEqual([
      { start: 0, end: 2, text: 'a' },
      { start: 8, end: 8, text: 'b' },
      // no start: where the chunk before it ended
      { start: 8, end: 10, text: 'c' },
      { start: 9.5, end: 10, text: 'd' },
    ]);
  });

  it('text without chunks is one segment over the piece; nothing is nothing', () => {
    expect(chunksToSegments({ text: ' Only text ' }, 12.5)).toEqual([
      { start: 0, end: 12.5, text: 'Only text' },
    ]);
    expect(chunksToSegments({ text: '' }, 12.5)).toEqual([]);
    expect(chunksToSegments(undefined, 12.5)).toEqual([]);
  });

  it('is what transcribe returns, for the first output of a batch too', async () => {
    const { factory } = fakeFactory({
      output: [{ text: 'x', chunks: [{ text: ' Two minutes in.', timestamp: [110.5, null] }] }],
    });
    const e = await engine(factory);
    expect((await e.transcribe(new Float32Array(16_000 * 115))).segments).toEqual([
      { start: 110.5, end: 115, text: 'Two minutes in.' },
    ]);
  });
});

describe('whisperLanguage', () => {
  it('the primary subtag, in Whisper’s spelling, when the model knows it', () => {
    expect(whisperLanguage('en-US')).toBe('en');
    expect(whisperLanguage('PT_br')).toBe('pt');
    expect(whisperLanguage('jv')).toBe('jw');
    expect(whisperLanguage('haw')).toBe('haw');
    expect(whisperLanguage('')).toBeUndefined();
    expect(whisperLanguage(undefined)).toBeUndefined();
    expect(whisperLanguage('x-klingon')).toBeUndefined();
    const pipe = Object.assign(async () => ({ text: '' }), {
      model: { generation_config: { lang_to_id: { '<|en|>': 1 } } },
    }) as AsrPipeline;
    expect(whisperLanguage('en-GB', pipe)).toBe('en');
    expect(whisperLanguage('de', pipe)).toBeUndefined();
  });
});

describe('failures', () => {
  const cases: [string, unknown, RegExp, boolean][] = [
    ['offline', new TypeError('Failed to fetch'), /could not be downloaded: the connection failed/, true],
    [
      'not on the hub',
      Object.assign(
        new Error('Could not locate file: "https://huggingface.co/x/resolve/main/config.json".'),
        {
          status: 404,
        },
      ),
      /Hugging Face does not have one of its files/,
      false,
    ],
    [
      'hub failing',
      new Error(
        'Internal server error error occurred while trying to load file: "https://huggingface.co/x".',
      ),
      /Hugging Face’s server failed/,
      true,
    ],
    [
      'evicted from the cache',
      new Error(
        '`local_files_only=true` or `env.allowRemoteModels=false` and file was not found locally at "/models/x".',
      ),
      /no longer on this device/,
      true,
    ],
    ['out of memory', new RangeError('Array buffer allocation failed'), /not enough memory/, false],
    [
      'not a model',
      new Error(
        "Can't create a session. ERROR_CODE: 7, ERROR_MESSAGE: Failed to load model because protobuf parsing failed.",
      ),
      /is damaged/,
      false,
    ],
    ['not JSON', new SyntaxError('Unexpected token < in JSON at position 0'), /is damaged/, false],
    [
      'no runtime',
      new Error('no available backend found. ERR: [wasm] TypeError: x'),
      /runtime could not start/,
      false,
    ],
    ['anything else', new Error('weird'), /could not be loaded/, false],
  ];

  it.each(cases)(
    'a load that fails (%s) is a model error in words',
    async (_name, thrown, words, retryable) => {
      const { factory } = fakeFactory({ fail: [thrown] });
      const error = await rejection(engine(factory));
      expect(error.code).toBe('model');
      expect(error.message).toMatch(words);
      expect(error.retryable).toBe(retryable);
      expect(error.cause).toBe(thrown);
    },
  );

  it('a piece that fails says so, and memory stays memory', async () => {
    const failing = fakeFactory({ output: new Error('session run failed: invalid dims') });
    const error = await rejection((await engine(failing.factory)).transcribe(PCM));
    expect(error.code).toBe('model');
    expect(error.message).toBe('Whisper failed while transcribing this part of the audio.');
    expect(sttError(new Error('std::bad_alloc'), 'run').message).toMatch(/not enough memory/);
  });

  it('an SttError passes through as it is', () => {
    const original = new SttError('aborted', 'Transcription paused.');
    expect(sttError(original, 'run')).toBe(original);
  });
});

describe('configureEnv', () => {
  const fresh = (): LibraryEnv => ({
    allowLocalModels: true,
    allowRemoteModels: true,
    useBrowserCache: false,
    useWasmCache: true,
    backends: {
      onnx: {
        wasm: {
          wasmPaths: { mjs: 'https://cdn.jsdelivr.net/x.mjs', wasm: 'https://cdn.jsdelivr.net/x.wasm' },
          numThreads: 0,
        },
      },
    },
  });

  it('points the runtime at its file in the extension, hub models only, browser cache on', () => {
    const env = fresh();
    configureEnv(env, { wasmBase: 'chrome-extension://abc/ort/', cached: false, isolated: false, cores: 8 });
    expect(env).toEqual({
      allowLocalModels: false,
      allowRemoteModels: true,
      useBrowserCache: true,
      useWasmCache: false,
      backends: {
        onnx: {
          wasm: {
            wasmPaths: { wasm: 'chrome-extension://abc/ort/ort-wasm-simd-threaded.asyncify.wasm' },
            numThreads: 1,
            proxy: false,
          },
        },
      },
    });
  });

  it('no network for a cached model; threads only where the page is cross-origin isolated', () => {
    const env = fresh();
    configureEnv(env, { wasmBase: 'moz-extension://abc/ort', cached: true, isolated: true, cores: 8 });
    expect(env.allowRemoteModels).toBe(false);
    expect(env.backends.onnx.wasm?.wasmPaths).toEqual({
      wasm: 'moz-extension://abc/ort/ort-wasm-simd-threaded.asyncify.wasm',
    });
    expect(env.backends.onnx.wasm?.numThreads).toBe(4);
    configureEnv(env, { wasmBase: 'moz-extension://abc/ort/', cached: true, isolated: true, cores: 1 });
    expect(env.backends.onnx.wasm?.numThreads).toBe(1);
  });
});

describe('the runtime file the build ships', () => {
  it('is the one WebAssembly the ONNX runtime transformers imports loads', () => {
    expect(ORT_FILES).toEqual([ORT_WASM_FILE]);
    expect(ORT_DIR).toBe('ort');
    // transformers 4.3.2 imports onnxruntime-web/webgpu, resolved to this bundle in a browser build.
    const bundle = readFileSync('node_modules/onnxruntime-web/dist/ort.webgpu.bundle.min.mjs', 'utf8');
    expect(new Set(bundle.match(/ort-wasm[\w.-]*\.wasm/g))).toEqual(new Set([ORT_WASM_FILE]));
    expect(readFileSync('node_modules/@huggingface/transformers/dist/transformers.web.js', 'utf8')).toContain(
      'from "onnxruntime-web/webgpu"',
    );
  });
});

describe('the build’s patch of transformers', () => {
  it('lets the load and run queues go on after a failure, and refuses code it does not know', () => {
    const source = readFileSync('node_modules/@huggingface/transformers/dist/transformers.web.js', 'utf8');
    const patched = patchTransformers(source);
    expect(patched).toContain('webInitChain = webInitChain.catch(() => {}).then(load)');
    expect(patched).toContain('webInferenceChain = webInferenceChain.catch(() => {}).then(run)');
    expect(patched).not.toMatch(
      /webInitChain = webInitChain\.then\(|webInferenceChain = webInferenceChain\.then\(/,
    );
    expect(() => patchTransformers('var webInitChain = Promise.resolve();')).toThrow(/transformers changed/);
  });
});
