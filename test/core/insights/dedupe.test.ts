// Near-duplicate insights and stable ids: the same claim found twice is kept once, and the same
// quote at the same second always gets the same id (a resumed job never duplicates).
import { describe, expect, it } from 'vitest';
import { isNearDuplicate, jaccard, mergeInsights } from '../../../src/core/insights/dedupe';
import { insightId } from '../../../src/core/insights/ids';
import type { Insight } from '../../../src/core/types';

function insight(partial: Partial<Insight> & Pick<Insight, 'quote' | 'start'>): Insight {
  return {
    id: insightId(partial.quote, partial.start),
    text: partial.quote,
    topics: [],
    importance: 3,
    ...partial,
  };
}

const spacing = insight({
  text: 'Spacing reviews over days beats cramming.',
  quote: 'Spacing your reviews over several days works better than cramming them into one sitting.',
  start: 88.4,
});

describe('isNearDuplicate', () => {
  it.each<[string, Insight, boolean]>([
    ['the same insight', { ...spacing }, true],
    ['the same id, other words', { ...spacing, text: 'Other.', quote: 'Other words.', start: 500 }, true],
    [
      'a quote inside the other (the model quoted less)',
      insight({ text: 'Cramming loses.', quote: 'works better than cramming them', start: 88.4 }),
      true,
    ],
    [
      'overlapping quote at the same moment, reworded text',
      insight({
        text: 'Reviews should be spread out.',
        quote: 'Spacing your reviews over several days works better than cramming',
        start: 90,
      }),
      true,
    ],
    [
      'similar text a minute later',
      insight({
        text: 'Spacing reviews over days beats cramming them.',
        quote: 'So a minute today, a minute in two days, and a minute next week.',
        start: 150,
      }),
      true,
    ],
    [
      'the same claim in the recap, minutes later',
      insight({
        text: 'Spacing reviews over days beats cramming.',
        quote: 'space your reviews',
        start: 900,
      }),
      true,
    ],
    [
      'another claim at the same moment',
      insight({
        text: 'Linking a new idea to an old one makes it stick.',
        quote: 'Linking a new idea to one you already hold makes it much more likely to stick.',
        start: 95,
      }),
      false,
    ],
    [
      'a short common phrase said again elsewhere',
      insight({ text: 'Several days matter for sleep too.', quote: 'several days', start: 1500 }),
      false,
    ],
    [
      'a different claim about the same topic, far away',
      insight({
        text: 'Reviews work best in the morning.',
        quote: 'Reviews work best in the morning, before the day gets busy.',
        start: 1200,
      }),
      false,
    ],
  ])('%s → %s', (_name, other, expected) => {
    expect(isNearDuplicate(spacing, other)).toBe(expected);
    expect(isNearDuplicate(other, spacing)).toBe(expected);
  });

  it('jaccard', () => {
    expect(jaccard(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3);
    expect(jaccard(new Set(), new Set())).toBe(0);
  });
});

describe('mergeInsights', () => {
  const a = insight({ quote: 'Alpha claims one thing about memory.', start: 10, importance: 2 });
  const b = insight({ quote: 'Beta says something else entirely about speed.', start: 50, importance: 4 });
  const aBetter = { ...insight({ quote: 'Alpha claims one thing', start: 10, importance: 5 }) };
  const c = insight({ quote: 'Gamma is about archives and lists.', start: 30, importance: 3 });

  it('keeps one of each near-duplicate pair, the more important one, in time order', () => {
    expect(mergeInsights([a, b], [aBetter, c])).toEqual([aBetter, c, b]);
  });

  it('keeps the one already stored on a tie', () => {
    const twin = { ...a, id: 'ins_other', text: 'Alpha, reworded.' };
    expect(mergeInsights([a], [twin])).toEqual([a]);
  });

  it('merges duplicates within the incoming list, and is idempotent', () => {
    const once = mergeInsights([], [b, a, c, b, { ...a }]);
    expect(once).toEqual([a, c, b]);
    expect(mergeInsights(once, once)).toEqual(once);
  });
});

describe('insightId', () => {
  it('is ins_ and a short hash, the same for the same quote and second', () => {
    const id = insightId('Spacing your reviews works better.', 88.421);
    expect(id).toMatch(/^ins_[0-9a-z]{11}$/);
    expect(insightId('Spacing your reviews works better.', 88.421)).toBe(id);
    expect(insightId('spacing YOUR reviews — works better', 88.2)).toBe(id);
  });

  it.each<[string, string, number]>([
    ['another second', 'Spacing your reviews works better.', 90],
    ['another quote', 'Spacing your reviews works worse.', 88.421],
  ])('differs for %s', (_name, quote, start) => {
    expect(insightId(quote, start)).not.toBe(insightId('Spacing your reviews works better.', 88.421));
  });

  it('rarely collides', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20_000; i++) ids.add(insightId(`quote number ${i}`, i % 700));
    expect(ids.size).toBe(20_000);
  });
});
