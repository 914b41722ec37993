// Which Whisper models are on this device: @huggingface/transformers keeps every file it downloads
// in the Cache API (one cache, keyed by the file's Hugging Face URL), which the service worker can
// read too. Only the `caches` global is used here, so the worker never loads the library.

/** transformers' `env.cacheKey` (4.3.2): the one Cache API cache its downloads go into. */
export const WHISPER_CACHE_NAME = 'transformers-cache';

/** transformers' `env.remoteHost` + `env.remotePathTemplate`: the cache keys start with this. */
const HUB_HOST = 'https://huggingface.co/';

/**
 * The weights' precision for every module. 'q8' (8-bit, files `*_quantized.onnx`) is the
 * library's own default for WebAssembly and a quarter of full precision; the same files serve
 * WebGPU so the size shown before the download holds and one copy serves both.
 */
export const WHISPER_DTYPE = 'q8';
const DTYPE_SUFFIX = '_quantized';

/**
 * Every file the speech recognition pipeline reads for a Whisper model (transformers 4.3.2:
 * get_pipeline_files plus the optional generation config, which Whisper needs for timestamps).
 */
export const WHISPER_FILES = [
  'config.json',
  'generation_config.json',
  'preprocessor_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  `onnx/encoder_model${DTYPE_SUFFIX}.onnx`,
  `onnx/decoder_model_merged${DTYPE_SUFFIX}.onnx`,
] as const;

/** The cache key transformers stores a model file under (its download URL, revision main). */
export function whisperFileUrl(model: string, file: string, host = HUB_HOST): string {
  return `${host.replace(/\/+$/, '')}/${model}/resolve/main/${file}`;
}

function available(): CacheStorage | undefined {
  return typeof caches === 'undefined' ? undefined : caches;
}

/** Whether every file of the model is in transformers' cache (so it runs without a download). */
export async function whisperCached(model: string, host = HUB_HOST): Promise<boolean> {
  const storage = available();
  if (!storage || !(await storage.has(WHISPER_CACHE_NAME))) return false;
  const cache = await storage.open(WHISPER_CACHE_NAME);
  for (const file of WHISPER_FILES) if (!(await cache.match(whisperFileUrl(model, file, host)))) return false;
  return true;
}

/**
 * Deletes every model transformers downloaded (the cache holds nothing else of ours); resolves to
 * the number of files removed.
 */
export async function deleteWhisperModels(): Promise<number> {
  const storage = available();
  if (!storage || !(await storage.has(WHISPER_CACHE_NAME))) return 0;
  const cache = await storage.open(WHISPER_CACHE_NAME);
  const entries = (await cache.keys()).length;
  await storage.delete(WHISPER_CACHE_NAME);
  return entries;
}
