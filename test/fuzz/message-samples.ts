// A valid payload of every message in the contract, for the message fuzz suite to start from:
// to the background (src/messages-background.ts) and to content scripts (src/messages.ts). The
// mapped types make tsc fail when a message is added without its sample here.
import type { BackgroundRequest, BackgroundType, ContentRequest, ContentType } from '../../src/messages';
import { ERASE_CONFIRMATION } from '../../src/messages';

const hint = {
  site: 'generic',
  pageUrl: 'https://overcast.fm/+x',
  title: 'Episode One',
  show: 'A Show',
  durationSeconds: 3600,
  transcripts: [{ url: 'https://example.com/t.vtt', type: 'text/vtt', language: 'en' }],
  ids: { youtube: 'Zz9_yX-wVu8' },
};
const insight = {
  id: 'ins_1',
  text: 'A claim.',
  quote: 'a claim',
  start: 1,
  topics: ['sleep'],
  importance: 3,
};

/** A valid payload of every message to the background (tsc checks that none is missing). */
export const SAMPLES: { [K in BackgroundType]: BackgroundRequest<K> } = {
  'episode/detected': { hint },
  'playback/changed': { position: 12, duration: 3600, paused: false, rate: 1.5, at: 1_700_000_000_000 },
  'transcript/page-captions': {
    videoId: 'Zz9_yX-wVu8',
    status: 'ok',
    track: { languageCode: 'en', name: 'English', kind: 'asr' },
    body: 'WEBVTT\n\n00:00.000 --> 00:01.000\nHello.',
  },
  'transcript/retry': { episodeId: 'ep_1abc' },
  'insights/retry': { episodeId: 'ep_1abc' },
  'settings/get': {},
  'settings/set': {
    engine: 'claude',
    model: 'claude-x.1',
    apiKey: 'sk-ant-0123456789',
    dailyBudgetUsd: 1,
    youtubeAllVideos: true,
    briefTime: '08:30',
    briefNotify: false,
    language: 'de-AT',
    apiBaseUrl: 'https://proxy.example.com',
  },
  'settings/test-key': { apiKey: 'sk-ant-0123456789' },
  'library/save': { insightId: 'ins_1', note: 'Worth it.' },
  'library/unsave': { insightId: 'ins_1' },
  'library/note': { insightId: 'ins_1', note: '' },
  'library/day': { day: '2026-01-02' },
  'library/days': {},
  'library/related': { insightIds: ['ins_1', 'ins_2'], limit: 3 },
  'library/search': { query: 'sleep memory', limit: 10 },
  'library/episodes': { offset: 0, limit: 50 },
  'library/episode': { episodeId: 'ep_1abc' },
  'library/export': {},
  'library/export-day': { day: '2026-01-02' },
  'library/import': { json: '{"format":"earmark-library"}' },
  'library/erase': { confirm: ERASE_CONFIRMATION },
  'library/stats': {},
  'follows/list': {},
  'follows/add': { feedUrl: 'https://feeds.example.com/a.xml' },
  'follows/add-episode': { episodeId: 'ep_1abc' },
  'follows/remove': { feedUrl: 'https://feeds.example.com/a.xml' },
  'follows/import-opml': { text: '<opml><body><outline xmlUrl="https://x.example.com/f"/></body></opml>' },
  'follows/export-opml': {},
  'scan/run': {},
  'brief/get': { day: '2026-01-02' },
  'brief/build': {},
  'brief/days': {},
  'brief/export': { day: '2026-01-02' },
  'cards/follow': {},
  'stt/start': { episodeId: 'ep_1abc' },
  'stt/pause': { episodeId: 'ep_1abc' },
  'stt/resume': { episodeId: 'ep_1abc' },
  'stt/changed': { episodeId: 'ep_1abc', idle: true },
  'stt/delete-model': {},
  'cards/get': {},
  'cards/save': { insightId: 'ins_1', saved: true },
  'tab/now-playing': { tabId: 7 },
};
export const CONTENT_SAMPLES: { [K in ContentType]: ContentRequest<K> } = {
  'player/seek': { time: 12.5 },
  'player/state': {},
  'cards/update': {
    episodeId: 'ep_1abc',
    state: 'ready',
    quiet: false,
    followed: true,
    insights: [{ ...insight, importance: 3, saved: true }],
  },
  'cards/current': {},
};
