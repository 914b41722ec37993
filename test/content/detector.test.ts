// @vitest-environment happy-dom
// The detector follows the media element the user last started, reports its episode once, and
// reports each change of the player's state. happy-dom media never really plays, so each element's
// state is stubbed and its events dispatched by hand.
import * as v from 'valibot';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  EpisodeHintSchema,
  PlaybackSchema,
  type EpisodeHint,
  type Playback,
} from '../../src/core/episode/hint';
import {
  MIN_EPISODE_SECONDS,
  isEpisodeLike,
  startDetector,
  type Detector,
  type DetectorDeps,
} from '../../src/content/detector';
import { startMediaBridge } from '../../src/content/media-bridge';
import { generic } from '../../src/content/sites/generic';
import type { SiteAdapter } from '../../src/content/sites/types';
import { stubMedia } from '../helpers/page';

const NOW = 1_700_000_000_000;
const detectors: Detector[] = [];

/** Lets pending promise callbacks (report → reportPlayback) run. */
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function audio(src: string, state: Parameters<typeof stubMedia>[1] = {}): HTMLAudioElement {
  const element = document.createElement('audio');
  element.src = src;
  document.body.append(element);
  stubMedia(element, { duration: 3600, currentTime: 0, ...state });
  return element;
}

/** Starts an element and lets the detector read the page (it does so after the event has run). */
async function play(element: HTMLMediaElement, state: Parameters<typeof stubMedia>[1] = {}): Promise<void> {
  stubMedia(element, { paused: false, ended: false, ...state });
  element.dispatchEvent(new Event('play'));
  await flush();
}

function pause(element: HTMLMediaElement): void {
  stubMedia(element, { paused: true });
  element.dispatchEvent(new Event('pause'));
}

/** Starts a detector over the generic adapter; report answers "ep:<media file name>". */
function start(overrides: Partial<DetectorDeps> = {}) {
  const hints: EpisodeHint[] = [];
  const report = vi.fn(async (hint: EpisodeHint) => {
    hints.push(hint);
    return `ep:${hint.mediaUrl?.split('/').pop() ?? hint.title}`;
  });
  const playbacks: Playback[] = [];
  const reportPlayback = vi.fn((playback: Playback) => {
    playbacks.push(playback);
  });
  const onError = vi.fn();
  const deps: DetectorDeps = {
    doc: document,
    adapter: () => generic,
    report,
    reportPlayback,
    onError,
    now: () => NOW,
    ...overrides,
  };
  const detector = startDetector(deps);
  detectors.push(detector);
  return { detector, report: deps.report as typeof report, reportPlayback, onError, hints, playbacks };
}

function ogTitle(content: string): HTMLMetaElement {
  const meta = document.createElement('meta');
  meta.setAttribute('property', 'og:title');
  meta.content = content;
  document.head.append(meta);
  return meta;
}

beforeEach(() => {
  document.head.replaceChildren();
  document.body.replaceChildren();
  document.title = 'Episode One';
});

afterEach(() => {
  for (const detector of detectors.splice(0)) detector.stop();
});

describe('isEpisodeLike', () => {
  it.each<[number, boolean]>([
    [Number.NaN, true], // not loaded yet: give it the benefit of the doubt
    [Number.POSITIVE_INFINITY, true], // a live stream
    [0, true],
    [5, false],
    [MIN_EPISODE_SECONDS - 0.1, false],
    [MIN_EPISODE_SECONDS, true],
    [3600, true],
  ])('duration %s → %s', (duration, expected) => {
    const element = document.createElement('audio');
    stubMedia(element, { duration });
    expect(isEpisodeLike(element)).toBe(expected);
  });
});

describe('startDetector', () => {
  it('reports the episode once when an element plays, then its playback', async () => {
    const { report, reportPlayback, hints, playbacks, detector } = start();
    const a = audio('https://cdn.example.com/one.mp3', { currentTime: 12.5 });
    await play(a);
    expect(report).toHaveBeenCalledTimes(1);
    expect(v.parse(EpisodeHintSchema, hints[0])).toEqual(hints[0]);
    expect(hints[0]).toMatchObject({
      site: 'generic',
      title: 'Episode One',
      mediaUrl: 'https://cdn.example.com/one.mp3',
    });
    expect(reportPlayback).toHaveBeenCalledTimes(1);
    expect(playbacks).toEqual([{ position: 12.5, duration: 3600, paused: false, rate: 1, at: NOW }]);
    expect(detector.state()).toEqual({ episodeId: 'ep:one.mp3', playback: playbacks[0] });
  });

  it('does not report the episode again on pause and play, but reports the playback each time', async () => {
    const { report, playbacks } = start();
    const a = audio('https://cdn.example.com/one.mp3');
    await play(a);
    await flush();
    stubMedia(a, { currentTime: 60 });
    pause(a);
    await play(a, { currentTime: 60 });
    await flush();
    expect(report).toHaveBeenCalledTimes(1);
    expect(playbacks.map((p) => [p.position, p.paused])).toEqual([
      [0, false],
      [60, true],
      [60, false],
    ]);
  });

  it('reports seeks, rate changes and the end of the episode', async () => {
    const { playbacks } = start();
    const a = audio('https://cdn.example.com/one.mp3');
    await play(a);
    await flush();
    stubMedia(a, { currentTime: 600 });
    a.dispatchEvent(new Event('seeked'));
    stubMedia(a, { playbackRate: 40 });
    a.dispatchEvent(new Event('ratechange'));
    stubMedia(a, { currentTime: 3600, ended: true });
    a.dispatchEvent(new Event('ended'));
    expect(playbacks.slice(1)).toEqual([
      { position: 600, duration: 3600, paused: false, rate: 1, at: NOW },
      { position: 600, duration: 3600, paused: false, rate: 16, at: NOW }, // clamped to what the schema allows
      { position: 3600, duration: 3600, paused: true, rate: 16, at: NOW }, // ended counts as paused
    ]);
    for (const p of playbacks) expect(v.safeParse(PlaybackSchema, p).success).toBe(true);
  });

  it('follows the element played last', async () => {
    const { report, detector, hints } = start();
    const a = audio('https://cdn.example.com/a.mp3');
    const b = audio('https://cdn.example.com/b.mp3');
    await play(a);
    await flush();
    expect(detector.state()?.episodeId).toBe('ep:a.mp3');
    pause(a);
    await play(b);
    await flush();
    expect(detector.state()?.episodeId).toBe('ep:b.mp3');
    await play(a);
    await flush();
    expect(detector.state()?.episodeId).toBe('ep:a.mp3');
    expect(hints.map((h) => h.mediaUrl)).toEqual([
      'https://cdn.example.com/a.mp3',
      'https://cdn.example.com/b.mp3',
      'https://cdn.example.com/a.mp3',
    ]);
    expect(report).toHaveBeenCalledTimes(3);
  });

  it('ignores events of elements it does not follow', async () => {
    const { playbacks } = start();
    const a = audio('https://cdn.example.com/a.mp3');
    const b = audio('https://cdn.example.com/b.mp3');
    await play(a);
    await flush();
    const before = playbacks.length;
    pause(b);
    b.dispatchEvent(new Event('seeked'));
    expect(playbacks).toHaveLength(before);
  });

  it('keeps the newest element when an older one’s report answers late', async () => {
    const answers = [deferred<string>(), deferred<string>()];
    let call = 0;
    const { detector, reportPlayback } = start({ report: vi.fn(() => answers[call++]!.promise) });
    const a = audio('https://cdn.example.com/a.mp3');
    const b = audio('https://cdn.example.com/b.mp3');
    await play(a);
    await play(b);
    answers[1]!.resolve('ep:b');
    await flush();
    answers[0]!.resolve('ep:a');
    await flush();
    expect(detector.state()?.episodeId).toBe('ep:b');
    expect(reportPlayback).toHaveBeenCalledTimes(1);
  });

  it('reports only the last of several elements started in one go', async () => {
    const { report, hints } = start();
    const a = audio('https://cdn.example.com/a.mp3');
    const b = audio('https://cdn.example.com/b.mp3');
    stubMedia(a, { paused: false });
    a.dispatchEvent(new Event('play'));
    stubMedia(b, { paused: false });
    b.dispatchEvent(new Event('play'));
    await flush();
    expect(report).toHaveBeenCalledTimes(1);
    expect(hints[0]?.mediaUrl).toBe('https://cdn.example.com/b.mp3');
  });

  it('reads the page after the player’s own play handler has set its metadata', async () => {
    const { hints } = start();
    const a = audio('https://cdn.example.com/a.mp3');
    // Players set Media Session metadata (here: the title) in their own `play` listener.
    a.addEventListener('play', () => {
      document.title = 'Set by the player';
    });
    await play(a);
    expect(hints.map((h) => h.title)).toEqual(['Set by the player']);
  });

  it('ignores a short clip (an ad, a sound effect) and keeps following the episode', async () => {
    const { report, detector } = start();
    const ad = audio('https://ads.example.com/ad.mp3', { duration: MIN_EPISODE_SECONDS - 1 });
    await play(ad);
    expect(report).not.toHaveBeenCalled();
    const a = audio('https://cdn.example.com/a.mp3');
    await play(a);
    await flush();
    await play(ad);
    await flush();
    expect(report).toHaveBeenCalledTimes(1);
    expect(detector.state()?.episodeId).toBe('ep:a.mp3');
  });

  it('picks up media already playing when it starts: the longest one', async () => {
    audio('https://cdn.example.com/trailer.mp3', { paused: false, duration: 600 });
    audio('https://cdn.example.com/episode.mp3', { paused: false, duration: 5400 });
    audio('https://cdn.example.com/paused.mp3', { paused: true, duration: 9000 });
    audio('https://cdn.example.com/done.mp3', { paused: false, ended: true, duration: 8000 });
    audio('https://ads.example.com/jingle.mp3', { paused: false, duration: 10 });
    const { report, hints, detector } = start();
    expect(report).toHaveBeenCalledTimes(1);
    expect(hints[0]?.mediaUrl).toBe('https://cdn.example.com/episode.mp3');
    await flush();
    expect(detector.state()?.episodeId).toBe('ep:episode.mp3');
  });

  it('reports nothing at start when nothing plays', () => {
    audio('https://cdn.example.com/a.mp3', { paused: true });
    const { report, detector } = start();
    expect(report).not.toHaveBeenCalled();
    expect(detector.state()).toBeNull();
  });

  it('reports the new episode after SPA navigation changes the page while playing', async () => {
    document.title = 'Player';
    const meta = ogTitle('Episode One');
    const { report, hints, detector } = start();
    const a = audio('https://cdn.example.com/stream');
    await play(a);
    await flush();
    // Nothing changed: refresh reports nothing new.
    detector.refresh();
    expect(report).toHaveBeenCalledTimes(1);

    document.title = 'Player – Episode Two';
    meta.content = 'Episode Two';
    detector.refresh();
    expect(report).toHaveBeenCalledTimes(2);
    expect(hints.map((h) => h.title)).toEqual(['Episode One', 'Episode Two']);
  });

  it('does not re-read the page on navigation while paused', async () => {
    const { report, detector } = start();
    const a = audio('https://cdn.example.com/a.mp3');
    await play(a);
    await flush();
    pause(a);
    document.title = 'Another page';
    detector.refresh();
    expect(report).toHaveBeenCalledTimes(1);
  });

  it('does not make a new episode when the duration becomes known', async () => {
    const { report, playbacks } = start();
    const a = audio('https://cdn.example.com/a.mp3', { duration: Number.NaN });
    await play(a);
    await flush();
    stubMedia(a, { duration: 3601.25 });
    a.dispatchEvent(new Event('loadedmetadata'));
    expect(report).toHaveBeenCalledTimes(1);
    expect(playbacks.at(-1)?.duration).toBe(3601.25);
  });

  it('reports the next episode when the same element moves on to a new file (autoplay)', async () => {
    const { report, hints, detector } = start();
    const a = audio('https://cdn.example.com/one.mp3');
    await play(a);
    await flush();
    a.src = 'https://cdn.example.com/two.mp3';
    a.dispatchEvent(new Event('loadedmetadata'));
    await flush();
    expect(report).toHaveBeenCalledTimes(2);
    expect(hints[1]?.mediaUrl).toBe('https://cdn.example.com/two.mp3');
    expect(detector.state()?.episodeId).toBe('ep:two.mp3');
  });

  it('tells onError when the report fails, and tries again on the next play', async () => {
    const report = vi
      .fn<(hint: EpisodeHint) => Promise<string>>()
      .mockRejectedValueOnce(new Error('background asleep'))
      .mockResolvedValueOnce('ep:1');
    const { onError, detector } = start({ report });
    const a = audio('https://cdn.example.com/a.mp3');
    await play(a);
    await flush();
    expect(onError).toHaveBeenCalledWith(new Error('background asleep'));
    expect(detector.state()).toBeNull();
    pause(a);
    await play(a);
    await flush();
    expect(report).toHaveBeenCalledTimes(2);
    expect(detector.state()?.episodeId).toBe('ep:1');
  });

  it('tells onError when the adapter throws, and reports nothing', async () => {
    const broken: SiteAdapter = {
      id: 'broken',
      matches: [],
      detect: () => {
        throw new Error('layout changed');
      },
    };
    const { report, onError } = start({ adapter: () => broken });
    await play(audio('https://cdn.example.com/a.mp3'));
    expect(report).not.toHaveBeenCalled();
    expect(onError).toHaveBeenCalledWith(new Error('layout changed'));
  });

  it('reports nothing for media the adapter says is not an episode', async () => {
    const none: SiteAdapter = { id: 'none', matches: [], detect: () => null };
    const { report, detector } = start({ adapter: () => none });
    await play(audio('https://cdn.example.com/a.mp3'));
    expect(report).not.toHaveBeenCalled();
    expect(detector.state()).toBeNull();
  });

  // The user switches to an element the adapter does not recognise while the previous element's
  // report is pending: the late answer must not pair episode A with element B's playhead.
  it('does not pair an old episode with a new element’s playhead', async () => {
    const answer = deferred<string>();
    const adapter: SiteAdapter = {
      id: 'picky',
      matches: [],
      detect: ({ media }) =>
        media.currentSrc.endsWith('a.mp3')
          ? { site: 'picky', pageUrl: 'https://example.com/', title: 'A' }
          : null,
    };
    const { detector } = start({ adapter: () => adapter, report: vi.fn(() => answer.promise) });
    const a = audio('https://cdn.example.com/a.mp3', { currentTime: 100 });
    const b = audio('https://cdn.example.com/b.mp3', { currentTime: 5 });
    await play(a);
    await play(b);
    answer.resolve('ep:a');
    await flush();
    // Either nothing (B is not an episode) or episode A with A's own playhead: never A with B's.
    const state = detector.state();
    expect([null, 100]).toContain(state && state.playback.position);
  });

  // Some MSE players set a huge finite duration for streams: the reading leaves it out rather
  // than be refused by PlaybackSchema.
  it('sends only playback readings the background accepts, even for a huge duration', async () => {
    const { playbacks } = start();
    await play(audio('https://cdn.example.com/stream', { duration: 1e9, currentTime: 30 }));
    await flush();
    expect(playbacks).toHaveLength(1);
    expect(v.safeParse(PlaybackSchema, playbacks[0]).success).toBe(true);
  });

  it('says nothing of the tab before the report answers, and the episode and playhead after', async () => {
    const answer = deferred<string>();
    const { detector } = start({ report: vi.fn(() => answer.promise) });
    const a = audio('https://cdn.example.com/a.mp3', { currentTime: 42 });
    expect(detector.state()).toBeNull();
    await play(a);
    expect(detector.state()).toBeNull();
    answer.resolve('ep:a');
    await flush();
    expect(detector.state()).toEqual({
      episodeId: 'ep:a',
      playback: { position: 42, duration: 3600, paused: false, rate: 1, at: NOW },
    });
    // The playhead is read live, not from the last report.
    stubMedia(a, { currentTime: 43 });
    expect(detector.state()?.playback.position).toBe(43);
  });

  it('says nothing once the element has left the page', async () => {
    const { detector } = start();
    const a = audio('https://cdn.example.com/a.mp3');
    await play(a);
    await flush();
    a.remove();
    expect(detector.state()).toBeNull();
    expect(detector.seek(10)).toBeNull();
  });

  it('stops listening after stop(): later plays report nothing, a pending answer is dropped', async () => {
    const answer = deferred<string>();
    const report = vi.fn(() => answer.promise);
    const { detector, reportPlayback } = start({ report });
    const a = audio('https://cdn.example.com/a.mp3');
    await play(a);
    detector.stop();
    answer.resolve('ep:a');
    await flush();
    expect(detector.state()).toBeNull();
    await play(a);
    await play(audio('https://cdn.example.com/b.mp3'));
    pause(a);
    await flush();
    expect(report).toHaveBeenCalledTimes(1);
    expect(reportPlayback).not.toHaveBeenCalled();
  });

  it.each<[string, number, number]>([
    ['within the episode', 125.5, 125.5],
    ['before the start', -30, 0],
    ['past the end', 99_999, 3600],
  ])('seeks %s, clamped to [0, duration]', async (_name, time, expected) => {
    const { detector } = start();
    const a = audio('https://cdn.example.com/a.mp3', { currentTime: 10 });
    await play(a);
    await flush();
    expect(detector.seek(time)).toBe(expected);
    expect(a.currentTime).toBe(expected);
  });

  it('seeks without an upper bound while the duration is unknown', async () => {
    const { detector } = start();
    const a = audio('https://cdn.example.com/live', { duration: Number.NaN });
    await play(a);
    await flush();
    expect(detector.seek(5000)).toBe(5000);
  });

  it('cannot seek before anything played', () => {
    const { detector } = start();
    audio('https://cdn.example.com/a.mp3');
    expect(detector.seek(10)).toBeNull();
  });
});

// The inline cards follow onEpisode: told the episode and its element once the background knows
// it, told null as soon as what plays is no longer that episode.
describe('onEpisode', () => {
  function follow(overrides: Partial<DetectorDeps> = {}) {
    const told: ({ episodeId: string; media: string } | null)[] = [];
    const started = start({
      onEpisode: (episode) =>
        told.push(episode && { episodeId: episode.episodeId, media: episode.media.currentSrc }),
      ...overrides,
    });
    return { ...started, told };
  }

  it('tells the episode and its element once reported, and once only', async () => {
    const { told } = follow();
    const a = audio('https://cdn.example.com/a.mp3');
    stubMedia(a, { currentSrc: a.src });
    await play(a);
    pause(a);
    await play(a);
    expect(told).toEqual([{ episodeId: 'ep:a.mp3', media: 'https://cdn.example.com/a.mp3' }]);
  });

  it('tells null when another element plays, then the new episode', async () => {
    const { told } = follow();
    await play(audio('https://cdn.example.com/a.mp3'));
    await play(audio('https://cdn.example.com/b.mp3'));
    expect(told.map((t) => t?.episodeId ?? null)).toEqual(['ep:a.mp3', null, 'ep:b.mp3']);
  });

  it('tells null at once when the page moves on to another episode, before the answer', async () => {
    const answers = [deferred<string>(), deferred<string>()];
    let call = 0;
    const { told, detector } = follow({ report: vi.fn(() => answers[call++]!.promise) });
    const meta = ogTitle('Episode One');
    await play(audio('https://cdn.example.com/stream'));
    answers[0]!.resolve('ep:1');
    await flush();
    meta.content = 'Episode Two';
    detector.refresh();
    expect(told.map((t) => t?.episodeId ?? null)).toEqual(['ep:1', null]);
    answers[1]!.resolve('ep:2');
    await flush();
    expect(told.map((t) => t?.episodeId ?? null)).toEqual(['ep:1', null, 'ep:2']);
  });

  it('tells null while the element plays something that is not an episode, and the episode again after', async () => {
    let ad = false;
    const adapter: SiteAdapter = { ...generic, detect: (ctx) => (ad ? null : generic.detect(ctx)) };
    const { told, report } = follow({ adapter: () => adapter });
    const a = audio('https://cdn.example.com/a.mp3');
    await play(a);
    ad = true;
    a.dispatchEvent(new Event('loadedmetadata'));
    ad = false;
    a.dispatchEvent(new Event('loadedmetadata'));
    expect(told.map((t) => t?.episodeId ?? null)).toEqual(['ep:a.mp3', null, 'ep:a.mp3']);
    expect(report).toHaveBeenCalledTimes(1);
  });

  it('tells null when navigation takes the element away, and when stopped', async () => {
    const { told, detector } = follow();
    const a = audio('https://cdn.example.com/a.mp3');
    await play(a);
    a.remove();
    detector.refresh();
    expect(told.map((t) => t?.episodeId ?? null)).toEqual(['ep:a.mp3', null]);
    expect(detector.state()).toBeNull();
    const b = audio('https://cdn.example.com/b.mp3');
    await play(b);
    detector.stop();
    expect(told.map((t) => t?.episodeId ?? null)).toEqual(['ep:a.mp3', null, 'ep:b.mp3', null]);
  });

  it('tells nothing when nothing plays', () => {
    audio('https://cdn.example.com/a.mp3', { paused: true });
    const { told } = follow();
    expect(told).toEqual([]);
  });
});

// Media a player keeps out of the document is seen through the media bridge: the detector follows
// the proxy the bridge offers as it would the element, listening on the proxy itself.
describe('media out of the document (the media bridge’s proxies)', () => {
  const relayed = {
    id: 1,
    type: 'play',
    currentTime: 12,
    duration: 3600,
    paused: false,
    ended: false,
    playbackRate: 1,
    currentSrc: 'https://cdn.example.com/detached.mp3',
  };
  let bridges: { stop(): void }[] = [];
  afterEach(() => {
    for (const bridge of bridges.splice(0)) bridge.stop();
  });

  function relay(detail: Partial<typeof relayed>): void {
    const text = JSON.stringify({ ...relayed, ...detail });
    document.dispatchEvent(new CustomEvent('earmark:media', { detail: text }));
  }

  function withBridge(overrides: Partial<DetectorDeps> = {}) {
    const media: unknown[] = [];
    const started = start({ onEpisode: (episode) => media.push(episode?.media ?? null), ...overrides });
    bridges = [startMediaBridge({ doc: document, offer: (m) => started.detector.offer(m), now: () => NOW })];
    return { ...started, media };
  }

  it('reports the episode a proxy plays and follows its state', async () => {
    const { detector, hints, playbacks, media } = withBridge();
    relay({ type: 'play' });
    await flush();
    expect(hints.map((h) => h.mediaUrl)).toEqual(['https://cdn.example.com/detached.mp3']);
    expect(detector.state()).toEqual({
      episodeId: 'ep:detached.mp3',
      playback: { position: 12, duration: 3600, paused: false, rate: 1, at: NOW },
    });
    expect(media).toHaveLength(1);
    expect(media[0]).not.toBeInstanceOf(Node);

    relay({ type: 'seeked', currentTime: 600 });
    relay({ type: 'ratechange', currentTime: 600, playbackRate: 1.5 });
    relay({ type: 'pause', currentTime: 601, paused: true, playbackRate: 1.5 });
    expect(playbacks.slice(1).map((p) => [p.position, p.paused, p.rate])).toEqual([
      [600, false, 1],
      [600, false, 1.5],
      [601, true, 1.5],
    ]);
  });

  it('seeks the proxy, which asks the page world to seek its element', async () => {
    const { detector } = withBridge();
    relay({ id: 9, type: 'play' });
    await flush();
    const seeks: unknown[] = [];
    const onSeek = (event: Event) => seeks.push(JSON.parse((event as CustomEvent).detail as string));
    document.addEventListener('earmark:media-seek', onSeek);
    expect(detector.seek(99_999)).toBe(3600);
    expect(detector.seek(125)).toBe(125);
    document.removeEventListener('earmark:media-seek', onSeek);
    expect(seeks).toEqual([
      { id: 9, time: 3600 },
      { id: 9, time: 125 },
    ]);
  });

  it('reports the next file the element moves on to', async () => {
    const { report, detector } = withBridge();
    relay({ type: 'play' });
    await flush();
    relay({ type: 'loadedmetadata', currentTime: 0, currentSrc: 'https://cdn.example.com/next.mp3' });
    await flush();
    expect(report).toHaveBeenCalledTimes(2);
    expect(detector.state()?.episodeId).toBe('ep:next.mp3');
  });

  it('lets go of an emptied proxy on navigation, and of a proxy when a real element plays', async () => {
    const { detector, playbacks } = withBridge();
    relay({ type: 'play' });
    await flush();
    relay({ type: 'emptied', paused: true });
    expect(detector.state()).toBeNull();
    detector.refresh();
    relay({ type: 'play' }); // the same element plays again: followed again
    await flush();
    expect(detector.state()?.episodeId).toBe('ep:detached.mp3');

    await play(audio('https://cdn.example.com/real.mp3'));
    expect(detector.state()?.episodeId).toBe('ep:real.mp3');
    const before = playbacks.length;
    relay({ type: 'seeked', currentTime: 50 }); // the proxy is no longer followed
    expect(playbacks).toHaveLength(before);
  });

  it('ignores a short clip played out of the document, and offers after stop()', async () => {
    const { report, detector } = withBridge();
    relay({ type: 'play', duration: 12 });
    await flush();
    expect(report).not.toHaveBeenCalled();
    detector.stop();
    relay({ id: 2, type: 'play' });
    await flush();
    expect(report).not.toHaveBeenCalled();
  });
});
