// YouTube's caption files under fuzzing: json3 (mutated as text and as JSON values, and
// generated events) and the srv3 and srv1 XML (mutated, and generated). parseTranscript gives a
// clean Transcript or a TranscriptError; parseJson3 and parseTimedTextXml throw nothing else.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { TranscriptError } from '../../src/core/transcript/errors';
import { isJson3, parseJson3, parseTimedTextXml } from '../../src/core/transcript/youtube';
import type { Transcript } from '../../src/core/types';
import { fixture } from '../core/transcript/support';
import { cueLine } from './cue-files';
import { jsonTextMutant, weird } from './json-mutate';
import { mutant, WEIRD_NUMBERS } from './mutate';
import { params, tally, TIMEOUT } from './runs';
import { checkTranscript, hints } from './transcript';

const JSON3 = ['json3-auto.json', 'json3-manual.json'].map(fixture);
const XML = ['srv3.xml', 'srv1.xml'].map(fixture);
const JSON3_TOKENS = ['{"utf8":"\\n"}', '"tOffsetMs":', '"tStartMs":', '"segs":[]', '"events":[]', ',{}'];
const XML_TOKENS = [
  '<p t="1" d="2">',
  '</p>',
  '<s t="5">',
  '</s>',
  '<br/>',
  '<text start="1" dur="2">',
  '</text>',
  '&amp;#39;',
];

function json3(head: string): Transcript {
  let value: unknown;
  try {
    value = JSON.parse(head);
  } catch {
    throw new TranscriptError('malformed', 'Not JSON.');
  }
  if (!isJson3(value)) throw new TranscriptError('unknown-format', 'Not json3.');
  return parseJson3(value);
}

const number = fc.oneof(fc.nat(10_000_000), fc.constantFrom(...WEIRD_NUMBERS));
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

const json3Events = fc
  .array(
    fc.record(
      {
        tStartMs: fc.oneof(fc.nat(10_000_000), weird),
        dDurationMs: fc.oneof(fc.nat(100_000), weird),
        segs: fc.oneof(
          fc.array(
            fc.record(
              {
                utf8: fc.oneof(cueLine, fc.constantFrom('\n', ' ', ' word')),
                tOffsetMs: fc.oneof(fc.nat(10_000), weird),
              },
              { requiredKeys: ['utf8'] },
            ),
            { maxLength: 12 },
          ),
          weird,
        ),
      },
      { requiredKeys: [] },
    ),
    { maxLength: 80 },
  )
  .map((events) => JSON.stringify({ wireMagic: 'pb3', events }));

const srv3 = fc
  .array(
    fc.record({
      t: number,
      d: number,
      segs: fc.array(fc.record({ t: fc.option(number), text: cueLine }), { maxLength: 8 }),
      br: fc.boolean(),
    }),
    { maxLength: 60 },
  )
  .map(
    (ps) =>
      `<?xml version="1.0" encoding="utf-8" ?><timedtext format="3"><body>${ps
        .map(
          (p) =>
            `<p t="${p.t}" d="${p.d}">${p.segs
              .map(
                (s) => `<s${s.t === null ? '' : ` t="${s.t}"`}>${escape(s.text)}</s>${p.br ? '<br/>' : ''}`,
              )
              .join('')}</p>`,
        )
        .join('\n')}</body></timedtext>`,
  );

const srv1 = fc
  .array(fc.record({ start: number, dur: number, text: cueLine, twice: fc.boolean() }), { maxLength: 60 })
  .map(
    (texts) =>
      `<?xml version="1.0" encoding="utf-8" ?><transcript>${texts
        .map(
          (x) =>
            `<text start="${x.start}" dur="${x.dur}">${x.twice ? escape(escape(x.text)) : escape(x.text)}</text>`,
        )
        .join('\n')}</transcript>`,
  );

describe('YouTube caption files fuzzing', () => {
  const j = tally('YouTube json3');
  const x = tally('YouTube srv3/srv1');

  for (const [name, inputs] of [
    ['json3: mutated fixture text', mutant(JSON3, JSON3_TOKENS)],
    ['json3: mutated fixture values', jsonTextMutant(JSON3.map((s) => JSON.parse(s) as unknown))],
    ['json3: generated events', json3Events],
  ] as const)
    it(
      name,
      () => {
        fc.assert(
          fc.property(inputs, hints, (body, hint) => checkTranscript(j, body, hint, json3)),
          params(),
        );
      },
      TIMEOUT,
    );

  for (const [name, inputs] of [
    ['srv3/srv1: mutated fixtures', mutant(XML, XML_TOKENS)],
    ['srv3: generated', srv3],
    ['srv1: generated', srv1],
  ] as const)
    it(
      name,
      () => {
        fc.assert(
          fc.property(inputs, hints, (body, hint) => checkTranscript(x, body, hint, parseTimedTextXml)),
          params(),
        );
      },
      TIMEOUT,
    );
});
