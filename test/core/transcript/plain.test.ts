// Plain text: no times, so starts are estimated at 150 words a minute and timed is false.
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../../src/core/transcript/index';
import { fixture, parseChecked } from './support';

describe('plain text', () => {
  it('plain.txt: paragraphs, sentences, speakers, estimated starts, no ends', () => {
    const t = parseTranscript(fixture('plain.txt'), { type: 'text/plain', language: 'en_GB' });
    expect(t.format).toBe('text');
    expect(t.timed).toBe(false);
    expect(t.language).toBe('en-GB');
    expect(t.segments.map((s) => [s.start, s.speaker, s.text])).toEqual([
      [0, undefined, 'Field Notes, episode 12'],
      [1.6, 'Maya Chen', 'Welcome back to Field Notes, the show about how things really work.'],
      [6.4, 'Maya Chen', "Today we're talking about sleep and memory with a researcher who studies both."],
      [11.6, 'Tom Okafor', 'Thanks for having me.'],
      [13.2, 'Tom Okafor', 'Most people think sleep is just rest.'],
      [16, 'Tom Okafor', 'But the brain is busy replaying the day, and that is what we study.'],
      [21.6, 'Maya Chen', 'So what actually happens to a memory overnight?'],
    ]);
    expect(t.segments.every((s) => s.end === undefined)).toBe(true);
  });

  it('a run of words with no sentence end is cut every 40 words; starts follow word position', () => {
    const text = Array.from({ length: 90 }, (_, i) => `word${i}`).join(' ');
    const t = parseChecked(text);
    if (t instanceof Error) throw t;
    expect(t.segments.map((s) => [s.start, s.text.split(' ').length])).toEqual([
      [0, 40],
      [16, 40],
      [32, 10],
    ]);
  });
});
