// Feeds under fuzzing: the RSS, RSS 1.0 and Atom fixtures mutated as text; mutated and re-encoded
// as bytes (UTF-8, UTF-16 with and without BOM, Latin-1, flipped bytes) under right, wrong and
// bogus Content-Types; and generated feeds whose fields (dates, durations, enclosures, transcripts,
// titles in CDATA and entities) are valid, odd or nonsense. decodeFeedBytes and parseFeed give a
// valid Feed or a FeedError, quickly. A FeedError that wraps another exception (parseFeed's
// catch-all) counts as a crash: it means the reader threw.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { decodeFeedBytes, FeedError, parseFeed } from '../../src/core/feed';
import { expectValidFeed, fixture, fixtureBytes } from '../core/feed/fixtures';
import { clock } from './cue-files';
import { mutant, WEIRD_NUMBERS } from './mutate';
import { attempt, params, tally, TIMEOUT, typedBy } from './runs';

const NAMES = [
  'pc20-official-ns.xml',
  'pc20-legacy-ns.xml',
  'durations.xml',
  'atom.xml',
  'quirks.xml',
  'tracking.xml',
  'rss1-rdf.xml',
  'zero-items.xml',
  'latin1.xml',
  'html-page.html',
  'opml.xml',
];
const SEEDS = NAMES.map(fixture);
const TOKENS = [
  '<item>',
  '</item>',
  '<entry>',
  '</channel>',
  '<title>',
  '</title>',
  '<enclosure url="https://x/a.mp3"/>',
  '<itunes:duration>',
  '<pubDate>',
  'xmlns=""',
  'xmlns:podcast="https://podcastindex.org/namespace/1.0"',
  '<podcast:transcript url="https://x/t.vtt" type="text/vtt"/>',
  '<a:b:c>',
  '<:>',
];

const CODES = ['empty', 'not-a-feed', 'malformed', 'too-large'];
const feedError = typedBy(FeedError, (e) => {
  if (!CODES.includes(e.code)) throw new Error(`FeedError with unknown code ${String(e.code)}`);
  if (e.message.startsWith('the feed could not be read ('))
    throw new Error(`crash inside parseFeed: ${e.message}`);
  return e.code;
});

const CONTENT_TYPES = [
  undefined,
  'application/rss+xml',
  'application/rss+xml; charset=utf-8',
  'text/xml; charset=ISO-8859-1',
  'text/xml; charset="utf-16"',
  'text/xml; charset=utf-16be',
  'text/xml; charset=bogus',
  'text/xml; charset=replacement',
  'text/xml; charset=x-user-defined',
  'text/xml; charset=',
  'charset=shift_jis',
  'text/html',
];

const utf16 = (s: string, littleEndian: boolean, bom: boolean): Uint8Array => {
  const units = bom ? `\uFEFF${s}` : s;
  const out = new Uint8Array(units.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < units.length; i++) view.setUint16(2 * i, units.charCodeAt(i), littleEndian);
  return out;
};

const ENCODINGS = [
  'utf-8',
  'utf-16le-bom',
  'utf-16be-bom',
  'utf-16le',
  'latin1',
  'raw-latin1-fixture',
] as const;
function encode(s: string, how: (typeof ENCODINGS)[number]): Uint8Array {
  switch (how) {
    case 'utf-8':
      return new TextEncoder().encode(s);
    case 'utf-16le-bom':
      return utf16(s, true, true);
    case 'utf-16be-bom':
      return utf16(s, false, true);
    case 'utf-16le':
      return utf16(s, true, false);
    case 'latin1':
      return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
    case 'raw-latin1-fixture':
      return fixtureBytes('latin1.xml');
  }
}

const bytes = fc
  .record({
    text: mutant(SEEDS, TOKENS),
    encoding: fc.constantFrom(...ENCODINGS),
    flips: fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 4 }),
    contentType: fc.constantFrom(...CONTENT_TYPES),
  })
  .map(({ text, encoding, flips, contentType }) => {
    const b = encode(text, encoding);
    for (const [at, value] of flips) if (b.length > 0) b[at % b.length] = value;
    return { bytes: b, contentType };
  });

const odd = fc.oneof(
  fc.constantFrom(
    ...WEIRD_NUMBERS,
    'constructor',
    '__proto__',
    '&amp;',
    '&lt;b&gt;',
    '<![CDATA[<b>x</b>]]>',
    '&#0;',
    '&bogus;',
    '',
  ),
  fc.string({ unit: 'binary', maxLength: 30 }).map((s) => s.replace(/[<&]/g, '')),
);
const date = fc.oneof(
  fc
    .date({ noInvalidDate: false })
    .map((d) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toUTCString())),
  fc
    .date({ noInvalidDate: true, min: new Date(-8.64e15), max: new Date(8.64e15) })
    .map((d) => d.toISOString()),
  fc
    .constantFrom('GMT', 'PDT', '+0530', 'XYZ', 'constructor', '__proto__', 'hasOwnProperty', '')
    .map((zone) => `Tue, 10 Jun 2003 04:00:00 ${zone}`),
  fc.constantFrom(
    'Tue, 31 Feb 2024 25:61:61 +9999',
    '2024-13-45',
    'yesterday',
    '0',
    '-271821-04-20',
    '+275760-09-13T00:00:00.001Z',
  ),
  odd,
);
const duration = fc.oneof(clock, fc.integer().map(String), odd);
const url = fc.oneof(
  fc.constantFrom(
    'https://example.com/a.mp3',
    'http://[::1]/x',
    'javascript:alert(1)',
    '//x',
    ' https://x/ a',
    '',
  ),
  fc.webUrl(),
  odd,
);
const title = fc.oneof(
  fc.string({ maxLength: 40 }).map((s) => s.replace(/[<&]/g, ' ')),
  fc.constantFrom('<![CDATA[Tom &amp; <b>Jerry</b>]]>', 'A &amp; B &lt;3', 'Ep.&nbsp;1 &rsquo;', '&#x1F600;'),
  odd,
);
const item = fc
  .record({ title, date, duration, url, guid: odd, transcript: url, type: odd })
  .map(
    (i) =>
      `<item><title>${i.title}</title><pubDate>${i.date}</pubDate><itunes:duration>${i.duration}</itunes:duration>` +
      `<enclosure url="${i.url}" type="audio/mpeg"/><guid>${i.guid}</guid>` +
      `<podcast:transcript url="${i.transcript}" type="${i.type}" language="${i.type}"/></item>`,
  );
const entry = fc
  .record({ title, date, url })
  .map(
    (e) =>
      `<entry><title>${e.title}</title><updated>${e.date}</updated><link rel="enclosure" href="${e.url}"/></entry>`,
  );
const generated = fc.oneof(
  fc
    .tuple(title, fc.array(item, { maxLength: 30 }), odd)
    .map(
      ([t, items, language]) =>
        '<?xml version="1.0"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" ' +
        `xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel><title>${t}</title>` +
        `<language>${language}</language>${items.join('\n')}</channel></rss>`,
    ),
  fc
    .tuple(title, fc.array(entry, { maxLength: 30 }))
    .map(
      ([t, entries]) =>
        `<feed xmlns="http://www.w3.org/2005/Atom"><title>${t}</title>${entries.join('')}</feed>`,
    ),
);

describe('feed fuzzing', () => {
  const t = tally('feed (RSS/Atom)');

  const check = (text: string) => {
    const result = attempt(t, text.length, feedError, () => parseFeed(text));
    if (result.ok) expectValidFeed(result.value);
  };

  it(
    'mutated fixtures',
    () => {
      fc.assert(fc.property(mutant(SEEDS, TOKENS), check), params());
    },
    TIMEOUT,
  );

  it(
    'mutated and re-encoded bytes, with Content-Types',
    () => {
      fc.assert(
        fc.property(bytes, ({ bytes: b, contentType }) => {
          const result = attempt(t, b.length, feedError, () => parseFeed(decodeFeedBytes(b, contentType)));
          if (result.ok) expectValidFeed(result.value);
        }),
        params(),
      );
    },
    TIMEOUT,
  );

  it(
    'generated feeds',
    () => {
      fc.assert(fc.property(generated, check), params());
    },
    TIMEOUT,
  );
});
