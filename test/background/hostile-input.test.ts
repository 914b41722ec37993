// Forged messages at the background's doors, with the contract's real schemas: every message a UI
// page may send, well formed, sent by a content script (a page's tab) or by anything that is not
// one of Earmark's own pages, is refused as forbidden-sender and reaches no handler; the popup's
// port refuses the same senders. (The same payloads from the popup do reach their handlers, so
// each refusal here is the sender check's doing, not the schema's.) And the request rules that
// keep the worker off private networks, redirects included, block what the fetch guard refuses.
import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import type { Runtime } from 'webextension-polyfill';
import { createRouter, type Handlers, type Sender } from '../../src/background/router';
import { acceptPort } from '../../src/background/ports';
import { blockPrivateNetworks } from '../../src/background/private-network';
import { PRIVATE_URLS } from '../../src/core/net/private-urls';
import { checkPublicHttpUrl } from '../../src/core/net/url-policy';
import { toBackground } from '../../src/messages-background';
import { ERASE_CONFIRMATION, POPUP_PORT, type BackgroundType } from '../../src/messages';

const dnr = vi.hoisted(() => ({ updateSessionRules: vi.fn(async (_options: unknown) => {}) }));
vi.mock('webextension-polyfill', () => ({ default: { declarativeNetRequest: dnr } }));

const ID = 'earmarkextensionidaaaaaaaaaaaaaa';
const ORIGIN = `chrome-extension://${ID}/`;
const options = { extensionId: ID, extensionOrigin: ORIGIN };

const popup: Sender = { id: ID, url: `${ORIGIN}src/ui/popup/index.html?tab=4` };
const contentScript: Sender = { id: ID, url: 'https://overcast.fm/+evil', tab: { id: 4 }, frameId: 0 };

/** A payload each UI-only message's schema accepts. */
const validUi: Record<string, unknown> = {
  'transcript/retry': { episodeId: 'ep_abc' },
  'insights/retry': { episodeId: 'ep_abc' },
  'settings/get': {},
  'settings/set': {
    engine: 'claude',
    apiKey: 'sk-ant-attacker-key-0000',
    apiBaseUrl: 'https://evil.example',
  },
  'settings/test-key': { apiKey: 'sk-ant-attacker-key-0000' },
  'library/save': { insightId: 'ins_abc', note: 'forged' },
  'library/unsave': { insightId: 'ins_abc' },
  'library/note': { insightId: 'ins_abc', note: 'forged' },
  'library/day': { day: '2026-11-29' },
  'library/days': {},
  'library/related': { insightIds: ['ins_abc'] },
  'library/search': { query: 'key' },
  'library/episodes': { offset: 0, limit: 50 },
  'library/episode': { episodeId: 'ep_abc' },
  'library/export': {},
  'library/export-day': { day: '2026-11-29' },
  'library/import': { json: '{"format":"earmark-library","version":1}' },
  'library/erase': { confirm: ERASE_CONFIRMATION },
  'library/stats': {},
  'follows/list': {},
  'follows/add': { feedUrl: 'https://feeds.example.org/show.xml' },
  'follows/add-episode': { episodeId: 'ep_abc' },
  'follows/remove': { feedUrl: 'https://feeds.example.org/show.xml' },
  'follows/import-opml': { text: '<opml version="2.0"><body/></opml>' },
  'follows/export-opml': {},
  'scan/run': {},
  'brief/get': { day: '2026-11-29' },
  'brief/build': {},
  'brief/days': {},
  'brief/export': { day: '2026-11-29' },
  'stt/start': { episodeId: 'ep_abc' },
  'stt/pause': { episodeId: 'ep_abc' },
  'stt/resume': { episodeId: 'ep_abc' },
  'stt/changed': { episodeId: 'ep_abc', idle: true },
  'stt/delete-model': {},
  'tab/now-playing': { tabId: 9 },
};

const types = Object.keys(toBackground) as BackgroundType[];
const uiTypes = types.filter((t) => toBackground[t].from === 'ui');

/** Senders that are not Earmark's own extension pages. */
const notOurPages: [string, Sender][] = [
  ['a content script in a page’s top frame', contentScript],
  ['a content script on a plain http page', { ...contentScript, url: 'http://10.0.0.1/admin' }],
  ['a content script in a subframe', { ...contentScript, frameId: 3 }],
  ['a web page (no extension id)', { url: 'https://evil.example/', tab: { id: 4 }, frameId: 0 }],
  ['a web page claiming our id, outside any tab', { id: ID, url: 'https://evil.example/' }],
  ['another extension’s page', { id: 'otherextension', url: 'chrome-extension://otherextension/p.html' }],
  [
    'another extension claiming our origin',
    { id: 'otherextension', url: `${ORIGIN}src/ui/popup/index.html` },
  ],
  ['a look-alike extension origin', { id: ID, url: `chrome-extension://${ID}x/src/ui/popup/index.html` }],
  [
    'our origin without its slash, as a host prefix',
    { id: ID, url: `chrome-extension://${ID}.evil.example/` },
  ],
  ['a blob: document of our origin', { id: ID, url: `blob:${ORIGIN}0b7c1d2e-0000-4000-8000-000000000000` }],
  ['a data: document', { id: ID, url: 'data:text/html,<script>chrome.runtime.sendMessage()</script>' }],
  ['about:blank', { id: ID, url: 'about:blank', tab: { id: 4 }, frameId: 0 }],
  ['a sender with no url', { id: ID }],
];

function setup() {
  const handlers = Object.fromEntries(types.map((t) => [t, vi.fn(async () => null)])) as unknown as Handlers &
    Record<BackgroundType, Mock>;
  const route = createRouter(handlers, options);
  const calls = () => types.reduce((n, t) => n + handlers[t].mock.calls.length, 0);
  return { handlers, route, calls };
}

describe('UI-only messages from anything but Earmark’s own pages', () => {
  let s: ReturnType<typeof setup>;
  beforeEach(() => {
    s = setup();
  });

  it('has a valid payload here for every UI-only message of the contract', () => {
    expect(Object.keys(validUi).sort()).toEqual([...uiTypes].sort());
  });

  it('reach their handlers from the popup (the payloads are valid)', async () => {
    for (const type of uiTypes) {
      const reply = await s.route({ type, payload: validUi[type] }, popup);
      expect(reply, type).toEqual({ ok: true, value: null });
      expect(s.handlers[type], type).toHaveBeenCalledTimes(1);
    }
  });

  it.each(notOurPages)('are refused from %s, every one, without a handler called', async (_name, sender) => {
    for (const type of uiTypes) {
      const reply = await s.route({ type, payload: validUi[type] }, sender);
      expect(reply, type).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    }
    expect(s.calls()).toBe(0);
  });

  it('are refused from a content script however the envelope is dressed up', async () => {
    const dressed = [
      { type: 'settings/get', payload: {}, from: 'ui' },
      { type: 'settings/get', payload: {}, sender: popup },
      Object.assign(Object.create({ from: 'ui' }) as object, { type: 'settings/get', payload: {} }),
      { type: 'library/export', payload: {}, __proto__: { from: 'ui' } },
    ];
    for (const message of dressed) {
      const reply = await s.route(message, contentScript);
      expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    }
    expect(s.calls()).toBe(0);
  });
});

describe('content-only messages from an extension page', () => {
  it('are refused too: a UI page cannot pose as a tab', async () => {
    const s = setup();
    const hint = { site: 'generic', pageUrl: 'https://overcast.fm/+x', title: 'Forged' };
    const playback = { position: 1, paused: false, rate: 1, at: 1 };
    const contentPayloads: Record<string, unknown> = {
      'episode/detected': { hint },
      'playback/changed': playback,
      'transcript/page-captions': { videoId: 'aaaaaaaaaaa', status: 'ok', body: '{}' },
      'cards/follow': {},
      'cards/get': {},
      'cards/save': { insightId: 'ins_abc', saved: true },
    };
    const contentTypes = types.filter((t) => toBackground[t].from === 'content');
    expect(Object.keys(contentPayloads).sort()).toEqual([...contentTypes].sort());
    for (const type of contentTypes) {
      const reply = await s.route({ type, payload: contentPayloads[type] }, popup);
      expect(reply, type).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    }
    expect(s.calls()).toBe(0);
    // …and each of them does pass from a content script.
    for (const type of contentTypes) await s.route({ type, payload: contentPayloads[type] }, contentScript);
    expect(s.calls()).toBe(contentTypes.length);
  });
});

/** A runtime.Port as acceptPort sees it, recording what is done to it. */
function fakePort(name: string, sender: Sender) {
  const listeners: ((message: unknown) => void)[] = [];
  const port = {
    name,
    sender,
    disconnected: false,
    posted: [] as unknown[],
    disconnect() {
      port.disconnected = true;
    },
    postMessage(message: unknown) {
      port.posted.push(message);
    },
    onMessage: { addListener: (l: (message: unknown) => void) => listeners.push(l) },
    onDisconnect: { addListener: () => {} },
    send: async (message: unknown) => {
      for (const l of listeners) l(message);
      await new Promise((r) => setTimeout(r, 0));
    },
  };
  return port;
}

// runtime.onConnect hears only Earmark's own contexts (other extensions connect through
// onConnectExternal), so a sender with another id and our origin cannot reach the port.
const portSenders = notOurPages.filter(([, sender]) => !(sender.id !== ID && sender.url?.startsWith(ORIGIN)));

describe('the popup’s port', () => {
  it.each(portSenders)('is closed at once for %s, and tells it nothing', async (_name, sender) => {
    const current = vi.fn(async () => null);
    const port = fakePort(POPUP_PORT, sender);
    acceptPort(port as unknown as Runtime.Port, ORIGIN, current);
    await port.send({ type: 'subscribe', tabId: 9 });
    expect(port.disconnected).toBe(true);
    expect(port.posted).toEqual([]);
    expect(current).not.toHaveBeenCalled();
  });

  it('answers the popup itself (so the refusals above are the sender check’s)', async () => {
    const current = vi.fn(async () => null);
    const port = fakePort(POPUP_PORT, popup);
    acceptPort(port as unknown as Runtime.Port, ORIGIN, current);
    await port.send({ type: 'subscribe', tabId: 9 });
    expect(port.disconnected).toBe(false);
    expect(port.posted).toEqual([{ type: 'now-playing', tabId: 9, value: null }]);
  });
});

describe('the request rules against private networks', () => {
  // DNR matches the URL as the browser has normalised it (what `new URL` gives), case-insensitively.
  const blocked = (raw: string) => PRIVATE_URLS.some((p) => new RegExp(p, 'i').test(new URL(raw).href));

  it.each([
    'http://127.0.0.1:8080/feed.xml',
    'http://127.1/x',
    'http://2130706433/x',
    'http://0x7f000001/x',
    'http://0.0.0.0/',
    'http://10.0.0.1/t.vtt',
    'http://100.64.0.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://172.16.0.1/',
    'http://172.31.255.255/',
    'http://192.168.1.1/reboot.cgi',
    'http://192.0.2.1/',
    'http://198.18.0.1/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'http://[::1]:8080/',
    'http://[::]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://[fc00::1]/',
    'http://[fd12:3456::1]/',
    'http://[fe80::1]/',
    'http://[ff02::1]/',
    'http://[64:ff9b::a00:1]/',
    'http://localhost/',
    'http://LOCALHOST:3000/x',
    'http://earmark.localhost/',
    'http://router/',
    'http://printer.local/',
    'http://nas.lan./',
    'http://wiki.corp/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://host.home.arpa/',
    'http://user:secret@127.0.0.1/',
    'https://10.1.2.3:8443/feed?x=1',
    'http://10.0.0.1',
  ])('blocks %s, which the fetch guard refuses too', (url) => {
    expect(checkPublicHttpUrl(url).ok).toBe(false);
    expect(blocked(url)).toBe(true);
  });

  it.each([
    'https://feeds.buzzsprout.com/123.rss',
    'https://overcast.fm/+abc',
    'https://api.anthropic.com/v1/messages',
    'http://8.8.8.8/',
    'http://11.0.0.1/',
    'http://172.32.0.1/',
    'http://192.169.1.1/',
    'http://169.255.0.1/',
    'http://100.128.0.1/',
    'http://[2606:4700::1111]/',
    'https://local.example.com/feed',
    'https://localhost.example.com/',
    'https://my-internal-podcast.com/feed.xml',
    'https://example.com/path/127.0.0.1/x',
    'https://example.com/?u=http://127.0.0.1/',
    'https://example.com/#@127.0.0.1',
  ])('lets %s through, which the fetch guard lets through too', (url) => {
    expect(checkPublicHttpUrl(url).ok).toBe(true);
    expect(blocked(url)).toBe(false);
  });
});

describe('blockPrivateNetworks', () => {
  type Options = {
    removeRuleIds: number[];
    addRules: { id: number; action: { type: string }; condition: Record<string, unknown> }[];
  };
  const installed = () => dnr.updateSessionRules.mock.calls.at(-1)![0] as Options;

  it('blocks every private pattern for requests outside tabs, replacing what was there', async () => {
    await blockPrivateNetworks();
    const { removeRuleIds, addRules } = installed();
    expect(addRules.map((r) => r.condition.regexFilter)).toEqual(PRIVATE_URLS);
    expect(removeRuleIds).toEqual(addRules.map((r) => r.id));
    for (const rule of addRules) {
      expect(rule.action).toEqual({ type: 'block' });
      expect(rule.condition.tabIds).toEqual([-1]);
      expect(rule.condition).not.toHaveProperty('excludedRequestDomains');
    }
  });

  it('leaves the Messages API address the user set reachable (a local proxy)', async () => {
    await blockPrivateNetworks('http://localhost:4000/anthropic');
    for (const rule of installed().addRules)
      expect(rule.condition.excludedRequestDomains).toEqual(['localhost']);
    await blockPrivateNetworks('http://[::1]:4000');
    for (const rule of installed().addRules) expect(rule.condition.excludedRequestDomains).toEqual(['::1']);
  });
});
