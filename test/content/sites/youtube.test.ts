// @vitest-environment happy-dom
// The YouTube adapter against a page in the shape of a watch page (test/fixtures/pages/).
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { EpisodeHintSchema } from '../../../src/core/episode/hint';
import { chooseCaptionTrack } from '../../../src/core/youtube/choose-track';
import { youtube, youtubeVideoId } from '../../../src/content/sites/youtube';
import { adapterFor } from '../../../src/content/sites';
import { loadHtml, loadPage, stubMedia, type LoadedPage } from '../../helpers/page';

const WATCH = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s';

function detect(page: LoadedPage, media = page.doc.querySelector('video')!) {
  return youtube.detect({ doc: page.doc, media, url: page.url });
}

describe('the YouTube adapter', () => {
  it('is the adapter for youtube.com', () => {
    expect(adapterFor(new URL(WATCH)).id).toBe('youtube');
  });

  it('reads a watch page: title, channel as the show, video id, thumbnail', () => {
    const page = loadPage('youtube-watch.html', WATCH);
    stubMedia(page.doc.querySelector('video')!, { duration: 3725.4 });
    const hint = detect(page)!;
    expect(hint).toEqual({
      site: 'youtube',
      pageUrl: WATCH,
      title: 'How Sleep Shapes Memory | Deep Talk Ep. 12',
      show: 'Deep Talk Podcast',
      canonicalUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      ids: { youtube: 'dQw4w9WgXcQ' },
      artwork: 'https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg',
      durationSeconds: 3725.4,
    });
    expect(v.safeParse(EpisodeHintSchema, hint).success).toBe(true);
    // The blob: stream is not an address: no media alias comes from it.
    expect(hint.mediaUrl).toBeUndefined();
  });

  it('falls back to the document title without YouTube’s decorations', () => {
    const page = loadPage('youtube-watch.html', WATCH);
    page.doc.querySelector('h1')!.remove();
    expect(detect(page)!.title).toBe('How Sleep Shapes Memory | Deep Talk Ep. 12');
  });

  it('falls back to the microdata author when the owner block has not rendered', () => {
    const page = loadPage('youtube-watch.html', WATCH);
    page.doc.querySelector('#owner')!.remove();
    expect(detect(page)!.show).toBe('Deep Talk Podcast (microdata)');
  });

  it('ignores ads playing in the player', () => {
    const page = loadPage('youtube-watch.html', WATCH);
    page.doc.querySelector('#movie_player')!.classList.add('ad-showing');
    expect(detect(page)).toBeNull();
  });

  it('ignores media outside the player (a preview on hover, say)', () => {
    const page = loadPage('youtube-watch.html', WATCH);
    const preview = page.doc.createElement('video');
    page.doc.body.append(preview);
    expect(detect(page, preview)).toBeNull();
  });

  it.each([
    ['https://www.youtube.com/shorts/dQw4w9WgXcQ', undefined],
    ['https://www.youtube.com/', undefined],
    ['https://www.youtube.com/@deeptalk/podcasts', undefined],
    ['https://www.youtube.com/watch?v=short', undefined],
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PL1', 'dQw4w9WgXcQ'],
  ])('knows %s as video %s', (url, id) => {
    expect(youtubeVideoId(new URL(url))).toBe(id);
  });
});

describe('where the YouTube adapter puts the cards', () => {
  const flexy = `<ytd-watch-flexy><div id="columns"><div id="primary"><div id="primary-inner">
    <div id="player"><div id="movie_player"><video></video></div></div><div id="below"></div>
  </div></div></div></ytd-watch-flexy>`;

  it('after the player in the main column, so they sit above the title', () => {
    const { doc } = loadHtml(flexy, WATCH);
    expect(youtube.mount?.(doc)).toBe(doc.querySelector('#primary-inner > #player'));
  });

  it('nowhere on pages that are not a video’s (the corner then)', () => {
    expect(youtube.mount?.(loadHtml(flexy, 'https://www.youtube.com/').doc)).toBeNull();
    expect(youtube.mount?.(loadPage('youtube-watch.html', WATCH).doc)).toBeNull(); // no flexy columns
  });
});

describe('chooseCaptionTrack', () => {
  const track = (languageCode: string, kind?: string) => ({
    languageCode,
    name: languageCode,
    url: `https://www.youtube.com/api/timedtext?lang=${languageCode}`,
    ...(kind ? { kind } : {}),
  });

  it.each([
    [[track('de'), track('en', 'asr'), track('en')], ['en-GB', 'de'], 'en', undefined],
    [[track('de'), track('en', 'asr')], ['en-US'], 'en', 'asr'],
    [[track('fr', 'asr'), track('de')], ['en'], 'de', undefined],
    [[track('fr', 'asr')], ['en'], 'fr', 'asr'],
  ])('from %j for %j takes %s %s', (tracks, languages, code, kind) => {
    const chosen = chooseCaptionTrack(tracks, languages);
    expect(chosen?.languageCode).toBe(code);
    expect(chosen?.kind).toBe(kind);
  });

  it('takes nothing from nothing', () => {
    expect(chooseCaptionTrack([], ['en'])).toBeUndefined();
  });
});
