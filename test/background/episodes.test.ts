// The episode resolver: one stored episode per real episode, however many players and tracking
// prefixes it is heard through; and which episode plays in which tab.
import { describe, expect, it } from 'vitest';
import {
  forgetAllTabs,
  forgetTab,
  nowPlaying,
  recordEpisode,
  setTabEpisode,
  setTabPlayback,
  toView,
} from '../../src/background/episodes';
import type { EpisodeHint, Playback } from '../../src/core/episode/hint';
import { freshDb } from '../helpers/db';

const t1 = new Date('2025-03-01T10:00:00.000Z');
const t2 = new Date('2025-03-02T12:30:00.000Z');

const hostHint: EpisodeHint = {
  site: 'generic',
  pageUrl: 'https://myshow.buzzsprout.com/123/456-episode-one',
  title: 'Episode One',
  show: 'My Show',
  durationSeconds: 3600,
  enclosureUrl: 'https://dts.podtrac.com/redirect.mp3/chrt.fm/track/ABC/traffic.megaphone.fm/X.mp3?updated=1',
};

const playback: Playback = { position: 30, duration: 3600, paused: false, rate: 1, at: 1_700_000_000_000 };

describe('recordEpisode', () => {
  it('stores a new episode with its aliases and both timestamps', async () => {
    const db = await freshDb();
    const episode = await recordEpisode(db, hostHint, t1);
    expect(episode).toMatchObject({
      title: 'Episode One',
      show: 'My Show',
      site: 'generic',
      durationSeconds: 3600,
      aliases: ['media:traffic.megaphone.fm/x.mp3'],
      firstSeen: t1.toISOString(),
      lastSeen: t1.toISOString(),
    });
    expect(episode.id).toMatch(/^ep_/);
    expect(await db.get('episodes', episode.id)).toEqual(episode);
  });

  it('keeps the feed address in the spelling follows are keyed by, so the show reads as followed', async () => {
    const db = await freshDb();
    const episode = await recordEpisode(db, { ...hostHint, feedUrl: ' HTTPS://Feeds.Example.COM' }, t1);
    expect(episode.feedUrl).toBe('https://feeds.example.com/');
    await db.put('follows', {
      feedUrl: 'https://feeds.example.com/',
      title: 'My Show',
      followedAt: t1.toISOString(),
    });
    await setTabEpisode(db, 3, episode.id);
    expect((await nowPlaying(db, 3))?.follow).toMatchObject({ followed: true });
  });

  it('does not store undefined fields', async () => {
    const db = await freshDb();
    const episode = await recordEpisode(db, { site: 'generic', pageUrl: 'https://a.com/', title: 'T' }, t1);
    expect(Object.values(episode)).not.toContain(undefined);
    expect(Object.keys(episode).sort()).toEqual([
      'aliases',
      'firstSeen',
      'id',
      'lastSeen',
      'pageUrl',
      'site',
      'title',
    ]);
  });

  it('keeps one episode when the same hint comes twice: lastSeen moves, firstSeen stays', async () => {
    const db = await freshDb();
    const first = await recordEpisode(db, hostHint, t1);
    const second = await recordEpisode(db, hostHint, t2);
    expect(second.id).toBe(first.id);
    expect(second.firstSeen).toBe(t1.toISOString());
    expect(second.lastSeen).toBe(t2.toISOString());
    expect(await db.count('episodes')).toBe(1);
  });

  it('recognises the same enclosure behind a tracking prefix on another site and merges its aliases', async () => {
    const db = await freshDb();
    const host = await recordEpisode(db, hostHint, t1);
    const player = await recordEpisode(
      db,
      {
        site: 'overcast',
        pageUrl: 'https://overcast.fm/+abc',
        title: 'Episode One',
        mediaUrl: 'https://traffic.megaphone.fm/X.mp3',
        ids: { appleEpisode: '1000650000001' },
      },
      t2,
    );
    expect(player.id).toBe(host.id);
    expect(player.aliases).toEqual(['media:traffic.megaphone.fm/x.mp3', 'apple:1000650000001']);
    expect(player.firstSeen).toBe(t1.toISOString());
    // What the first page said and the second did not is kept.
    expect(player).toMatchObject({
      show: 'My Show',
      durationSeconds: 3600,
      enclosureUrl: hostHint.enclosureUrl,
    });
    expect(await db.count('episodes')).toBe(1);

    // The new alias now finds the episode on its own.
    const viaApple = await recordEpisode(
      db,
      {
        site: 'apple-podcasts',
        pageUrl: 'https://podcasts.apple.com/x',
        title: 'Ep 1',
        ids: { appleEpisode: '1000650000001' },
      },
      t2,
    );
    expect(viaApple.id).toBe(host.id);
  });

  it('stores one episode when two tabs report it at the same moment', async () => {
    const db = await freshDb();
    const [a, b] = await Promise.all([
      recordEpisode(db, hostHint, t1),
      recordEpisode(db, { ...hostHint, site: 'overcast', pageUrl: 'https://overcast.fm/+abc' }, t2),
    ]);
    expect(a.id).toBe(b.id);
    expect(await db.count('episodes')).toBe(1);
  });

  it('keeps two different episodes played under one page URL (no media URL) apart', async () => {
    const db = await freshDb();
    const page = 'https://player.example.com/app';
    const one = await recordEpisode(db, { site: 'generic', pageUrl: page, title: 'Episode One' }, t1);
    const two = await recordEpisode(db, { site: 'generic', pageUrl: page, title: 'Episode Two' }, t1);
    expect(one.id).not.toBe(two.id);
    expect(await db.count('episodes')).toBe(2);
    // And coming back to the first finds it again.
    expect((await recordEpisode(db, { site: 'generic', pageUrl: page, title: 'Episode One' }, t2)).id).toBe(
      one.id,
    );
  });

  it('does not steal an alias another episode owns', async () => {
    const db = await freshDb();
    const a = await recordEpisode(
      db,
      { site: 'generic', pageUrl: 'https://a.com/1', title: 'A', guid: 'guid-a' },
      t1,
    );
    const b = await recordEpisode(
      db,
      { site: 'generic', pageUrl: 'https://b.com/1', title: 'B', mediaUrl: 'https://cdn.b.com/b.mp3' },
      t1,
    );
    // A hint that names A's guid and B's file: the guid (stronger) decides it is A...
    const merged = await recordEpisode(
      db,
      {
        site: 'generic',
        pageUrl: 'https://c.com/1',
        title: 'A',
        guid: 'guid-a',
        mediaUrl: 'https://cdn.b.com/b.mp3',
      },
      t2,
    );
    expect(merged.id).toBe(a.id);
    // ...but B keeps its file: B is still found by it, and A did not take it.
    expect(merged.aliases).toEqual(['guid:guid-a']);
    expect((await db.getFromIndex('episodes', 'by-alias', 'media:cdn.b.com/b.mp3'))?.id).toBe(b.id);
    expect((await db.get('episodes', b.id))?.aliases).toEqual(['media:cdn.b.com/b.mp3']);
    expect(await db.count('episodes')).toBe(2);
  });

  it('refuses a hint that names no episode at all', async () => {
    const db = await freshDb();
    // Only reachable by bypassing the schema (a non-http page URL): nothing is stored.
    await expect(
      recordEpisode(db, { site: 'generic', pageUrl: 'about:blank', title: 'T' }, t1),
    ).rejects.toThrow(/names no episode/);
    expect(await db.count('episodes')).toBe(0);
  });
});

describe('tabs', () => {
  it('knows nothing of a tab before it reports', async () => {
    const db = await freshDb();
    expect(await nowPlaying(db, 5)).toBeNull();
  });

  it('reports the episode in a tab, then its playback', async () => {
    const db = await freshDb();
    const episode = await recordEpisode(db, hostHint, t1);
    await setTabEpisode(db, 5, episode.id, hostHint.pageUrl);
    expect(await nowPlaying(db, 5)).toEqual({ tabId: 5, episode: toView(episode) });
    await setTabPlayback(db, 5, playback);
    expect(await nowPlaying(db, 5)).toEqual({ tabId: 5, episode: toView(episode), playback });
    expect((await db.get('tabs', 5))?.pageUrl).toBe(hostHint.pageUrl);
  });

  it('shows the UI only the episode’s public view', async () => {
    const db = await freshDb();
    const episode = await recordEpisode(db, hostHint, t1);
    await setTabEpisode(db, 1, episode.id);
    const view = (await nowPlaying(db, 1))?.episode;
    expect(view).toEqual({
      id: episode.id,
      title: 'Episode One',
      show: 'My Show',
      durationSeconds: 3600,
      pageUrl: hostHint.pageUrl,
      site: 'generic',
      lastSeen: t1.toISOString(),
    });
  });

  it('keeps the playback when the same episode is reported again, drops it for a new episode', async () => {
    const db = await freshDb();
    const one = await recordEpisode(db, hostHint, t1);
    const two = await recordEpisode(db, { site: 'generic', pageUrl: 'https://a.com/2', title: 'Two' }, t1);
    await setTabEpisode(db, 5, one.id, hostHint.pageUrl);
    await setTabPlayback(db, 5, playback);
    await setTabEpisode(db, 5, one.id);
    expect((await nowPlaying(db, 5))?.playback).toEqual(playback);
    expect((await db.get('tabs', 5))?.pageUrl).toBe(hostHint.pageUrl);
    await setTabEpisode(db, 5, two.id, 'https://a.com/2');
    const now = await nowPlaying(db, 5);
    expect(now?.episode.id).toBe(two.id);
    expect(now?.playback).toBeUndefined();
  });

  it('keeps tabs apart', async () => {
    const db = await freshDb();
    const one = await recordEpisode(db, hostHint, t1);
    const two = await recordEpisode(db, { site: 'generic', pageUrl: 'https://a.com/2', title: 'Two' }, t1);
    await setTabEpisode(db, 1, one.id);
    await setTabEpisode(db, 2, two.id);
    await setTabPlayback(db, 2, playback);
    expect((await nowPlaying(db, 1))?.episode.id).toBe(one.id);
    expect((await nowPlaying(db, 1))?.playback).toBeUndefined();
    expect((await nowPlaying(db, 2))?.playback).toEqual(playback);
  });

  it('has nothing playing in a tab that reported playback but no episode', async () => {
    const db = await freshDb();
    await setTabPlayback(db, 8, playback);
    expect(await nowPlaying(db, 8)).toBeNull();
  });

  it('has nothing playing when the tab’s episode is gone', async () => {
    const db = await freshDb();
    await setTabEpisode(db, 8, 'ep_missing');
    expect(await nowPlaying(db, 8)).toBeNull();
  });

  it('forgets one tab, and all tabs at start-up, but never the episodes', async () => {
    const db = await freshDb();
    const episode = await recordEpisode(db, hostHint, t1);
    for (const tabId of [1, 2, 3]) await setTabEpisode(db, tabId, episode.id);
    await forgetTab(db, 2);
    expect(await nowPlaying(db, 2)).toBeNull();
    expect((await nowPlaying(db, 1))?.episode.id).toBe(episode.id);
    await forgetAllTabs(db);
    expect(await db.count('tabs')).toBe(0);
    expect(await nowPlaying(db, 1)).toBeNull();
    expect(await db.get('episodes', episode.id)).toEqual(episode);
  });

  it('forgetting a tab that was never seen is harmless', async () => {
    const db = await freshDb();
    await expect(forgetTab(db, 99)).resolves.toBeUndefined();
  });
});
