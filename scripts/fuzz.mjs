// `npm run fuzz`: the fuzz suites (test/fuzz) long, 10,000 inputs a property unless FUZZ_RUNS says
// otherwise (FUZZ_SEED replays another seed), then a table of what each parser was fed: inputs
// tried, accepted, and rejected by error code. A script rather than `FUZZ_RUNS=… vitest` so that
// it also runs where the shell cannot set variables inline (Windows). Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const report = mkdtempSync(join(tmpdir(), 'earmark-fuzz-'));
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const started = Date.now();
const run = spawnSync(
  process.execPath,
  [vitest, 'run', '--project', 'unit', 'test/fuzz', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    env: { ...process.env, FUZZ_RUNS: process.env.FUZZ_RUNS ?? '10000', FUZZ_REPORT: report },
  },
);

let lines = [];
try {
  lines = readFileSync(join(report, 'tallies.jsonl'), 'utf8').trim().split('\n').filter(Boolean);
} catch {
  // No suite finished: vitest has said why.
}
rmSync(report, { recursive: true, force: true });

const rows = lines.map((line) => JSON.parse(line)).sort((a, b) => a.parser.localeCompare(b.parser));
const num = (n) => n.toLocaleString('en-US');
const width = Math.max(6, ...rows.map((r) => r.parser.length));
console.log(
  `\nFuzzing: FUZZ_RUNS=${process.env.FUZZ_RUNS ?? '10000'} per property, ${Math.round((Date.now() - started) / 1000)} s`,
);
console.log(`${'parser'.padEnd(width)}  ${'tried'.padStart(8)}  ${'accepted'.padStart(8)}  rejected by code`);
for (const r of rows) {
  const rejected = Object.entries(r.rejected)
    .map(([code, n]) => `${code} ${num(n)}`)
    .join(', ');
  console.log(
    `${r.parser.padEnd(width)}  ${num(r.tried).padStart(8)}  ${num(r.accepted).padStart(8)}  ${rejected || '-'}`,
  );
}
process.exit(run.status ?? 1);
