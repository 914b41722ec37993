// WebVTT under fuzzing: the repository's .vtt fixtures mutated, and generated files of valid,
// nearly valid and nonsense cues. parseTranscript and parseVtt give a clean Transcript or a
// TranscriptError, quickly, whatever the input.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { parseVtt } from '../../src/core/transcript/vtt';
import { fixture } from '../core/transcript/support';
import { vttFile } from './cue-files';
import { mutant } from './mutate';
import { params, tally, TIMEOUT } from './runs';
import { checkTranscript, hints } from './transcript';

const SEEDS = ['episode.vtt', 'youtube-auto.vtt', 'podnews-seconds.vtt'].map(fixture);
const TOKENS = [
  'WEBVTT',
  '00:00:01.000 --> 00:00:02.000',
  '<v Ann>',
  '</v>',
  '<c>',
  'NOTE ',
  'STYLE',
  '\n\n',
];

describe('WebVTT fuzzing', () => {
  const t = tally('WebVTT');

  it(
    'mutated fixtures',
    () => {
      fc.assert(
        fc.property(mutant(SEEDS, TOKENS), hints, (body, hint) => checkTranscript(t, body, hint, parseVtt)),
        params(),
      );
    },
    TIMEOUT,
  );

  it(
    'generated files',
    () => {
      fc.assert(
        fc.property(vttFile, hints, (body, hint) => checkTranscript(t, body, hint, parseVtt)),
        params(),
      );
    },
    TIMEOUT,
  );
});
