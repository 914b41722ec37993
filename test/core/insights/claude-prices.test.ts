// The price table: what one request costs, by model, with the cache and Haiku 5.5's long-prompt rates.
import { describe, expect, it } from 'vitest';
import { costUsd, DEFAULT_MODEL, priceOf, PRICES } from '../../../src/core/insights/prices';

describe('costUsd', () => {
  it('prices input, output, cache writes and cache reads at their own rates', () => {
    // Haiku 5.5: $0.10 in, $0.50 out, $0.125 cache write, $0.01 cache read per million tokens.
    const cost = costUsd('claude-haiku-5-5', {
      inputTokens: 1_000,
      outputTokens: 2_000,
      cacheWriteTokens: 10_000,
      cacheReadTokens: 50_000,
    });
    expect(cost).toBeCloseTo((1_000 * 0.1 + 2_000 * 0.5 + 10_000 * 0.125 + 50_000 * 0.01) / 1e6, 12);
  });

  it('bills a Haiku 5.5 prompt over 100,000 tokens at the long-prompt rates, output included', () => {
    const cost = costUsd('claude-haiku-5-5', {
      inputTokens: 60_000,
      cacheReadTokens: 50_000,
      outputTokens: 1_000,
    });
    expect(cost).toBeCloseTo((60_000 * 0.5 + 50_000 * 0.05 + 1_000 * 2.5) / 1e6, 12);
  });

  it('knows a dated model id by its alias, and no price for an unknown model', () => {
    expect(priceOf('claude-haiku-4-5-20251001')).toBe(PRICES['claude-haiku-4-5']);
    expect(costUsd('claude-unknown-9', { inputTokens: 1, outputTokens: 1 })).toBeUndefined();
  });

  it('has a price for the default model, and every price is sane', () => {
    expect(priceOf(DEFAULT_MODEL)).toBeDefined();
    for (const [model, p] of Object.entries(PRICES)) {
      expect(p.cacheRead, model).toBeLessThan(p.input);
      expect(p.cacheWrite, model).toBeGreaterThan(p.input);
      expect(p.output, model).toBeGreaterThan(p.input);
    }
  });
});
