// Facts about the built extension: its pinned id (from the manifest `key`) and a copy that also
// runs on loopback pages, used by `npm start` to show the bundled demo episode.
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

export const LOOPBACK_MATCHES = ['http://127.0.0.1/*', 'http://localhost/*'];

type Manifest = {
  content_scripts?: { matches: string[] }[];
  web_accessible_resources?: { matches: string[] }[];
};

/**
 * Copies the built extension to `to` with the loopback origins added to where its content
 * script runs. The shipped build does not run on loopback pages; the demo is served there.
 */
export function demoCopy(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
  const path = join(to, 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  for (const list of [manifest.content_scripts ?? [], manifest.web_accessible_resources ?? []])
    for (const entry of list) entry.matches = [...new Set([...entry.matches, ...LOOPBACK_MATCHES])];
  writeFileSync(path, JSON.stringify(manifest, null, 2));
}
