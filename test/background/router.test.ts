// The router is the background's only door: a message reaches a handler only from the context it
// is declared for, with a payload that passed its schema; every other outcome is a typed refusal.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createRouter,
  describeIssues,
  senderKind,
  type Handlers,
  type Sender,
} from '../../src/background/router';
import type { EpisodeHint, Playback } from '../../src/messages';
import * as v from 'valibot';

const options = { extensionId: 'abc', extensionOrigin: 'chrome-extension://abc/' };

const content: Sender = { id: 'abc', url: 'https://overcast.fm/+x', tab: { id: 3 }, frameId: 0 };
const popup: Sender = { id: 'abc', url: 'chrome-extension://abc/src/ui/popup/index.html' };
const uiInTab: Sender = {
  id: 'abc',
  url: 'chrome-extension://abc/src/ui/library/index.html',
  tab: { id: 9 },
  frameId: 0,
};

const hint: EpisodeHint = { site: 'generic', pageUrl: 'https://overcast.fm/+x', title: 'Episode One' };
const playback: Playback = { position: 12, duration: 3600, paused: false, rate: 1, at: 1_700_000_000_000 };

const settings = {
  engine: 'auto' as const,
  model: 'm',
  hasKey: false,
  dailyBudgetUsd: 1,
  spentTodayUsd: 0,
  effectiveEngine: 'local' as const,
  youtubeAllVideos: false,
  briefTime: '08:00',
  briefNotify: true,
  stt: {
    engine: 'whisper' as const,
    whisperModel: 'onnx-community/whisper-tiny.en',
    whisperCached: false,
    baseUrl: 'https://api.openai.com/v1',
    model: 'whisper-1',
    hasKey: false,
    pricePerMinute: 0.006,
  },
};

const sttView = {
  state: 'running' as const,
  engine: 'whisper' as const,
  by: 'Whisper tiny (English) on this device',
  doneSeconds: 0,
  updatedAt: '2026-01-01T00:00:00Z',
};
const idleScan = { state: 'idle' as const, checked: 0, total: 0, found: 0, processed: 0, failed: 0 };

function setup() {
  const handlers = {
    'episode/detected': vi.fn(async () => ({ episodeId: 'ep_1' })),
    'playback/changed': vi.fn(async () => null),
    'tab/now-playing': vi.fn(async () => null),
    'transcript/page-captions': vi.fn(async () => null),
    'insights/retry': vi.fn(async () => null),
    'settings/get': vi.fn(async () => settings),
    'settings/set': vi.fn(async () => settings),
    'settings/test-key': vi.fn(async () => ({ ok: true, message: 'The key works.' })),
    'transcript/retry': vi.fn(async () => ({
      state: 'finding' as const,
      steps: [],
      updatedAt: '2026-01-01T00:00:00Z',
    })),
    'cards/get': vi.fn(async () => null),
    'cards/save': vi.fn(async () => ({ saved: true })),
    'library/save': vi.fn(async () => savedItem),
    'library/unsave': vi.fn(async () => ({ removed: true })),
    'library/note': vi.fn(async () => savedItem),
    'library/day': vi.fn(async () => ({ day: '2026-01-01', items: [] })),
    'library/days': vi.fn(async () => []),
    'library/related': vi.fn(async () => ({})),
    'library/search': vi.fn(async () => ({ query: '', insights: [], episodes: [] })),
    'library/episodes': vi.fn(async () => ({ total: 0, episodes: [] })),
    'library/episode': vi.fn(async () => null),
    'library/export': vi.fn(async () => ({ json: '{}', filename: 'x.json' })),
    'library/export-day': vi.fn(async () => ({ markdown: '', filename: 'x.md' })),
    'library/import': vi.fn(async () => ({
      added: { episodes: 0, insights: 0, saved: 0, follows: 0, briefs: 0 },
      merged: 0,
      unchanged: 0,
      problems: [],
    })),
    'library/erase': vi.fn(async () => null),
    'library/stats': vi.fn(async () => ({
      episodes: 0,
      insights: 0,
      saved: 0,
      days: 0,
      transcripts: 0,
      follows: 0,
      briefs: 0,
    })),
    'follows/list': vi.fn(async () => ({ follows: [], scan: idleScan })),
    'follows/add': vi.fn(async () => ({ ok: false as const, error: 'no' })),
    'follows/add-episode': vi.fn(async () => ({ ok: false as const, error: 'no' })),
    'follows/remove': vi.fn(async () => ({ removed: false })),
    'follows/import-opml': vi.fn(async () => ({ added: 0, already: 0, problems: [] })),
    'follows/export-opml': vi.fn(async () => ({ opml: '', filename: 'x.opml' })),
    'scan/run': vi.fn(async () => idleScan),
    'brief/get': vi.fn(async () => null),
    'brief/build': vi.fn(async () => ({
      day: '2026-01-01',
      createdAt: '2026-01-01T08:00:00Z',
      considered: 0,
      items: [],
    })),
    'brief/days': vi.fn(async () => []),
    'brief/export': vi.fn(async () => ({ markdown: '', filename: 'x.md' })),
    'cards/follow': vi.fn(async () => ({ ok: false as const, error: 'no' })),
    'stt/start': vi.fn(async () => sttView),
    'stt/pause': vi.fn(async () => sttView),
    'stt/resume': vi.fn(async () => sttView),
    'stt/changed': vi.fn(async () => null),
    'stt/delete-model': vi.fn(async () => ({ deleted: 0 })),
  } satisfies Handlers;
  const route = createRouter(handlers, options);
  const calls = () => Object.values(handlers).reduce((n, h) => n + h.mock.calls.length, 0);
  return { handlers, route, calls };
}

const savedItem = {
  insight: { id: 'ins_1', text: 'A claim.', quote: 'a claim', start: 1, topics: [], importance: 3 as const },
  episodeId: 'ep_1',
  day: '2026-01-01',
  savedAt: '2026-01-01T00:00:00Z',
};

describe('senderKind', () => {
  it.each<[string, Sender, 'content' | 'ui' | null]>([
    ['a content script in a top frame of an https page', content, 'content'],
    ['a content script on an http page', { ...content, url: 'http://example.com/' }, 'content'],
    ['the popup', popup, 'ui'],
    ['an extension page opened in a tab', uiInTab, 'ui'],
    ['a subframe', { ...content, frameId: 1 }, null],
    ['no frame id', { id: 'abc', url: 'https://overcast.fm/+x', tab: { id: 3 } }, null],
    ['no tab', { id: 'abc', url: 'https://overcast.fm/+x', frameId: 0 }, null],
    ['a tab with no id', { ...content, tab: {} }, null],
    ['a negative tab id (devtools, prerender)', { ...content, tab: { id: -1 } }, null],
    ['another extension', { ...content, id: 'evil' }, null],
    ['another extension’s page', { id: 'evil', url: 'chrome-extension://evil/popup.html' }, null],
    ['our id but a look-alike extension origin', { id: 'abc', url: 'chrome-extension://abcd/x.html' }, null],
    ['no id', { url: 'https://overcast.fm/+x', tab: { id: 3 }, frameId: 0 }, null],
    ['no url', { id: 'abc', tab: { id: 3 }, frameId: 0 }, null],
    ['a file: page', { ...content, url: 'file:///tmp/x.html' }, null],
    ['a data: page', { ...content, url: 'data:text/html,<p>x' }, null],
  ])('%s', (_name, sender, expected) => {
    expect(senderKind(sender, options)).toBe(expected);
  });
});

describe('createRouter', () => {
  let s: ReturnType<typeof setup>;
  beforeEach(() => {
    s = setup();
  });

  it('passes a valid content message to its handler with the sender’s tab', async () => {
    const reply = await s.route({ type: 'episode/detected', payload: { hint } }, content);
    expect(reply).toEqual({ ok: true, value: { episodeId: 'ep_1' } });
    expect(s.handlers['episode/detected']).toHaveBeenCalledTimes(1);
    expect(s.handlers['episode/detected']).toHaveBeenCalledWith({ hint }, { tabId: 3 });
  });

  it('passes playback from a tab with its tab id', async () => {
    const reply = await s.route({ type: 'playback/changed', payload: playback }, content);
    expect(reply).toEqual({ ok: true, value: null });
    expect(s.handlers['playback/changed']).toHaveBeenCalledWith(playback, { tabId: 3 });
  });

  it('passes a UI request without a tab context (even from a UI page open in a tab)', async () => {
    for (const sender of [popup, uiInTab]) {
      const reply = await s.route({ type: 'tab/now-playing', payload: { tabId: 7 } }, sender);
      expect(reply).toEqual({ ok: true, value: null });
    }
    expect(s.handlers['tab/now-playing'].mock.calls).toEqual([
      [{ tabId: 7 }, {}],
      [{ tabId: 7 }, {}],
    ]);
  });

  it('hands the handler the validated (trimmed) payload, not the raw one', async () => {
    await s.route(
      { type: 'episode/detected', payload: { hint: { ...hint, title: '  Episode One \n' } } },
      content,
    );
    expect(s.handlers['episode/detected']).toHaveBeenCalledWith({ hint }, { tabId: 3 });
  });

  it.each<[string, unknown, Sender]>([
    ['a UI page sending episode/detected', { type: 'episode/detected', payload: { hint } }, popup],
    ['a UI page in a tab sending playback/changed', { type: 'playback/changed', payload: playback }, uiInTab],
    ['a content script asking tab/now-playing', { type: 'tab/now-playing', payload: { tabId: 3 } }, content],
    ['a subframe', { type: 'episode/detected', payload: { hint } }, { ...content, frameId: 1 }],
    ['another extension', { type: 'episode/detected', payload: { hint } }, { ...content, id: 'other' }],
    ['another extension’s UI', { type: 'tab/now-playing', payload: { tabId: 3 } }, { ...popup, id: 'other' }],
    [
      'a sender with no url',
      { type: 'episode/detected', payload: { hint } },
      { id: 'abc', tab: { id: 3 }, frameId: 0 },
    ],
    [
      'a sender with no tab',
      { type: 'playback/changed', payload: playback },
      { id: 'abc', url: 'https://a.com/', frameId: 0 },
    ],
  ])('refuses %s as forbidden-sender without calling a handler', async (_name, message, sender) => {
    const reply = await s.route(message, sender);
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect(s.calls()).toBe(0);
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'episode/detected'],
    ['an array', ['episode/detected', { hint }]],
    ['a numeric type', { type: 1, payload: {} }],
    ['no type', { payload: { hint } }],
    ['no payload', { type: 'episode/detected' }],
  ])('refuses a malformed envelope (%s) as invalid-message', async (_name, message) => {
    const reply = await s.route(message, content);
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-message' } });
    expect(s.calls()).toBe(0);
  });

  it.each(['episode/deleted', '', '__proto__', 'toString', 'constructor', 'hasOwnProperty', 'valueOf'])(
    'refuses the unknown type %j as unknown-type',
    async (type) => {
      const reply = await s.route({ type, payload: {} }, content);
      expect(reply).toMatchObject({ ok: false, error: { code: 'unknown-type' } });
      expect(s.calls()).toBe(0);
    },
  );

  it('does not echo a huge unknown type back in full', async () => {
    const reply = await s.route({ type: 'x'.repeat(100_000), payload: {} }, content);
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.message.length).toBeLessThan(200);
  });

  it.each<[string, string, unknown, Sender]>([
    ['no hint', 'episode/detected', {}, content],
    ['a hint plus an extra key', 'episode/detected', { hint, also: 1 }, content],
    [
      'a hint with a javascript: page',
      'episode/detected',
      { hint: { ...hint, pageUrl: 'javascript:alert(1)' } },
      content,
    ],
    ['an oversized title', 'episode/detected', { hint: { ...hint, title: 'x'.repeat(100_000) } }, content],
    [
      'an oversized media URL',
      'episode/detected',
      { hint: { ...hint, mediaUrl: `https://a.com/${'a'.repeat(5000)}` } },
      content,
    ],
    ['an unknown hint key', 'episode/detected', { hint: { ...hint, html: '<b>x</b>' } }, content],
    ['a negative position', 'playback/changed', { ...playback, position: -1 }, content],
    ['a NaN rate', 'playback/changed', { ...playback, rate: Number.NaN }, content],
    ['a fractional tab id', 'tab/now-playing', { tabId: 1.5 }, popup],
    ['a negative tab id', 'tab/now-playing', { tabId: -1 }, popup],
    ['a string tab id', 'tab/now-playing', { tabId: '3' }, popup],
    ['a null payload', 'tab/now-playing', null, popup],
  ])('refuses a payload with %s as invalid-message', async (_name, type, payload, sender) => {
    const reply = await s.route({ type, payload }, sender);
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-message' } });
    if (!reply.ok) expect(reply.error.message.startsWith(`${type}: `)).toBe(true);
    expect(s.calls()).toBe(0);
  });

  it('says which field failed, briefly', async () => {
    const reply = await s.route(
      { type: 'episode/detected', payload: { hint: { ...hint, title: '' } } },
      content,
    );
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.message).toContain('hint.title');
      expect(reply.error.message.length).toBeLessThan(400);
    }
  });

  it('turns a handler’s thrown error into a failed reply with its message', async () => {
    s.handlers['episode/detected'].mockRejectedValueOnce(new Error('database is closed'));
    const reply = await s.route({ type: 'episode/detected', payload: { hint } }, content);
    expect(reply).toEqual({ ok: false, error: { code: 'failed', message: 'database is closed' } });
  });

  it('turns a thrown non-Error into a failed reply too', async () => {
    s.handlers['tab/now-playing'].mockImplementationOnce(() => Promise.reject('gone'));
    const reply = await s.route({ type: 'tab/now-playing', payload: { tabId: 1 } }, popup);
    expect(reply).toEqual({ ok: false, error: { code: 'failed', message: 'gone' } });
  });

  it('turns a handler that throws synchronously into a failed reply', async () => {
    s.handlers['playback/changed'].mockImplementationOnce(() => {
      throw new TypeError('boom');
    });
    const reply = await s.route({ type: 'playback/changed', payload: playback }, content);
    expect(reply).toEqual({ ok: false, error: { code: 'failed', message: 'boom' } });
  });
});

describe('describeIssues', () => {
  it('names the path of at most three issues', () => {
    const schema = v.object({ a: v.string(), b: v.string(), c: v.string(), d: v.string() });
    const result = v.safeParse(schema, { a: 1, b: 2, c: 3, d: 4 });
    expect(result.success).toBe(false);
    if (!result.success) {
      const text = describeIssues(result.issues);
      expect(text.split('; ')).toHaveLength(3);
      expect(text).toMatch(/^a: /);
      expect(text).not.toContain('d: ');
    }
  });
});
