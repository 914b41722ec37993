// Facts about the built extension: its pinned id (from the manifest `key`) and a copy that also
// runs on the demo's host name, used by `npm start` to show the bundled demo episode.
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Chrome's extension id for a manifest `key`: sha256 of the DER public key, a–p for 0–f. */
export function extensionIdFromKey(keyBase64: string): string {
  const hash = createHash('sha256').update(Buffer.from(keyBase64, 'base64')).digest('hex');
  return [...hash.slice(0, 32)].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

export function builtExtensionId(dir: string): string {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { key?: string };
  if (!manifest.key) throw new Error(`${dir}/manifest.json has no key`);
  return extensionIdFromKey(manifest.key);
}

/**
 * The name the demo is shown under. `.example` is reserved (RFC 2606) and never resolves on the
 * internet; `npm start` tells Chromium to map it to its local server. A public-looking name,
 * unlike 127.0.0.1, is one the extension's fetch guard lets it read, as it would a real host.
 */
export const DEMO_HOST = 'earmark-demo.example';

type Manifest = {
  content_scripts?: { matches: string[] }[];
  web_accessible_resources?: { matches: string[] }[];
};

/**
 * Copies the built extension to `to` with the demo's host added to where its content script
 * runs. The shipped build runs only on the podcast players it names.
 */
export function demoCopy(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
  const path = join(to, 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  for (const list of [manifest.content_scripts ?? [], manifest.web_accessible_resources ?? []])
    for (const entry of list) entry.matches = [...new Set([...entry.matches, `http://${DEMO_HOST}/*`])];
  writeFileSync(path, JSON.stringify(manifest, null, 2));
}
