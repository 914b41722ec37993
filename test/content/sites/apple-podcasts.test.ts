// @vitest-environment happy-dom
// The Apple Podcasts adapter against pages in the shape of the 2024– Svelte app (episode and show
// pages) and the 2019–2024 Ember app (test/fixtures/pages/apple-*.html, hand-written).
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { EpisodeHintSchema, type EpisodeHint } from '../../../src/core/episode/hint';
import { apple, appleIds } from '../../../src/content/sites/apple';
import { adapterFor } from '../../../src/content/sites';
import { loadHtml, loadPage, stubMedia, stubMediaSession, type LoadedPage } from '../../helpers/page';

const EPISODE = 'https://podcasts.apple.com/us/podcast/why-octopuses-dream/id1234567890?i=1000654321098';
const EMBER = 'https://podcasts.apple.com/us/podcast/the-kelp-forest-at-night/id1234567890?i=1000512345678';
const SHOW = 'https://podcasts.apple.com/us/podcast/deep-sea-notes/id1234567890';
const STREAM =
  'https://dts.podtrac.com/redirect.mp3/media.deepseanotes.example/episodes/why-octopuses-dream.mp3?dest-id=48151';
const ART =
  'https://is1-ssl.mzstatic.com/image/thumb/Podcasts221/v4/3c/1d/7e/3c1d7e52-8a41-4f0e-9d7c-2b6e1f0a9c55';

/** What the adapter says of a page whose player plays `currentSrc` (nothing known by default). */
function detect(
  page: LoadedPage,
  media: { currentSrc?: string; duration?: number } = {},
): EpisodeHint | null {
  const audio = page.doc.createElement('audio');
  page.doc.body.append(audio);
  stubMedia(audio, { currentSrc: media.currentSrc ?? '', duration: media.duration ?? NaN });
  const hint = apple.detect({ doc: page.doc, media: audio, url: page.url });
  if (hint) expect(v.safeParse(EpisodeHintSchema, hint).issues).toBeUndefined();
  return hint;
}

/** The 2024– episode page as its serialized data and JSON-LD give it. */
const OCTOPUS = {
  site: 'apple-podcasts',
  pageUrl: EPISODE,
  title: 'Why Octopuses Dream',
  show: 'Deep Sea Notes',
  artwork: `${ART}/mza_4815162342108.jpg/600x600bb.jpg`,
  durationSeconds: 2712,
  canonicalUrl: EPISODE,
  enclosureUrl: STREAM,
  published: '2026-01-14T08:00:00Z',
  ids: { appleCollection: '1234567890', appleEpisode: '1000654321098' },
};

describe('the Apple Podcasts adapter', () => {
  it.each([
    EPISODE,
    SHOW,
    'https://podcasts.apple.com/podcast/id1234567890?i=1',
    'https://podcasts.apple.com/',
  ])('is the adapter for %s', (url) => {
    expect(adapterFor(new URL(url)).id).toBe('apple-podcasts');
  });

  it.each<[string, { collection?: string; episode?: string }]>([
    [EPISODE, { collection: '1234567890', episode: '1000654321098' }],
    [
      'https://podcasts.apple.com/podcast/id1234567890?i=1000654321098',
      { collection: '1234567890', episode: '1000654321098' },
    ],
    [
      'https://podcasts.apple.com/gb/podcast/why-octopuses-dream/id1234567890?i=1000654321098&l=en-GB',
      { collection: '1234567890', episode: '1000654321098' },
    ],
    ['https://podcasts.apple.com/podcast/why-octopuses-dream?i=1000654321098', { episode: '1000654321098' }],
    ['https://podcasts.apple.com/gb/podcast/slug/id123', { collection: '123' }],
    ['https://podcasts.apple.com/us/podcast/slug/id123/', { collection: '123' }],
    ['https://podcasts.apple.com/us/podcast/slug/id123?i=abc', { collection: '123' }],
    ['https://podcasts.apple.com/us/browse', {}],
    ['https://podcasts.apple.com/us/channel/marine-lab/id6442', {}],
    ['https://evil.example/us/podcast/slug/id123?i=456', {}],
    ['not a url', {}],
  ])('reads the ids of %s', (url, ids) => {
    expect(appleIds(url)).toEqual(ids);
  });

  it.each<[string, EpisodeHint['ids'] | null]>([
    [EPISODE, { appleCollection: '1234567890', appleEpisode: '1000654321098' }],
    [
      'https://podcasts.apple.com/podcast/id1234567890?i=1000654321098',
      { appleCollection: '1234567890', appleEpisode: '1000654321098' },
    ],
    [
      'https://podcasts.apple.com/gb/podcast/why-octopuses-dream/id1234567890?i=1000654321098',
      { appleCollection: '1234567890', appleEpisode: '1000654321098' },
    ],
    [
      'https://podcasts.apple.com/podcast/why-octopuses-dream?i=1000654321098',
      { appleEpisode: '1000654321098' },
    ],
    // The same page at a show address, nothing playing that it names: not an episode.
    ['https://podcasts.apple.com/gb/podcast/slug/id1234567890', null],
  ])('on %s, reads the page’s episode with ids %j', (url, ids) => {
    const hint = detect(loadPage('apple-episode.html', url));
    if (ids === null) return expect(hint).toBeNull();
    expect(hint).toEqual({ ...OCTOPUS, pageUrl: url, ids });
  });

  it('reads a 2024– episode page: its serialized data, whole', () => {
    expect(detect(loadPage('apple-episode.html', EPISODE))).toEqual(OCTOPUS);
  });

  it('takes the duration and the file from the player when it has them', () => {
    const playing = `${STREAM}&awCollectionId=1234567890`;
    const hint = detect(loadPage('apple-episode.html', EPISODE), { currentSrc: playing, duration: 2731.26 });
    expect(hint).toEqual({ ...OCTOPUS, durationSeconds: 2731.3, mediaUrl: playing });
  });

  it('reads a 2019–2024 Ember page: its shoebox record and the show’s feed', () => {
    expect(detect(loadPage('apple-episode-2019.html', EMBER))).toEqual({
      site: 'apple-podcasts',
      pageUrl: EMBER,
      title: 'The Kelp Forest at Night',
      show: 'Deep Sea Notes',
      artwork:
        'https://is4-ssl.mzstatic.com/image/thumb/Podcasts113/v4/9a/0b/1c/9a0b1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d/mza_2718281828459.jpg/600x600bb.jpg',
      durationSeconds: 1834,
      canonicalUrl: EMBER,
      enclosureUrl: 'https://media.deepseanotes.example/episodes/kelp-forest-at-night.mp3',
      feedUrl: 'https://feeds.deepseanotes.example/rss',
      guid: 'deepsea-ep-0042',
      published: '2019-06-03T07:00:00Z',
      ids: { appleCollection: '1234567890', appleEpisode: '1000512345678' },
    });
  });

  it.each([
    ['broken', '[{"data": {"shelves": [{"items": [{"title": "Why Oct'],
    ['empty', ''],
    ['not an episode', '{"data": [{"shelves": []}]}'],
  ])('falls back to JSON-LD and meta when the serialized data is %s', (_what, text) => {
    const page = loadPage('apple-episode.html', EPISODE);
    page.doc.querySelector('#serialized-server-data')!.textContent = text;
    expect(detect(page)).toEqual({
      site: 'apple-podcasts',
      pageUrl: EPISODE,
      title: 'Why Octopuses Dream',
      show: 'Deep Sea Notes',
      artwork: `${ART}/mza_4815162342108.jpg/1200x1200bf-60.jpg`,
      durationSeconds: 2712,
      canonicalUrl: EPISODE,
      published: '2026-01-14',
      ids: { appleCollection: '1234567890', appleEpisode: '1000654321098' },
    });
  });

  it('falls back to meta and Media Session when there is no data at all', () => {
    const page = loadPage('apple-episode-2019.html', EMBER);
    for (const s of page.doc.querySelectorAll('script')) s.remove();
    stubMediaSession(page.window, { album: 'Deep Sea Notes' });
    // og:title "‎Deep Sea Notes: The Kelp Forest at Night on Apple Podcasts", without its decorations.
    expect(detect(page)).toEqual({
      site: 'apple-podcasts',
      pageUrl: EMBER,
      title: 'The Kelp Forest at Night',
      show: 'Deep Sea Notes',
      artwork:
        'https://is4-ssl.mzstatic.com/image/thumb/Podcasts113/v4/9a/0b/1c/9a0b1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d/mza_2718281828459.jpg/1200x630wp.png',
      canonicalUrl: EMBER,
      ids: { appleCollection: '1234567890', appleEpisode: '1000512345678' },
    });
  });

  it('names the episode that plays when it is another one the page lists', () => {
    const anglerfish =
      'https://dts.podtrac.com/redirect.mp3/media.deepseanotes.example/episodes/anglerfish.mp3';
    expect(detect(loadPage('apple-episode.html', EPISODE), { currentSrc: anglerfish })).toEqual({
      site: 'apple-podcasts',
      pageUrl: EPISODE,
      title: 'The Anglerfish Problem',
      show: 'Deep Sea Notes',
      // A {w}x{h}{c}.{f} template.
      artwork: `${ART}/mza_4815162342108.jpg/600x600bb.jpg`,
      durationSeconds: 2405,
      canonicalUrl: 'https://podcasts.apple.com/podcast/id1234567890?i=1000653999001',
      enclosureUrl: anglerfish,
      mediaUrl: anglerfish,
      published: '2026-01-07T08:00:00Z',
      ids: { appleCollection: '1234567890', appleEpisode: '1000653999001' },
    });
  });

  it('believes Media Session over the page when it names an episode the page does not list', () => {
    const page = loadPage('apple-episode.html', EPISODE);
    stubMediaSession(page.window, {
      title: 'Unrelated Talk',
      artist: 'Other Show',
      artwork: [{ src: 'https://is1-ssl.mzstatic.com/other/100x100bb.jpg', sizes: '100x100' }],
    });
    expect(detect(page, { currentSrc: 'blob:https://podcasts.apple.com/1' })).toEqual({
      site: 'apple-podcasts',
      pageUrl: EPISODE,
      title: 'Unrelated Talk',
      show: 'Other Show',
      artwork: 'https://is1-ssl.mzstatic.com/other/100x100bb.jpg',
    });
  });
});

describe('the Apple Podcasts adapter on a show page', () => {
  it('says nothing while nothing names what plays', () => {
    expect(detect(loadPage('apple-show.html', SHOW))).toBeNull();
    expect(
      detect(loadPage('apple-show.html', SHOW), { currentSrc: 'https://cdn.example/other.mp3' }),
    ).toBeNull();
  });

  it('knows the episode by the file the player plays (not the show header’s Play)', () => {
    const hint = detect(loadPage('apple-show.html', SHOW), { currentSrc: `${STREAM}&t=2` });
    expect(hint).toEqual({
      ...OCTOPUS,
      pageUrl: SHOW,
      canonicalUrl: 'https://podcasts.apple.com/podcast/id1234567890?i=1000654321098',
      mediaUrl: `${STREAM}&t=2`,
    });
  });

  it('knows the episode by the title Media Session gives', () => {
    const page = loadPage('apple-show.html', SHOW);
    stubMediaSession(page.window, { title: 'Whale Songs, Decoded', artist: 'Deep Sea Notes' });
    expect(detect(page, { currentSrc: 'blob:https://podcasts.apple.com/2' })).toMatchObject({
      title: 'Whale Songs, Decoded',
      enclosureUrl: 'https://media.deepseanotes.example/episodes/whale-songs.mp3',
      durationSeconds: 3001,
      ids: { appleCollection: '1234567890', appleEpisode: '1000653123456' },
    });
  });
});

describe('hostile serialized data', () => {
  const page = (data: string, id = 'serialized-server-data') =>
    loadHtml(
      `<html><head><title>x</title></head><body><script id="${id}">${data}</script></body></html>`,
      EPISODE,
    );
  const huge = 'x'.repeat(1_000_000);

  it.each([
    [
      'wrong types',
      [{ title: 42, showTitle: {}, streamUrl: 5, id: { x: 1 }, duration: '2712', releaseDate: [] }],
    ],
    [
      'wrong types under a good title',
      [
        {
          title: 'Typed wrong',
          showTitle: ['x'],
          releaseDate: 7,
          duration: 'long',
          durationInMilliseconds: -5,
          episodeArtwork: { template: 7 },
          icon: [],
          playAction: { episodeOffer: { streamUrl: { url: 'x' } } },
          guid: true,
          id: 1.5,
          feedUrl: null,
        },
      ],
    ],
    [
      'huge strings',
      [
        {
          id: '1000654321098',
          title: huge,
          showTitle: huge,
          streamUrl: `https://a.example/${huge}`,
          guid: huge,
          releaseDate: huge,
        },
      ],
    ],
    [
      'script URLs',
      [
        {
          id: '1000654321098',
          title: 'T',
          streamUrl: 'javascript:alert(1)',
          artwork: 'javascript:x/{w}',
          feedUrl: 'data:,x',
        },
      ],
    ],
    [
      'endless numbers',
      '[{"id": "1000654321098", "title": "T", "showTitle": "S", "duration": 1e400, "durationInMilliseconds": -1e400}]',
    ],
    ['a prototype key', '[{"__proto__": {"title": "P"}, "constructor": 1, "title": "T", "showTitle": "S"}]'],
    ['deep nesting', `${'['.repeat(5000)}{"title":"Deep","showTitle":"S"}${']'.repeat(5000)}`],
    ['wide arrays', [Array.from({ length: 50_000 }, (_, i) => ({ title: `E${i}`, showTitle: 'S' }))]],
  ])('never throws on %s', (_what, data: unknown) => {
    const text = typeof data === 'string' ? data : JSON.stringify(data).replace(/</g, '\\u003c');
    expect(() => detect(page(text))).not.toThrow();
  });

  it('clamps what it keeps and drops what is not an http(s) address', () => {
    const hint = detect(
      page(
        JSON.stringify([
          {
            id: '1000654321098',
            title: huge,
            showTitle: 'S',
            streamUrl: 'javascript:alert(1)',
            artwork: 'javascript:x',
          },
        ]),
      ),
    )!;
    expect(hint.title).toHaveLength(500);
    expect(hint.enclosureUrl).toBeUndefined();
    expect(hint.artwork).toBeUndefined();
  });

  it.each([
    ['text that is not JSON', 'not json'],
    ['a shoebox of strings that are not JSON', '{"a": "{not json", "b": "[1,", "c": 3}'],
    ['JSON null', 'null'],
  ])('reads %s as nothing', (_what, text) => {
    expect(detect(page(text, 'shoebox-media-api-cache-amp-podcasts'))).toMatchObject({
      title: 'x',
      ids: { appleEpisode: '1000654321098' },
    });
  });

  it('skips data scripts over the size limit', () => {
    const big = JSON.stringify([
      { id: '1000654321098', title: 'Big', showTitle: 'S', pad: 'x'.repeat(5_000_001) },
    ]);
    expect(detect(page(big))?.title).toBe('x');
  });
});

describe('where the Apple Podcasts adapter puts the cards', () => {
  it('after the title block of a 2024– episode page', () => {
    const el = apple.mount?.(loadPage('apple-episode.html', EPISODE).doc);
    expect(el?.classList.contains('headings')).toBe(true);
  });

  it('after the hero of a 2019–2024 episode page', () => {
    expect(apple.mount?.(loadPage('apple-episode-2019.html', EMBER).doc)?.classList).toContain(
      'product-hero',
    );
  });

  it('nowhere on a show page, nor on an unknown layout (the corner then)', () => {
    expect(apple.mount?.(loadPage('apple-show.html', SHOW).doc)).toBeNull();
    expect(apple.mount?.(loadHtml('<main><h1>New layout</h1></main>', EPISODE).doc)).toBeNull();
  });
});
