// One short episode written as WebVTT, SRT, word-level JSON and HTML (test/fixtures/transcripts/
// episode.*) normalises to the same text, the same starts and the same speakers.
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../../src/core/transcript/index';
import { fixture, joined } from './support';

const FORMATS = [
  ['episode.vtt', 'vtt'],
  ['episode.srt', 'srt'],
  ['episode.json', 'json'],
  ['episode.html', 'html'],
] as const;

const reference = parseTranscript(fixture('episode.vtt'));

describe('the same episode in four formats', () => {
  it.each(FORMATS)('%s reads as %s', (file, format) => {
    const t = parseTranscript(fixture(file));
    expect(t.format).toBe(format);
    expect(t.timed).toBe(true);
  });

  it.each(FORMATS)('%s has the same text', (file) => {
    expect(joined(parseTranscript(fixture(file)))).toBe(joined(reference));
  });

  it.each(FORMATS)('%s has the same segments, starts and speakers', (file) => {
    const t = parseTranscript(fixture(file));
    expect(t.segments.map((s) => [s.start, s.speaker, s.text])).toEqual(
      reference.segments.map((s) => [s.start, s.speaker, s.text]),
    );
  });

  it('the text is the episode, word for word', () => {
    expect(joined(reference)).toBe(
      "Welcome back to Field Notes, the show about how things really work. Today we're talking about sleep & memory with a researcher who studies both. Thanks for having me, it's a topic I could talk about for hours. Most people think sleep is just rest, but the brain is busy replaying the day. So what actually happens to a memory overnight? It moves from a fast, fragile store to a slower, more stable one. That transfer is why a good night’s sleep before an exam beats a late night of cramming. Let's dig into that after the break.",
    );
  });
});
