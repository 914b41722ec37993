// OPML under fuzzing: subscription lists shaped like real apps' exports (Overcast's nested groups
// and episode outlines, a hand-edited list, Earmark's own export) mutated, and generated lists of
// outlines whose addresses and attributes are valid, odd or hostile. parseOpml gives a list of
// public http(s) feeds or an OpmlError; what it reads, written back by serializeOpml, reads the same.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { checkPublicHttpUrl } from '../../src/core/net/url-policy';
import { OpmlError, parseOpml, serializeOpml, type OpmlList } from '../../src/core/follow/opml';
import { fixture } from '../core/feed/fixtures';
import { mutant } from './mutate';
import { attempt, params, tally, TIMEOUT, typedBy } from './runs';

const OVERCAST = `<?xml version="1.0" encoding="utf-8"?>
<opml version="1.0">
  <head><title>Overcast Podcast Subscriptions</title></head>
  <body>
    <outline text="playlists"><outline type="podcast-playlist" title="All" smart="1"/></outline>
    <outline text="feeds">
      <outline type="rss" title="Accidental Tech Podcast" text="Accidental Tech Podcast" xmlUrl="https://atp.fm/rss" htmlUrl="https://atp.fm">
        <outline type="podcast-episode" title="576: Vision Pro" url="https://atp.fm/576" enclosureUrl="https://traffic.libsyn.com/atp576.mp3?a=1&amp;b=2"/>
      </outline>
      <outline type="rss" text="Planet Money" xmlUrl="https://feeds.npr.org/510289/podcast.xml?utm_source=overcast&amp;utm_medium=app"/>
    </outline>
  </body>
</opml>
`;
const HAND_MADE = `\uFEFF<?xml version="1.0" encoding="ISO-8859-1"?>
<!-- exported from an old feed reader, then edited by hand -->
<opml version="1.1">
  <head><title>  My   podcasts  </title></head>
  <body>
    <outline text="Tech"><outline text="Languages">
      <outline text="CoRecursive" xmlurl="feed://corecursive.libsyn.com/feed"/>
    </outline><outline title="Changelog" XMLURL="https://changelog.com/podcast/feed"/></outline>
    <outline text="Café Society" url="https://cafe.example.org/feed.rss"/>
    <outline type="link" text="A page" url="https://example.org/"/>
    <outline type="rss" text="Local" xmlUrl="http://192.168.1.2/feed"/>
  </body>
</opml>
`;
const OWN = serializeOpml(
  [
    { feedUrl: 'https://feeds.example.org/a.xml', title: 'A & <B>' },
    { feedUrl: 'https://feeds.example.org/b.xml?x=1&y="2"', title: 'Tab\there\nnewline' },
  ],
  { now: new Date('2026-01-01T00:00:00Z') },
);
const SEEDS = [OVERCAST, HAND_MADE, OWN, fixture('opml.xml')];
const TOKENS = [
  '<outline type="rss" text="X" xmlUrl="https://x.example.com/f"/>',
  '<outline text="group">',
  '</outline>',
  'xmlUrl="',
  'XMLURL=',
  '<head>',
  '</head>',
  '<body>',
  '</opml>',
  '<opml>',
];

const CODES = ['not-xml', 'not-opml', 'empty', 'too-large'];
const opmlError = typedBy(OpmlError, (e) => {
  if (!CODES.includes(e.code)) throw new Error(`OpmlError with unknown code ${String(e.code)}`);
  return e.code;
});

const address = fc.oneof(
  { weight: 3, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
  fc.constantFrom(
    'feed://example.org/rss',
    'feed:https://example.org/rss',
    'itpc://example.org/rss',
    'pcast:example.org/rss',
    'http://localhost/feed',
    'http://[::1]/',
    'http://169.254.169.254/latest',
    'https://user:pw@example.org/',
    'javascript:alert(1)',
    'data:text/xml,<rss/>',
    'https://exa\tmple.org/f',
    'https://example.org/\uD800',
    'https://例え.jp/feed',
    '',
    ' ',
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const outline: fc.Arbitrary<string> = fc
  .record({
    name: fc.constantFrom('xmlUrl', 'xmlurl', 'XMLURL', 'url'),
    type: fc.constantFrom(
      '',
      ' type="rss"',
      ' type="link"',
      ' type="include"',
      ' type="podcast-episode"',
      ' type="RSS "',
    ),
    address,
    text: fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('&amp;', '&eacute;', '&bogus;', 'x'.repeat(2000)),
    ),
    raw: fc.boolean(),
  })
  .map((o) => {
    // Raw: unescaped, as hand-edited files have it (only the quote that would end the value goes).
    const value = (s: string) => (o.raw ? s.replace(/"/g, '') : escape(s));
    return `<outline text="${value(o.text)}"${o.type} ${o.name}="${value(o.address)}"/>`;
  });
const list = fc
  .tuple(
    fc.array(
      fc.oneof(
        { weight: 5, arbitrary: outline },
        fc.constantFrom(
          '<outline text="group">',
          '</outline>',
          '<head><title>x</title></head>',
          '<![CDATA[x]]>',
        ),
      ),
      { maxLength: 60 },
    ),
    fc.constantFrom(
      '<opml version="2.0"><head><title>T</title></head><body>',
      '<opml><body>',
      '<OPML><BODY>',
    ),
    fc.constantFrom('</body></opml>', ''),
  )
  .map(([outlines, open, close]) => `<?xml version="1.0"?>${open}${outlines.join('\n')}${close}`);

/** What every list must be: public http(s) feeds, once each, within the limits. */
function checkList(l: OpmlList, maxFeeds: number): void {
  if (l.feeds.length === 0 || l.feeds.length > maxFeeds)
    throw new Error(`invariant: ${l.feeds.length} feeds`);
  const seen = new Set<string>();
  for (const f of l.feeds) {
    if (typeof f.url !== 'string' || !checkPublicHttpUrl(f.url).ok)
      throw new Error(`invariant: feed ${f.url}`);
    if (seen.has(f.url)) throw new Error(`invariant: ${f.url} twice`);
    seen.add(f.url);
    if (f.title !== undefined && (typeof f.title !== 'string' || f.title === '' || f.title.length > 1000))
      throw new Error(`invariant: title ${String(f.title)}`);
  }
  if (l.title !== undefined && (l.title === '' || l.title.length > 1000))
    throw new Error('invariant: list title');
  if (!l.problems.every((p) => typeof p === 'string' && p.length > 0)) throw new Error('invariant: problems');
  // Written back as Earmark exports it, the list reads the same feeds.
  const again = parseOpml(
    serializeOpml(
      l.feeds.map((f) => ({ feedUrl: f.url, title: f.title ?? '' })),
      { now: new Date(0) },
    ),
    { maxFeeds },
  );
  const urls = (x: OpmlList) => x.feeds.map((f) => f.url).join('\n');
  if (urls(again) !== urls(l))
    throw new Error(`invariant: round trip changed\n${urls(l)}\nto\n${urls(again)}`);
}

describe('OPML fuzzing', () => {
  const t = tally('OPML');
  const maxFeeds = fc.oneof(fc.constant(undefined), fc.integer({ min: -5, max: 5 }), fc.constant(Number.NaN));

  for (const [name, inputs] of [
    ['mutated exports', mutant(SEEDS, TOKENS)],
    ['generated lists', list],
  ] as const)
    it(
      name,
      () => {
        fc.assert(
          fc.property(inputs, maxFeeds, (text, max) => {
            const options = max === undefined ? {} : { maxFeeds: max };
            const result = attempt(t, text.length, opmlError, () => parseOpml(text, options));
            if (result.ok) checkList(result.value, Math.max(1, Math.floor(max ?? 2000) || 2000));
          }),
          params(),
        );
      },
      TIMEOUT,
    );
});
