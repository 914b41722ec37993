// The pieces every benchmark shares: the result shape written to bench/results.json, the error
// that stops the run with one clear line, and the helpers timing benchmarks use (median of runs).

export type Better = 'lower' | 'higher';

/** One row of the table and one entry of bench/results.json (keyed by `name`). */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  target: number;
  better: Better;
}

/**
 * A benchmark: returns one result, or several when one measurement yields several numbers
 * (e.g. p95 and a ratio from the same runs). Timing benchmarks run their work several times
 * with `timed` and report the median; deterministic ones (bundle sizes) measure once.
 */
export type Benchmark = () => BenchResult | BenchResult[] | Promise<BenchResult | BenchResult[]>;

/** A problem that makes the numbers meaningless (missing build, missing file): reported on one line. */
export class BenchError extends Error {
  override name = 'BenchError';
}

/** The median of some samples (the mean of the two middle ones when their count is even). */
export function median(runs: readonly number[]): number {
  if (runs.length === 0) throw new BenchError('median of no runs');
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const hi = sorted[mid] as number;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] as number) + hi) / 2;
}

/** Percentile `p` (0–100) by nearest rank, for latency benchmarks such as `*.query_p95_ms`. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new BenchError('percentile of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export interface TimedOptions {
  /** Runs done first and thrown away (JIT warm-up, caches). Default 1. */
  warmup?: number;
}

/**
 * Runs `fn` `warmup` times untimed, then `runs` times timed with performance.now(), one after
 * another, and returns the median duration in milliseconds. `fn` may be async; it is awaited.
 */
export async function timed(
  fn: () => unknown,
  runs: number = 5,
  { warmup = 1 }: TimedOptions = {},
): Promise<number> {
  if (!Number.isInteger(runs) || runs < 1) throw new BenchError(`timed: runs must be ≥ 1, got ${runs}`);
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

/** Rounds to `digits` decimals (2 by default), the precision results.json keeps. */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Whether a result meets its target, in the direction `better` says. */
export function meetsTarget(r: BenchResult): boolean {
  return r.better === 'lower' ? r.value <= r.target : r.value >= r.target;
}
