// What Claude costs, in one place: US dollars per million tokens (MTok) for each model, and the
// default model. Prices as listed on platform.claude.com/docs/en/about-claude/pricing, checked
// 2026-11-29; they change, so re-check this table when a model is added or a price moves.
//
// `cacheWrite` is the 5-minute cache write (what `cache_control: { type: 'ephemeral' }` buys);
// `cacheRead` is a cache hit. Haiku 5.5 bills a request whose prompt (input + cache reads + cache
// writes) is over 100,000 tokens at higher rates on every token of it: `longPrompt` holds those.

/** The model used when the user has not chosen one: the current low-cost Haiku. */
export const DEFAULT_MODEL = 'claude-haiku-5-5';

export type Rates = { input: number; output: number; cacheWrite: number; cacheRead: number };
export type ModelPrice = Rates & { longPrompt?: { overTokens: number } & Rates };

export const PRICES_CHECKED = '2026-11-29';

export const PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-haiku-5-5': {
    input: 0.1,
    output: 0.5,
    cacheWrite: 0.125,
    cacheRead: 0.01,
    longPrompt: { overTokens: 100_000, input: 0.5, output: 2.5, cacheWrite: 0.625, cacheRead: 0.05 },
  },
  'claude-haiku-4-5': { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
  // Sonnet 5.5's cache reads went from $0.20 to $0.10 on 2026-10-07.
  'claude-sonnet-5-5': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.1 },
  'claude-sonnet-5': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.2 },
  'claude-sonnet-4-6': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-sonnet-4-5': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-opus-5-5': { input: 4, output: 20, cacheWrite: 5, cacheRead: 0.2 },
  'claude-opus-5': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  'claude-opus-4-8': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  'claude-opus-4-7': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  'claude-opus-4-6': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  'claude-opus-4-5': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
};

/** Token counts as the API reports them in `usage`. */
export type TokenUsage = {
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens?: number;
  cacheReadTokens?: number;
};

/**
 * The price of a model: exact id first, then without a date suffix ("claude-haiku-4-5-20251001"),
 * else undefined (an unknown model: cost is not shown rather than guessed).
 */
export function priceOf(model: string): ModelPrice | undefined {
  // Own keys only: a model named "constructor" is no price.
  const own = (name: string) => (Object.hasOwn(PRICES, name) ? PRICES[name] : undefined);
  return own(model) ?? own(model.replace(/-\d{8}$/, ''));
}

/** Dollars for one request's usage, or undefined for a model not in the table. */
export function costUsd(model: string, usage: TokenUsage): number | undefined {
  const price = priceOf(model);
  if (!price) return undefined;
  const write = usage.cacheWriteTokens ?? 0;
  const read = usage.cacheReadTokens ?? 0;
  const prompt = usage.inputTokens + write + read;
  const rates = price.longPrompt && prompt > price.longPrompt.overTokens ? price.longPrompt : price;
  return (
    (usage.inputTokens * rates.input +
      usage.outputTokens * rates.output +
      write * rates.cacheWrite +
      read * rates.cacheRead) /
    1_000_000
  );
}
