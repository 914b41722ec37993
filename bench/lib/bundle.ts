// Bundle size: follows the module graph of a built extension from a manifest entry and sums the
// gzip size of every file it reaches. See bench/README.md for exactly what is followed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { posix, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseAst } from 'vite';
import { BenchError } from './harness';

export interface BundleFile {
  /** Path inside the extension root, POSIX separators, no leading slash. */
  path: string;
  bytes: number;
  gzipBytes: number;
}

export interface Bundle {
  entries: string[];
  files: BundleFile[];
  bytes: number;
  gzipBytes: number;
  /** References that could not be followed (non-literal dynamic imports, remote URLs). */
  notes: string[];
}

/**
 * How a reference is resolved:
 * - `module`: an ES module specifier: `./` and `../` relative to the importing file, `/` from the
 *   extension root; bare specifiers cannot load in an extension and are an error.
 * - `url`: a URL in HTML or CSS, or `new URL(…, import.meta.url)`: relative to the file unless it
 *   starts with `/`.
 * - `root`: an extension URL (`chrome.runtime.getURL`, vite's preload list): from the extension root.
 */
type RefMode = 'module' | 'url' | 'root';

interface Ref {
  spec: string;
  mode: RefMode;
}

/** Code files counted when referenced by URL (getURL, new URL); images, fonts etc. are not. */
const CODE_EXT = /\.(?:m?js|css)$/i;
const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/** Gzip size as the benchmark counts it: zlib gzip, level 9. */
export function gzipSize(buf: Uint8Array): number {
  return gzipSync(buf, { level: 9 }).length;
}

/** A path as messages show it: relative to the working directory when inside it. */
function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !posix.isAbsolute(rel) ? rel : path;
}

function stripQuery(spec: string): string {
  return spec.replace(/[?#].*$/, '');
}

/** `from` and the result are root-relative POSIX paths; returns null for remote URLs. */
function resolveRef(from: string, ref: Ref): string | null {
  const spec = stripQuery(ref.spec.trim());
  if (spec === '' || EXTERNAL.test(spec)) return null;
  let path: string;
  if (spec.startsWith('/') || ref.mode === 'root') {
    path = posix.normalize(spec.replace(/^\/+/, ''));
  } else {
    if (ref.mode === 'module' && !spec.startsWith('./') && !spec.startsWith('../')) {
      throw new BenchError(`${from} imports bare specifier "${spec}", which cannot load in an extension`);
    }
    path = posix.join(posix.dirname(from), spec);
  }
  if (path === '..' || path.startsWith('../')) {
    throw new BenchError(`${from} references "${ref.spec}", outside the extension root`);
  }
  return path;
}

// --- JavaScript -----------------------------------------------------------------------------

type AstNode = { type: string } & Record<string, unknown>;

function isNode(v: unknown): v is AstNode {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

/** The value of a string literal or of a template literal without substitutions. */
function staticString(v: unknown): string | null {
  if (!isNode(v)) return null;
  if (v.type === 'Literal' && typeof v.value === 'string') return v.value;
  if (v.type === 'TemplateLiteral' && Array.isArray(v.expressions) && v.expressions.length === 0) {
    const q: unknown = Array.isArray(v.quasis) ? v.quasis[0] : undefined;
    const value = isNode(q) ? (q.value as { cooked?: unknown } | undefined) : undefined;
    return typeof value?.cooked === 'string' ? value.cooked : null;
  }
  return null;
}

function isImportMetaUrl(v: unknown): boolean {
  return (
    isNode(v) &&
    v.type === 'MemberExpression' &&
    isNode(v.object) &&
    v.object.type === 'MetaProperty' &&
    isNode(v.property) &&
    v.property.name === 'url'
  );
}

function isIdentifier(v: unknown, name: string): boolean {
  return isNode(v) && v.type === 'Identifier' && v.name === name;
}

/** The literal argument of `….getURL("…")` (chrome.runtime, browser.runtime), else null. */
function getUrlArg(v: unknown): string | null {
  if (!isNode(v) || v.type !== 'CallExpression' || !Array.isArray(v.arguments)) return null;
  const callee = v.callee;
  if (!isNode(callee) || callee.type !== 'MemberExpression' || callee.computed) return null;
  return isIdentifier(callee.property, 'getURL') ? staticString(v.arguments[0]) : null;
}

function parseJs(code: string, file: string): AstNode {
  let firstError: unknown;
  for (const sourceType of ['module', 'script'] as const) {
    try {
      return parseAst(code, { lang: 'js', sourceType, preserveParens: false }) as unknown as AstNode;
    } catch (err) {
      firstError ??= err;
    }
  }
  const msg = firstError instanceof Error ? firstError.message.split('\n')[0] : String(firstError);
  throw new BenchError(`cannot parse ${file}: ${msg}`);
}

/** Every code file a JS file loads: imports, re-exports, literal dynamic imports, getURL, preload lists. */
function jsRefs(code: string, file: string, notes: string[]): Ref[] {
  const refs: Ref[] = [];
  const stack: AstNode[] = [parseJs(code, file)];
  while (stack.length > 0) {
    const node = stack.pop() as AstNode;
    switch (node.type) {
      case 'ImportDeclaration':
      case 'ExportNamedDeclaration':
      case 'ExportAllDeclaration': {
        const spec = staticString(node.source);
        if (spec !== null) refs.push({ spec, mode: 'module' });
        break;
      }
      case 'ImportExpression': {
        const spec = staticString(node.source);
        if (spec !== null) refs.push({ spec, mode: 'module' });
        else if (getUrlArg(node.source) === null) {
          notes.push(`${file}: a dynamic import() with a computed path is not followed`);
        } // import(chrome.runtime.getURL("…")), the crxjs loader: followed as a CallExpression below.
        break;
      }
      case 'CallExpression': {
        const args = Array.isArray(node.arguments) ? (node.arguments as unknown[]) : [];
        const callee = node.callee;
        // chrome.runtime.getURL("assets/x.js"), browser.runtime.getURL(…): always from the root.
        const url = getUrlArg(node);
        if (url !== null && CODE_EXT.test(stripQuery(url))) refs.push({ spec: url, mode: 'root' });
        // importScripts("x.js") in a classic worker.
        if (isIdentifier(callee, 'importScripts')) {
          for (const a of args) {
            const spec = staticString(a);
            if (spec !== null) refs.push({ spec, mode: 'url' });
          }
        }
        break;
      }
      case 'NewExpression': {
        // new URL("./worker.js", import.meta.url)
        const args = Array.isArray(node.arguments) ? (node.arguments as unknown[]) : [];
        const spec = staticString(args[0]);
        if (isIdentifier(node.callee, 'URL') && spec !== null && isImportMetaUrl(args[1])) {
          if (CODE_EXT.test(stripQuery(spec))) refs.push({ spec, mode: 'url' });
        }
        break;
      }
      case 'VariableDeclarator': {
        // Vite's preload list for dynamic imports (JS chunks and their CSS):
        // const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/a.js","assets/a.css"])))=>…
        // Entries are from the root, or relative to the file ("./…") when the base is relative.
        if (isIdentifier(node.id, '__vite__mapDeps')) {
          const inner: AstNode[] = isNode(node.init) ? [node.init] : [];
          while (inner.length > 0) {
            const n = inner.pop() as AstNode;
            const spec = n.type === 'Literal' ? staticString(n) : null;
            if (spec !== null) {
              refs.push({ spec, mode: spec.startsWith('./') || spec.startsWith('../') ? 'module' : 'root' });
            }
            pushChildren(n, inner);
          }
        }
        break;
      }
    }
    pushChildren(node, stack);
  }
  return refs;
}

function pushChildren(node: AstNode, stack: AstNode[]): void {
  for (const key of Object.keys(node)) {
    const v = node[key];
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) if (isNode(v[i])) stack.push(v[i] as AstNode);
    } else if (isNode(v)) stack.push(v);
  }
}

// --- HTML and CSS ---------------------------------------------------------------------------

function attributes(tag: string): Map<string, string> {
  const attrs = new Map<string, string>();
  const re = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (const m of tag.matchAll(re)) {
    const name = (m[1] as string).toLowerCase();
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    attrs.set(name, value.replace(/&amp;/g, '&').replace(/&quot;/g, '"'));
  }
  return attrs;
}

/** <script src>, <link rel=stylesheet|modulepreload href>, and imports inside inline module scripts. */
function htmlRefs(html: string, file: string, notes: string[]): Ref[] {
  const refs: Ref[] = [];
  const text = html.replace(/<!--[\s\S]*?-->/g, '');
  for (const m of text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const attrs = attributes(m[1] as string);
    const src = attrs.get('src');
    if (src !== undefined) refs.push({ spec: src, mode: 'url' });
    else if ((m[2] as string).trim() !== '') refs.push(...jsRefs(m[2] as string, file, notes));
  }
  for (const m of text.matchAll(/<link\b([^>]*)>/gi)) {
    const attrs = attributes(m[1] as string);
    const rel = (attrs.get('rel') ?? '').toLowerCase().split(/\s+/);
    const href = attrs.get('href');
    if (href !== undefined && (rel.includes('stylesheet') || rel.includes('modulepreload'))) {
      refs.push({ spec: href, mode: 'url' });
    }
  }
  return refs;
}

/** `@import` of other style sheets (url() of fonts and images is not code and is not counted). */
function cssRefs(css: string): Ref[] {
  const refs: Ref[] = [];
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const m of text.matchAll(/@import\s+(?:url\(\s*)?(?:"([^"]*)"|'([^']*)'|([^\s;)'"]+))/gi)) {
    refs.push({ spec: (m[1] ?? m[2] ?? m[3]) as string, mode: 'url' });
  }
  return refs;
}

// --- The graph ------------------------------------------------------------------------------

/**
 * The set of files reachable from `entries` (root-relative paths, as in manifest.json) inside
 * the extension at `root`, each counted once, with their raw and gzip sizes.
 */
export function collectBundle(root: string, entries: readonly string[]): Bundle {
  const absRoot = resolve(root);
  const seen = new Set<string>();
  const files: BundleFile[] = [];
  const notes: string[] = [];
  const queue: { path: string; from: string }[] = [];

  const enqueue = (path: string, from: string): void => {
    if (!seen.has(path)) {
      seen.add(path);
      queue.push({ path, from });
    }
  };
  for (const e of entries) {
    const path = resolveRef('', { spec: e, mode: 'root' });
    if (path === null) throw new BenchError(`manifest entry "${e}" is not a file in the extension`);
    enqueue(path, 'manifest.json');
  }

  while (queue.length > 0) {
    const { path, from } = queue.shift() as { path: string; from: string };
    const abs = resolve(absRoot, path);
    if (!existsSync(abs) || !statSync(abs).isFile()) {
      throw new BenchError(`${display(abs)} (referenced from ${from}) is missing`);
    }
    const buf = readFileSync(abs);
    files.push({ path, bytes: buf.length, gzipBytes: gzipSize(buf) });

    const text = buf.toString('utf8');
    let refs: Ref[] = [];
    if (/\.m?js$/i.test(path)) refs = jsRefs(text, path, notes);
    else if (/\.html?$/i.test(path)) refs = htmlRefs(text, path, notes);
    else if (/\.css$/i.test(path)) refs = cssRefs(text);
    for (const ref of refs) {
      const target = resolveRef(path, ref);
      if (target === null) notes.push(`${path}: remote "${ref.spec}" is not counted`);
      else enqueue(target, path);
    }
  }

  return {
    entries: [...entries],
    files,
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    gzipBytes: files.reduce((s, f) => s + f.gzipBytes, 0),
    notes: [...new Set(notes)],
  };
}

// --- Entries from the manifest --------------------------------------------------------------

export type BundleKind = 'content' | 'worker' | 'popup';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

export function readManifest(root: string): Record<string, unknown> {
  const abs = resolve(root, 'manifest.json');
  const path = display(abs);
  if (!existsSync(root)) throw new BenchError(`${display(root)} is missing: run \`npm run build\` first`);
  if (!existsSync(abs)) throw new BenchError(`${path} is missing: run \`npm run build\` first`);
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(abs, 'utf8'));
  } catch (err) {
    throw new BenchError(`${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isRecord(manifest)) throw new BenchError(`${path} is not a JSON object`);
  return manifest;
}

/** The files the browser loads first for each part of the extension, as manifest.json names them. */
export function bundleEntries(manifest: Record<string, unknown>, kind: BundleKind): string[] {
  let entries: string[] = [];
  let field = '';
  switch (kind) {
    case 'content': {
      field = 'content_scripts[].js';
      const scripts = Array.isArray(manifest.content_scripts) ? (manifest.content_scripts as unknown[]) : [];
      // JS first, then the CSS the browser injects with it (crxjs lists CSS imported by content scripts here).
      const js = scripts.flatMap((cs) => (isRecord(cs) ? strings(cs.js) : []));
      const css = scripts.flatMap((cs) => (isRecord(cs) ? strings(cs.css) : []));
      entries = js.length > 0 ? [...js, ...css] : [];
      break;
    }
    case 'worker': {
      field = 'background.service_worker';
      const bg = manifest.background;
      if (isRecord(bg) && typeof bg.service_worker === 'string') entries = [bg.service_worker];
      break;
    }
    case 'popup': {
      field = 'action.default_popup';
      const action = manifest.action;
      if (isRecord(action) && typeof action.default_popup === 'string') entries = [action.default_popup];
      break;
    }
  }
  if (entries.length === 0) throw new BenchError(`manifest.json has no ${field}`);
  return [...new Set(entries)];
}
