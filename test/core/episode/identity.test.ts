// Episode identity: the same episode heard through different players and tracking prefixes is one
// episode; different episodes never share an id.
import { describe, expect, it } from 'vitest';
import type { EpisodeHint } from '../../../src/core/episode/hint';
import {
  aliasesFor,
  episodeIdFor,
  normaliseMediaUrl,
  normaliseUrl,
} from '../../../src/core/episode/identity';

describe('normaliseUrl', () => {
  it.each([
    [
      'drops utm_* and other tracking params',
      'https://example.com/ep?utm_source=x&utm_medium=y&id=7',
      'example.com/ep?id=7',
    ],
    [
      'drops fbclid, gclid, si, ref',
      'https://example.com/ep?fbclid=1&gclid=2&si=3&ref=4&ep=9',
      'example.com/ep?ep=9',
    ],
    ['drops the fragment', 'https://example.com/ep#t=120', 'example.com/ep'],
    ['drops www. and lower-cases the host', 'https://WWW.Example.COM/Ep', 'example.com/Ep'],
    ['drops a trailing slash', 'https://example.com/shows/ep-1/', 'example.com/shows/ep-1'],
    ['drops several trailing slashes', 'https://example.com/shows/ep-1///', 'example.com/shows/ep-1'],
    ['keeps the root path', 'https://example.com/', 'example.com/'],
    ['sorts the query so order does not matter', 'https://example.com/ep?b=2&a=1', 'example.com/ep?a=1&b=2'],
    ['treats http and https alike', 'http://example.com/ep', 'example.com/ep'],
    ['keeps a non-default port', 'https://example.com:8443/ep', 'example.com:8443/ep'],
    ['removes a query made only of tracking', 'https://example.com/ep?utm_campaign=z', 'example.com/ep'],
  ])('%s', (_name, input, expected) => {
    expect(normaliseUrl(input)).toBe(expected);
  });

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:audio/mp3;base64,AAAA'],
    ['blob:', 'blob:https://example.com/0b7c5d2e-1'],
    ['file:', 'file:///home/me/ep.mp3'],
    ['ftp:', 'ftp://example.com/ep.mp3'],
    ['not a URL', 'not a url'],
    ['empty', ''],
  ])('returns undefined for %s', (_name, input) => {
    expect(normaliseUrl(input)).toBeUndefined();
  });

  it('gives the same result for the same page shared with and without tracking', () => {
    expect(normaliseUrl('https://www.example.com/ep/?utm_source=tw#comments')).toBe(
      normaliseUrl('https://example.com/ep'),
    );
  });
});

describe('normaliseMediaUrl', () => {
  const plain = 'traffic.megaphone.fm/x.mp3';

  it.each([
    ['the plain file', 'https://traffic.megaphone.fm/X.mp3'],
    ['a query string (cache busting)', 'https://traffic.megaphone.fm/X.mp3?updated=1712345678'],
    ['podtrac dts', 'https://dts.podtrac.com/redirect.mp3/traffic.megaphone.fm/X.mp3'],
    ['podtrac www dts', 'https://www.dts.podtrac.com/redirect.mp3/traffic.megaphone.fm/X.mp3'],
    ['podtrac pts', 'https://podtrac.com/pts/redirect.mp3/traffic.megaphone.fm/X.mp3'],
    ['chartable chtbl', 'https://chtbl.com/track/5899E/traffic.megaphone.fm/X.mp3'],
    ['chartable chrt.fm', 'https://chrt.fm/track/ABC-12/traffic.megaphone.fm/X.mp3'],
    ['podsights pdst', 'https://pdst.fm/e/traffic.megaphone.fm/X.mp3'],
    ['op3', 'https://op3.dev/e/traffic.megaphone.fm/X.mp3'],
    ['op3 with options', 'https://op3.dev/e,pg=abc-123/traffic.megaphone.fm/X.mp3'],
    ['op3 with an embedded scheme', 'https://op3.dev/e/https://traffic.megaphone.fm/X.mp3'],
    ['podscribe', 'https://verifi.podscribe.com/rss/p/traffic.megaphone.fm/X.mp3'],
    ['spotify prefix', 'https://prfx.byspotify.com/e/traffic.megaphone.fm/X.mp3'],
    ['podkite', 'https://growx.podkite.com/abc/def/traffic.megaphone.fm/X.mp3'],
    [
      'stacked podtrac + chrt + query',
      'https://dts.podtrac.com/redirect.mp3/chrt.fm/track/ABC/traffic.megaphone.fm/X.mp3?updated=1',
    ],
    [
      'stacked pdst + chtbl + podtrac',
      'https://pdst.fm/e/chtbl.com/track/X1/dts.podtrac.com/redirect.mp3/traffic.megaphone.fm/X.mp3',
    ],
    ['a www. host behind a prefix', 'https://pdst.fm/e/www.traffic.megaphone.fm/X.mp3'],
    ['a fragment', 'https://traffic.megaphone.fm/X.mp3#t=30'],
    ['podtrac play (network prefix)', 'https://play.podtrac.com/npr-510289/traffic.megaphone.fm/X.mp3'],
    ['magellan track', 'https://mgln.ai/track/traffic.megaphone.fm/X.mp3'],
    ['magellan e with an id', 'https://mgln.ai/e/94/traffic.megaphone.fm/X.mp3'],
    ['podcorn', 'https://pdcn.co/e/traffic.megaphone.fm/X.mp3'],
    ['podcorn with an embedded scheme', 'https://pdcn.co/e/https://traffic.megaphone.fm/X.mp3'],
    ['veritonic', 'https://pfx.veritonicmetrics.com/vt123/traffic.megaphone.fm/X.mp3'],
    ['gumball s.gum.fm', 'https://s.gum.fm/r1/0123456789abcdef01234567/traffic.megaphone.fm/X.mp3'],
    ['gumball 2.gum.fm', 'https://2.gum.fm/traffic.megaphone.fm/X.mp3'],
    ['podder', 'https://p.podderapp.com/2544644999/traffic.megaphone.fm/X.mp3'],
    ['zencastr', 'https://r.zen.ai/r/traffic.megaphone.fm/X.mp3'],
    ['glystn', 'https://t.glystn.com/v2/track/PID-1234abcd/traffic.megaphone.fm/X.mp3'],
    ['adbarker', 'https://adbarker.com/stream/asdfASDf1345/traffic.megaphone.fm/X.mp3'],
    ['letscast', 'https://letscast.fm/track/https://traffic.megaphone.fm/X.mp3'],
    ['blubrry', 'https://media.blubrry.com/someshow/traffic.megaphone.fm/X.mp3'],
    ['claritas clrtpod', 'https://clrtpod.com/m/traffic.megaphone.fm/X.mp3'],
    ['podroll', 'https://pdrl.fm/abc123/traffic.megaphone.fm/X.mp3'],
    ['voxalyze', 'https://a.pdcst.to/showid42/traffic.megaphone.fm/X.mp3'],
    [
      'seven stacked prefixes as real feeds have them',
      'https://www.podtrac.com/pts/redirect.mp3/pdst.fm/e/mgln.ai/e/94/claritaspod.com/measure/verifi.podscribe.com/rss/p/pfx.vpixl.com/j0JIg/traffic.megaphone.fm/X.mp3?updated=1727834300',
    ],
    [
      'stacked new and old prefixes',
      'https://op3.dev/e/media.blubrry.com/show/pdcn.co/e/clrtpod.com/m/chrt.fm/track/A1/traffic.megaphone.fm/X.mp3',
    ],
  ])('reduces %s to the file itself', (_name, input) => {
    expect(normaliseMediaUrl(input)).toBe(plain);
  });

  it('gives the task example the same identity as the bare file', () => {
    expect(
      normaliseMediaUrl(
        'https://dts.podtrac.com/redirect.mp3/chrt.fm/track/ABC/traffic.megaphone.fm/X.mp3?updated=1',
      ),
    ).toBe(normaliseMediaUrl('https://traffic.megaphone.fm/X.mp3'));
  });

  it.each([
    ['another file on the same host', 'https://traffic.megaphone.fm/Y.mp3'],
    ['the same path on another host', 'https://cdn.example.com/X.mp3'],
    ['a look-alike prefix host', 'https://notchtbl.com/track/5899E/traffic.megaphone.fm/X.mp3'],
  ])('keeps %s distinct', (_name, input) => {
    expect(normaliseMediaUrl(input)).not.toBe(plain);
  });

  it.each([
    [
      'a file hosted on Blubrry itself',
      'https://media.blubrry.com/someshow/X.mp3',
      'media.blubrry.com/someshow/x.mp3',
    ],
    [
      'a file hosted under a podtrac play path',
      'https://play.podtrac.com/npr/X.mp3',
      'play.podtrac.com/npr/x.mp3',
    ],
    [
      'a Podroll-looking path with no host after it',
      'https://pdrl.fm/abc/def/X.mp3',
      'pdrl.fm/abc/def/x.mp3',
    ],
  ])('keeps %s whole (a loose prefix strips only when a host follows)', (_name, input, expected) => {
    expect(normaliseMediaUrl(input)).toBe(expected);
  });

  it("keeps two shows' files on Blubrry apart", () => {
    expect(normaliseMediaUrl('https://media.blubrry.com/show-a/ep1.mp3')).not.toBe(
      normaliseMediaUrl('https://media.blubrry.com/show-b/ep1.mp3'),
    );
  });

  it.each(['blob:https://example.com/abc', 'data:audio/mpeg;base64,AAAA', 'javascript:alert(1)', 'nonsense'])(
    'returns undefined for %s',
    (input) => {
      expect(normaliseMediaUrl(input)).toBeUndefined();
    },
  );
});

const hint = (extra: Partial<EpisodeHint> = {}): EpisodeHint => ({
  site: 'generic',
  pageUrl: 'https://example.com/show/ep-1',
  title: 'Episode One',
  ...extra,
});

describe('aliasesFor', () => {
  it('lists aliases strongest first: guid, enclosure, media, platform ids', () => {
    const aliases = aliasesFor(
      hint({
        guid: 'ABC-123',
        enclosureUrl: 'https://dts.podtrac.com/redirect.mp3/cdn.example.com/ep1.mp3',
        mediaUrl: 'https://cdn2.example.com/ep1-stream.mp3',
        ids: { youtube: 'dQw4w9WgXcQ', spotify: '4rOoJ6Egrf8K2IrywzwOMk', appleEpisode: '1000650000000' },
      }),
    );
    expect(aliases).toEqual([
      'guid:abc-123',
      'media:cdn.example.com/ep1.mp3',
      'media:cdn2.example.com/ep1-stream.mp3',
      'youtube:dQw4w9WgXcQ',
      'spotify:4rOoJ6Egrf8K2IrywzwOMk',
      'apple:1000650000000',
    ]);
  });

  it('does not repeat an alias when the enclosure and the playing file are the same file', () => {
    const aliases = aliasesFor(
      hint({
        enclosureUrl: 'https://chtbl.com/track/1/cdn.example.com/ep1.mp3',
        mediaUrl: 'https://cdn.example.com/ep1.mp3?ttl=5',
      }),
    );
    expect(aliases).toEqual(['media:cdn.example.com/ep1.mp3']);
  });

  it('folds the guid (case and white space) so feeds that differ only in spelling agree', () => {
    expect(aliasesFor(hint({ guid: '  Some   GUID ' }))).toEqual(aliasesFor(hint({ guid: 'some guid' })));
  });

  it('uses the page alias only when nothing better identifies the episode', () => {
    expect(aliasesFor(hint())).toEqual(['page:example.com/show/ep-1|episode one']);
    expect(aliasesFor(hint({ mediaUrl: 'https://cdn.example.com/ep1.mp3' }))).toEqual([
      'media:cdn.example.com/ep1.mp3',
    ]);
    expect(aliasesFor(hint({ ids: { youtube: 'abc' } }))).toEqual(['youtube:abc']);
  });

  it('prefers the canonical URL for the page alias and ignores tracking in it', () => {
    const a = aliasesFor(
      hint({
        pageUrl: 'https://example.com/player?utm_source=x',
        canonicalUrl: 'https://www.example.com/ep-1/',
      }),
    );
    expect(a).toEqual(['page:example.com/ep-1|episode one']);
  });

  it('gives two episodes played under one page URL different aliases (the title differs)', () => {
    const one = aliasesFor(hint({ pageUrl: 'https://player.example.com/', title: 'Episode One' }));
    const two = aliasesFor(hint({ pageUrl: 'https://player.example.com/', title: 'Episode Two' }));
    expect(one).toHaveLength(1);
    expect(two).toHaveLength(1);
    expect(one[0]).not.toBe(two[0]);
  });

  it('ignores a playing file that is not an http(s) URL', () => {
    // blob: never reaches here through the schema, but the identity must not invent an alias from it.
    expect(aliasesFor(hint({ mediaUrl: 'blob:https://example.com/abc' }))).toEqual([
      'page:example.com/show/ep-1|episode one',
    ]);
  });
});

describe('episodeIdFor', () => {
  it('is stable: the same alias always gives the same id', () => {
    expect(episodeIdFor('guid:abc')).toBe(episodeIdFor('guid:abc'));
  });

  it('is a short, safe identifier', () => {
    expect(episodeIdFor('media:cdn.example.com/ep1.mp3')).toMatch(/^ep_[0-9a-z]{1,11}$/);
  });

  it('is distinct for distinct aliases, even near-identical ones', () => {
    const aliases = [
      'guid:abc',
      'guid:abd',
      'guid:abc ',
      'media:cdn.example.com/ep1.mp3',
      'media:cdn.example.com/ep2.mp3',
      ...Array.from({ length: 2000 }, (_, i) => `page:example.com/ep|episode ${i}`),
    ];
    const ids = new Set(aliases.map(episodeIdFor));
    expect(ids.size).toBe(aliases.length);
  });
});
