// Which Whisper models are on the device, read from transformers' Cache API cache (a Map-backed
// CacheStorage stands in for the browser's).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  deleteWhisperModels,
  WHISPER_CACHE_NAME,
  WHISPER_FILES,
  whisperCached,
  whisperFileUrl,
} from '../../../src/core/transcribe/whisper-cache';

/** The part of CacheStorage and Cache the module uses, over Maps keyed by URL. */
class FakeCaches {
  readonly stores = new Map<string, Map<string, Response>>();
  opened: string[] = [];
  async has(name: string) {
    return this.stores.has(name);
  }
  async open(name: string) {
    this.opened.push(name);
    let store = this.stores.get(name);
    if (!store) this.stores.set(name, (store = new Map()));
    const entries = store;
    return {
      match: async (url: string) => entries.get(url),
      keys: async () => [...entries.keys()].map((url) => new Request(url)),
      put: async (url: string, response: Response) => void entries.set(url, response),
    };
  }
  async delete(name: string) {
    return this.stores.delete(name);
  }
  fill(name: string, urls: string[]) {
    this.stores.set(name, new Map(urls.map((url) => [url, new Response('x')])));
  }
}

const MODEL = 'onnx-community/whisper-tiny.en';
let fake: FakeCaches;

beforeEach(() => {
  fake = new FakeCaches();
  vi.stubGlobal('caches', fake);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('whisperFileUrl', () => {
  it('is the URL transformers downloads the file from and caches it under', () => {
    expect(whisperFileUrl(MODEL, 'onnx/encoder_model_quantized.onnx')).toBe(
      'https://huggingface.co/onnx-community/whisper-tiny.en/resolve/main/onnx/encoder_model_quantized.onnx',
    );
    expect(whisperFileUrl('a/b', 'config.json', 'https://mirror.example/')).toBe(
      'https://mirror.example/a/b/resolve/main/config.json',
    );
  });

  it('names the q8 weights of both Whisper modules and the configs the pipeline reads', () => {
    expect(WHISPER_FILES).toEqual(
      expect.arrayContaining([
        'config.json',
        'generation_config.json',
        'preprocessor_config.json',
        'tokenizer.json',
        'tokenizer_config.json',
        'onnx/encoder_model_quantized.onnx',
        'onnx/decoder_model_merged_quantized.onnx',
      ]),
    );
  });
});

describe('whisperCached', () => {
  it('is true when every file of the model is in transformers-cache', async () => {
    fake.fill(
      WHISPER_CACHE_NAME,
      WHISPER_FILES.map((f) => whisperFileUrl(MODEL, f)),
    );
    expect(await whisperCached(MODEL)).toBe(true);
  });

  it('is false when one file is missing', async () => {
    for (const missing of WHISPER_FILES) {
      fake.fill(
        WHISPER_CACHE_NAME,
        WHISPER_FILES.filter((f) => f !== missing).map((f) => whisperFileUrl(MODEL, f)),
      );
      expect(await whisperCached(MODEL), missing).toBe(false);
    }
  });

  it('is false for another model whose files are cached', async () => {
    fake.fill(
      WHISPER_CACHE_NAME,
      WHISPER_FILES.map((f) => whisperFileUrl('onnx-community/whisper-base', f)),
    );
    expect(await whisperCached(MODEL)).toBe(false);
  });

  it('is false without the cache, and does not create it by asking', async () => {
    expect(await whisperCached(MODEL)).toBe(false);
    expect(fake.stores.has(WHISPER_CACHE_NAME)).toBe(false);
    expect(fake.opened).toEqual([]);
  });

  it('is false where there is no Cache API', async () => {
    vi.stubGlobal('caches', undefined);
    expect(await whisperCached(MODEL)).toBe(false);
  });
});

describe('deleteWhisperModels', () => {
  it('removes transformers-cache and counts its entries, leaving other caches', async () => {
    fake.fill(WHISPER_CACHE_NAME, [
      ...WHISPER_FILES.map((f) => whisperFileUrl(MODEL, f)),
      whisperFileUrl('onnx-community/whisper-base', 'config.json'),
    ]);
    fake.fill('other', ['https://example.com/x']);
    expect(await deleteWhisperModels()).toBe(WHISPER_FILES.length + 1);
    expect(fake.stores.has(WHISPER_CACHE_NAME)).toBe(false);
    expect(fake.stores.has('other')).toBe(true);
    expect(await whisperCached(MODEL)).toBe(false);
  });

  it('is 0 when nothing was downloaded', async () => {
    expect(await deleteWhisperModels()).toBe(0);
    vi.stubGlobal('caches', undefined);
    expect(await deleteWhisperModels()).toBe(0);
  });
});
