// The follow scanner against a local feed server (real HTTP, real fetch through the fetch guard),
// over a real (fake-indexeddb) database and the real transcript resolver and local insight engine:
// follow → new episode → scanned → transcript → insights → brief; conditional requests; backing
// off failing feeds; bounded work per run; a run resumed after a stop; the daily budget.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildBrief } from '../../src/background/brief';
import type { EarmarkDB } from '../../src/background/db';
import { followFeed, importOpml } from '../../src/background/follows';
import { engineFor, runInsights } from '../../src/background/insights';
import { createGuardedFetch } from '../../src/background/net';
import {
  backoffMs,
  MAX_PROCESSED_PER_RUN,
  readScanState,
  runScan,
  SCAN_CONCURRENCY,
  type ScannerDeps,
} from '../../src/background/scanner';
import { addSpending, writeSettings } from '../../src/background/settings';
import { resolveTranscript } from '../../src/background/transcripts';
import { localEngine } from '../../src/core/insights/local';
import { freshDb } from '../helpers/db';
import { localFetch, rssFeed, startFeedServer, vtt, type FeedServer } from '../support/feed-server';
import { startAnthropicServer, type AnthropicServer } from '../support/anthropic-server';

const HOUR = 3600_000;
const SENTENCES = [
  'Welcome back to the show, today we talk about how memory really works.',
  'The most important finding is that people forget about seventy percent of what they hear within a day.',
  'Spaced repetition beats rereading because each recall strengthens the memory trace.',
  'Writing a single sentence summary right after listening doubles what you remember a week later.',
  'Sleep consolidates new memories, so studying before bed is surprisingly effective.',
  'Multitasking while listening cuts comprehension almost in half according to the lab studies.',
  'The surprising lesson is that confidence is a poor guide to what you will actually remember.',
  'Teaching an idea to someone else is the fastest way to find the gaps in your understanding.',
  'Thanks for listening, and see you next week.',
];

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

let feedNo = 0;
/** A show on the feed server with `count` episodes, the newest `ageHours` old, each with a transcript. */
function show(count: number, ageHours = 2, title = `Show ${++feedNo}`) {
  const base = `https://feeds.host${feedNo}.example/${encodeURIComponent(title)}`;
  const items: Parameters<typeof rssFeed>[1] = [];
  const add = (hoursAgo: number) => {
    const n = items.length + 1;
    const transcript = `${base}/ep${n}.vtt`;
    server.set(transcript, vtt(SENTENCES.map((s) => `${s} (${title}, part ${n})`)), 'text/vtt');
    items.unshift({
      guid: `${title}-ep-${n}`,
      title: `${title} episode ${n}`,
      published: new Date(Date.now() - hoursAgo * HOUR),
      enclosure: `https://cdn.example/${encodeURIComponent(title)}/${n}.mp3`,
      transcript,
      duration: 1800,
    });
  };
  for (let i = count - 1; i >= 0; i--) add(ageHours + i * 24 * 7);
  const url = `${base}/feed.xml`;
  const publish = () => server.set(url, rssFeed({ title }, items));
  publish();
  return {
    url,
    title,
    /** A new episode appears in the feed. */
    newEpisode() {
      add(0.1);
      publish();
    },
  };
}

function depsOf(
  db: EarmarkDB,
  options: { access?: boolean; engine?: 'local' | 'settings' } = {},
): ScannerDeps {
  const fetch = createGuardedFetch(localFetch(server));
  const hasAccess = async () => options.access ?? true;
  return {
    db,
    fetch,
    hasAccess,
    process: async (episodeId) => {
      const transcript = await resolveTranscript({ db, fetch, hasAccess, languages: ['en'] }, episodeId);
      if (transcript.state === 'found')
        await runInsights(
          { db, engine: async () => (options.engine === 'settings' ? engineFor(db) : localEngine) },
          episodeId,
        );
      return { transcript };
    },
  };
}

const insightsOf = async (db: EarmarkDB, feedUrl: string) => {
  const episodes = (await db.getAll('episodes')).filter((e) => e.feedUrl === feedUrl);
  const all = await Promise.all(episodes.map((e) => db.getAllFromIndex('insights', 'by-episode', e.id)));
  return all.flat();
};

describe('following and scanning', () => {
  it('follows a feed: checks it at once, takes its recent latest episode through to insights', async () => {
    const db = await freshDb();
    const a = show(3);
    const deps = depsOf(db);
    const result = await followFeed(deps, a.url);
    expect(result).toMatchObject({ ok: true, follow: { feedUrl: a.url, title: a.title, episodeCount: 3 } });
    await runScan(deps); // the follow queued the latest episode; this run (or the one it started) ends
    const episodes = (await db.getAll('episodes')).filter((e) => e.feedUrl === a.url);
    expect(episodes.map((e) => e.title)).toEqual([`${a.title} episode 3`]); // not the back catalogue
    expect(episodes[0]).toMatchObject({ site: 'feed', show: a.title, guid: `${a.title}-ep-3` });
    const insights = await insightsOf(db, a.url);
    expect(insights.length).toBeGreaterThan(0);
    // Its transcript came from the feed's <podcast:transcript> tag of that very episode.
    expect(await db.get('transcripts', episodes[0]!.id)).toMatchObject({
      source: 'feed',
      url: expect.stringMatching(/\/ep3\.vtt$/),
    });
  });

  it('refuses to follow what is not a feed, or a host Earmark may not read, and follows nothing', async () => {
    const db = await freshDb();
    const page = 'https://www.not-a-feed.example/show';
    server.set(page, '<!doctype html><html><body><h1>Our podcast</h1></body></html>', 'text/html');
    const deps = depsOf(db);
    const notFeed = await followFeed(deps, page);
    expect(notFeed.ok).toBe(false);
    expect(!notFeed.ok && notFeed.error).toMatch(/feed could not be read/i);
    server.fail('https://locked.example/feed.xml', 'cut');
    const locked = await followFeed(depsOf(db, { access: false }), 'https://locked.example/feed.xml');
    expect(locked).toMatchObject({ ok: false, needsAccess: 'locked.example' });
    expect(!locked.ok && locked.error).toContain('needs your permission to read locked.example');
    expect(await db.count('follows')).toBe(0);
  });

  it('a new episode appears → the scan finds it with a conditional request → insights → the brief', async () => {
    const db = await freshDb();
    const a = show(2, 24 * 30); // nothing recent: following brings no episode
    const b = show(2, 24 * 30);
    const deps = depsOf(db);
    await followFeed(deps, a.url);
    await followFeed(deps, b.url);
    expect(await db.count('episodes')).toBe(0);

    server.reset();
    const quiet = await runScan(deps, { force: true });
    expect(quiet).toMatchObject({ state: 'idle', total: 2, checked: 2, found: 0, failed: 0 });
    // Nothing changed: both answered 304 to the validators of the last fetch.
    expect(server.requests.map((r) => [r.conditional, r.status])).toEqual([
      [true, 304],
      [true, 304],
    ]);

    a.newEpisode();
    const run = await runScan(deps, { force: true });
    expect(run).toMatchObject({ found: 1, processed: 1, failed: 0, pending: [] });
    const insights = await insightsOf(db, a.url);
    expect(insights.length).toBeGreaterThan(0);
    expect(await insightsOf(db, b.url)).toEqual([]);

    const brief = await buildBrief(db);
    expect(brief.considered).toBe(insights.length);
    expect(brief.items.length).toBeGreaterThan(0);
    expect(brief.items.length).toBeLessThanOrEqual(Math.min(5, insights.length));
    for (const item of brief.items) {
      expect(insights.map((i) => i.id)).toContain(item.insightId);
      expect(item.reason).toContain(a.title);
    }
  });

  it('backs off a failing feed, says why, and recovers when it answers again', async () => {
    const db = await freshDb();
    const a = show(1, 24 * 30);
    const deps = depsOf(db);
    await followFeed(deps, a.url);
    server.fail(a.url, 503);
    const t0 = Date.now();
    const run = await runScan(deps, { force: true });
    expect(run).toMatchObject({ checked: 1, failed: 1 });
    let follow = (await db.get('follows', a.url))!;
    expect(follow.failures).toBe(1);
    expect(follow.lastError).toContain('answered 503');
    expect(Date.parse(follow.nextCheckAt!) - t0).toBeGreaterThanOrEqual(backoffMs(1) - 1000);

    server.reset();
    await runScan(deps); // the timer's run: the failing feed is not due
    expect(server.requests).toEqual([]);
    await runScan(deps, { force: true });
    follow = (await db.get('follows', a.url))!;
    expect(follow.failures).toBe(2);
    expect(backoffMs(2)).toBeGreaterThan(backoffMs(1));

    server.fail(a.url, undefined);
    await runScan(deps, { force: true });
    follow = (await db.get('follows', a.url))!;
    expect(follow.failures).toBeUndefined();
    expect(follow.lastError).toBeUndefined();
    expect(follow.episodeCount).toBe(1);
  });

  it('keeps at most six requests in flight and works through a bounded number of episodes per run', async () => {
    const db = await freshDb();
    const shows = Array.from({ length: 30 }, () => show(1, 24 * 30));
    const opml = `<opml version="2.0"><body>${shows
      .map((s) => `<outline type="rss" text="${s.title}" xmlUrl="${s.url}"/>`)
      .join('')}</body></opml>`;
    expect(await importOpml(db, opml)).toMatchObject({ added: 30, already: 0 });
    const deps = depsOf(db);
    await runScan(deps); // first checks: nothing recent, nothing new
    expect(await db.count('episodes')).toBe(0);

    for (const s of shows) s.newEpisode();
    server.reset();
    server.delayMs = 20;
    const first = await runScan(deps, { force: true });
    server.delayMs = 0;
    expect(server.maxInFlight).toBeLessThanOrEqual(SCAN_CONCURRENCY);
    expect(server.maxInFlight).toBeGreaterThan(1);
    expect(first).toMatchObject({ checked: 30, found: 30, processed: MAX_PROCESSED_PER_RUN });
    expect(first.pending).toHaveLength(30 - MAX_PROCESSED_PER_RUN);

    const second = await runScan(deps); // the timer's next run: feeds not due, the rest processed
    expect(second).toMatchObject({ total: 0, processed: 30 - MAX_PROCESSED_PER_RUN, pending: [] });
    const withInsights = await Promise.all(shows.map(async (s) => (await insightsOf(db, s.url)).length > 0));
    expect(withInsights.every(Boolean)).toBe(true);
  });

  it('a run cut off by a stopped worker is continued: checked feeds are not checked again', async () => {
    const db = await freshDb();
    const shows = Array.from({ length: 4 }, () => show(1, 24 * 30));
    const deps = depsOf(db);
    for (const s of shows) await followFeed(deps, s.url);
    // What a worker stopped mid-run leaves: the run "running", two feeds checked since it started.
    await new Promise((r) => setTimeout(r, 5)); // the run starts after the follows' first checks
    const startedAt = new Date().toISOString();
    for (const s of shows.slice(0, 2)) {
      const f = (await db.get('follows', s.url))!;
      await db.put('follows', { ...f, lastCheckedAt: new Date(Date.now() + 5).toISOString() });
    }
    await db.put('settings', {
      name: 'scan',
      value: {
        state: 'running',
        force: true,
        startedAt,
        total: 4,
        checked: 2,
        found: 0,
        processed: 0,
        failed: 0,
        pending: [],
      },
    });
    server.reset();
    const resumed = await runScan(deps);
    expect(server.requests.map((r) => r.url).sort()).toEqual(
      shows
        .slice(2)
        .map((s) => s.url)
        .sort(),
    );
    expect(resumed).toMatchObject({ state: 'idle', startedAt, total: 4, checked: 4 });
    expect((await readScanState(db)).state).toBe('idle');
  });
});

describe('the daily budget', () => {
  let anthropic: AnthropicServer;
  beforeAll(async () => {
    anthropic = await startAnthropicServer();
  });
  afterAll(() => anthropic.close());

  it('new episodes use Claude while today’s budget lasts, then the local engine', async () => {
    const db = await freshDb();
    await writeSettings(db, {
      apiKey: 'sk-ant-test-key-0123456789',
      apiBaseUrl: anthropic.url,
      dailyBudgetUsd: 0.5,
    });
    const a = show(1, 24 * 30);
    const deps = depsOf(db, { engine: 'settings' });
    await followFeed(deps, a.url);

    a.newEpisode();
    await runScan(deps, { force: true });
    const first = await insightsOf(db, a.url);
    expect(first.length).toBeGreaterThan(0);
    expect(new Set(first.map((i) => i.engine))).toEqual(new Set([expect.stringContaining('Claude')]));
    const claudeCalls = anthropic.requests.length;

    await addSpending(db, 1); // today's budget is spent
    a.newEpisode();
    await runScan(deps, { force: true });
    const all = await insightsOf(db, a.url);
    const second = all.filter((i) => !first.some((f) => f.id === i.id));
    expect(second.length).toBeGreaterThan(0);
    expect(new Set(second.map((i) => i.engine))).toEqual(new Set(['local']));
    expect(anthropic.requests.length).toBe(claudeCalls); // nothing more was sent
  });
});
