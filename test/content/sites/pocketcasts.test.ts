// @vitest-environment happy-dom
// The Pocket Casts adapter against a public episode page and the web player, both hand-written to
// Pocket Casts' structure (test/fixtures/pages/pocketcasts-*.html).
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { EpisodeHintSchema, type EpisodeHint } from '../../../src/core/episode/hint';
import { aliasesFor } from '../../../src/core/episode/identity';
import { adapterFor } from '../../../src/content/sites';
import { pocketcasts } from '../../../src/content/sites/pocketcasts';
import { loadHtml, loadPage, stubMedia, stubMediaSession, type LoadedPage } from '../../helpers/page';

const EPISODE =
  'https://pocketcasts.com/podcast/the-slow-coast-show/0b8e2f9a-4c1d-4e5f-9a7b-1c2d3e4f5a6b/episode-41-tidal-memory/5d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d';
const PLAYER = 'https://play.pocketcasts.com/discover';
const MP3 = 'https://www.buzzsprout.com/2011234/episodes/15551234-episode-41-tidal-memory.mp3';
const ART = (size: number) =>
  `https://static.pocketcasts.com/discover/images/webp/${size}/0b8e2f9a-4c1d-4e5f-9a7b-1c2d3e4f5a6b.webp`;

function detect(page: LoadedPage): EpisodeHint | null {
  const media = page.doc.querySelector('audio')!;
  const hint = pocketcasts.detect({ doc: page.doc, media, url: page.url });
  if (hint) expect(v.parse(EpisodeHintSchema, hint)).toEqual(hint);
  return hint;
}

describe('the Pocket Casts adapter', () => {
  it.each([EPISODE, PLAYER, 'https://play.pocketcasts.com/podcasts/0b8e2f9a/5d3c2b1a'])(
    'is the adapter for %s',
    (url) => {
      expect(adapterFor(new URL(url)).id).toBe('pocketcasts');
    },
  );

  describe('on a public episode page', () => {
    it('reads the episode from JSON-LD and Open Graph, the show from the series', () => {
      const page = loadPage('pocketcasts-episode.html', EPISODE);
      stubMedia(page.doc.querySelector('audio')!, { duration: 2052.46 });
      const hint = detect(page);
      expect(hint).toEqual({
        site: 'pocketcasts',
        pageUrl: EPISODE,
        title: 'Episode 41: Tidal Memory',
        show: 'The Slow Coast Show',
        artwork: ART(960),
        durationSeconds: 2052.5,
        canonicalUrl: EPISODE,
        enclosureUrl: MP3,
        mediaUrl: MP3,
        published: '2026-03-04T09:00:00Z',
      });
      // The same file as the show's own page plays: one episode wherever it is heard.
      expect(aliasesFor(hint!)[0]).toBe(
        'media:buzzsprout.com/2011234/episodes/15551234-episode-41-tidal-memory.mp3',
      );
    });

    it('takes the show from the page’s header without JSON-LD, never "Pocket Casts"', () => {
      const page = loadPage('pocketcasts-episode.html', EPISODE);
      page.doc.querySelector('script[type="application/ld+json"]')!.remove();
      expect(detect(page)).toMatchObject({ title: 'Episode 41: Tidal Memory', show: 'The Slow Coast Show' });
      page.doc.querySelector('.podcast-header')!.remove();
      expect(detect(page)!.show).toBeUndefined();
    });

    it('is no episode on a show’s page or elsewhere on the site', () => {
      for (const url of [
        'https://pocketcasts.com/podcast/the-slow-coast-show/0b8e2f9a-4c1d-4e5f-9a7b-1c2d3e4f5a6b',
        'https://pocketcasts.com/',
      ])
        expect(detect(loadPage('pocketcasts-episode.html', url))).toBeNull();
    });
  });

  describe('in the web player', () => {
    it('reads what the player bar plays, whatever view is open (not the app’s own meta)', () => {
      const page = loadPage('pocketcasts-player.html', PLAYER);
      stubMedia(page.doc.querySelector('audio')!, { currentSrc: MP3, duration: 2052 });
      expect(detect(page)).toEqual({
        site: 'pocketcasts',
        pageUrl: PLAYER,
        title: 'Episode 41: Tidal Memory',
        show: 'The Slow Coast Show',
        artwork: ART(200),
        durationSeconds: 2052,
        mediaUrl: MP3,
      });
    });

    it('prefers Media Session for the title and artwork, the bar for the show', () => {
      const page = loadPage('pocketcasts-player.html', PLAYER);
      stubMediaSession(page.window, {
        title: 'Episode 41: Tidal Memory (session)',
        artist: 'Slow Coast Media',
        artwork: [{ src: 'https://static.pocketcasts.com/discover/images/400/0b8e.jpg', sizes: '400x400' }],
      });
      expect(detect(page)).toMatchObject({
        title: 'Episode 41: Tidal Memory (session)',
        show: 'The Slow Coast Show',
        artwork: 'https://static.pocketcasts.com/discover/images/400/0b8e.jpg',
      });
      // Without the bar's show, Media Session's album, then its artist.
      page.doc.querySelector('.player-controls .podcast-title')!.remove();
      expect(detect(page)!.show).toBe('Slow Coast Media');
    });

    it('is no episode while the bar plays nothing', () => {
      const page = loadPage('pocketcasts-player.html', PLAYER);
      page.doc.querySelector('.player-controls')!.remove();
      expect(detect(page)).toBeNull();
    });
  });
});

describe('where the Pocket Casts adapter puts the cards', () => {
  it('after the player of a public episode page', () => {
    const { doc } = loadPage('pocketcasts-episode.html', EPISODE);
    expect(pocketcasts.mount?.(doc)?.className).toBe('episode-player');
  });

  it('in a corner in the web player, whose bar is fixed to the window’s bottom', () => {
    expect(pocketcasts.mount?.(loadPage('pocketcasts-player.html', PLAYER).doc)).toBeNull();
  });

  it('in a corner on a page without a player', () => {
    expect(pocketcasts.mount?.(loadHtml('<p>Pocket Casts</p>', 'https://pocketcasts.com/').doc)).toBeNull();
  });
});
