// Plain-text transcripts under fuzzing: the fixture mutated, and generated paragraphs of speaker
// prefixes, sentences, `>>` turns and odd lines. parseTranscript and parsePlainText give a clean
// Transcript (estimated times, never published ones) or a TranscriptError.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { parsePlainText } from '../../src/core/transcript/plain';
import { fixture } from '../core/transcript/support';
import { cueLine } from './cue-files';
import { mutant } from './mutate';
import { params, tally, TIMEOUT } from './runs';
import { checkTranscript, hints } from './transcript';

const SEEDS = [fixture('plain.txt')];
const TOKENS = ['Maya Chen: ', 'Speaker 1: ', '\n\n', '>> ', '[00:01:02] ', 'Mr. ', '. '];

const line = fc.oneof(
  { weight: 4, arbitrary: cueLine },
  fc.constantFrom('', ' ', 'MAYA CHEN:', 'Tom Okafor: Hello.', '[Music]', '00:00:01', '>> right.'),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const text = fc
  .tuple(fc.array(line, { maxLength: 120 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([lines, nl]) => lines.join(nl));

describe('plain-text transcript fuzzing', () => {
  const t = tally('plain text');

  for (const [name, inputs] of [
    ['mutated fixture', mutant(SEEDS, TOKENS)],
    ['generated text', text],
  ] as const)
    it(
      name,
      () => {
        fc.assert(
          fc.property(inputs, hints, (body, hint) => checkTranscript(t, body, hint, parsePlainText)),
          params(),
        );
      },
      TIMEOUT,
    );
});
