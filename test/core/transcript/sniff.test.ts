// parseTranscript as a whole: the format comes from the content (the declared type only breaks
// ties), the language is normalised, and every failure is a TranscriptError with a clear code.
import { describe, expect, it } from 'vitest';
import { MAX_TRANSCRIPT_CHARS, parseTranscript, TranscriptError } from '../../../src/core/transcript/index';
import { errorCode, fixture } from './support';

describe('format sniffing', () => {
  it.each([
    [
      'WebVTT declared as SRT (feeds say application/srt)',
      fixture('episode.vtt'),
      { type: 'application/srt' },
      'vtt',
    ],
    ['SRT declared as WebVTT', fixture('episode.srt'), { type: 'text/vtt' }, 'srt'],
    ['JSON declared as HTML', fixture('episode.json'), { type: 'text/html' }, 'json'],
    ['HTML declared as plain text', fixture('episode.html'), { type: 'text/plain' }, 'html'],
    ['plain text declared as SRT', fixture('plain.txt'), { type: 'application/x-subrip' }, 'text'],
    ['json3 with no type', fixture('json3-manual.json'), {}, 'youtube'],
    ['srv3 declared as XML', fixture('srv3.xml'), { type: 'text/xml' }, 'youtube'],
    ['srv1 with no type', fixture('srv1.xml'), {}, 'youtube'],
    ['WebVTT after leading blank lines', `\n\n${fixture('podnews-seconds.vtt')}`, {}, 'vtt'],
  ])('%s', (_name, body, hint, format) => {
    expect(parseTranscript(body, hint).format).toBe(format);
  });

  it('normalises the hint language and prefers the one the file declares', () => {
    expect(parseTranscript(fixture('episode.srt'), { language: 'EN' }).language).toBe('en');
    expect(parseTranscript(fixture('episode.json'), { language: 'pt_br' }).language).toBe('pt-BR');
    expect(parseTranscript(fixture('episode.vtt'), { language: 'fr' }).language).toBe('en-US'); // Language: en-us
    expect(parseTranscript(fixture('episode.json'), { language: 'not a language' }).language).toBeUndefined();
    expect(parseTranscript(fixture('episode.json')).language).toBeUndefined();
  });

  it('strips a byte order mark from any format', () => {
    expect(parseTranscript(`\uFEFF${fixture('episode.json')}`).format).toBe('json');
    expect(parseTranscript(`\uFEFF${fixture('episode.srt')}`).segments[0]?.speaker).toBe('Maya Chen');
  });
});

describe('errors', () => {
  it.each([
    ['an empty body', '', 'empty'],
    ['white space', '  \n\t\r\n ', 'empty'],
    ['only a BOM', '\uFEFF', 'empty'],
    ['only a BOM and new lines', '\uFEFF\n\n', 'empty'],
    ['an HTML error page', '<html><body><h1>404</h1></body></html>', 'unknown-format'],
    ['an HTML error page with a <time>', fixture('error-404.html'), 'unknown-format'],
    ['JSON of another shape', '{"status":"error","message":"not found"}', 'unknown-format'],
    [
      'TTML',
      '<?xml version="1.0"?><tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="0s">Hi</p></div></body></tt>',
      'unknown-format',
    ],
    ['binary data', '\u0000\u0001\u0002PNG\u0000\u0000IHDR', 'unknown-format'],
    [
      'mojibake-like control characters',
      '\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008'.repeat(20),
      'unknown-format',
    ],
    ['truncated JSON', fixture('episode.json').slice(0, 200), 'malformed'],
    ['a WebVTT header and no cue', 'WEBVTT\n\n', 'malformed'],
    ['a WebVTT header and garbage', 'WEBVTT\n\nthis is not a cue\nnor is this\n', 'malformed'],
  ])('%s → %s', (_name, body, code) => {
    expect(errorCode(() => parseTranscript(body))).toBe(code);
  });

  it('refuses more than 10 MB of text as too-large, before reading it', () => {
    const big = 'a'.repeat(MAX_TRANSCRIPT_CHARS + 1);
    expect(errorCode(() => parseTranscript(big))).toBe('too-large');
  });

  it('reads exactly 10 MB', () => {
    const line = 'Some words that go on and on. ';
    const body = line.repeat(Math.floor(MAX_TRANSCRIPT_CHARS / line.length));
    expect(parseTranscript(body).segments.length).toBeGreaterThan(100_000);
  });

  it('never throws anything but TranscriptError, even for a non-string body or hint', () => {
    const bad = [undefined, null, 42, {}, []] as unknown as string[];
    for (const body of bad) expect(() => parseTranscript(body)).toThrow(TranscriptError);
    expect(parseTranscript(fixture('episode.srt'), null as unknown as undefined).format).toBe('srt');
  });
});
