// Builds the extension with @crxjs/vite-plugin from the one manifest.json at the top level.
// `vite build` writes dist/chrome; `vite build --mode firefox` writes dist/firefox with the
// manifest changes Firefox needs (background scripts, gecko settings, no `key`).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import baseManifest from './manifest.json' with { type: 'json' };
import pkg from './package.json' with { type: 'json' };
import { ORT_DIR, ORT_WASM_FILE } from './src/offscreen/ort';

export type Target = 'chrome' | 'firefox';

/** The manifest for one browser, derived from manifest.json. */
export function manifestFor(target: Target): ManifestV3Export {
  const manifest = structuredClone(baseManifest) as Record<string, unknown> & typeof baseManifest;
  manifest.version = pkg.version;
  if (target === 'chrome') return manifest as ManifestV3Export;
  // Firefox MV3 has no service workers for extensions: an event page with `scripts`.
  // `key` is a Chrome-only field; gecko needs an id and a data-collection declaration.
  const { key: _key, minimum_chrome_version: _min, background, permissions, ...rest } = manifest;
  return {
    ...rest,
    // No offscreen documents in Firefox: its background page decodes and transcribes itself.
    permissions: permissions.filter((p) => p !== 'offscreen'),
    background: { scripts: [background.service_worker], type: 'module' },
    browser_specific_settings: {
      gecko: {
        id: 'earmark@earmark.app',
        strict_min_version: '140.0',
        data_collection_permissions: { required: ['none'] },
      },
      // Firefox for Android reads data_collection_permissions from 142 on.
      gecko_android: { strict_min_version: '142.0' },
    },
  } as unknown as ManifestV3Export;
}

export { ORT_DIR };
/** The ONNX runtime files on-device Whisper loads (src/offscreen/ort.ts says why this one). */
export const ORT_FILES = [ORT_WASM_FILE];

/**
 * transformers 4.3.2 queues every model load and every run on one promise chain each
 * (`chain = chain.then(next)`), so after one failure every later load or run in the page fails
 * with that same error: a damaged download, or one piece that ran out of memory, would stop
 * Whisper until the document is reopened. The chains here go on after a failure; each caller
 * still gets its own result. The build fails if the library's code changes (see whether the fix
 * is still needed then).
 */
export function patchTransformers(code: string): string {
  let out = code;
  for (const chain of ['webInitChain', 'webInferenceChain']) {
    const pattern = new RegExp(`${chain} = ${chain}\\.then\\(`);
    if (!pattern.test(out))
      throw new Error(
        `@huggingface/transformers changed: no "${chain} = ${chain}.then(" to patch (vite.config.ts)`,
      );
    out = out.replace(pattern, `${chain} = ${chain}.catch(() => {}).then(`);
  }
  return out;
}

/**
 * On-device Whisper's build steps: ships the runtime's WebAssembly at a stable path (MV3 lets an
 * extension run only code it carries, so nothing may come from the CDN the library defaults to)
 * and patches transformers' queues (patchTransformers).
 */
function onDeviceWhisper(): Plugin {
  const require = createRequire(import.meta.url);
  // The package's exports hide package.json: find the dist folder from the file `require` resolves.
  const dist = dirname(require.resolve('onnxruntime-web'));
  return {
    name: 'earmark:on-device-whisper',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (/[\\/]@huggingface[\\/]transformers[\\/]dist[\\/]transformers\.web\.js$/.test(id))
        return { code: patchTransformers(code), map: null };
      if (!/[\\/]onnxruntime-web[\\/]dist[\\/]/.test(id)) return null;
      // The runtime's default `new URL('<file>.wasm', import.meta.url)` would make Vite emit a
      // second, hashed copy of the 27 MB file; whisper.ts always names the one in ort/ instead.
      // The same expression written so Vite does not recognise it keeps the runtime's behaviour.
      const out = code.replace(
        /new URL\(("ort-wasm[\w.-]*\.wasm"),\s*import\.meta\.url\)/g,
        'new URL($1,import.meta["url"])',
      );
      return out === code ? null : { code: out, map: null };
    },
    generateBundle() {
      for (const file of ORT_FILES)
        this.emitFile({
          type: 'asset',
          fileName: `${ORT_DIR}/${file}`,
          source: readFileSync(join(dist, file)),
        });
    },
  };
}

export default defineConfig(({ mode }) => {
  const target: Target = mode === 'firefox' ? 'firefox' : 'chrome';
  return {
    // public/ holds the icons (emitted by crxjs from the manifest) and the demo episode, which is
    // served to the browser by `npm start` and the tests, not shipped inside the extension.
    publicDir: false,
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    plugins: [crx({ manifest: manifestFor(target), browser: target }), onDeviceWhisper()],
    build: {
      outDir: `dist/${target}`,
      emptyOutDir: true,
      target: target === 'chrome' ? 'chrome120' : 'firefox128',
      sourcemap: false,
      chunkSizeWarningLimit: 400,
      // Extension pages the manifest does not name (crxjs builds those it names).
      rollupOptions: {
        input: { library: 'src/ui/library/index.html', offscreen: 'src/offscreen/index.html' },
      },
    },
  };
});
