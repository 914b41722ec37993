// What every fuzz suite shares: how many inputs to try (FUZZ_RUNS, short by default so `npm test`
// stays quick; `npm run fuzz` asks for 10,000), a fixed seed (FUZZ_SEED replays another; fast-check
// prints the seed and path of any failure), the one check each input goes through (the parse ends
// in a value or the parser's own error, within HANG_MS), and the tally of what came of it, written
// to FUZZ_REPORT for scripts/fuzz.mjs to print as a table.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type fc from 'fast-check';
import { afterAll, expect } from 'vitest';

const env = (name: string): number | undefined => {
  const value = Number(process.env[name]);
  return process.env[name] && Number.isSafeInteger(value) ? value : undefined;
};

/** Inputs a property tries. 300 keeps test/fuzz around 25 s on two cores. */
export const RUNS = env('FUZZ_RUNS') ?? 300;
export const SEED = env('FUZZ_SEED') ?? 0x0ea4_2026;
/** A parse slower than this on an input under 1 MB is a hang (ReDoS, quadratic scan). */
export const HANG_MS = 2000;
/** Per test: generous, since the hang check already catches a slow input. */
export const TIMEOUT = 60_000 + RUNS * 100;

/** fast-check's parameters for one property. */
export function params<T>(runs = RUNS): fc.Parameters<T> {
  return { numRuns: runs, seed: SEED };
}

/** What came of the inputs fed to one parser. */
export class Tally {
  tried = 0;
  accepted = 0;
  readonly rejected = new Map<string, number>();
  private readonly started = performance.now();

  constructor(readonly parser: string) {}

  accept(): void {
    this.tried++;
    this.accepted++;
  }

  reject(code: string): void {
    this.tried++;
    this.rejected.set(code, (this.rejected.get(code) ?? 0) + 1);
  }

  /** One JSON line for the report. */
  line(): string {
    const rejected = Object.fromEntries([...this.rejected].sort((a, b) => b[1] - a[1]));
    const ms = Math.round(performance.now() - this.started);
    return JSON.stringify({ parser: this.parser, tried: this.tried, accepted: this.accepted, rejected, ms });
  }
}

/** A tally for this file's parser; at the end of the file it is checked and reported. */
export function tally(parser: string): Tally {
  const t = new Tally(parser);
  afterAll(() => {
    // A property that silently ran nothing would pass: every parser must have been fed.
    expect(t.tried, `${parser}: inputs tried`).toBeGreaterThan(0);
    const dir = process.env.FUZZ_REPORT;
    if (dir) appendFileSync(join(dir, 'tallies.jsonl'), `${t.line()}\n`);
  });
  return t;
}

/** The error code of a parser's own error class, or undefined for any other throw. */
export type Typed = (err: unknown) => string | undefined;

/** `Typed` for an error class: its `code` when it has one, else its name. Messages must be words. */
export function typedBy<E extends Error>(
  cls: abstract new (...args: never[]) => E,
  code?: (e: E) => string,
): Typed {
  return (err) => {
    if (!(err instanceof cls) || typeof err.message !== 'string' || err.message.trim() === '')
      return undefined;
    return code ? code(err) : cls.name;
  };
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: string };

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : `non-error ${typeof err}: ${String(err)}`;
}

const slow = (size: number, ms: number) => ms > HANG_MS && size < 1_000_000;

function failIfSlow(size: number, ms: number): void {
  if (slow(size, ms)) throw new Error(`hang: the parse took ${Math.round(ms)} ms on ${size} characters`);
}

/**
 * Fails on a parse over HANG_MS of an input under 1 MB. A slow parse is timed twice more and only
 * the fastest run counts: on a shared two-core machine a build can stall any one run for seconds.
 */
function timedSync(size: number, ms: number, again: () => unknown): void {
  let fastest = ms;
  for (let i = 0; i < 2 && slow(size, fastest); i++) {
    const started = performance.now();
    try {
      again();
    } catch {
      // Its outcome is known already; only its time matters here.
    }
    fastest = Math.min(fastest, performance.now() - started);
  }
  failIfSlow(size, fastest);
}

async function timed(size: number, ms: number, again: () => Promise<unknown>): Promise<void> {
  let fastest = ms;
  for (let i = 0; i < 2 && slow(size, fastest); i++) {
    const started = performance.now();
    await again().catch(() => undefined);
    fastest = Math.min(fastest, performance.now() - started);
  }
  failIfSlow(size, fastest);
}

/**
 * Runs one parse: a value (accepted), the parser's own error (rejected, by code), or a failure of
 * the property for anything else thrown, and for a parse over HANG_MS. `size` is the input's length.
 */
export function attempt<T>(t: Tally, size: number, typed: Typed, parse: () => T): Outcome<T> {
  const started = performance.now();
  let outcome: Outcome<T>;
  try {
    outcome = { ok: true, value: parse() };
  } catch (err) {
    const code = typed(err);
    if (code === undefined) throw new Error(`untyped throw: ${describe(err)}`, { cause: err });
    outcome = { ok: false, code };
  }
  timedSync(size, performance.now() - started, parse);
  if (outcome.ok) t.accept();
  else t.reject(outcome.code);
  return outcome;
}

/** `attempt` for an async parse (the router). */
export async function attemptAsync<T>(
  t: Tally,
  size: number,
  typed: Typed,
  parse: () => Promise<T>,
): Promise<Outcome<T>> {
  const started = performance.now();
  let outcome: Outcome<T>;
  try {
    outcome = { ok: true, value: await parse() };
  } catch (err) {
    const code = typed(err);
    if (code === undefined) throw new Error(`untyped throw: ${describe(err)}`, { cause: err });
    outcome = { ok: false, code };
  }
  await timed(size, performance.now() - started, parse);
  if (outcome.ok) t.accept();
  else t.reject(outcome.code);
  return outcome;
}
