// The day's list as Markdown: the user's saved insights read as they were saved, each linked to
// its moment, and nothing a page, a feed or the model wrote can turn into a link, HTML or layout.
import { describe, expect, it } from 'vitest';
import { briefMarkdown, dayListMarkdown, deepLink, escapeInline } from '../../../src/core/library/markdown';
import type { EpisodeRecord, SavedRecord } from '../../../src/core/library/records';
import type { Insight } from '../../../src/core/types';

function episode(over: Partial<EpisodeRecord> = {}): EpisodeRecord {
  return {
    id: 'ep_1abc',
    title: 'The pause that never was',
    show: 'Hard Fork',
    site: 'generic',
    pageUrl: 'https://example.com/ep/1',
    aliases: [],
    firstSeen: '2026-11-29T09:00:00.000Z',
    lastSeen: '2026-11-29T09:00:00.000Z',
    ...over,
  };
}

function saved(insight: Partial<Insight> = {}, over: Partial<SavedRecord> = {}): SavedRecord {
  const full: Insight = {
    id: 'ins_0k3f9x0q2m',
    text: 'Self-imposed safety pauses create a vacuum.',
    quote: 'a pause just hands the lead to whoever does not pause',
    start: 754.9,
    topics: [],
    importance: 4,
    ...insight,
  };
  return {
    id: full.id,
    insightId: full.id,
    episodeId: 'ep_1abc',
    day: '2026-11-29',
    savedAt: '2026-11-29T10:00:00.000Z',
    insight: full,
    ...over,
  };
}

const YT = 'dQw4w9WgXcQ';

describe('deepLink', () => {
  it.each<[string, EpisodeRecord | undefined, number, string | undefined]>([
    [
      'YouTube: the watch page at the second',
      episode({ site: 'youtube', pageUrl: `https://www.youtube.com/watch?v=${YT}` }),
      754.9,
      `https://www.youtube.com/watch?v=${YT}&t=754s`,
    ],
    [
      'YouTube: the canonical URL first, other parameters dropped',
      episode({
        site: 'youtube',
        pageUrl: `https://www.youtube.com/watch?v=${YT}&list=PL1&t=9s`,
        canonicalUrl: `https://www.youtube.com/watch?v=${YT}`,
      }),
      60,
      `https://www.youtube.com/watch?v=${YT}&t=60s`,
    ],
    [
      'YouTube: a youtu.be page on another site',
      episode({ pageUrl: `https://youtu.be/${YT}?si=abc` }),
      5,
      `https://www.youtube.com/watch?v=${YT}&t=5s`,
    ],
    [
      'YouTube: the mobile site',
      episode({ pageUrl: `https://m.youtube.com/watch?v=${YT}` }),
      5,
      `https://www.youtube.com/watch?v=${YT}&t=5s`,
    ],
    [
      'YouTube: beats an enclosure',
      episode({ pageUrl: `https://youtu.be/${YT}`, enclosureUrl: 'https://cdn.example.com/a.mp3' }),
      1,
      `https://www.youtube.com/watch?v=${YT}&t=1s`,
    ],
    [
      'YouTube: the video id from the aliases when the page URL has none',
      episode({ site: 'youtube', pageUrl: 'https://www.youtube.com/', aliases: [`youtube:${YT}`] }),
      7,
      `https://www.youtube.com/watch?v=${YT}&t=7s`,
    ],
    [
      'not YouTube: a look-alike host',
      episode({ pageUrl: `https://youtube.com.example.net/watch?v=${YT}` }),
      7,
      `https://youtube.com.example.net/watch?v=${YT}`,
    ],
    [
      'not YouTube: a malformed video id',
      episode({ pageUrl: 'https://www.youtube.com/watch?v=short' }),
      7,
      'https://www.youtube.com/watch?v=short',
    ],
    [
      'Overcast: the time link',
      episode({ site: 'overcast', pageUrl: 'https://overcast.fm/+AbCdEf123' }),
      83.7,
      'https://overcast.fm/+AbCdEf123/1:23',
    ],
    [
      'Overcast: hours',
      episode({ pageUrl: 'https://overcast.fm/+AbCdEf123', enclosureUrl: 'https://cdn.example.com/a.mp3' }),
      3723,
      'https://overcast.fm/+AbCdEf123/1:02:03',
    ],
    [
      'Overcast: a page already at a time',
      episode({ pageUrl: 'https://overcast.fm/+AbCdEf123/5:00' }),
      0,
      'https://overcast.fm/+AbCdEf123/0:00',
    ],
    [
      'not Overcast: a look-alike host',
      episode({ pageUrl: 'https://notovercast.fm/+AbC' }),
      3,
      'https://notovercast.fm/+AbC',
    ],
    [
      'the audio file with a media fragment',
      episode({ enclosureUrl: 'https://cdn.example.com/ep1.mp3?key=1' }),
      123.99,
      'https://cdn.example.com/ep1.mp3?key=1#t=123',
    ],
    [
      'the audio file, its own fragment replaced',
      episode({ enclosureUrl: 'https://cdn.example.com/ep1.mp3#t=5,10' }),
      123,
      'https://cdn.example.com/ep1.mp3#t=123',
    ],
    [
      'the played media when there is no enclosure',
      episode({ mediaUrl: 'http://cdn.example.com/stream.m4a' }),
      2,
      'http://cdn.example.com/stream.m4a#t=2',
    ],
    [
      'the played media when the enclosure is not http(s)',
      episode({ enclosureUrl: 'ftp://example.com/a.mp3', mediaUrl: 'https://cdn.example.com/b.mp3' }),
      2,
      'https://cdn.example.com/b.mp3#t=2',
    ],
    [
      'the page when the media is a blob',
      episode({ mediaUrl: 'blob:https://example.com/0b7c5d2e' }),
      2,
      'https://example.com/ep/1',
    ],
    [
      'the canonical page, without a time',
      episode({ canonicalUrl: 'https://example.com/episodes/1' }),
      99,
      'https://example.com/episodes/1',
    ],
    ['the page, without a time', episode(), 99, 'https://example.com/ep/1'],
    [
      'nothing for a javascript: page',
      episode({ pageUrl: 'javascript:alert(1)', canonicalUrl: 'data:text/html,hi' }),
      1,
      undefined,
    ],
    ['nothing for no episode', undefined, 1, undefined],
    [
      'a negative time counts as 0',
      episode({ enclosureUrl: 'https://cdn.example.com/a.mp3' }),
      -4,
      'https://cdn.example.com/a.mp3#t=0',
    ],
    [
      'NaN counts as 0',
      episode({ site: 'youtube', pageUrl: `https://youtu.be/${YT}` }),
      Number.NaN,
      `https://www.youtube.com/watch?v=${YT}&t=0s`,
    ],
  ])('%s', (_name, ep, seconds, expected) => {
    expect(deepLink(ep, seconds)).toBe(expected);
  });
});

describe('dayListMarkdown', () => {
  const lines = (md: string) => md.split('\n');

  it('writes the date, then each insight, its quote, where it is said (linked) and the note', () => {
    const md = dayListMarkdown('2026-11-29', [
      {
        saved: saved({}, { note: 'Ask Sam about this.' }),
        episode: episode({ enclosureUrl: 'https://cdn.example.com/ep1.mp3' }),
      },
      { saved: saved({ id: 'ins_2', text: 'Second insight.', quote: 'second quote', start: 5 }) },
    ]);
    expect(md).toBe(
      [
        '# Earmark — saved on 29 November 2026',
        '',
        '## Self-imposed safety pauses create a vacuum.',
        '',
        '> a pause just hands the lead to whoever does not pause',
        '',
        '[Hard Fork — The pause that never was · 12:34](https://cdn.example.com/ep1.mp3#t=754)',
        '',
        '**Note:** Ask Sam about this.',
        '',
        '## Second insight.',
        '',
        '> second quote',
        '',
        'Episode not in the library · 0:05',
        '',
      ].join('\n'),
    );
  });

  it('names the episode alone when it has no show, and writes no link when there is none', () => {
    const md = dayListMarkdown('2026-01-01', [
      { saved: saved({ start: 3723 }), episode: episode({ show: undefined, pageUrl: 'javascript:void 0' }) },
    ]);
    expect(lines(md)).toContain('# Earmark — saved on 1 January 2026');
    expect(lines(md)).toContain('The pause that never was · 1:02:03');
  });

  it('says so on a day with nothing saved', () => {
    expect(dayListMarkdown('2026-11-29', [])).toBe(
      '# Earmark — saved on 29 November 2026\n\nNothing saved on this day.\n',
    );
  });

  it('keeps the lines of a note (hard line breaks) and its paragraphs', () => {
    const md = dayListMarkdown('2026-11-29', [
      {
        saved: saved({}, { note: 'First line\nsecond line\n\n\n\nNew paragraph\r\nlast' }),
        episode: episode(),
      },
    ]);
    expect(md).toContain('**Note:** First line\\\nsecond line\n\nNew paragraph\\\nlast\n');
  });

  it('puts every line of a long quote in the block quote', () => {
    const md = dayListMarkdown('2026-11-29', [{ saved: saved({ quote: 'one\ntwo\n\nthree' }) }]);
    expect(md).toContain('> one\n> two\n>\n> three\n');
  });

  it('folds line breaks in an insight or a title into one heading or one link line', () => {
    const md = dayListMarkdown('2026-11-29', [
      {
        saved: saved({ text: 'A claim\nthat wraps\n\n# and tries' }),
        episode: episode({ title: 'Two\nlines' }),
      },
    ]);
    expect(lines(md)).toContain('## A claim that wraps \\# and tries');
    expect(lines(md)).toContain('[Hard Fork — Two lines · 12:34](https://example.com/ep/1)');
  });

  it('encodes what would end a link early in its address', () => {
    const md = dayListMarkdown('2026-11-29', [
      { saved: saved(), episode: episode({ enclosureUrl: 'https://cdn.example.com/a (1)\\b.mp3' }) },
    ]);
    expect(lines(md)).toContain(
      '[Hard Fork — The pause that never was · 12:34](https://cdn.example.com/a%20%281%29/b.mp3#t=754)',
    );
  });

  it('makes hostile text from pages and the model inert', () => {
    const md = dayListMarkdown('2026-11-29', [
      {
        saved: saved(
          {
            text: '[click](javascript:alert(1))',
            quote: '<img src=x onerror=alert(1)>\n# heading\n- item\n1. first\n    code\n---\n===\n> quoted',
          },
          {
            note: '![pic](https://evil.example/t.png) <script>alert(1)</script> &lt;b&gt; **b** _i_ `c` | t ~~s~~',
          },
        ),
        episode: episode({ show: 'Show](https://evil.example)[', title: '<b>Title</b>' }),
      },
    ]);
    const body = lines(md);
    expect(body).toContain('## \\[click\\](javascript:alert(1))');
    expect(body).toContain('> &lt;img src=x onerror=alert(1)&gt;');
    expect(body).toContain('> \\# heading');
    expect(body).toContain('> \\- item');
    expect(body).toContain('> 1\\. first');
    expect(body).toContain('> code');
    expect(body).toContain('> \\---');
    expect(body).toContain('> \\===');
    expect(body).toContain('> &gt; quoted');
    expect(body).toContain(
      '[Show\\](https://evil.example)\\[ — &lt;b&gt;Title&lt;/b&gt; · 12:34](https://example.com/ep/1)',
    );
    expect(body).toContain(
      '**Note:** !\\[pic\\](https://evil.example/t.png) &lt;script&gt;alert(1)&lt;/script&gt; \\&lt;b\\&gt; \\*\\*b\\*\\* \\_i\\_ \\`c\\` \\| t \\~\\~s\\~\\~',
    );
    // No raw HTML, no unescaped link or image opener anywhere but the one link Earmark wrote.
    expect(md).not.toMatch(/<[a-z/!]/i);
    expect(md.match(/(?<!\\)\[/g)).toHaveLength(1);
  });

  it('throws for a day that is not one', () => {
    expect(() => dayListMarkdown('29 November', [])).toThrow(RangeError);
  });
});

describe('briefMarkdown', () => {
  const item = (insight: Partial<Insight>, reason: string, ep?: EpisodeRecord) => ({
    insight: saved(insight).insight,
    reason,
    ...(ep ? { episode: ep } : {}),
  });

  it('writes the date, then each item: insight, quote, where it is said (linked) and why it is there', () => {
    const md = briefMarkdown({
      day: '2026-11-29',
      createdAt: '2026-11-29T07:00:00.000Z',
      items: [
        item(
          { importance: 5 },
          'Importance 5 of 5 · new episode of Hard Fork · close to what you saved about AI safety',
          episode({ enclosureUrl: 'https://cdn.example.com/ep1.mp3' }),
        ),
        item(
          {
            id: 'ins_2',
            text: 'Services inflation is sticky.',
            quote: 'services are the sticky part',
            start: 65,
          },
          'Importance 4 of 5 · from an episode you heard',
        ),
      ],
    });
    expect(md).toBe(
      [
        '# Earmark — daily brief for 29 November 2026',
        '',
        '## Self-imposed safety pauses create a vacuum.',
        '',
        '> a pause just hands the lead to whoever does not pause',
        '',
        '[Hard Fork — The pause that never was · 12:34](https://cdn.example.com/ep1.mp3#t=754)',
        '',
        '**Why:** Importance 5 of 5 · new episode of Hard Fork · close to what you saved about AI safety',
        '',
        '## Services inflation is sticky.',
        '',
        '> services are the sticky part',
        '',
        'Episode not in the library · 1:05',
        '',
        '**Why:** Importance 4 of 5 · from an episode you heard',
        '',
      ].join('\n'),
    );
  });

  it('says so on a day when nothing new arrived', () => {
    expect(briefMarkdown({ day: '2026-11-29', items: [] })).toBe(
      '# Earmark — daily brief for 29 November 2026\n\nNothing new arrived on this day.\n',
    );
  });

  it('makes hostile show names and insight text inert, in the reason too', () => {
    const show = 'Show](https://evil.example)[ <img src=x onerror=alert(1)>';
    const md = briefMarkdown({
      day: '2026-11-29',
      items: [
        item(
          { text: '**[click](javascript:alert(1))**', quote: '# heading\n<script>alert(1)</script>' },
          `Importance 5 of 5 · new episode of ${show}\n# not a heading`,
          episode({ show }),
        ),
      ],
    });
    const body = md.split('\n');
    expect(body).toContain('## \\*\\*\\[click\\](javascript:alert(1))\\*\\*');
    expect(body).toContain('> \\# heading');
    expect(body).toContain(
      '**Why:** Importance 5 of 5 · new episode of Show\\](https://evil.example)\\[ &lt;img src=x onerror=alert(1)&gt; \\# not a heading',
    );
    expect(md).not.toMatch(/<[a-z/!]/i);
    expect(md.match(/(?<!\\)\[/g)).toHaveLength(1);
  });

  it('throws for a day that is not one', () => {
    expect(() =>
      briefMarkdown({ day: 'yesterday', createdAt: '2026-11-29T07:00:00.000Z', items: [] }),
    ).toThrow(RangeError);
  });
});

describe('escapeInline', () => {
  it.each([
    ['plain words', 'plain words'],
    ['a\\b', 'a\\\\b'],
    ['  padded  ', 'padded'],
    ['+ plus', '\\+ plus'],
    ['2) second', '2\\) second'],
    ['2026 was a year', '2026 was a year'],
    ['Q&A and R&D;', 'Q&A and R\\&D;'],
    ['&#60;script', '&\\#60;script'],
    ['price: 5 < 6 > 4', 'price: 5 &lt; 6 &gt; 4'],
  ])('%j → %j', (input, expected) => {
    expect(escapeInline(input)).toBe(expected);
  });
});
