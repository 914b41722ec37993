// SRT under fuzzing: the .srt fixture mutated, and generated files of numbered cues with valid,
// nearly valid and nonsense timings. parseTranscript and parseSrt give a clean Transcript or a
// TranscriptError, quickly, whatever the input.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { parseSrt } from '../../src/core/transcript/srt';
import { fixture } from '../core/transcript/support';
import { srtFile } from './cue-files';
import { mutant } from './mutate';
import { params, tally, TIMEOUT } from './runs';
import { checkTranscript, hints } from './transcript';

const SEEDS = [fixture('episode.srt')];
const TOKENS = [
  '1\n',
  '00:00:01,000 --> 00:00:02,000',
  '<i>',
  '</i>',
  '<font color="red">',
  'MAYA: ',
  '\n\n',
];

describe('SRT fuzzing', () => {
  const t = tally('SRT');

  it(
    'mutated fixtures',
    () => {
      fc.assert(
        fc.property(mutant(SEEDS, TOKENS), hints, (body, hint) => checkTranscript(t, body, hint, parseSrt)),
        params(),
      );
    },
    TIMEOUT,
  );

  it(
    'generated files',
    () => {
      fc.assert(
        fc.property(srtFile, hints, (body, hint) => checkTranscript(t, body, hint, parseSrt)),
        params(),
      );
    },
    TIMEOUT,
  );
});
