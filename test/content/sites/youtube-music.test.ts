// @vitest-environment happy-dom
// The YouTube Music adapter against pages in the shape of its player page (test/fixtures/pages/):
// podcast episodes are recognised, songs are not.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { EpisodeHintSchema } from '../../../src/core/episode/hint';
import { adapterFor } from '../../../src/content/sites';
import { youtubeMusic } from '../../../src/content/sites/youtube-music';
import { loadPage, stubMedia, type LoadedPage } from '../../helpers/page';

const EPISODE = 'https://music.youtube.com/watch?v=aBcDeFgHiJk&list=PLx';

const detect = (page: LoadedPage) =>
  youtubeMusic.detect({ doc: page.doc, media: page.doc.querySelector('video')!, url: page.url });

describe('the YouTube Music adapter', () => {
  it('is the adapter for music.youtube.com', () => {
    expect(adapterFor(new URL(EPISODE)).id).toBe('youtube-music');
  });

  it('reads a podcast episode: title, show, the video id shared with youtube.com', () => {
    const page = loadPage('youtube-music-episode.html', EPISODE);
    stubMedia(page.doc.querySelector('video')!, { duration: 2712 });
    const hint = detect(page);
    expect(hint).toEqual({
      site: 'youtube-music',
      pageUrl: 'https://music.youtube.com/watch?v=aBcDeFgHiJk',
      title: 'The Long Game, Episode 40: Compounding habits',
      show: 'The Long Game Podcast',
      canonicalUrl: 'https://www.youtube.com/watch?v=aBcDeFgHiJk',
      ids: { youtube: 'aBcDeFgHiJk' },
      artwork: 'https://i.ytimg.com/vi/aBcDeFgHiJk/hqdefault.jpg',
      durationSeconds: 2712,
    });
    expect(v.safeParse(EpisodeHintSchema, hint).success).toBe(true);
  });

  it('takes a short podcast episode too: the show link says what it is', () => {
    const page = loadPage('youtube-music-episode.html', EPISODE);
    stubMedia(page.doc.querySelector('video')!, { duration: 240 });
    expect(detect(page)?.title).toBe('The Long Game, Episode 40: Compounding habits');
  });

  it('ignores songs', () => {
    const page = loadPage('youtube-music-song.html', 'https://music.youtube.com/watch?v=zYxWvUtSrQp');
    stubMedia(page.doc.querySelector('video')!, { duration: 215 });
    expect(detect(page)).toBeNull();
  });

  it('takes a long recording with no podcast link (a talk, a mix uploaded as a video)', () => {
    const page = loadPage('youtube-music-song.html', 'https://music.youtube.com/watch?v=zYxWvUtSrQp');
    stubMedia(page.doc.querySelector('video')!, { duration: 3600 });
    expect(detect(page)?.show).toBe('The Midnights');
  });

  it('ignores pages that are not the player (home, library, a show page)', () => {
    const page = loadPage('youtube-music-episode.html', 'https://music.youtube.com/browse/MPSPPLxq');
    stubMedia(page.doc.querySelector('video')!, { duration: 2712 });
    expect(detect(page)).toBeNull();
  });
});
