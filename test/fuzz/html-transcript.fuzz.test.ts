// HTML transcripts under fuzzing: the fixtures (a Buzzsprout-style page, an error page) mutated,
// and generated pages of `<cite>`, `<time>` and `<p>` runs inside wrappers, skipped elements and
// stray markup. parseTranscript and parseHtml give a clean Transcript or a TranscriptError.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { parseHtml } from '../../src/core/transcript/html';
import { fixture } from '../core/transcript/support';
import { clock, cueLine } from './cue-files';
import { mutant } from './mutate';
import { params, tally, TIMEOUT } from './runs';
import { checkTranscript, hints } from './transcript';

const SEEDS = ['episode.html', 'error-404.html'].map(fixture);
const TOKENS = [
  '<cite>Ann:</cite>',
  '<time>0:05</time>',
  '<time datetime="00:01:02">',
  '<p>',
  '</p>',
  '<script>',
  '<style>',
];

const part = fc.oneof(
  { weight: 3, arbitrary: cueLine.map((s) => `<p>${s}</p>`) },
  { weight: 2, arbitrary: clock.map((c) => `<time>${c}</time>`) },
  fc.tuple(clock, clock).map(([a, b]) => `<time datetime="${a}">${b}</time>`),
  fc.constantFrom('Ann', 'Bo Li', '', '&amp;', '<b>Ann</b>').map((n) => `<cite>${n}:</cite>`),
  fc.constantFrom(
    '<br>',
    '<p>',
    '</p>',
    '<script>x</script>',
    '<style>',
    '</style>',
    '<svg><p>no</p></svg>',
    '<div>',
    '</div>',
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

const page = fc
  .tuple(
    fc.constantFrom(
      '',
      '<!doctype html><html lang="en"><body>',
      '<html lang="$$"><head><title>T</title></head><body>',
    ),
    fc.array(part, { maxLength: 80 }),
    fc.constantFrom('', '</body></html>'),
  )
  .map(([open, parts, close]) => open + parts.join('\n') + close);

describe('HTML transcript fuzzing', () => {
  const t = tally('HTML transcript');

  for (const [name, inputs] of [
    ['mutated fixtures', mutant(SEEDS, TOKENS)],
    ['generated pages', page],
  ] as const)
    it(
      name,
      () => {
        fc.assert(
          fc.property(inputs, hints, (body, hint) => checkTranscript(t, body, hint, parseHtml)),
          params(),
        );
      },
      TIMEOUT,
    );
});
