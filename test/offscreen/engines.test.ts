// Which engine a job gets, from the settings as they are: the service with its key, or Whisper,
// loaded once (its download's progress in words, at most once a second) and loaded afresh after
// a failed load. createWhisperEngine itself is tested in whisper.test.ts; here it is a stand-in.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { freshDb } from '../helpers/db';
import type { EarmarkDB, SttJob } from '../../src/background/db';
import { writeSettings } from '../../src/background/settings';
import { SttError } from '../../src/core/transcribe/types';

const created: { model: string; label: string; wasmBase: string }[] = [];
let failNext = false;
vi.mock('../../src/offscreen/whisper', () => ({
  createWhisperEngine: vi.fn(
    async (options: {
      model: string;
      label: string;
      wasmBase: string;
      onProgress?: (p: { loadedBytes: number; totalBytes: number; phase: 'download' | 'load' }) => void;
    }) => {
      created.push({ model: options.model, label: options.label, wasmBase: options.wasmBase });
      options.onProgress?.({ loadedBytes: 12_400_000, totalBytes: 44_000_000, phase: 'download' });
      options.onProgress?.({ loadedBytes: 20_000_000, totalBytes: 44_000_000, phase: 'download' });
      if (failNext) {
        failNext = false;
        throw new SttError(
          'model',
          'The speech model could not be downloaded: you seem to be offline.',
          true,
        );
      }
      return { by: `${options.label} on this device`, transcribe: async () => ({ segments: [] }) };
    },
  ),
}));

const { engineFactory } = await import('../../src/offscreen/engines');

let db: EarmarkDB;
const job = (over: Partial<SttJob> = {}): SttJob => ({
  state: 'running',
  engine: 'whisper',
  model: 'onnx-community/whisper-tiny.en',
  by: 'Whisper tiny (English) on this device',
  audioUrl: 'https://cdn.example.com/ep.mp3',
  pieces: [],
  startedAt: '2026-11-29T10:00:00.000Z',
  ...over,
});

beforeEach(async () => {
  db = await freshDb();
  created.length = 0;
  failNext = false;
  vi.stubGlobal('chrome', { runtime: { getURL: (path: string) => `chrome-extension://abc/${path}` } });
});

describe('the engine for a job', () => {
  it('Whisper: loaded once with the extension’s own runtime files, its download said in words', async () => {
    const engineFor = engineFactory(db);
    const said: string[] = [];
    const engine = await engineFor(job(), (words) => said.push(words));
    expect(engine.by).toBe('Whisper tiny (English) on this device');
    expect(created).toEqual([
      {
        model: 'onnx-community/whisper-tiny.en',
        label: 'Whisper tiny (English)',
        wasmBase: 'chrome-extension://abc/ort/',
      },
    ]);
    // The first progress line is said, the next (within the second) is not: one write a second.
    expect(said).toEqual(['Loading the speech model…', 'Downloading the speech model: 12 of 44 MB']);
    expect(await engineFor(job(), () => {})).toBe(engine);
    expect(created).toHaveLength(1);
    // Another model: loaded anew.
    await engineFor(job({ model: 'onnx-community/whisper-base' }), () => {});
    expect(created.map((c) => c.model)).toEqual([
      'onnx-community/whisper-tiny.en',
      'onnx-community/whisper-base',
    ]);
  });

  it('Whisper: a failed load fails the job in words, and the next job loads it afresh', async () => {
    const engineFor = engineFactory(db);
    failNext = true;
    await expect(engineFor(job(), () => {})).rejects.toThrow(/offline/);
    const engine = await engineFor(job(), () => {});
    expect(engine.by).toContain('Whisper');
    expect(created).toHaveLength(2);
  });

  it('the service: with the key, address, model and price set in the options', async () => {
    await writeSettings(db, {
      stt: {
        engine: 'openai',
        apiKey: 'sk-engines-12345678',
        baseUrl: 'https://stt.example.org/v1',
        pricePerMinute: 0.01,
      },
    });
    const engine = await engineFactory(db)(job({ engine: 'openai', model: 'whisper-large-v3' }), () => {});
    expect(engine.by).toBe('whisper-large-v3 at stt.example.org');
    expect(created).toHaveLength(0);
  });

  it('the service without a key: a clear error, nothing sent', async () => {
    await writeSettings(db, { stt: { engine: 'openai' } });
    await expect(engineFactory(db)(job({ engine: 'openai', model: 'whisper-1' }), () => {})).rejects.toThrow(
      /No key is set/,
    );
  });
});
