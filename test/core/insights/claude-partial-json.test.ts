// The incremental reader of the streamed answer: each element of `insights` comes out as soon as
// its closing brace arrives, however the JSON is cut into chunks.
import { describe, expect, it } from 'vitest';
import { readArrayElements } from '../../../src/core/insights/partial-json';

const answer = {
  insights: [
    {
      paragraph: 'p1',
      quote: 'He said "stop" \\ then {left}.',
      text: 'A [bracket] and a } brace',
      topics: ['a'],
      importance: 3,
    },
    {
      paragraph: 'p2',
      quote: 'Ünïcödé — and an escaped \u2028 line',
      text: 'Nested',
      topics: ['x', 'y'],
      importance: 5,
      extra: { deep: [1, { a: '}' }] },
    },
    { paragraph: 'p3', quote: 'Third', text: 'Three', topics: [], importance: 1 },
  ],
};
const json = JSON.stringify(answer);

function readInChunks(text: string, size: number): unknown[] {
  const reader = readArrayElements('insights');
  const out: unknown[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...reader.push(text.slice(i, i + size)));
  return out;
}

describe('readArrayElements', () => {
  it.each([1, 2, 3, 5, 7, 16, 64, 10_000])(
    'gives every element, in order, in chunks of %i characters',
    (size) => {
      expect(readInChunks(json, size)).toEqual(answer.insights);
    },
  );

  it('gives an element the moment its closing brace arrives, not at the end', () => {
    const reader = readArrayElements('insights');
    const firstEnd = json.indexOf('},{"paragraph":"p2"') + 1;
    expect(reader.push(json.slice(0, firstEnd - 1))).toEqual([]);
    expect(reader.push(json.slice(firstEnd - 1, firstEnd))).toEqual([answer.insights[0]]);
    expect(reader.count).toBe(1);
  });

  it('skips a preamble or a code fence before the JSON, and pretty-printed white space', () => {
    const text = `Here you go:\n\`\`\`json\n${JSON.stringify(answer, null, 2)}\n\`\`\``;
    expect(readInChunks(text, 9)).toEqual(answer.insights);
  });

  it('reads only the array under its key, not arrays elsewhere', () => {
    const text = JSON.stringify({ notes: [{ a: 1 }], insights: [{ b: 2 }], more: { insights: [{ c: 3 }] } });
    expect(readInChunks(text, 4)).toEqual([{ b: 2 }]);
  });

  it('reports an element that is not valid JSON as undefined and goes on', () => {
    const text = '{"insights":[{"a":1},{"b":tru},{"c":3}]}';
    expect(readInChunks(text, 3)).toEqual([{ a: 1 }, undefined, { c: 3 }]);
  });

  it('gives nothing for a cut-off element', () => {
    expect(readInChunks(json.slice(0, json.indexOf('"p3"')), 5)).toEqual(answer.insights.slice(0, 2));
  });

  it('keeps a long answer streaming without holding all of it', () => {
    const many = { insights: Array.from({ length: 500 }, (_, i) => ({ i, quote: 'x'.repeat(50) })) };
    expect(readInChunks(JSON.stringify(many), 37)).toHaveLength(500);
  });
});
