// A plain web page that loads Earmark's audio code (the cutter and the decoder, and whatever else
// `extra` exports) as `window.audioLib`, bundled with vite into `dir/www`: for the decoder's test
// and benchmark in Chromium, which need Web Audio but not the extension.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';

export async function buildAudioPage(dir: string, extra: string[] = []): Promise<string> {
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    [
      `export * from ${JSON.stringify(resolve('src/core/audio/index.ts'))};`,
      `export { decodePiece } from ${JSON.stringify(resolve('src/offscreen/decode.ts'))};`,
      ...extra,
    ].join('\n'),
  );
  await build({
    configFile: false,
    logLevel: 'warn',
    root: dir,
    build: {
      outDir: join(dir, 'www'),
      emptyOutDir: true,
      minify: false,
      lib: { entry, formats: ['es'], fileName: () => 'lib.js' },
    },
  });
  // The page loads the bundle itself: vitest rewrites import() inside functions passed to evaluate.
  writeFileSync(
    join(dir, 'www', 'index.html'),
    '<!doctype html><title>audio</title><script type="module">import * as m from "./lib.js"; window.audioLib = m;</script>',
  );
  return join(dir, 'www');
}
