// Podcasting 2.0 JSON transcripts under fuzzing: the fixtures mutated as text and as JSON values
// (wrong types, huge and NaN-like times, deep nesting), and generated segment lists. The result is
// a clean Transcript or a TranscriptError; parsePodcastJson itself throws nothing else.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { isPodcastJson, parsePodcastJson } from '../../src/core/transcript/json';
import { TranscriptError } from '../../src/core/transcript/errors';
import type { Transcript } from '../../src/core/types';
import { fixture } from '../core/transcript/support';
import { cueLine } from './cue-files';
import { jsonTextMutant, weird } from './json-mutate';
import { mutant } from './mutate';
import { params, tally, TIMEOUT } from './runs';
import { checkTranscript, hints } from './transcript';

const TEXTS = ['episode.json', 'words-spaced.json'].map(fixture);
const VALUES = TEXTS.map((s) => JSON.parse(s) as unknown);
const TOKENS = [
  '{"body":" "}',
  '"startTime":',
  '"endTime":',
  '"speaker":',
  '"segments":[]',
  ',{}',
  '"body":"<b>x</b>"',
];

/** What parseTranscript does with a JSON body, minus the sniffing: the Podcasting 2.0 reader. */
function direct(head: string): Transcript {
  let value: unknown;
  try {
    value = JSON.parse(head);
  } catch {
    throw new TranscriptError('malformed', 'Not JSON.');
  }
  if (!isPodcastJson(value)) throw new TranscriptError('unknown-format', 'Not Podcasting 2.0 JSON.');
  return parsePodcastJson(value);
}

const time = fc.oneof(fc.double({ min: 0, max: 10_000, noNaN: true }), weird);
const segment = fc.record(
  {
    speaker: fc.oneof(fc.constantFrom('Ann', 'Bo', ' ', ''), weird),
    startTime: time,
    endTime: time,
    body: fc.oneof(
      { weight: 3, arbitrary: cueLine },
      { weight: 2, arbitrary: fc.constantFrom(' ', ',', '.', '(', '“', 'word', ' word', 'word ', '\n') },
      weird,
    ),
  },
  { requiredKeys: [] },
);
const generated = fc
  .record({
    version: weird,
    segments: fc.array(fc.oneof({ weight: 9, arbitrary: segment }, weird), { maxLength: 200 }),
  })
  .map((v) => JSON.stringify(v));

describe('Podcasting 2.0 JSON fuzzing', () => {
  const t = tally('Podcasting 2.0 JSON');

  for (const [name, inputs] of [
    ['mutated fixture text', mutant(TEXTS, TOKENS)],
    ['mutated fixture values', jsonTextMutant(VALUES)],
    ['generated segment lists', generated],
  ] as const)
    it(
      name,
      () => {
        fc.assert(
          fc.property(inputs, hints, (body, hint) => checkTranscript(t, body, hint, direct)),
          params(),
        );
      },
      TIMEOUT,
    );
});
