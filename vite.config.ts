// Builds the extension with @crxjs/vite-plugin from the one manifest.json at the top level.
// `vite build` writes dist/chrome; `vite build --mode firefox` writes dist/firefox with the
// manifest changes Firefox needs (background scripts, gecko settings, no `key`).
import { defineConfig } from 'vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import baseManifest from './manifest.json' with { type: 'json' };
import pkg from './package.json' with { type: 'json' };

export type Target = 'chrome' | 'firefox';

/** The manifest for one browser, derived from manifest.json. */
export function manifestFor(target: Target): ManifestV3Export {
  const manifest = structuredClone(baseManifest) as Record<string, unknown> & typeof baseManifest;
  manifest.version = pkg.version;
  if (target === 'chrome') return manifest as ManifestV3Export;
  // Firefox MV3 has no service workers for extensions: an event page with `scripts`.
  // `key` is a Chrome-only field; gecko needs an id and a data-collection declaration.
  const { key: _key, minimum_chrome_version: _min, background, ...rest } = manifest;
  return {
    ...rest,
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

export default defineConfig(({ mode }) => {
  const target: Target = mode === 'firefox' ? 'firefox' : 'chrome';
  return {
    // public/ holds the icons (emitted by crxjs from the manifest) and the demo episode, which is
    // served to the browser by `npm start` and the tests, not shipped inside the extension.
    publicDir: false,
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    plugins: [crx({ manifest: manifestFor(target), browser: target })],
    build: {
      outDir: `dist/${target}`,
      emptyOutDir: true,
      target: target === 'chrome' ? 'chrome120' : 'firefox128',
      sourcemap: false,
      chunkSizeWarningLimit: 400,
      // Extension pages the manifest does not name (crxjs builds those it names).
      rollupOptions: { input: { library: 'src/ui/library/index.html' } },
    },
  };
});
