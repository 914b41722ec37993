// Structure-aware mutations of JSON inputs: take a fixture's parsed value and, at one to four of
// its nodes, put a value of the wrong type (huge and NaN-like numbers, odd strings, deep nesting,
// random JSON), delete a key, duplicate an array's items or add a stray key. The result is still
// JSON (so the parser, not JSON.parse, is what is tested); `weird` values also go to the parsers
// that take objects.
import fc from 'fast-check';
import { BOMBS, WEIRD_NUMBERS } from './mutate';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const nested = (depth: number, leaf: Json): Json => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

/** Values of every type, biased to the ones parsers forget: extremes, NaN-like text, markup, nesting. */
export const weird: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -0,
    -1,
    1e308,
    -1e308,
    5e-324,
    2 ** 53 + 2,
    2 ** 32,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    '',
    ' ',
    '\u0000',
    '\uD800',
    '<b>bold</b> &amp; &lt;i&gt;',
    'https://',
    'javascript:alert(1)',
    '__proto__',
    'constructor',
    [],
    {},
    [null],
    { '': '' },
    'x'.repeat(20_000),
    ...WEIRD_NUMBERS,
    ...BOMBS.slice(0, 3),
  ),
  fc.double(),
  fc.integer(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 50, max: 2000 }).map((depth) => nested(depth, 'deep')),
);

type Change =
  | { op: 'replace'; node: number; value: unknown }
  | { op: 'delete'; node: number }
  | { op: 'duplicate'; node: number; times: number }
  | { op: 'add-key'; node: number; key: string; value: unknown };

/** Every container and leaf of a value, as paths from the root (root first). */
function paths(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(path);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...path, i], out));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) paths(v, [...path, k], out);
  return out;
}

/** The object holding `path`'s last key, or undefined when an earlier change replaced the way there. */
function parentOf(
  root: unknown,
  path: readonly (string | number)[],
): Record<string | number, unknown> | undefined {
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>) : undefined;
}

/** Sets an own property, even `__proto__` (as JSON.parse does; assignment would set the prototype). */
const define = (target: object, key: string | number, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

function applyChange(root: unknown, all: (string | number)[][], c: Change): unknown {
  const path = all[c.node % all.length] ?? [];
  if (path.length === 0) {
    if (c.op === 'replace') return c.value;
    if (c.op === 'add-key' && root !== null && typeof root === 'object' && !Array.isArray(root))
      return { ...root, [c.key]: c.value };
    return root;
  }
  const parent = parentOf(root, path);
  const key = path[path.length - 1] as string | number;
  if (!parent) return root;
  switch (c.op) {
    case 'replace':
      define(parent, key, c.value);
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 'duplicate': {
      const value = parent[key];
      if (Array.isArray(value)) {
        const copy = value.slice(0, 50);
        // At most ~2 MB of JSON more: the inputs stay in the size the hang check covers.
        const size = (JSON.stringify(copy) ?? '').length + 1;
        const times = Math.min(c.times, Math.floor(2_000_000 / size));
        for (let i = 0; i < times; i++) value.push(...copy);
      }
      break;
    }
    case 'add-key': {
      const value = parent[key];
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) define(value, c.key, c.value);
      break;
    }
  }
  return root;
}

const change: fc.Arbitrary<Change> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('replace' as const), node: fc.nat(), value: weird }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), node: fc.nat() }) },
  fc.record({
    op: fc.constant('duplicate' as const),
    node: fc.nat(),
    times: fc.integer({ min: 1, max: 200 }),
  }),
  fc.record({
    op: fc.constant('add-key' as const),
    node: fc.nat(),
    key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', ''), fc.string({ maxLength: 10 })),
    value: weird,
  }),
);

/** One of the values with 1–4 changes (each a fresh copy: the seeds are never changed). */
export function jsonMutant(seeds: readonly unknown[]): fc.Arbitrary<unknown> {
  const indexed = seeds.map((seed) => ({ seed, all: paths(seed) }));
  return fc
    .tuple(fc.constantFrom(...indexed), fc.array(change, { minLength: 1, maxLength: 4 }))
    .map(([{ seed, all }, changes]) =>
      changes.reduce((v, c) => applyChange(v, all, c), structuredClone(seed)),
    );
}

/** `jsonMutant` as text, as the parser would receive it (NaN and Infinity become null). */
export function jsonTextMutant(seeds: readonly unknown[]): fc.Arbitrary<string> {
  return jsonMutant(seeds).map((value) => JSON.stringify(value) ?? 'undefined');
}

export type { Json };
