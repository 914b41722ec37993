// On-device Whisper's real code path in Chromium, inside the built extension: the shipped ONNX
// runtime runs a model written by hand here (from the extension's own files, under its CSP, with
// nothing fetched from a CDN), and createWhisperEngine downloads from "huggingface.co" (a local
// server the browser is pointed at) and fails in words when the files are missing or not a model.
// No real Whisper model is loaded: the hub cannot be reached from here (nor from CI).
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionWorker, findChromium, INSTALL_HINT, launchWithExtension } from '../../scripts/lib/chromium';
import { builtExtensionId } from '../../scripts/lib/extension';
import { WHISPER_CACHE_NAME, whisperFileUrl } from '../../src/core/transcribe/whisper-cache';
import { ORT_WASM_FILE } from '../../src/offscreen/whisper';
import { makeCertificate } from './harness';

/** The built extension (EARMARK_DIST: another build of it, e.g. one made into a temp folder). */
const DIST = resolve(process.env.EARMARK_DIST ?? 'dist/chrome');

// --- An ONNX model by hand: protobuf wire format (varints and length-delimited fields) ---------
function varint(n: number): number[] {
  const out: number[] = [];
  for (; n > 0x7f; n = Math.floor(n / 128)) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return out;
}
const field = (no: number, bytes: number[]) => [...varint((no << 3) | 2), ...varint(bytes.length), ...bytes];
const int = (no: number, n: number) => [...varint(no << 3), ...varint(n)];
const str = (no: number, s: string) => field(no, [...Buffer.from(s, 'utf8')]);

/** A float tensor value named `name` of shape 2×2 (ValueInfoProto). */
function floatMatrix(name: string): number[] {
  const dim = field(1, int(1, 2)); // TensorShapeProto.Dimension { dim_value: 2 }
  const tensorType = [...int(1, 1 /* FLOAT */), ...field(2, [...dim, ...dim])];
  return [...str(1, name), ...field(2, field(1, tensorType))];
}

/** out = a·b + a, for 2×2 float matrices: a MatMul node and an Add node (opset 13). */
function matMulAddModel(): Buffer {
  const matmul = [...str(1, 'a'), ...str(1, 'b'), ...str(2, 'ab'), ...str(3, 'matmul'), ...str(4, 'MatMul')];
  const add = [...str(1, 'ab'), ...str(1, 'a'), ...str(2, 'out'), ...str(3, 'add'), ...str(4, 'Add')];
  const graph = [
    ...field(1, matmul),
    ...field(1, add),
    ...str(2, 'earmark-test'),
    ...field(11, floatMatrix('a')),
    ...field(11, floatMatrix('b')),
    ...field(12, floatMatrix('out')),
  ];
  return Buffer.from([
    ...int(1, 8), // ir_version
    ...str(2, 'earmark-test'),
    ...field(7, graph),
    ...field(8, int(2, 13)), // opset_import { domain: '', version: 13 }
  ]);
}

// --- "huggingface.co": a local HTTPS server the browser is pointed at ------------------------
type Answer = { status: number; body: Buffer | string; type?: string };

/** The hub's answers, by path; anything else is 404 as on the hub. CORS as the hub sends it. */
async function startHub(files: Map<string, Answer>, seen: string[]): Promise<Server> {
  const server = createServer(makeCertificate(['huggingface.co']), (req, res) => {
    const path = (req.url ?? '/').replace(/\?.*$/, '');
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': '*',
      'access-control-expose-headers': 'content-length, content-range',
    };
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    seen.push(path);
    const answer = files.get(path) ?? { status: 404, body: 'Entry not found' };
    const body = Buffer.from(answer.body);
    res.writeHead(answer.status, {
      ...cors,
      'content-type': answer.type ?? 'application/octet-stream',
      'content-length': String(body.length),
    });
    res.end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return server;
}

/** The built chunk that exports `name` (chunk names carry hashes; exports keep their names). */
function chunkExporting(name: string): string {
  const assets = join(DIST, 'assets');
  const file = readdirSync(assets).find(
    (f) =>
      f.endsWith('.js') &&
      new RegExp(`export\\s*\\{[^}]*\\b${name}\\s*[,}]`).test(readFileSync(join(assets, f), 'utf8')),
  );
  if (!file) throw new Error(`no chunk in ${assets} exports ${name}: is on-device Whisper in this build?`);
  return `assets/${file}`;
}

/** Defined in the page (see beforeAll). */
declare function importChunk(path: string): Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

type Failure = { name?: string; code?: string; message?: string; retryable?: boolean; progress: unknown[] };

describe('on-device Whisper in the built extension', () => {
  const hubFiles = new Map<string, Answer>();
  const seen: string[] = [];
  /** Every URL the page asked for, the extension's own files included. */
  const requested: string[] = [];
  let hub: Server;
  let context: BrowserContext;
  let page: Page;
  let origin: string;
  let whisperChunk: string;
  let transformersChunk: string;

  beforeAll(async () => {
    const executablePath = findChromium();
    if (!executablePath) throw new Error(INSTALL_HINT);
    whisperChunk = chunkExporting('createWhisperEngine');
    transformersChunk = chunkExporting('AutoModel');
    hub = await startHub(hubFiles, seen);
    const { port } = hub.address() as AddressInfo;
    const id = builtExtensionId(DIST);
    origin = `chrome-extension://${id}`;
    context = await launchWithExtension({
      extensionDir: DIST,
      headless: true,
      executablePath,
      args: [
        // Everything but the stand-in hub is unreachable: a fetch from a CDN would fail.
        `--host-resolver-rules=MAP huggingface.co 127.0.0.1:${port}, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1`,
        '--ignore-certificate-errors',
        // WebGPU on the CPU (SwiftShader), so the runtime's WebGPU path runs here too.
        '--enable-unsafe-webgpu',
        '--enable-unsafe-swiftshader',
        '--use-webgpu-adapter=swiftshader',
        '--enable-features=Vulkan',
      ],
    });
    await extensionWorker(context, id);
    // The page the runtime runs in (Chrome's offscreen document), opened in a tab: the same
    // extension origin and CSP, nothing added to the shipped code.
    page = await context.newPage();
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(`${origin}/src/offscreen/index.html`);
    // A dynamic import the functions below can call: written in a string, because Vitest rewrites
    // `import()` in the test's own code (and the page's CSP does not apply to DevTools' evaluate).
    await page.evaluate('globalThis.importChunk = (path) => import(chrome.runtime.getURL(path))');
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((ok) => (hub ? hub.close(ok) : ok(undefined)));
  });

  /** createWhisperEngine from the built chunk, as the driver calls it; its failure as plain data. */
  function loadWhisper(model: string): Promise<Failure | 'loaded'> {
    return page.evaluate(
      async ([chunk, model]) => {
        const { createWhisperEngine } = await importChunk(chunk);
        const progress: unknown[] = [];
        try {
          await createWhisperEngine({
            model,
            label: 'Whisper',
            wasmBase: chrome.runtime.getURL('ort/'),
            onProgress: (p: unknown) => progress.push(p),
          });
          return 'loaded' as const;
        } catch (e) {
          const error = e as { name?: string; code?: string; message?: string; retryable?: boolean };
          return {
            name: error.name,
            code: error.code,
            message: error.message,
            retryable: error.retryable,
            progress,
          };
        }
      },
      [whisperChunk, model] as const,
    );
  }

  it('asks the hub for the model and fails in words when its files are not there', async () => {
    seen.length = 0;
    const failure = await loadWhisper('onnx-community/whisper-tiny.en');
    expect(failure).toMatchObject({
      name: 'SttError',
      code: 'model',
      message: expect.stringMatching(/Hugging Face does not have one of its files/),
      retryable: false,
    });
    expect(seen).toContain('/onnx-community/whisper-tiny.en/resolve/main/config.json');
    expect(seen.every((p) => p.startsWith('/onnx-community/whisper-tiny.en/resolve/main/'))).toBe(true);
  });

  it('downloads every file the pipeline asks for, counting the bytes, and fails in words when they are not a model', async () => {
    const repo = '/onnx-community/whisper-base.en/resolve/main';
    const config = JSON.stringify({ model_type: 'whisper', is_encoder_decoder: true });
    const junk = 'These bytes are not an ONNX model.';
    hubFiles.set(`${repo}/config.json`, { status: 200, body: config, type: 'application/json' });
    hubFiles.set(`${repo}/onnx/encoder_model_quantized.onnx`, { status: 200, body: junk });
    hubFiles.set(`${repo}/onnx/decoder_model_merged_quantized.onnx`, { status: 200, body: junk });
    seen.length = 0;
    const failure = (await loadWhisper('onnx-community/whisper-base.en')) as Failure;
    expect(failure).toMatchObject({
      code: 'model',
      message: expect.stringMatching(/is damaged/),
      retryable: false,
    });
    expect(seen).toEqual(
      expect.arrayContaining([
        `${repo}/config.json`,
        `${repo}/onnx/encoder_model_quantized.onnx`,
        `${repo}/onnx/decoder_model_merged_quantized.onnx`,
      ]),
    );
    const total = config.length + 2 * junk.length;
    expect(failure.progress).toContainEqual(
      expect.objectContaining({ loadedBytes: total, totalBytes: total, phase: 'load' }),
    );
  });

  it('runs a hand-written model with the runtime shipped in the extension, on WebAssembly and WebGPU, and caches it where whisper-cache looks', async () => {
    hubFiles.set('/earmark-test/matmul-add/resolve/main/config.json', {
      status: 200,
      body: JSON.stringify({ model_type: 'bert' }),
      type: 'application/json',
    });
    hubFiles.set('/earmark-test/matmul-add/resolve/main/onnx/model.onnx', {
      status: 200,
      body: matMulAddModel(),
    });
    // The engine's load sets the library up (and fails: the stand-in hub has no whisper-small);
    // the library's own model class then runs the hand-made model on that set-up. Models failed
    // to load in this page before (the test above): the build's patch lets loads go on after that.
    expect(await loadWhisper('onnx-community/whisper-small')).toMatchObject({ code: 'model' });
    const result = await page.evaluate(
      async ([chunk, cacheName]) => {
        const lib = await importChunk(chunk);
        const wasm = lib.env.backends.onnx.wasm;
        const a = new lib.Tensor('float32', new Float32Array([1, 2, 3, 4]), [2, 2]);
        const b = new lib.Tensor('float32', new Float32Array([5, 6, 7, 8]), [2, 2]);
        const outputs: Record<string, { dims: number[]; data: number[] }> = {};
        for (const device of ['wasm', 'webgpu']) {
          const model = await lib.AutoModel.from_pretrained('earmark-test/matmul-add', {
            device,
            dtype: 'fp32',
          });
          const { out } = await model({ a, b });
          outputs[device] = { dims: out.dims, data: Array.from(out.data as Float32Array) };
        }
        const cache = await caches.open(cacheName);
        return {
          outputs,
          adapter: Boolean(
            await (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter(),
          ),
          wasmPaths: wasm.wasmPaths,
          numThreads: wasm.numThreads,
          allowLocalModels: lib.env.allowLocalModels,
          cached: (await cache.keys()).map((r) => r.url),
        };
      },
      [transformersChunk, WHISPER_CACHE_NAME] as const,
    );
    // [[1,2],[3,4]]·[[5,6],[7,8]] + [[1,2],[3,4]]
    const expected = { dims: [2, 2], data: [20, 24, 46, 54] };
    expect(result.adapter).toBe(true);
    expect(result.outputs).toEqual({ wasm: expected, webgpu: expected });
    const wasmUrl = `${origin}/ort/${ORT_WASM_FILE}`;
    expect(result.wasmPaths).toEqual({ wasm: wasmUrl });
    expect(result.numThreads).toBe(1);
    expect(result.allowLocalModels).toBe(false);
    expect(requested).toContain(wasmUrl);
    expect(
      requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('https://huggingface.co/')),
    ).toEqual([]);
    expect(result.cached).toContain(whisperFileUrl('earmark-test/matmul-add', 'onnx/model.onnx'));
    expect(result.cached).toContain(whisperFileUrl('earmark-test/matmul-add', 'config.json'));
  });
});
