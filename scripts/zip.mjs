// Zips each built extension (dist/chrome, dist/firefox) into dist/earmark-<browser>-<version>.zip,
// the form the stores take. Files are stored with paths relative to the extension root.
import { readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { zipSync } from 'fflate';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

function files(dir, root = dir, out = {}) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, root, out);
    else
      out[relative(root, path).split('\\').join('/')] = [
        readFileSync(path),
        { mtime: new Date('2026-01-01') },
      ];
  }
  return out;
}

for (const browser of ['chrome', 'firefox']) {
  const dir = join('dist', browser);
  if (!existsSync(join(dir, 'manifest.json'))) {
    console.error(`zip: ${dir}/manifest.json is missing: run the build first.`);
    process.exit(1);
  }
  const zip = zipSync(files(dir), { level: 9 });
  const out = join('dist', `earmark-${browser}-${version}.zip`);
  writeFileSync(out, zip);
  console.log(`zip: ${out} (${(zip.length / 1024).toFixed(1)} kB)`);
}
