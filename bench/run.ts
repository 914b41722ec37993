// `npm run bench` (= `npm run build && tsx bench/run.ts`): runs every benchmark, prints a table and
// writes bench/results.json as { "<name>": { value, unit, target, better } }.
// Benchmarks report, tests gate: a missed target prints OVER/UNDER and still exits 0. A missing
// build or a missing file that the build references exits 1 with one line on stderr.
//   tsx bench/run.ts              all benchmarks (expects a fresh dist/chrome)
//   tsx bench/run.ts --verbose    also lists the files counted in each bundle
//
// To add a benchmark: write a function returning BenchResult (or several) and add it to
// BENCHMARKS. Deterministic measurements run once; timing ones use `timed(fn, runs)`, which
// returns the median of several runs, and say how in bench/README.md.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleEntries, collectBundle, readManifest, type Bundle, type BundleKind } from './lib/bundle';
import { BenchError, meetsTarget, round, type Benchmark, type BenchResult } from './lib/harness';
import { audioDecodeBenchmarks } from './audio-decode';
import { claudeBenchmarks } from './insights-claude';
import { localEngineBenchmarks } from './insights-local';
import { libraryBenchmarks } from './library';
import { popupBenchmarks } from './popup-render';
import { parseFeedBenchmark } from './parse-feed';
import { transcriptBenchmarks } from './parse-transcripts';
import { scanBenchmark } from './scan';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist', 'chrome');
const RESULTS = join(ROOT, 'bench', 'results.json');

/** Bundles measured, kept for --verbose. */
const bundles = new Map<string, Bundle>();

/** Gzip kB (1 kB = 1024 bytes) of everything the part of the extension loads, from its manifest entry. */
function bundleSize(kind: BundleKind, target: number): Benchmark {
  return () => {
    const bundle = collectBundle(DIST, bundleEntries(readManifest(DIST), kind));
    const name = `bundle.${kind}.gzip_kb`;
    bundles.set(name, bundle);
    return { name, value: round(bundle.gzipBytes / 1024), unit: 'kB', target, better: 'lower' };
  };
}

const BENCHMARKS: Benchmark[] = [
  bundleSize('content', 25),
  bundleSize('worker', 80),
  bundleSize('popup', 25),
  parseFeedBenchmark,
  ...transcriptBenchmarks,
  ...localEngineBenchmarks,
  claudeBenchmarks,
  ...libraryBenchmarks,
  popupBenchmarks,
  scanBenchmark,
  audioDecodeBenchmarks,
];

function table(results: readonly BenchResult[]): string {
  const header = ['name', 'value', 'unit', 'target', 'better', ''];
  const rows = results.map((r) => [
    r.name,
    String(r.value),
    r.unit,
    String(r.target),
    r.better,
    meetsTarget(r) ? 'ok' : r.better === 'lower' ? 'OVER' : 'UNDER',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const numeric = new Set([1, 3]); // value and target are right-aligned
  const line = (row: string[]): string =>
    row
      .map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function fileList(name: string, bundle: Bundle): string {
  const kb = (bytes: number): string => (bytes / 1024).toFixed(2).padStart(8);
  const lines = [`${name}  (entries: ${bundle.entries.join(', ')})`];
  for (const f of [...bundle.files].sort((a, b) => b.gzipBytes - a.gzipBytes)) {
    lines.push(`  ${kb(f.gzipBytes)} kB gz ${kb(f.bytes)} kB raw  ${f.path}`);
  }
  for (const note of bundle.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: { verbose: { type: 'boolean', short: 'v', default: false } },
  });
  const results: BenchResult[] = [];
  for (const bench of BENCHMARKS) {
    const out = await bench();
    results.push(...(Array.isArray(out) ? out : [out]));
  }

  const json: Record<string, Omit<BenchResult, 'name'>> = {};
  for (const { name, value, unit, target, better } of results) {
    if (name in json) throw new BenchError(`two benchmarks are named ${name}`);
    if (!Number.isFinite(value)) throw new BenchError(`${name} measured ${value}, not a number`);
    json[name] = { value, unit, target, better };
  }
  writeFileSync(RESULTS, `${JSON.stringify(json, null, 2)}\n`);

  console.log(table(results));
  if (args.verbose) for (const [name, bundle] of bundles) console.log(`\n${fileList(name, bundle)}`);
  console.log(`\nwrote ${join('bench', 'results.json')}`);
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`bench: ${message.split('\n')[0]}`);
  if (!(err instanceof BenchError) && err instanceof Error && process.env.BENCH_DEBUG)
    console.error(err.stack);
  process.exit(1);
});
