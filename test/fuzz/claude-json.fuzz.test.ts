// The reader of Claude's streamed JSON answer under fuzzing: answers shaped like the engine's
// (`{"insights":[{…},{…}]}`, with a preamble or a code fence), mutated, and cut into chunks
// anywhere (inside strings, escapes, numbers). push never throws; the elements it hands out do not
// depend on where the chunks were cut; for an answer that is valid JSON they are its array's
// objects, in order.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { readArrayElements } from '../../src/core/insights/partial-json';
import { generateLibrary } from '../fixtures/library/generate';
import { mutant } from './mutate';
import { attempt, params, Tally, tally, TIMEOUT } from './runs';

const library = generateLibrary({ episodes: 1, insightsPerEpisode: 6 });
const ANSWER = {
  insights: library.insights.map(({ text, quote, start, end, topics, importance }) => ({
    text: `${text} "quoted" \\ \u00e9 \ud83d\ude00`,
    quote,
    start,
    end,
    topics,
    importance,
  })),
};
const TEXT = JSON.stringify(ANSWER);
const SEEDS = [
  TEXT,
  JSON.stringify(ANSWER, null, 2),
  `Here you are:\n\`\`\`json\n${TEXT}\n\`\`\``,
  `{"note":"x","insights":[],"insights":${JSON.stringify(ANSWER.insights)}}`,
  `{"note":{"insights":[{}]},"insights":${JSON.stringify(ANSWER.insights)}}`,
];
const TOKENS = ['{', '}', '[', ']', '"', '\\', '\\"', ',', ':', '"insights":', '{"insights":['];

/** Equal as JSON; elements nested too deep to stringify (20,000 brackets) are compared by count. */
function same(a: unknown[], b: unknown[]): boolean {
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return a.length === b.length;
  }
}

/** The elements a reader hands out for `text` cut at `cuts`. */
function read(text: string, cuts: number[]): unknown[] {
  const reader = readArrayElements('insights');
  const out: unknown[] = [];
  let from = 0;
  for (const cut of [...cuts.map((c) => c % (text.length + 1)).sort((a, b) => a - b), text.length]) {
    out.push(...reader.push(text.slice(from, cut)));
    from = cut;
  }
  if (reader.count !== out.length)
    throw new Error(`invariant: count ${reader.count}, handed out ${out.length}`);
  return out;
}

describe('streamed insights JSON fuzzing', () => {
  const t = tally('Claude streamed JSON (readArrayElements)');
  const scratch = new Tally('reader');

  for (const [name, inputs] of [
    ['answers as written', fc.constantFrom(...SEEDS)],
    ['mutated answers', mutant(SEEDS, TOKENS)],
  ] as const)
    it(
      name,
      () => {
        fc.assert(
          fc.property(inputs, fc.array(fc.nat(), { maxLength: 30 }), (text, cuts) => {
            const result = attempt(
              scratch,
              text.length,
              () => undefined,
              () => read(text, cuts),
            );
            const got = result.ok ? result.value : [];
            // The reader never throws; an answer without a complete element is its refusal.
            if (got.length > 0) t.accept();
            else t.reject('no element');
            if (!same(read(text, []), got)) throw new Error('invariant: depends on the cuts');
            // With the key twice the reader takes the first array (as documented), JSON.parse the last.
            if (text.split('"insights"').length > 2) return;
            let whole: unknown;
            try {
              whole = JSON.parse(text);
            } catch {
              return;
            }
            const list = (whole as { insights?: unknown } | null)?.insights;
            if (!Array.isArray(list)) return;
            const expected = list.filter((e) => typeof e === 'object' && e !== null);
            if (!same(expected, got)) throw new Error('invariant: not the array of valid JSON');
          }),
          params(),
        );
      },
      TIMEOUT,
    );
});
