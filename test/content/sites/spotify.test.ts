// @vitest-environment happy-dom
// The Spotify adapter against pages in the shape of Spotify's web player (2026): an episode page
// while it plays, a show page while one of its episodes plays in the bar, a track page with music.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { EpisodeHintSchema } from '../../../src/core/episode/hint';
import { aliasesFor } from '../../../src/core/episode/identity';
import { adapterFor } from '../../../src/content/sites';
import { spotify } from '../../../src/content/sites/spotify';
import { loadPage, stubMedia, stubMediaSession, type LoadedPage } from '../../helpers/page';

const EPISODE = 'https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk';

/** Spotify's player makes its own media element and may keep it out of the DOM; it plays a blob:. */
function playerMedia(page: LoadedPage, duration = NaN): HTMLMediaElement {
  const media = page.doc.createElement('video');
  stubMedia(media, { currentSrc: 'blob:https://open.spotify.com/5f0c2a8e-1b7d', duration });
  return media;
}

function detect(page: LoadedPage, media = playerMedia(page)) {
  return spotify.detect({ doc: page.doc, media, url: page.url });
}

describe('the Spotify adapter', () => {
  it('is the adapter for open.spotify.com', () => {
    expect(adapterFor(new URL(EPISODE)).id).toBe('spotify');
  });

  it('reads an episode page while it plays: bar, JSON-LD, the id; no preview clip, no blob', () => {
    const page = loadPage('spotify-episode.html', `${EPISODE}?si=a1b2c3`);
    const hint = detect(page, playerMedia(page, 2747.4));
    expect(hint).toEqual({
      site: 'spotify',
      pageUrl: `${EPISODE}?si=a1b2c3`,
      title: 'Sleep, Memory and the Forgetting Curve',
      show: 'Deep Talk Weekly',
      artwork: 'https://i.scdn.co/image/ab67656300005f1f0f1e2d3c4b5a69788796a5b4',
      durationSeconds: 2747.4,
      canonicalUrl: EPISODE,
      published: '2026-03-02',
      ids: { spotify: '4rOoJ6Egrf8K2IrywzwOMk' },
    });
    expect(v.safeParse(EpisodeHintSchema, hint).success).toBe(true);
    expect(aliasesFor(hint!)).toContain('spotify:4rOoJ6Egrf8K2IrywzwOMk');
  });

  it('prefers Media Session for the title and artwork, and takes the bar’s duration without media’s', () => {
    const page = loadPage('spotify-episode.html', EPISODE);
    stubMediaSession(page.window, {
      title: 'Sleep, Memory and the Forgetting Curve (Part 1)',
      artist: 'Deep Talk Media',
      album: '',
      artwork: [
        { src: 'https://i.scdn.co/image/small', sizes: '64x64' },
        { src: 'https://i.scdn.co/image/large', sizes: '640x640' },
      ],
    });
    expect(detect(page)).toMatchObject({
      title: 'Sleep, Memory and the Forgetting Curve (Part 1)',
      show: 'Deep Talk Weekly', // the bar's show link, not the publisher
      artwork: 'https://i.scdn.co/image/large',
      durationSeconds: 2747, // the bar's 45:47
    });
  });

  it('takes the transcript an episode page links', () => {
    const page = loadPage('spotify-episode.html', EPISODE);
    const link = page.doc.createElement('a');
    link.href = 'https://deeptalk.example.com/ep12.vtt';
    page.doc.querySelector('[data-testid="episode-description"]')!.append(link);
    expect(detect(page)?.transcripts).toEqual([{ url: 'https://deeptalk.example.com/ep12.vtt' }]);
  });

  it('reads what the bar plays on another page (a show), and nothing of that page', () => {
    const page = loadPage('spotify-show.html', 'https://open.spotify.com/show/2mTUnDkuKUkhiueKcVWoP0');
    expect(detect(page)).toEqual({
      site: 'spotify',
      pageUrl: 'https://open.spotify.com/show/2mTUnDkuKUkhiueKcVWoP0',
      title: 'Why Naps Work',
      show: 'Deep Talk Weekly',
      artwork: 'https://i.scdn.co/image/ab67656300005f1f00000000000000000000naps',
      durationSeconds: 1325,
      canonicalUrl: 'https://open.spotify.com/episode/7makk4oTQel546B0PZlDM5',
      ids: { spotify: '7makk4oTQel546B0PZlDM5' },
    });
  });

  it('reads the bar’s episode, not the page’s, when they differ', () => {
    const page = loadPage(
      'spotify-show.html',
      'https://open.spotify.com/intl-de/episode/4rOoJ6Egrf8K2IrywzwOMk',
    );
    expect(detect(page)).toMatchObject({
      title: 'Why Naps Work',
      ids: { spotify: '7makk4oTQel546B0PZlDM5' },
    });
  });

  it('is null for music, on a track page and on an episode page', () => {
    const track = loadPage('spotify-track.html', 'https://open.spotify.com/track/3n3Ppam7vgaVa1iaRUc9Lp');
    expect(detect(track, playerMedia(track, 214))).toBeNull();
    const page = loadPage('spotify-episode.html', EPISODE);
    page.doc
      .querySelector('[data-testid="context-item-link"]')!
      .setAttribute('href', '/album/6akEvsycLGftJxYudPjmqK?highlight=spotify:track:3n3Ppam7vgaVa1iaRUc9Lp');
    expect(detect(page)).toBeNull();
  });

  it('is null for an ad: the bar shows it with no /episode/ link', () => {
    const page = loadPage('spotify-episode.html', EPISODE);
    const link = page.doc.querySelector('[data-testid="context-item-link"]')!;
    link.setAttribute('href', 'https://ads.example.com/offer');
    link.textContent = 'Advertisement';
    expect(detect(page)).toBeNull();
  });

  it('without a bar it knows, falls back to the episode page, unless Media Session names another', () => {
    const page = loadPage('spotify-episode.html', EPISODE);
    page.doc.querySelector('[data-testid="now-playing-bar"]')!.remove();
    expect(detect(page)).toMatchObject({
      title: 'Sleep, Memory and the Forgetting Curve',
      show: 'Deep Talk Weekly',
      artwork: 'https://i.scdn.co/image/ab6765630000ba8a0f1e2d3c4b5a69788796a5b4',
      durationSeconds: 2747,
      ids: { spotify: '4rOoJ6Egrf8K2IrywzwOMk' },
    });
    stubMediaSession(page.window, { title: 'Quiet Harbour', artist: 'The Lanterns' });
    expect(detect(page)).toBeNull();
    const home = loadPage('spotify-episode.html', 'https://open.spotify.com/');
    home.doc.querySelector('[data-testid="now-playing-bar"]')!.remove();
    expect(detect(home)).toBeNull();
  });
});

describe('where the Spotify adapter puts the cards', () => {
  it('after the action bar of the playing episode’s own page', () => {
    const page = loadPage('spotify-episode.html', EPISODE);
    expect(spotify.mount?.(page.doc)?.getAttribute('data-testid')).toBe('action-bar-row');
  });

  it('in a corner elsewhere: the bar is fixed at the bottom, with nothing below it', () => {
    const show = loadPage('spotify-show.html', 'https://open.spotify.com/show/2mTUnDkuKUkhiueKcVWoP0');
    expect(spotify.mount?.(show.doc)).toBeNull();
    // An episode page while another episode plays: its action bar is not the player's.
    const other = loadPage('spotify-show.html', EPISODE);
    expect(spotify.mount?.(other.doc)).toBeNull();
  });
});
