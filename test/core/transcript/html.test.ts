// HTML transcripts: <cite> speaker, <time> start, <p> text, with or without a document.
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../../src/core/transcript/index';
import { errorCode, fixture, joined, parseChecked } from './support';

describe('HTML transcripts', () => {
  it('episode.html: a full document, speakers carried, times, entities, no markup', () => {
    const t = parseTranscript(fixture('episode.html'));
    expect(t.format).toBe('html');
    expect(t.timed).toBe(true);
    expect(t.language).toBe('en-US');
    expect(t.segments.map((s) => [s.start, s.speaker])).toEqual([
      [0, 'Maya Chen'],
      [4, 'Maya Chen'],
      [9, 'Tom Okafor'],
      [14, 'Tom Okafor'],
      [20, 'Maya Chen'],
      [24, 'Tom Okafor'],
      [30, 'Tom Okafor'],
      [37, 'Maya Chen'],
    ]);
    expect(t.segments[2]?.text).toBe("Thanks for having me, it's a topic I could talk about for hours.");
    expect(joined(t)).not.toMatch(/Transcript|Generated|not transcript|console/); // heading, script
    expect(t.segments.every((s) => s.end === undefined)).toBe(true); // HTML gives no ends
  });

  it('a bare fragment (no <html>), the first paragraph before any <cite>', () => {
    const body = [
      '  <time>0:00</time>',
      '  <p>Hello and welcome.</p>',
      '  <cite>Norma-Jean Belenky:</cite>',
      '  <time>1:07</time>',
      '  <p>I&#39;m the head of events.</p>',
      '  <cite>Jingle:</cite>',
      '  <time>1:01:14</time>',
      '  <p>This podcast is sponsored.</p>',
    ].join('\n');
    const t = parseChecked(body);
    if (t instanceof Error) throw t;
    expect(t.segments.map((s) => [s.start, s.speaker, s.text])).toEqual([
      [0, undefined, 'Hello and welcome.'],
      [67, 'Norma-Jean Belenky', "I'm the head of events."],
      [3674, 'Jingle', 'This podcast is sponsored.'],
    ]);
  });

  it('splits a long paragraph at sentences, interpolating starts up to the next time', () => {
    const sentence = (n: number): string => `Sentence ${n} has exactly eight words in it.`;
    const paragraph = Array.from({ length: 10 }, (_, i) => sentence(i + 1)).join(' ');
    const t = parseChecked(
      `<cite>Ann:</cite><time>1:00</time><p>${paragraph}</p><cite>Bob:</cite><time>1:40</time><p>Yes.</p>`,
    );
    if (t instanceof Error) throw t;
    const starts = t.segments.map((s) => s.start);
    expect(starts).toEqual([60, 64, 68, 72, 76, 80, 84, 88, 92, 96, 100]);
    expect(t.segments.slice(0, 10).every((s) => s.speaker === 'Ann')).toBe(true);
    expect(joined(t)).toBe(`${paragraph} Yes.`);
  });

  it('speakers without times: starts estimated, timed false', () => {
    const t = parseChecked(
      '<cite>Ann:</cite><p>One two three four five.</p><cite>Bob:</cite><p>Six seven.</p>',
    );
    if (t instanceof Error) throw t;
    expect(t.timed).toBe(false);
    expect(t.segments.map((s) => [s.start, s.speaker])).toEqual([
      [0, 'Ann'],
      [2, 'Bob'], // 5 words at 2.5 words a second
    ]);
  });

  it.each([
    ['an error page', '<html><body><h1>404</h1></body></html>'],
    ['error-404.html (a <time> that is a date, paragraphs)', fixture('error-404.html')],
    [
      'a feed served by mistake',
      '<?xml version="1.0"?><rss version="2.0"><channel><title>Show</title></channel></rss>',
    ],
    ['a page of paragraphs only', '<!doctype html><p>Just an article.</p><p>Not a transcript.</p>'],
  ])('%s is unknown-format', (_name, body) => {
    expect(errorCode(() => parseTranscript(body))).toBe('unknown-format');
  });
});

describe('HTML transcripts, other shapes', () => {
  it('<cite> and <time> inside the <p>', () => {
    const t = parseChecked(
      '<div><p><cite>Ann:</cite> <time>0:05</time> Hello there.</p><p><cite>Bob:</cite><time>0:09</time>Hi, Ann.</p></div>',
    );
    if (t instanceof Error) throw t;
    expect(t.segments.map((s) => [s.start, s.speaker, s.text])).toEqual([
      [5, 'Ann', 'Hello there.'],
      [9, 'Bob', 'Hi, Ann.'],
    ]);
  });

  it('a <time> with a datetime attribute and clock text', () => {
    const t = parseChecked(
      '<time datetime="PT5S">00:01:05</time><p>One.</p><time>1:02:03.5</time><p>Two.</p>',
    );
    if (t instanceof Error) throw t;
    expect(t.segments.map((s) => s.start)).toEqual([65, 3723.5]);
  });
});
