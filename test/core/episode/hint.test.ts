// The hint schema is the gate between a page and Earmark's storage: good hints pass, anything a
// hostile or broken page could send that is not a plain episode description is refused.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  EpisodeHintSchema,
  LIMITS,
  PlaybackSchema,
  positionAt,
  type Playback,
} from '../../../src/core/episode/hint';

const good = {
  site: 'generic',
  pageUrl: 'https://example.com/show/ep-1',
  title: 'Episode One: the beginning',
  show: 'The Show',
  artwork: 'https://cdn.example.com/art.jpg',
  durationSeconds: 3723.5,
  canonicalUrl: 'https://example.com/ep-1',
  enclosureUrl: 'https://dts.podtrac.com/redirect.mp3/cdn.example.com/ep1.mp3',
  mediaUrl: 'https://cdn.example.com/ep1.mp3?token=abc',
  feedUrl: 'http://example.com/feed.xml',
  guid: 'urn:uuid:5e4f1c2a-0000-4000-8000-000000000001',
  ids: {
    youtube: 'dQw4w9WgXcQ',
    spotify: '4rOoJ6Egrf8K2IrywzwOMk',
    appleEpisode: '1000650000000',
    appleCollection: '42',
  },
};

const minimal = { site: 'overcast', pageUrl: 'https://overcast.fm/+abc', title: 'T' };

describe('EpisodeHintSchema', () => {
  it('accepts a complete, well-formed hint unchanged', () => {
    expect(v.parse(EpisodeHintSchema, good)).toEqual(good);
  });

  it('accepts the minimal hint (site, page, title)', () => {
    expect(v.parse(EpisodeHintSchema, minimal)).toEqual(minimal);
  });

  it('trims the title', () => {
    expect(v.parse(EpisodeHintSchema, { ...minimal, title: '  Spaced out  ' }).title).toBe('Spaced out');
  });

  it('accepts a title of exactly the limit', () => {
    expect(v.safeParse(EpisodeHintSchema, { ...minimal, title: 'x'.repeat(LIMITS.title) }).success).toBe(
      true,
    );
  });

  const { title: _title, ...noTitle } = good;
  const { pageUrl: _pageUrl, ...noPage } = good;
  const { site: _site, ...noSite } = good;

  it.each<[string, unknown]>([
    ['missing title', noTitle],
    ['missing pageUrl', noPage],
    ['missing site', noSite],
    ['empty title', { ...good, title: '' }],
    ['blank title', { ...good, title: ' \n\t ' }],
    ['title over 500 chars', { ...good, title: 'x'.repeat(LIMITS.title + 1) }],
    ['title not a string', { ...good, title: 42 }],
    ['show over 300 chars', { ...good, show: 'x'.repeat(LIMITS.show + 1) }],
    ['javascript: page URL', { ...good, pageUrl: 'javascript:alert(1)' }],
    ['data: artwork', { ...good, artwork: 'data:image/png;base64,iVBORw0KGgo=' }],
    ['file: enclosure', { ...good, enclosureUrl: 'file:///etc/passwd' }],
    ['blob: media URL', { ...good, mediaUrl: 'blob:https://example.com/0b7c5d2e' }],
    ['ftp: feed', { ...good, feedUrl: 'ftp://example.com/feed.xml' }],
    ['relative URL', { ...good, canonicalUrl: '/ep-1' }],
    ['URL over 2048 chars', { ...good, mediaUrl: `https://cdn.example.com/${'a'.repeat(LIMITS.url)}.mp3` }],
    ['unknown extra key', { ...good, html: '<img src=x onerror=alert(1)>' }],
    ['unknown key inside ids', { ...good, ids: { youtube: 'abc', evil: 'x' } }],
    [
      'prototype pollution key',
      JSON.parse('{"site":"generic","pageUrl":"https://a.com/","title":"T","__proto__":{"x":1}}'),
    ],
    ['negative duration', { ...good, durationSeconds: -1 }],
    ['huge duration', { ...good, durationSeconds: LIMITS.durationSeconds + 1 }],
    ['NaN duration', { ...good, durationSeconds: Number.NaN }],
    ['infinite duration', { ...good, durationSeconds: Number.POSITIVE_INFINITY }],
    ['duration as a string', { ...good, durationSeconds: '3600' }],
    ['id with spaces', { ...good, ids: { youtube: 'dQw4 w9WgXcQ' } }],
    ['id with markup', { ...good, ids: { spotify: '<script>' } }],
    ['id with a slash', { ...good, ids: { appleEpisode: '../../x' } }],
    ['id over 200 chars', { ...good, ids: { youtube: 'a'.repeat(LIMITS.id + 1) } }],
    ['empty guid', { ...good, guid: '' }],
    ['guid over 200 chars', { ...good, guid: 'g'.repeat(LIMITS.id + 1) }],
    ['site with capitals', { ...good, site: 'Generic' }],
    ['site with spaces', { ...good, site: 'my site' }],
    ['site over 40 chars', { ...good, site: 'a'.repeat(LIMITS.site + 1) }],
    ['not an object', 'episode'],
    ['null', null],
    ['an array', [good]],
  ])('rejects %s', (_name, input) => {
    expect(v.safeParse(EpisodeHintSchema, input).success).toBe(false);
  });
});

describe('PlaybackSchema', () => {
  const ok: Playback = { position: 12.5, duration: 3600, paused: false, rate: 1.5, at: 1_700_000_000_000 };

  it('accepts a reading with and without duration', () => {
    expect(v.parse(PlaybackSchema, ok)).toEqual(ok);
    const { duration: _d, ...noDuration } = ok;
    expect(v.parse(PlaybackSchema, noDuration)).toEqual(noDuration);
  });

  it.each<[string, unknown]>([
    ['negative position', { ...ok, position: -0.5 }],
    ['NaN position', { ...ok, position: Number.NaN }],
    ['infinite position', { ...ok, position: Number.POSITIVE_INFINITY }],
    ['position beyond two days', { ...ok, position: LIMITS.durationSeconds + 1 }],
    ['negative duration', { ...ok, duration: -1 }],
    ['infinite duration (a live stream)', { ...ok, duration: Number.POSITIVE_INFINITY }],
    ['paused not a boolean', { ...ok, paused: 'no' }],
    ['missing paused', { position: 1, rate: 1, at: 1 }],
    ['negative rate', { ...ok, rate: -1 }],
    ['absurd rate', { ...ok, rate: 17 }],
    ['NaN rate', { ...ok, rate: Number.NaN }],
    ['negative timestamp', { ...ok, at: -1 }],
    ['missing timestamp', { position: 1, paused: true, rate: 1 }],
    ['extra key', { ...ok, src: 'https://example.com/x.mp3' }],
  ])('rejects %s', (_name, input) => {
    expect(v.safeParse(PlaybackSchema, input).success).toBe(false);
  });
});

describe('positionAt', () => {
  const at = 1_000_000;
  it.each<[string, Playback, number, number]>([
    ['playing at 1x, 10 s later', { position: 100, paused: false, rate: 1, at }, at + 10_000, 110],
    ['playing at 2x, 10 s later', { position: 100, paused: false, rate: 2, at }, at + 10_000, 120],
    ['playing at 0.5x, 4 s later', { position: 0, paused: false, rate: 0.5, at }, at + 4_000, 2],
    ['paused: stays put', { position: 100, paused: true, rate: 1, at }, at + 60_000, 100],
    [
      'clamped to the duration',
      { position: 3590, duration: 3600, paused: false, rate: 1, at },
      at + 60_000,
      3600,
    ],
    ['no duration: not clamped', { position: 3590, paused: false, rate: 1, at }, at + 60_000, 3650],
    ['a clock that went backwards: no rewind', { position: 50, paused: false, rate: 1, at }, at - 5_000, 50],
    ['rate 0: stays put', { position: 50, paused: false, rate: 0, at }, at + 5_000, 50],
  ])('%s', (_name, playback, now, expected) => {
    expect(positionAt(playback, now)).toBeCloseTo(expected, 6);
  });
});
