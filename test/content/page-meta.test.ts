// @vitest-environment happy-dom
// What a page says about itself, read from standard places; every value is page-controlled, so it
// is clamped and URL-checked before it leaves the content script.
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/core/episode/hint';
import {
  clampText,
  httpUrl,
  isoDuration,
  jsonLdEpisode,
  jsonLdNodes,
  linkHref,
  mediaSessionMetadata,
  meta,
} from '../../src/content/page-meta';
import { loadHtml, loadPage, stubMediaSession } from '../helpers/page';

describe('clampText', () => {
  it.each<[string, unknown, number, string | undefined]>([
    ['plain text', 'Episode 1', 500, 'Episode 1'],
    ['collapses white space and trims', '  Episode\n\n\t 1  ', 500, 'Episode 1'],
    ['empty', '', 500, undefined],
    ['only white space', ' \n\t ', 500, undefined],
    ['a number', 42, 500, undefined],
    ['null', null, 500, undefined],
    ['an object', { title: 'x' }, 500, undefined],
    ['exactly the limit', 'abcde', 5, 'abcde'],
    ['over the limit: cut with an ellipsis', 'abcdef', 5, 'abcd…'],
    ['markup stays literal text', '<b>bold</b>', 500, '<b>bold</b>'],
  ])('%s', (_name, value, max, expected) => {
    expect(clampText(value, max)).toBe(expected);
  });

  it('never returns more than the limit', () => {
    for (const max of [1, 2, 10, LIMITS.title]) expect(clampText('x'.repeat(5000), max)?.length).toBe(max);
  });
});

describe('httpUrl', () => {
  const base = 'https://example.com/shows/ep-1';
  it.each<[string, unknown, string | undefined]>([
    ['absolute https', 'https://cdn.example.com/a.mp3', 'https://cdn.example.com/a.mp3'],
    ['absolute http', 'http://cdn.example.com/a.mp3', 'http://cdn.example.com/a.mp3'],
    ['root-relative, resolved against the page', '/media/a.mp3', 'https://example.com/media/a.mp3'],
    ['path-relative, resolved against the page', 'a.mp3', 'https://example.com/shows/a.mp3'],
    ['protocol-relative', '//cdn.example.com/a.mp3', 'https://cdn.example.com/a.mp3'],
    ['surrounding white space', '  /a.mp3 ', 'https://example.com/a.mp3'],
    ['blob:', 'blob:https://example.com/0b7c5d2e-4f00', undefined],
    ['data:', 'data:audio/mpeg;base64,AAAA', undefined],
    ['javascript:', 'javascript:alert(1)', undefined],
    ['JavaScript: in mixed case', 'JaVaScRiPt:alert(1)', undefined],
    ['file:', 'file:///etc/passwd', undefined],
    ['empty', '', undefined],
    ['white space', '   ', undefined],
    ['not a string', 42, undefined],
    ['unparseable', 'http://[::1', undefined],
    ['too long', `https://example.com/${'a'.repeat(LIMITS.url)}`, undefined],
  ])('%s', (_name, value, expected) => {
    expect(httpUrl(value, base)).toBe(expected);
  });
});

describe('isoDuration', () => {
  it.each<[string | undefined, number | undefined]>([
    ['PT1H2M3S', 3723],
    ['PT45M', 2700],
    ['PT90S', 90],
    ['PT1.5S', 1.5],
    ['PT2H', 7200],
    ['P1D', 86_400],
    ['P1DT1H', 90_000],
    ['PT0S', 0],
    ['P', undefined],
    ['PT', undefined],
    ['1:02:03', undefined],
    ['3600', undefined],
    ['pt1h', undefined],
    ['PT1H2M3S trailing', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %j', (value, expected) => {
    expect(isoDuration(value)).toBe(expected);
  });
});

describe('meta and linkHref', () => {
  const page = () =>
    loadHtml(
      `<html><head>
      <meta property="og:title" content="  By property  ">
      <meta name="twitter:title" content="By name">
      <meta property="og:empty" content="   ">
      <link rel="canonical" href="/canon">
    </head><body></body></html>`,
      'https://example.com/x',
    ).doc;

  it.each<[string[], string | undefined]>([
    [['og:title'], 'By property'],
    [['twitter:title'], 'By name'],
    [['og:missing', 'twitter:title'], 'By name'],
    [['og:empty', 'og:title'], 'By property'],
    [['og:missing'], undefined],
  ])('meta(%j) → %j', (names, expected) => {
    expect(meta(page(), ...names)).toBe(expected);
  });

  it('reads a link’s href as written', () => {
    const doc = page();
    expect(linkHref(doc, 'link[rel="canonical"]')).toBe('/canon');
    expect(linkHref(doc, 'link[rel="alternate"]')).toBeUndefined();
  });
});

describe('jsonLdEpisode', () => {
  it('finds a PodcastEpisode inside @graph, skipping a malformed block next to it', () => {
    const { doc } = loadPage('host-episode.html', 'https://deepdive.buzzsprout.com/1234/12345678');
    expect(jsonLdEpisode(doc)).toEqual({
      title: 'Episode 12: Slow Thinking',
      show: 'The Deep Dive Podcast',
      url: '/1234/12345678-episode-12-slow-thinking',
      image: 'https://storage.buzzsprout.com/episode-art.jpg',
      mediaUrl: 'https://dts.podtrac.com/redirect.mp3/www.buzzsprout.com/1234/12345678-episode-12.mp3',
      feedUrl: 'https://feeds.buzzsprout.com/1234.rss',
      durationSeconds: 3723,
    });
  });

  it('reads a top-level episode with audio, a string image and a duration', () => {
    const { doc } = loadHtml(
      `<html><head><script type="application/ld+json">${JSON.stringify({
        '@type': 'PodcastEpisode',
        name: '  Top level  ',
        image: 'https://example.com/i.jpg',
        audio: [{ '@type': 'AudioObject', contentUrl: 'https://example.com/a.mp3', duration: 'PT30M' }],
      })}</script></head><body></body></html>`,
      'https://example.com/',
    );
    expect(jsonLdEpisode(doc)).toMatchObject({
      title: 'Top level',
      image: 'https://example.com/i.jpg',
      mediaUrl: 'https://example.com/a.mp3',
      durationSeconds: 1800,
    });
  });

  it.each<[string, string]>([
    ['no JSON-LD', ''],
    ['only malformed JSON-LD', '<script type="application/ld+json">{ not json</script>'],
    ['JSON-LD of another type', '<script type="application/ld+json">{"@type":"Article","name":"A"}</script>'],
    ['JSON-LD that is a bare string', '<script type="application/ld+json">"PodcastEpisode"</script>'],
    [
      'an episode in a script of another type',
      '<script type="text/plain">{"@type":"PodcastEpisode","name":"x"}</script>',
    ],
  ])('is undefined with %s', (_name, head) => {
    const { doc } = loadHtml(`<html><head>${head}</head><body></body></html>`, 'https://example.com/');
    expect(jsonLdEpisode(doc)).toBeUndefined();
  });

  it('ignores fields of the wrong type instead of failing', () => {
    const { doc } = loadHtml(
      `<html><head><script type="application/ld+json">${JSON.stringify({
        '@type': 'PodcastEpisode',
        name: { text: 'x' },
        partOfSeries: 'not an object',
        image: 42,
        associatedMedia: 'x',
        timeRequired: 3600,
      })}</script></head><body></body></html>`,
      'https://example.com/',
    );
    const episode = jsonLdEpisode(doc);
    expect(episode).toBeDefined();
    expect(Object.values(episode ?? {}).filter((x) => x !== undefined)).toEqual([]);
  });

  it('stops at a bounded depth on deeply nested @graph', () => {
    let node: Record<string, unknown> = { '@type': 'PodcastEpisode', name: 'Deep' };
    for (let i = 0; i < 50; i++) node = { '@graph': [node] };
    const { doc } = loadHtml(
      `<html><head><script type="application/ld+json">${JSON.stringify(node)}</script></head></html>`,
      'https://example.com/',
    );
    expect(() => jsonLdNodes(doc)).not.toThrow();
    expect(jsonLdEpisode(doc)).toBeUndefined();
  });
});

describe('mediaSessionMetadata', () => {
  it('is undefined when the page has no Media Session', () => {
    const { window, doc } = loadHtml('<html><body></body></html>', 'https://example.com/');
    stubMediaSession(window, null);
    expect(mediaSessionMetadata(doc)).toBeUndefined();
  });

  it('reads title, artist, album and the largest artwork', () => {
    const { window, doc } = loadHtml('<html><body></body></html>', 'https://example.com/');
    stubMediaSession(window, {
      title: ' Now Playing ',
      artist: 'Host',
      album: 'Show',
      artwork: [
        { src: 'https://example.com/96.jpg', sizes: '96x96' },
        { src: 'https://example.com/512.jpg', sizes: '512x512' },
        { src: 'https://example.com/256.jpg', sizes: '256x256' },
      ],
    });
    expect(mediaSessionMetadata(doc)).toEqual({
      title: 'Now Playing',
      artist: 'Host',
      album: 'Show',
      artwork: 'https://example.com/512.jpg',
    });
  });
});
