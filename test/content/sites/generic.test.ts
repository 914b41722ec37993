// @vitest-environment happy-dom
// The generic adapter against saved pages: what it reports is what a user would call the episode,
// page text stays literal text, and every hint it makes passes the background's schema.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { EpisodeHintSchema, LIMITS, type EpisodeHint } from '../../../src/core/episode/hint';
import { aliasesFor } from '../../../src/core/episode/identity';
import { generic } from '../../../src/content/sites/generic';
import { loadHtml, loadPage, stubMedia, stubMediaSession, type LoadedPage } from '../../helpers/page';

function media(page: LoadedPage): HTMLMediaElement {
  const element = page.doc.querySelector<HTMLMediaElement>('audio, video');
  if (!element) throw new Error('the fixture has no media element');
  return element;
}

/** Runs the adapter and checks the hint is one the background accepts as is. */
function detect(page: LoadedPage, element = media(page)): EpisodeHint {
  const hint = generic.detect({ doc: page.doc, media: element, url: page.url });
  if (!hint) throw new Error('no hint');
  expect(v.parse(EpisodeHintSchema, hint)).toEqual(hint);
  return hint;
}

const HOST_URL = 'https://deepdive.buzzsprout.com/1234/12345678-episode-12-slow-thinking?utm_source=twitter';

describe('generic adapter', () => {
  it('reads a host page: JSON-LD first, then Open Graph, the RSS link and the playing file', () => {
    const hint = detect(loadPage('host-episode.html', HOST_URL));
    expect(hint).toEqual({
      site: 'generic',
      pageUrl: HOST_URL,
      title: 'Episode 12: Slow Thinking',
      show: 'The Deep Dive Podcast',
      artwork: 'https://storage.buzzsprout.com/episode-art.jpg',
      durationSeconds: 3723,
      canonicalUrl: 'https://deepdive.buzzsprout.com/1234/12345678-episode-12-slow-thinking',
      enclosureUrl: 'https://dts.podtrac.com/redirect.mp3/www.buzzsprout.com/1234/12345678-episode-12.mp3',
      mediaUrl: 'https://deepdive.buzzsprout.com/1234/12345678-episode-12.mp3?blob_id=42',
      feedUrl: 'https://feeds.buzzsprout.com/1234.rss',
    });
    // The enclosure, without its tracking prefix, is what ties this page to the feed's episode.
    expect(aliasesFor(hint)[0]).toBe('media:buzzsprout.com/1234/12345678-episode-12.mp3');
  });

  it('prefers the media element’s own duration once it is known', () => {
    const page = loadPage('host-episode.html', HOST_URL);
    stubMedia(media(page), { duration: 3725.4567 });
    expect(detect(page).durationSeconds).toBe(3725.5);
  });

  it.each<[string, number, number | undefined]>([
    ['a live stream (infinite duration): falls back to JSON-LD', Number.POSITIVE_INFINITY, 3723],
    ['zero: falls back to JSON-LD', 0, 3723],
    ['a nonsense duration beyond two days: none', LIMITS.durationSeconds + 1, undefined],
  ])('handles %s', (_name, duration, expected) => {
    const page = loadPage('host-episode.html', HOST_URL);
    stubMedia(media(page), { duration });
    expect(detect(page).durationSeconds).toBe(expected);
  });

  it('reads a page that has only Open Graph / Twitter meta', () => {
    const url = 'https://jane.example.org/blog/why-we-sleep';
    expect(detect(loadPage('og-only.html', url))).toEqual({
      site: 'generic',
      pageUrl: url,
      title: 'Why we sleep: a conversation',
      show: 'Jane Talks',
      artwork: 'https://jane.example.org/images/cover.png',
      enclosureUrl: 'https://media.example.org/jane/why-we-sleep.mp3',
      mediaUrl: 'https://media.example.org/jane/why-we-sleep.mp3',
    });
  });

  it('uses the document title when there is no other metadata', () => {
    const page = loadHtml(
      '<html><head><title> Ep. 3 —  Tides </title></head><body><audio src="/a.mp3"></audio></body></html>',
      'https://example.com/ep3',
    );
    expect(detect(page)).toEqual({
      site: 'generic',
      pageUrl: 'https://example.com/ep3',
      title: 'Ep. 3 — Tides',
      mediaUrl: 'https://example.com/a.mp3',
    });
  });

  it('names a media element with no metadata at all after its file', () => {
    const hint = detect(loadPage('bare-media.html', 'https://cdn.example.net/audio/2024/'));
    expect(hint).toEqual({
      site: 'generic',
      pageUrl: 'https://cdn.example.net/audio/2024/',
      title: 'My Great Episode Two',
      mediaUrl: 'https://cdn.example.net/audio/2024/My_Great-Episode%20Two.mp3',
    });
  });

  it.each<[string, string]>([
    ['a file URL with no file name', 'https://cdn.example.net/'],
    ['no source at all', ''],
  ])('names it after the site when there is %s', (_name, src) => {
    const page = loadHtml(`<html><body><audio></audio></body></html>`, 'https://player.example.net/listen');
    stubMedia(media(page), { currentSrc: src });
    expect(detect(page).title).toBe('player.example.net');
  });

  // A blob: or data: source is not a file: its "name" is a random id, and the title is part of
  // the page alias, so naming the episode after it would make a new episode on every reload.
  it.each<[string, string]>([
    ['blob:', 'blob:https://player.example.net/0b7c5d2e-4f00-4a3e-9f55-1d2e3f4a5b6c'],
    ['data:', 'data:audio/mpeg;base64,SUQzBAAAAAAAI1RTU0UAAAAPAAADTGF2ZjU4'],
  ])('names a %s source with no metadata after the site, not its opaque URL', (_name, src) => {
    const page = loadHtml(`<html><body><audio></audio></body></html>`, 'https://player.example.net/listen');
    stubMedia(media(page), { currentSrc: src });
    expect(detect(page).title).toBe('player.example.net');
  });

  it('never reports a blob: or data: source as the media URL', () => {
    for (const src of ['blob:https://player.example.net/0b7c5d2e', 'data:audio/mpeg;base64,AAAA']) {
      const page = loadPage('og-only.html', 'https://jane.example.org/blog/why-we-sleep');
      stubMedia(media(page), { currentSrc: src });
      expect(detect(page).mediaUrl).toBeUndefined();
    }
  });

  it('keeps markup and script in page text as the literal text (never markup)', () => {
    const page = loadPage('markup-title.html', 'https://evil.example.com/ep');
    const hint = detect(page);
    expect(hint.title).toBe('<img src=x onerror=alert(1)>Episode <b>bold</b>');
    expect(hint.show).toBe('</title><script>alert(2)</script>');

    // Without Open Graph, the document title, with its entities read as text.
    page.doc.querySelectorAll('meta').forEach((m) => m.remove());
    const fromTitle = detect(page);
    expect(fromTitle.title).toBe("<script>alert('title')</script> Episode & more");
    expect(fromTitle.show).toBeUndefined();
  });

  it('clamps a 5,000-character title to the limit so the hint is still accepted', () => {
    const long = `Episode ${'very '.repeat(1000)}long`;
    const page = loadHtml(
      `<html><head><meta property="og:title" content="${long}"></head><body><audio src="/a.mp3"></audio></body></html>`,
      'https://example.com/ep',
    );
    const hint = detect(page);
    expect(hint.title.length).toBeLessThanOrEqual(LIMITS.title);
    expect(hint.title.startsWith('Episode very very')).toBe(true);
    expect(hint.title.endsWith('…')).toBe(true);
  });

  it('clamps an over-long show name and drops over-long URLs instead of sending them', () => {
    const longUrl = `https://cdn.example.com/${'a'.repeat(3000)}.jpg`;
    const page = loadHtml(
      `<html><head><title>T</title><meta property="og:site_name" content="${'S'.repeat(1000)}">
       <meta property="og:image" content="${longUrl}"></head><body><audio src="/a.mp3"></audio></body></html>`,
      'https://example.com/ep',
    );
    const hint = detect(page);
    expect(hint.show?.length).toBe(LIMITS.show);
    expect(hint.artwork).toBeUndefined();
  });

  it('falls back to the origin when the page URL itself is too long to send', () => {
    const url = `https://example.com/ep?${'x'.repeat(3000)}=1`;
    const page = loadHtml(
      '<html><head><title>T</title></head><body><audio src="/a.mp3"></audio></body></html>',
      url,
    );
    expect(detect(page).pageUrl).toBe('https://example.com');
  });

  describe('Media Session metadata (what the player itself says)', () => {
    const session = {
      title: 'Session: Episode 12',
      artist: 'Dana Host',
      album: 'Session Album',
      artwork: [
        { src: 'https://cdn.example.com/art-96.jpg', sizes: '96x96' },
        { src: 'https://cdn.example.com/art-512.jpg', sizes: '512x512' },
      ],
    };

    it('wins over JSON-LD and Open Graph for the title and artwork', () => {
      const page = loadPage('host-episode.html', HOST_URL);
      stubMediaSession(page.window, session);
      const hint = detect(page);
      expect(hint.title).toBe('Session: Episode 12');
      expect(hint.artwork).toBe('https://cdn.example.com/art-512.jpg');
      // JSON-LD names the show more reliably than a player's album field.
      expect(hint.show).toBe('The Deep Dive Podcast');
    });

    it('gives the show from its album over the site name, and from its artist as a last resort', () => {
      const page = loadPage('og-only.html', 'https://jane.example.org/blog/why-we-sleep');
      stubMediaSession(page.window, session);
      expect(detect(page).show).toBe('Session Album');

      const bare = loadPage('bare-media.html', 'https://cdn.example.net/audio/2024/');
      stubMediaSession(bare.window, { title: 'T', artist: 'Dana Host' });
      expect(detect(bare).show).toBe('Dana Host');
    });

    it('is skipped when its fields are empty', () => {
      const page = loadPage('og-only.html', 'https://jane.example.org/blog/why-we-sleep');
      stubMediaSession(page.window, { title: '   ', artist: '', album: '', artwork: [] });
      const hint = detect(page);
      expect(hint.title).toBe('Why we sleep: a conversation');
      expect(hint.show).toBe('Jane Talks');
    });

    it('never lets a non-http artwork through', () => {
      const page = loadPage('og-only.html', 'https://jane.example.org/blog/why-we-sleep');
      stubMediaSession(page.window, {
        title: 'T',
        artwork: [{ src: 'javascript:alert(1)', sizes: '512x512' }],
      });
      expect(detect(page).artwork).toBe('https://jane.example.org/images/cover.png');
    });
  });
});
