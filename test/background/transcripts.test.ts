// The transcript resolver chain, over a real (fake-indexeddb) database and a fake network edge:
// page links first, then the show's feed; every step recorded; cached once found; resumable.
import { describe, expect, it, vi } from 'vitest';
import { recordEpisode } from '../../src/background/episodes';
import { FetchError, type Fetched, type GuardedFetch } from '../../src/background/net';
import {
  acceptPageCaptions,
  resolveTranscript,
  resumeTranscriptJobs,
  type ResolverDeps,
} from '../../src/background/transcripts';
import { setTabEpisode } from '../../src/background/episodes';
import type { EpisodeHint } from '../../src/core/episode/hint';
import type { EarmarkDB } from '../../src/background/db';
import { freshDb } from '../helpers/db';

const VTT =
  'WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nHello there.\n\n00:00:04.000 --> 00:00:06.000\nGeneral Kenobi.\n';
const SRT =
  '1\n00:00:01,000 --> 00:00:03,000\nHost: Hello there.\n\n2\n00:00:04,000 --> 00:00:06,000\nGeneral Kenobi.\n';

const feedXml = (items: string) => `<?xml version="1.0"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>The Show</title>${items}</channel></rss>`;

const item = (transcripts: string, guid = 'ep-1', enclosure = 'https://cdn.example.com/ep1.mp3') => `<item>
<title>Episode One</title><guid isPermaLink="false">${guid}</guid>
<enclosure url="${enclosure}" type="audio/mpeg" length="1"/>${transcripts}</item>`;

const encoder = new TextEncoder();
const ok = (url: string, body: string, extra: Partial<Extract<Fetched, { status: 200 }>> = {}): Fetched => ({
  status: 200,
  url,
  bytes: encoder.encode(body),
  ...extra,
});

/** A network of fixed answers: url → body (string), or an error to throw. */
function network(
  answers: Record<string, string | FetchError | ((req: Parameters<GuardedFetch>[1]) => Fetched)>,
) {
  const fetch = vi.fn<GuardedFetch>(async (url, request) => {
    const answer = answers[url];
    if (answer === undefined) throw new FetchError('http', `${new URL(url).host} answered 404.`, 404);
    if (answer instanceof FetchError) throw answer;
    if (typeof answer === 'function') return answer(request);
    return ok(url, answer);
  });
  return fetch;
}

const hint = (extra: Partial<EpisodeHint> = {}): EpisodeHint => ({
  site: 'generic',
  pageUrl: 'https://show.example.com/episodes/1',
  title: 'Episode One',
  mediaUrl: 'https://dts.podtrac.com/redirect.mp3/cdn.example.com/ep1.mp3',
  feedUrl: 'https://feeds.example.com/show.xml',
  ...extra,
});

async function setup(answers: Parameters<typeof network>[0], h: EpisodeHint = hint(), access = true) {
  const db = await freshDb();
  const episode = await recordEpisode(db, h);
  const fetch = network(answers);
  const updates: string[] = [];
  const deps: ResolverDeps = {
    db,
    fetch,
    hasAccess: async () => access,
    languages: ['en-GB', 'de'],
    onUpdate: (_id, status) => updates.push(status.state),
  };
  return { db, episode, fetch, deps, updates };
}

const stored = (db: EarmarkDB, id: string) => db.get('transcripts', id);

describe('resolveTranscript', () => {
  it('finds the transcript in the show’s feed (matched through a tracking prefix) and caches it', async () => {
    const { db, episode, fetch, deps, updates } = await setup({
      'https://feeds.example.com/show.xml': feedXml(
        item('<podcast:transcript url="https://cdn.example.com/ep1.vtt" type="text/vtt" language="en"/>'),
      ),
      'https://cdn.example.com/ep1.vtt': VTT,
    });
    const status = await resolveTranscript(deps, episode.id);
    expect(status.state).toBe('found');
    expect(status.found).toEqual({
      source: 'feed',
      format: 'vtt',
      language: 'en',
      segments: 2,
      url: 'https://cdn.example.com/ep1.vtt',
    });
    expect(status.steps.map((s) => s.outcome)).toEqual(['none', 'found']);
    expect(status.steps[1]!.detail).toBe('Found on the show’s feed: WebVTT, 2 segments.');
    const record = await stored(db, episode.id);
    expect(record?.transcript.segments.map((s) => s.text)).toEqual(['Hello there.', 'General Kenobi.']);
    expect(updates[0]).toBe('finding');
    expect(updates.at(-1)).toBe('found');
    // Found once: asking again fetches nothing.
    fetch.mockClear();
    expect((await resolveTranscript(deps, episode.id)).state).toBe('found');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('prefers the listener’s language, then a timed format, and says the declared type is wrong without failing', async () => {
    const { episode, fetch, deps } = await setup({
      'https://feeds.example.com/show.xml': feedXml(
        item(`<podcast:transcript url="https://cdn.example.com/ep1.fr.vtt" type="text/vtt" language="fr"/>
<podcast:transcript url="https://cdn.example.com/ep1.html" type="text/html" language="en"/>
<podcast:transcript url="https://cdn.example.com/ep1.srt" type="application/srt" language="EN"/>`),
      ),
      'https://cdn.example.com/ep1.srt': SRT,
      'https://cdn.example.com/ep1.html': '<p>Hello</p>',
      'https://cdn.example.com/ep1.fr.vtt': VTT,
    });
    const status = await resolveTranscript(deps, episode.id);
    expect(status.found?.url).toBe('https://cdn.example.com/ep1.srt');
    expect(fetch.mock.calls.map(([url]) => url).slice(1)).toEqual(['https://cdn.example.com/ep1.srt']);
  });

  it('tries the page’s own links first', async () => {
    const { episode, fetch, deps } = await setup(
      { 'https://show.example.com/ep1.vtt': VTT },
      hint({ transcripts: [{ url: 'https://show.example.com/ep1.vtt', language: 'en' }] }),
    );
    const status = await resolveTranscript(deps, episode.id);
    expect(status.found?.source).toBe('page');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('goes on past a broken transcript to the next one, recording why', async () => {
    const { episode, deps } = await setup({
      'https://feeds.example.com/show.xml': feedXml(
        item(`<podcast:transcript url="https://cdn.example.com/a.vtt" type="text/vtt"/>
<podcast:transcript url="https://cdn.example.com/b.srt" type="application/x-subrip"/>`),
      ),
      'https://cdn.example.com/a.vtt': '<html><body><h1>404 Not Found</h1></body></html>',
      'https://cdn.example.com/b.srt': SRT,
    });
    const status = await resolveTranscript(deps, episode.id);
    expect(status.state).toBe('found');
    expect(status.steps[1]).toMatchObject({ source: 'feed', outcome: 'error' });
    expect(status.steps[1]!.detail).toMatch(
      /^Could not use a transcript linked from the show’s feed \(cdn\.example\.com\): /,
    );
    expect(status.found?.url).toBe('https://cdn.example.com/b.srt');
  });

  it.each([
    ['no feed on the page', hint({ feedUrl: undefined }), {}, 'The page names no feed for this show.'],
    [
      'a feed without the episode',
      hint(),
      {
        'https://feeds.example.com/show.xml': feedXml(
          item('', 'other', 'https://cdn.example.com/other.mp3').replace('Episode One', 'Another'),
        ),
      },
      'The show’s feed (feeds.example.com) has no episode matching this one (1 checked).',
    ],
    [
      'an episode without transcripts',
      hint(),
      { 'https://feeds.example.com/show.xml': feedXml(item('')) },
      'The show’s feed publishes no transcript for this episode.',
    ],
    [
      'HTML where the feed should be',
      hint(),
      { 'https://feeds.example.com/show.xml': '<!doctype html><html><body>Welcome!</body></html>' },
      /^Could not use the show’s feed \(feeds\.example\.com\): /,
    ],
    [
      'a feed that does not answer',
      hint(),
      { 'https://feeds.example.com/show.xml': new FetchError('timeout', 'No answer within 20 s.') },
      'Could not use the show’s feed (feeds.example.com): No answer within 20 s.',
    ],
  ])('with %s: no transcript, and says so', async (_name, h, answers, last) => {
    const { episode, deps } = await setup(answers as Parameters<typeof network>[0], h);
    const status = await resolveTranscript(deps, episode.id);
    expect(status.state).toBe('none');
    expect(status.steps[0]).toEqual({
      source: 'page',
      outcome: 'none',
      detail: 'The page links no transcript.',
    });
    if (typeof last === 'string') expect(status.steps.at(-1)!.detail).toBe(last);
    else expect(status.steps.at(-1)!.detail).toMatch(last);
  });

  it('asks for access when the host cannot be read without it', async () => {
    const { episode, deps } = await setup(
      {
        'https://feeds.example.com/show.xml': new FetchError(
          'network',
          'Could not reach feeds.example.com (Failed to fetch).',
        ),
      },
      hint(),
      false,
    );
    const status = await resolveTranscript(deps, episode.id);
    expect(status.steps.at(-1)).toEqual({
      source: 'feed',
      outcome: 'no-access',
      host: 'feeds.example.com',
      detail: 'Earmark needs your permission to read feeds.example.com to get the show’s feed.',
    });
  });

  it('asks the feed server conditionally after the cache is stale, and uses its 304', async () => {
    let calls = 0;
    const xml = feedXml(item('<podcast:transcript url="https://cdn.example.com/ep1.vtt" type="text/vtt"/>'));
    const { db, episode, deps, fetch } = await setup({
      'https://feeds.example.com/show.xml': (request) =>
        ++calls === 1
          ? ok('https://feeds.example.com/show.xml', xml, { etag: '"v1"' })
          : request.etag === '"v1"'
            ? { status: 304, url: 'https://feeds.example.com/show.xml' }
            : ok('https://feeds.example.com/show.xml', xml),
      'https://cdn.example.com/ep1.vtt': VTT,
    });
    await resolveTranscript(deps, episode.id);
    // Eleven minutes later the cached feed is stale; a forced search asks with the validator.
    const later = new Date(Date.now() + 11 * 60 * 1000);
    const status = await resolveTranscript({ ...deps, now: () => later }, episode.id, { force: true });
    expect(status.state).toBe('found');
    const feedCalls = fetch.mock.calls.filter(([url]) => url.endsWith('show.xml'));
    expect(feedCalls).toHaveLength(2);
    expect(feedCalls[1]![1].etag).toBe('"v1"');
    expect((await db.get('feeds', 'https://feeds.example.com/show.xml'))?.etag).toBe('"v1"');
  });

  it('runs one search per episode at a time', async () => {
    const { episode, fetch, deps } = await setup({
      'https://feeds.example.com/show.xml': feedXml(
        item('<podcast:transcript url="https://cdn.example.com/ep1.vtt" type="text/vtt"/>'),
      ),
      'https://cdn.example.com/ep1.vtt': VTT,
    });
    const [a, b] = await Promise.all([
      resolveTranscript(deps, episode.id),
      resolveTranscript(deps, episode.id),
    ]);
    expect(a).toEqual(b);
    expect(fetch).toHaveBeenCalledTimes(2); // the feed and the transcript, once each
  });

  it('resumes a search that a stopped worker left running', async () => {
    const { db, episode, deps } = await setup({
      'https://feeds.example.com/show.xml': feedXml(
        item('<podcast:transcript url="https://cdn.example.com/ep1.vtt" type="text/vtt"/>'),
      ),
      'https://cdn.example.com/ep1.vtt': VTT,
    });
    // What a worker stopped mid-search leaves behind: a running job, no transcript.
    await db.put('jobs', {
      id: `transcript:${episode.id}`,
      episodeId: episode.id,
      kind: 'transcript',
      state: 'running',
      transcript: { state: 'finding', steps: [], updatedAt: new Date().toISOString() },
      updatedAt: new Date().toISOString(),
    });
    expect(await resumeTranscriptJobs(deps)).toBe(1);
    expect((await db.get('jobs', `transcript:${episode.id}`))?.transcript?.state).toBe('found');
    expect(await stored(db, episode.id)).toBeDefined();
  });
});

describe('acceptPageCaptions (YouTube captions read by the page)', () => {
  const ytHint = hint({
    site: 'youtube',
    pageUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    ids: { youtube: 'dQw4w9WgXcQ' },
    mediaUrl: undefined,
    feedUrl: undefined,
  });
  const json3 = JSON.stringify({
    events: [
      { tStartMs: 0, dDurationMs: 2000, segs: [{ utf8: 'First line.' }] },
      { tStartMs: 2500, dDurationMs: 2000, segs: [{ utf8: 'Second line.' }] },
    ],
  });

  it('stores the captions as the transcript, and a later search keeps them', async () => {
    const { db, episode, deps, fetch } = await setup({}, ytHint);
    await setTabEpisode(db, 7, episode.id);
    await resolveTranscript(deps, episode.id); // the chain finds nothing on its own
    const status = await acceptPageCaptions(deps, 7, {
      videoId: 'dQw4w9WgXcQ',
      status: 'ok',
      track: { languageCode: 'en', name: 'English (auto-generated)', kind: 'asr' },
      body: json3,
    });
    expect(status?.state).toBe('found');
    expect(status?.steps[0]!.detail).toBe(
      'Found on the page: YouTube captions (English (auto-generated)), 2 segments.',
    );
    expect((await db.get('transcripts', episode.id))?.pushed).toBe(true);
    fetch.mockClear();
    const again = await resolveTranscript(deps, episode.id, { force: true });
    expect(again.state).toBe('found');
    expect(again.found?.format).toBe('youtube');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('notes why captions could not be had, first among the steps, in every later search', async () => {
    const { db, episode, deps } = await setup({}, ytHint);
    await setTabEpisode(db, 7, episode.id);
    const status = await acceptPageCaptions(deps, 7, { videoId: 'dQw4w9WgXcQ', status: 'po-token-required' });
    expect(status?.state).toBe('none');
    expect(status?.steps[0]!.detail).toMatch(/^YouTube sent an empty caption file/);
    const again = await resolveTranscript(deps, episode.id, { force: true });
    expect(again.steps[0]!.detail).toMatch(/^YouTube sent an empty caption file/);
    expect(again.steps.filter((s) => /empty caption file/.test(s.detail))).toHaveLength(1);
  });

  it('refuses captions for another video than the tab’s', async () => {
    const { db, episode, deps } = await setup({}, ytHint);
    await setTabEpisode(db, 7, episode.id);
    await expect(
      acceptPageCaptions(deps, 7, { videoId: 'aaaaaaaaaaa', status: 'ok', body: json3 }),
    ).rejects.toThrow(/another video/);
    await expect(
      acceptPageCaptions(deps, 8, { videoId: 'dQw4w9WgXcQ', status: 'ok', body: json3 }),
    ).rejects.toThrow(/No episode/);
    expect(await db.get('transcripts', episode.id)).toBeUndefined();
  });

  it('says so when the captions do not parse', async () => {
    const { db, episode, deps } = await setup({}, ytHint);
    await setTabEpisode(db, 7, episode.id);
    const status = await acceptPageCaptions(deps, 7, {
      videoId: 'dQw4w9WgXcQ',
      status: 'ok',
      body: '<html>nope</html>',
    });
    expect(status?.steps[0]).toMatchObject({ source: 'page', outcome: 'error' });
    expect(await db.get('transcripts', episode.id)).toBeUndefined();
  });
});

describe('finding the feed in Apple’s directory', () => {
  const xml = feedXml(
    item(
      '<podcast:transcript url="https://cdn.example.com/ep1.vtt" type="text/vtt"/>',
      'guid-from-apple',
      'https://cdn.example.com/other-name.mp3',
    ),
  );

  it('looks up the show of an Apple Podcasts page, and matches the episode by the guid Apple lists', async () => {
    const lookup = JSON.stringify({
      resultCount: 2,
      results: [
        {
          wrapperType: 'track',
          kind: 'podcast',
          collectionId: 1234,
          collectionName: 'The Show',
          feedUrl: 'https://feeds.example.com/show.xml',
        },
        {
          wrapperType: 'podcastEpisode',
          kind: 'podcast-episode',
          collectionId: 1234,
          collectionName: 'The Show',
          trackId: 1000555,
          trackName: 'A different title on Apple',
          episodeGuid: 'guid-from-apple',
        },
      ],
    });
    const { db, episode, deps } = await setup(
      {
        'https://itunes.apple.com/lookup?id=1234&entity=podcastEpisode&limit=200': lookup,
        'https://feeds.example.com/show.xml': xml,
        'https://cdn.example.com/ep1.vtt': VTT,
      },
      hint({
        site: 'generic',
        pageUrl: 'https://podcasts.apple.com/us/podcast/the-show/id1234?i=1000555',
        title: 'Episode One on Apple',
        feedUrl: undefined,
        mediaUrl: undefined,
      }),
    );
    const status = await resolveTranscript(deps, episode.id);
    expect(status.state).toBe('found');
    expect(status.steps.map((s) => [s.source, s.outcome])).toEqual([
      ['page', 'none'],
      ['directory', 'found'],
      ['feed', 'found'],
    ]);
    expect(status.steps[1]!.detail).toBe('Apple Podcasts names the show’s feed (feeds.example.com).');
    // Remembered: the next search goes straight to the feed.
    expect((await db.get('episodes', episode.id))?.feedUrl).toBe('https://feeds.example.com/show.xml');
  });

  it('searches by show name when the page names only that', async () => {
    const search = JSON.stringify({
      results: [
        {
          wrapperType: 'track',
          kind: 'podcast',
          collectionId: 9,
          collectionName: 'The Shower Thoughts',
          feedUrl: 'https://x.example.com/f',
        },
        {
          wrapperType: 'track',
          kind: 'podcast',
          collectionId: 10,
          collectionName: 'The Show',
          feedUrl: 'https://feeds.example.com/show.xml',
        },
      ],
    });
    const answers: Record<string, string> = {
      'https://feeds.example.com/show.xml': xml
        .replace('guid-from-apple', 'g')
        .replace('other-name.mp3', 'ep9.mp3'),
      'https://cdn.example.com/ep1.vtt': VTT,
    };
    const h = hint({
      show: 'The Show',
      feedUrl: undefined,
      mediaUrl: undefined,
      pageUrl: 'https://open.example.com/episode/xyz',
    });
    const { episode, deps, fetch } = await setup({ ...answers }, h);
    fetch.mockImplementation(async (url) => {
      if (url.startsWith('https://itunes.apple.com/search?')) return ok(url, search);
      const body = answers[url];
      if (body === undefined) throw new FetchError('http', 'answered 404.', 404);
      return ok(url, body);
    });
    const status = await resolveTranscript(deps, episode.id);
    expect(status.state).toBe('found');
    expect(status.steps[1]!.detail).toBe(
      'The page names no feed; Apple Podcasts’ directory lists “The Show” with its feed (feeds.example.com).',
    );
    const asked = new URL(fetch.mock.calls[0]![0]);
    expect(asked.searchParams.get('term')).toBe('The Show Episode One');
  });

  it('says so when the directory knows no such show', async () => {
    const h = hint({ show: 'Nobody Knows Us', feedUrl: undefined, mediaUrl: undefined });
    const { episode, deps, fetch } = await setup({}, h);
    fetch.mockImplementation(async (url) => ok(url, JSON.stringify({ resultCount: 0, results: [] })));
    const status = await resolveTranscript(deps, episode.id);
    expect(status.state).toBe('none');
    expect(status.steps.at(-1)!.detail).toBe(
      'The page names no feed, and Apple Podcasts’ directory has no show named “Nobody Knows Us”.',
    );
  });

  it('reports a directory that does not answer', async () => {
    const h = hint({ show: 'The Show', feedUrl: undefined, mediaUrl: undefined });
    const { episode, deps, fetch } = await setup({}, h);
    fetch.mockImplementation(async () => {
      throw new FetchError('offline', 'The browser is offline.');
    });
    const status = await resolveTranscript(deps, episode.id);
    expect(status.steps.at(-1)).toEqual({
      source: 'directory',
      outcome: 'error',
      detail: 'Could not use Apple Podcasts’ directory (itunes.apple.com): The browser is offline.',
    });
  });
});
