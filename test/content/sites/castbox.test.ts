// @vitest-environment happy-dom
// The Castbox adapter against episode pages hand-written to Castbox's structure: one whose
// server-rendered state is readable, one whose state is not (JSON-LD and Open Graph then).
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { EpisodeHintSchema, type EpisodeHint } from '../../../src/core/episode/hint';
import { adapterFor } from '../../../src/content/sites';
import { castbox } from '../../../src/content/sites/castbox';
import { loadPage, stubMedia, type LoadedPage } from '../../helpers/page';

const EPISODE = 'https://castbox.fm/episode/Episode-41%3A-Tidal-Memory-id5123456-id712345678?country=us';
const MP3 = 'https://www.buzzsprout.com/2011234/episodes/15551234-episode-41-tidal-memory.mp3';
const EP40_MP3 = 'https://www.buzzsprout.com/2011234/episodes/15550001-episode-40-longshore-drift.mp3';

function detect(page: LoadedPage): EpisodeHint | null {
  const media = page.doc.querySelector('audio')!;
  const hint = castbox.detect({ doc: page.doc, media, url: page.url });
  if (hint) expect(v.parse(EpisodeHintSchema, hint)).toEqual(hint);
  return hint;
}

describe('the Castbox adapter', () => {
  it('is the adapter for castbox.fm', () => {
    expect(adapterFor(new URL(EPISODE)).id).toBe('castbox');
  });

  it('reads the episode and its channel’s feed from the page’s state', () => {
    expect(detect(loadPage('castbox-episode.html', EPISODE))).toEqual({
      site: 'castbox',
      pageUrl: EPISODE,
      title: 'Episode 41: Tidal Memory',
      show: 'The Slow Coast Show',
      artwork: 'https://is1-ssl.mzstatic.com/image/thumb/Podcasts/slowcoast/600x600bb.jpg',
      durationSeconds: 2052,
      canonicalUrl: 'https://castbox.fm/episode/Episode-41%3A-Tidal-Memory-id5123456-id712345678',
      enclosureUrl: MP3,
      mediaUrl: MP3,
      feedUrl: 'https://feeds.buzzsprout.com/2011234.rss',
      published: '2026-03-04T09:00:00Z',
    });
  });

  it('prefers the media element’s duration once known', () => {
    const page = loadPage('castbox-episode.html', EPISODE);
    stubMedia(page.doc.querySelector('audio')!, { duration: 2051.96 });
    expect(detect(page)!.durationSeconds).toBe(2052);
  });

  it('names what plays, not the page, when the player plays another episode of the state', () => {
    // In-app navigation kept the player going: the playing file names the episode.
    const page = loadPage('castbox-episode.html', EPISODE);
    stubMedia(page.doc.querySelector('audio')!, { currentSrc: EP40_MP3 });
    expect(detect(page)).toMatchObject({
      title: 'Episode 40: Longshore Drift',
      show: 'The Slow Coast Show',
      enclosureUrl: EP40_MP3,
      mediaUrl: EP40_MP3,
      durationSeconds: 1987,
      published: '2026-02-25T09:00:00Z',
    });
    expect(detect(page)!.canonicalUrl).toBeUndefined(); // the page's episode's, not this one's
  });

  it('off an episode’s page, reads only what the state says plays, else nothing', () => {
    const channel = 'https://castbox.fm/channel/The-Slow-Coast-Show-id5123456';
    const page = loadPage('castbox-episode.html', channel);
    expect(detect(page)).toMatchObject({ title: 'Episode 41: Tidal Memory', feedUrl: expect.any(String) });
    stubMedia(page.doc.querySelector('audio')!, { currentSrc: 'https://cdn.example.com/unknown.mp3' });
    expect(detect(page)).toBeNull();
  });

  it('falls back to JSON-LD and Open Graph when the state is not JSON, never naming Castbox the show', () => {
    const url = 'https://castbox.fm/episode/Hello-Again-id3000001-id600000002';
    expect(detect(loadPage('castbox-episode-ld.html', url))).toEqual({
      site: 'castbox',
      pageUrl: url,
      title: 'Hello Again',
      show: 'Morning Static',
      artwork: 'https://is1-ssl.mzstatic.com/image/thumb/Podcasts/morningstatic/600x600bb.jpg',
      canonicalUrl: url,
      enclosureUrl: 'https://cdn.morningstatic.example/ep-88.mp3',
      mediaUrl: 'https://cdn.morningstatic.example/ep-88.mp3',
      published: '2026-01-12',
    });
    const page = loadPage('castbox-episode-ld.html', url);
    page.doc.querySelector('script[type="application/ld+json"]')!.remove();
    expect(detect(page)!.show).toBeUndefined();
  });

  it('never runs the state: a script that is code, not JSON, is only text', () => {
    const page = loadPage('castbox-episode.html', EPISODE);
    const state = [...page.doc.querySelectorAll('script')].find((s) => s.textContent?.includes('__INITIAL'))!;
    state.textContent = 'window.__INITIAL_STATE__ = (function () { globalThis.ran = true; return {}; })();';
    const hint = detect(page)!;
    expect((globalThis as { ran?: boolean }).ran).toBeUndefined();
    expect(hint).toMatchObject({ title: 'Episode 41: Tidal Memory', mediaUrl: MP3 });
    expect(hint.feedUrl).toBeUndefined();
  });

  it('puts the cards in a corner: the player is a bar fixed to the window’s bottom', () => {
    expect(castbox.mount).toBeUndefined();
  });
});
