// parseFeed on feeds shaped like the real ones: namespaces under any prefix and both Podcasting
// 2.0 URIs, CDATA and entities in titles, every duration form, several transcripts per episode.
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes, parseFeed } from '../../../src/core/feed';
import { expectValidFeed, fixture, fixtureBytes } from './fixtures';

describe('parseFeed: Podcasting 2.0 under its current URI, with unusual prefixes', () => {
  const feed = parseFeed(fixture('pc20-official-ns.xml'));

  it('reads the channel: title from CDATA without markup, link, language, the large iTunes image', () => {
    expectValidFeed(feed);
    expect(feed.title).toBe('Signal & Noise: The Data Show');
    expect(feed.link).toBe('https://signal-noise.example.org/');
    expect(feed.language).toBe('en-US');
    expect(feed.image).toBe('https://signal-noise.example.org/cover-3000.jpg');
  });

  it('decodes entities in a CDATA title and drops its markup', () => {
    expect(feed.episodes[0]?.title).toBe('Ep. 42 — Tom & Jerry’s Big Data <3');
  });

  it('decodes numeric and named XML entities in a plain title', () => {
    expect(feed.episodes[1]?.title).toBe('Ep. 41 – Missing "GUID" — no guid here');
  });

  it('reads every transcript of an episode, skipping one without a url', () => {
    expect(feed.episodes[0]?.transcripts).toEqual([
      {
        url: 'https://signal-noise.example.org/0042/transcript.vtt',
        type: 'text/vtt',
        language: 'en',
        rel: 'captions',
      },
      {
        url: 'https://signal-noise.example.org/0042/transcript.json',
        type: 'application/json',
        language: 'en-GB',
      },
      { url: 'https://signal-noise.example.org/0042/transcript.html', type: 'text/html' },
      {
        url: 'https://signal-noise.example.org/0042/transcript.srt',
        type: 'application/srt',
        language: 'es-MX',
      },
    ]);
    expect(feed.episodes[1]?.transcripts).toEqual([
      { url: 'https://signal-noise.example.org/0041/transcript.srt', type: 'application/x-subrip' },
    ]);
  });

  it('reads guid (trimmed), date (with its zone), enclosure as published, duration and chapters', () => {
    expect(feed.episodes[0]).toMatchObject({
      guid: 'sn-0042',
      published: '2024-03-05T19:30:00.000Z',
      enclosureUrl: 'https://dts.podtrac.com/redirect.mp3/op3.dev/e/cdn.example.org/sn/0042.mp3?ttl=9',
      durationSeconds: 3723,
      chaptersUrl: 'https://signal-noise.example.org/0042/chapters.json',
    });
  });

  it('keeps an episode without a guid', () => {
    expect(feed.episodes[1]?.guid).toBeUndefined();
    expect(feed.episodes[1]?.enclosureUrl).toBe('https://cdn.example.org/sn/0041.mp3');
  });

  it('falls back to itunes:title when the item has no title', () => {
    expect(feed.episodes[2]?.title).toBe('Ep. 40: Only an iTunes title');
  });

  it('keeps an untitled episode that has an enclosure, omitting what it cannot read', () => {
    const e = feed.episodes[3];
    expect(e).toEqual({
      title: '',
      guid: 'sn-0039',
      enclosureUrl: 'https://cdn.example.org/sn/0039.mp3',
      transcripts: [],
    });
  });

  it('skips an item with neither title nor enclosure', () => {
    expect(feed.episodes.map((e) => e.guid)).not.toContain('sn-draft');
    expect(feed.episodes).toHaveLength(4);
  });

  it('ignores a channel-level transcript (it belongs to no episode)', () => {
    expect(feed.episodes.flatMap((e) => e.transcripts.map((t) => t.url))).not.toContain(
      'https://signal-noise.example.org/channel-level.vtt',
    );
  });
});

describe('parseFeed: Podcasting 2.0 under its old GitHub URI', () => {
  const feed = parseFeed(fixture('pc20-legacy-ns.xml'));

  it('reads transcripts and chapters under a namespace declared on the channel', () => {
    expectValidFeed(feed);
    expect(feed.episodes[0]?.transcripts).toEqual([
      { url: 'https://legacy.example.net/media/ep7.srt', type: 'application/srt' },
      { url: 'https://legacy.example.net/media/ep7.vtt', type: 'text/vtt', language: 'en', rel: 'captions' },
    ]);
    expect(feed.episodes[0]?.chaptersUrl).toBe('https://legacy.example.net/media/ep7-chapters.json');
  });

  it('reads iTunes tags declared with the old upper-case DTD URI', () => {
    expect(feed.episodes[0]?.durationSeconds).toBe(2710);
  });

  it('normalises the language and takes image/url when there is no itunes:image', () => {
    expect(feed.language).toBe('en');
    expect(feed.image).toBe('https://legacy.example.net/art.jpg');
  });

  it('reads a single-digit day and hour in the date', () => {
    expect(feed.episodes[0]?.published).toBe('2024-06-01T08:05:00.000Z');
  });

  it('ignores "podcast:" elements bound to another namespace', () => {
    expect(feed.episodes[1]?.transcripts).toEqual([]);
  });
});

describe('parseFeed: itunes:duration in all its forms', () => {
  const feed = parseFeed(fixture('durations.xml'));
  // In the order of the items in durations.xml.
  const expected: [string, number | undefined][] = [
    ['3723', 3723],
    ['62:03', 3723],
    ['1:02:03', 3723],
    ['01:02:03.5', 3723.5],
    ['1h2m3s', 3723],
    ['1h 2m 3s', 3723],
    ['PT1H2M3S', 3723],
    ['PT1H2M', 3720],
    ['3723.000000', 3723],
    ['  3723  ', 3723],
    ['45 min', 2700],
    ['1.02.03', 3723],
    ['0:45', 45],
    ['(empty)', undefined],
    ['garbage', undefined],
    ['-5', undefined],
    ['0', undefined],
    ['00:00:00', undefined],
    ['1:75:00', undefined],
    ['999999999 (31 years)', undefined],
    ['12:34:56:78', undefined],
    ['PT', undefined],
  ];

  it('has one episode per form', () => {
    expect(feed.episodes).toHaveLength(expected.length);
  });

  it.each(expected.map(([raw, seconds], i) => [raw, seconds, i] as const))('%s → %s', (_raw, seconds, i) => {
    expect(feed.episodes[i]?.durationSeconds).toBe(seconds);
  });
});

describe('parseFeed: other feed shapes', () => {
  it('reads a feed with no items as a valid feed with no episodes', () => {
    expect(parseFeed(fixture('zero-items.xml'))).toEqual({
      title: 'Coming Soon',
      link: 'https://soon.example.com',
      language: 'de-DE',
      image: 'https://soon.example.com/art.png',
      episodes: [],
    });
  });

  it('reads an Atom feed: title, alternate link, logo, entries with enclosure links', () => {
    const feed = parseFeed(fixture('atom.xml'));
    expectValidFeed(feed);
    expect(feed).toMatchObject({
      title: 'Atomic Talk',
      link: 'https://atomic.example.com/',
      image: 'https://atomic.example.com/logo.png',
    });
    expect(feed.episodes).toEqual([
      {
        title: 'Fission, explained',
        guid: 'urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a',
        published: '2024-04-30T08:15:00.000Z',
        enclosureUrl: 'https://atomic.example.com/fission.mp3',
        durationSeconds: 2100,
        transcripts: [{ url: 'https://atomic.example.com/fission.vtt', type: 'text/vtt' }],
      },
      {
        title: 'Fusion, maybe',
        guid: 'urn:uuid:2',
        published: '2024-04-01T08:00:00.000Z',
        enclosureUrl: 'https://atomic.example.com/fusion.mp3',
        transcripts: [],
      },
    ]);
  });

  it('reads RSS 1.0 (RDF), whose items sit beside the channel in a default namespace', () => {
    expect(parseFeed(fixture('rss1-rdf.xml'))).toEqual({
      title: 'Lecture Hall',
      link: 'https://old.example.edu/',
      language: 'en-GB',
      episodes: [{ title: 'Lecture 1', published: '2009-10-01T09:00:00.000Z', transcripts: [] }],
    });
  });

  it('tolerates the faults real feeds have (PHP warning first, undeclared prefixes, HTML entities…)', () => {
    const feed = parseFeed(fixture('quirks.xml'));
    expectValidFeed(feed);
    expect(feed).toMatchObject({
      title: 'Quirks Mode — Live',
      link: 'https://quirks.example.com/',
      language: 'en',
      image: 'https://quirks.example.com/art-from-text.jpg',
    });
    expect(feed.episodes).toEqual([
      {
        title: 'R&D & You',
        guid: 'quirks-2',
        published: '2024-07-04T18:00:00.000Z',
        enclosureUrl: 'https://quirks.example.com/2.mp3',
        durationSeconds: 3723,
        transcripts: [{ url: 'https://quirks.example.com/2.vtt', type: 'text/vtt' }],
      },
      {
        title: 'Second',
        published: '2024-06-27T14:00:00.000Z',
        enclosureUrl: 'https://quirks.example.com/1.m4a',
        transcripts: [],
      },
    ]);
  });

  it('accepts a leading BOM character in the string', () => {
    expect(parseFeed(`\uFEFF${fixture('zero-items.xml')}`).title).toBe('Coming Soon');
  });

  it('reads a Latin-1 feed once its bytes are decoded by the declared encoding', () => {
    const feed = parseFeed(decodeFeedBytes(fixtureBytes('latin1.xml')));
    expect(feed.title).toBe('Café Crème – Français facile');
    expect(feed.language).toBe('fr-FR');
    expect(feed.episodes[0]).toMatchObject({
      title: 'Épisode 3 : « Déjà vu » à München',
      published: '2024-04-03T05:00:00.000Z', // French weekday and month names, +0200
      durationSeconds: 750,
    });
  });
});
