// Apple's iTunes Search and Lookup: the addresses Earmark asks, the answers it reads (odd entries
// skipped, not fatal), show matching by name, and ids read from Apple Podcasts page addresses.
// Fixtures are hand-made, modelled on real answers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appleIds,
  bestShowMatch,
  DirectoryError,
  foldName,
  lookupUrl,
  parseLookup,
  parseSearch,
  searchUrl,
} from '../../../src/core/directory';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/itunes', name), 'utf8'));

describe('lookupUrl and searchUrl', () => {
  it('looks a show up with its episodes', () => {
    expect(lookupUrl('94793843')).toBe(
      'https://itunes.apple.com/lookup?id=94793843&entity=podcastEpisode&limit=200',
    );
    expect(lookupUrl(94793843)).toBe(lookupUrl('94793843'));
  });

  it.each(['', 'abc', '123&entity=song', '-1'])('refuses the id %j', (id) => {
    expect(() => lookupUrl(id)).toThrow(DirectoryError);
  });

  it('searches shows by name', () => {
    expect(searchUrl('Hard Fork')).toBe(
      'https://itunes.apple.com/search?media=podcast&entity=podcast&term=Hard+Fork&limit=10',
    );
  });

  it('searches episodes when given an episode title, and encodes the term', () => {
    const url = new URL(searchUrl('  Tom & Jerry’s  show ', 'Ep. 3: "Why?" #1'));
    expect(url.origin + url.pathname).toBe('https://itunes.apple.com/search');
    expect(url.searchParams.get('entity')).toBe('podcastEpisode');
    expect(url.searchParams.get('media')).toBe('podcast');
    expect(url.searchParams.get('term')).toBe('Tom & Jerry’s show Ep. 3: "Why?" #1');
    expect(url.searchParams.get('limit')).toBe('10');
  });

  it('caps the term length', () => {
    expect(new URL(searchUrl('x'.repeat(1000))).searchParams.get('term')).toHaveLength(200);
  });
});

describe('parseLookup', () => {
  it('reads the show and its episodes, skipping entries that are not episodes', () => {
    expect(parseLookup(fixture('lookup.json'))).toEqual({
      show: {
        collectionId: '1200000001',
        name: 'The Example Show',
        artist: 'Example Media',
        feedUrl: 'https://feeds.example.com/example-show.rss',
        artwork: 'https://is1-ssl.mzstatic.com/image/thumb/example/600x600bb.jpg',
      },
      episodes: [
        {
          guid: 'example-show-ep-12',
          title: 'Episode 12: Why small teams win',
          url: 'https://dts.podtrac.com/redirect.mp3/media.example.com/ep12.mp3',
          published: '2025-03-04T10:00:00.000Z',
          durationSeconds: 3605,
          trackId: '1000700000123',
        },
        // Malformed optional fields (a javascript: URL, "soon", a negative duration) are dropped.
        { title: 'Episode 11: An episode with odd fields', trackId: '1000700000100' },
        // Without a trackId, or with a blank title, an entry is skipped.
      ],
    });
  });

  it('takes the show from an episode when the answer does not list it', () => {
    const json = fixture('lookup.json') as { results: unknown[] };
    const lookup = parseLookup({ results: json.results.slice(1) });
    expect(lookup.show).toEqual({
      collectionId: '1200000001',
      name: 'The Example Show',
      feedUrl: 'https://feeds.example.com/example-show.rss',
    });
    expect(lookup.episodes).toHaveLength(2);
  });

  it('reads an answer with no results', () => {
    expect(parseLookup({ resultCount: 0, results: [] })).toEqual({ episodes: [] });
  });

  // Found by fuzzing (test/fuzz/itunes.fuzz.test.ts): 1e308 became the id "1e+308", 1e20 one of 21
  // digits; past 2^53 a number is already rounded. Such an entry is skipped; digits as text are kept.
  it('skips an entry whose numeric id is not a safe integer', () => {
    const episode = { kind: 'podcast-episode', trackName: 'E', collectionId: 1, collectionName: 'S' };
    const lookup = parseLookup({
      results: [
        { kind: 'podcast', collectionId: 1e308, collectionName: 'Huge' },
        { ...episode, trackId: 1e20 },
        { ...episode, trackId: 2 ** 53 + 2 },
        { ...episode, trackId: '10000000000000000000' },
      ],
    });
    expect(lookup.show).toEqual({ collectionId: '1', name: 'S' });
    expect(lookup.episodes.map((e) => e.trackId)).toEqual(['10000000000000000000']);
  });

  it.each([
    ['null', null],
    ['a string', 'nope'],
    ['an object without results', { resultCount: 0 }],
    ['results that are not a list', { results: {} }],
  ])('refuses %s', (_name, json) => {
    expect(() => parseLookup(json)).toThrow(DirectoryError);
  });
});

describe('parseSearch', () => {
  it('lists the shows that have a feed, once each, in Apple’s order', () => {
    expect(parseSearch(fixture('search.json'))).toEqual([
      {
        collectionId: '1300000001',
        name: 'Example Show Highlights',
        artist: 'Someone Else',
        feedUrl: 'https://feeds.example.org/highlights.rss',
      },
      {
        collectionId: '1200000001',
        name: 'The Example Show',
        artist: 'Example Media',
        feedUrl: 'https://feeds.example.com/example-show.rss',
        artwork: 'https://is1-ssl.mzstatic.com/image/thumb/example/100x100bb.jpg',
      },
    ]);
  });

  it('reads the shows of an episode search', () => {
    const json = fixture('search.json') as { results: unknown[] };
    expect(parseSearch({ results: json.results.slice(3) }).map((s) => s.collectionId)).toEqual([
      '1200000001',
    ]);
  });

  it('refuses what is not an answer', () => {
    expect(() => parseSearch([])).toThrow(DirectoryError);
  });
});

describe('bestShowMatch', () => {
  const shows = [
    { name: 'Example Show Highlights', id: 1 },
    { name: 'The Example Show', id: 2 },
    { name: 'Café Économique & Co.', id: 3 },
    { name: 'Radiolab', id: 4 },
    { name: 'Radiolab', id: 5 },
  ];

  it.each([
    ['the same name', 'The Example Show', 2],
    ['case and a missing "The"', 'example show', 2],
    ['accents, "&" and punctuation', 'Cafe Economique and Co', 3],
    ['ties keep Apple’s order', 'radiolab', 4],
    ['a near spelling', 'The Examples Show', 2],
    ['nothing close enough', 'Hard Fork', undefined],
    ['a blank name', '  ', undefined],
  ])('%s', (_name, showName, id) => {
    expect(bestShowMatch(shows, showName)?.id).toBe(id);
  });

  it('prefers the equal name over a longer one that contains it', () => {
    expect(bestShowMatch([{ name: 'The Daily Show' }, { name: 'The Daily' }], 'The Daily')?.name).toBe(
      'The Daily',
    );
    expect(bestShowMatch([{ name: 'The Daily Show' }], 'The Daily')).toBeUndefined();
  });

  it('folds names', () => {
    expect(foldName('The Vergecast™ & Friends!')).toBe('vergecast and friends');
  });
});

describe('appleIds', () => {
  it.each([
    [
      'with country and slug',
      'https://podcasts.apple.com/us/podcast/sound-opinions/id94793843',
      { collectionId: '94793843' },
    ],
    [
      'with an episode',
      'https://podcasts.apple.com/gb/podcast/seymour-stein-interview/id94793843?i=1000608591999',
      { collectionId: '94793843', episodeId: '1000608591999' },
    ],
    [
      'without a country',
      'https://podcasts.apple.com/podcast/sound-opinions/id94793843',
      { collectionId: '94793843' },
    ],
    ['without a slug', 'https://podcasts.apple.com/us/podcast/id94793843', { collectionId: '94793843' }],
    [
      'without country or slug, with tracking',
      'https://podcasts.apple.com/podcast/id94793843?i=1000608591999&uo=4',
      { collectionId: '94793843', episodeId: '1000608591999' },
    ],
    [
      'an old itunes.apple.com link',
      'https://itunes.apple.com/us/podcast/sound-opinions/id94793843?mt=2&uo=4',
      { collectionId: '94793843' },
    ],
    [
      'a non-numeric episode is ignored',
      'https://podcasts.apple.com/us/podcast/x/id94793843?i=abc',
      { collectionId: '94793843' },
    ],
    ['a trailing slash', 'https://podcasts.apple.com/us/podcast/x/id94793843/', { collectionId: '94793843' }],
  ])('%s', (_name, url, ids) => {
    expect(appleIds(url)).toEqual(ids);
  });

  it.each([
    ['another host', 'https://podcasts.example.com/us/podcast/x/id94793843'],
    ['a look-alike host', 'https://podcasts.apple.com.evil.example/us/podcast/x/id94793843'],
    ['a channel page', 'https://podcasts.apple.com/us/channel/wbez/id6442463394'],
    ['no id', 'https://podcasts.apple.com/us/podcast/sound-opinions'],
    ['not a URL', 'id94793843'],
    ['javascript:', 'javascript:alert("podcasts.apple.com/podcast/id1")'],
  ])('nothing from %s', (_name, url) => {
    expect(appleIds(url)).toBeUndefined();
  });
});
