// The content script once more, as one self-contained file (dist/<browser>/content-injected.js)
// that the background injects with scripting.executeScript / registerContentScripts on sites the
// manifest does not name: crxjs's own content-script loader imports its chunks as web-accessible
// resources limited to the manifest's matches, so it cannot run elsewhere. Built after the main
// build (`npm run build`), into the same folder.
import { defineConfig } from 'vite';

export const INJECTED_FILE = 'content-injected.js';

export default defineConfig(({ mode }) => {
  const target = mode === 'firefox' ? 'firefox' : 'chrome';
  return {
    publicDir: false,
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir: `dist/${target}`,
      emptyOutDir: false,
      target: target === 'chrome' ? 'chrome120' : 'firefox128',
      sourcemap: false,
      lib: {
        entry: 'src/content/index.ts',
        formats: ['iife'],
        name: 'earmarkContent',
        fileName: () => INJECTED_FILE,
      },
    },
  };
});
