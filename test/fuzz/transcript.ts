// The check every transcript fuzz suite makes of an input: parseTranscript gives a Transcript that
// keeps every output rule (test/core/transcript/support.ts) or a TranscriptError; and the format's
// own parser, called directly, throws nothing but TranscriptError either. parseTranscript turns
// any other exception into 'malformed' ("The transcript could not be read."), which would hide a
// parser's crash: that message counts as a crash here, and the direct call shows what was thrown.
import fc from 'fast-check';
import { parseTranscript, TranscriptError, type TranscriptHint } from '../../src/core/transcript/index';
import type { Transcript } from '../../src/core/types';
import { problem } from '../core/transcript/support';
import { attempt, Tally, typedBy } from './runs';

const CODES = ['empty', 'unknown-format', 'malformed', 'too-large'];

export const transcriptError = typedBy(TranscriptError, (e) => {
  if (!CODES.includes(e.code)) throw new Error(`TranscriptError with unknown code ${String(e.code)}`);
  // parseTranscript's catch-all: some parser threw something else (whichever format was sniffed).
  if (e.message === 'The transcript could not be read.')
    throw new Error('a parser crashed inside parseTranscript');
  if (!/^[A-Z].*\.$/s.test(e.message))
    throw new Error(`TranscriptError message not a sentence: ${e.message}`);
  return e.code;
});

/** What a feed or a page may declare of a transcript: right, wrong, or nonsense. */
export const hints: fc.Arbitrary<TranscriptHint> = fc.record(
  {
    type: fc.constantFrom(
      'text/vtt',
      'application/srt',
      'application/x-subrip',
      'application/json',
      'text/html',
      'text/plain',
      'application/octet-stream',
      '',
      'vtt;vtt;vtt',
    ),
    url: fc.constantFrom('https://example.com/e.vtt', 'https://example.com/e.srt?x=.vtt', '', 'not a url'),
    language: fc.constantFrom('en', 'EN-us', 'zh-Hant-TW', 'xx-$$', '', '\uD800', 'a'.repeat(300)),
  },
  { requiredKeys: [] },
);

/**
 * support.ts's output rules, but for one in two formats: word-level files (YouTube's automatic
 * captions, Podcasting 2.0 JSON of single words) glue words that had no space between them, so a
 * literal "<" word, "so" and ">>" read "<so>>", the file's own text though it looks like a tag.
 * The rule against markup left in text holds for every other format.
 */
function broken(t: Transcript): string | undefined {
  if (t.format !== 'youtube' && t.format !== 'json') return problem(t);
  const shown = t.segments.map((s) => ({ ...s, text: s.text.replace(/</g, '‹') }));
  return problem({ ...t, segments: shown });
}

/** A thrown-away tally: the direct call is a second look at an input already counted. */
const uncounted = new Tally('direct');

/** Where parseTranscript starts reading: after a BOM and leading white space. */
const head = (body: string): string => (body.charCodeAt(0) === 0xfeff ? body.slice(1) : body).trimStart();

/**
 * Feeds one body to parseTranscript (counted in `t`) and to `direct`, the format's own parser.
 * Fails the property on an exception other than TranscriptError, a hang, or a broken output rule.
 */
export function checkTranscript(
  t: Tally,
  body: string,
  hint: TranscriptHint,
  direct: (head: string) => Transcript,
): void {
  const result = attempt(t, body.length, transcriptError, () => parseTranscript(body, hint));
  if (result.ok) {
    const wrong = broken(result.value);
    if (wrong) throw new Error(`invariant: ${wrong}`);
  }
  const own = attempt(uncounted, body.length, transcriptError, () => direct(head(body)));
  if (own.ok && own.value.segments.length > 0) {
    const wrong = broken(own.value);
    if (wrong) throw new Error(`invariant (direct parser): ${wrong}`);
  }
}
