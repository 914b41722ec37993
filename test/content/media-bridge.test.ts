// @vitest-environment happy-dom
// The isolated world's end of the media bridge: relayed states become proxies that pass for media
// elements (state, playhead advanced by the clock, events, seeks sent back to the page world).
// The page can dispatch the same events: anything that is not a well-formed relay is ignored.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseRelay, startMediaBridge } from '../../src/content/media-bridge';

const stops: (() => void)[] = [];
let clock = 1_000_000;

type Detail = Record<string, unknown>;
const base = {
  id: 1,
  type: 'play',
  currentTime: 10,
  duration: 3600,
  paused: false,
  ended: false,
  playbackRate: 1,
  currentSrc: 'https://cdn.example.com/one.mp3',
};

function relay(detail: Detail | string): void {
  const text = typeof detail === 'string' ? detail : JSON.stringify({ ...base, ...detail });
  document.dispatchEvent(new CustomEvent('earmark:media', { detail: text }));
}

function start() {
  const offered: HTMLMediaElement[] = [];
  const offer = vi.fn((media: HTMLMediaElement) => {
    offered.push(media);
  });
  const bridge = startMediaBridge({ doc: document, offer, now: () => clock });
  stops.push(bridge.stop);
  return { offer, offered };
}

beforeEach(() => {
  clock = 1_000_000;
});
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

describe('parseRelay', () => {
  it.each<[string, unknown]>([
    ['not a string', { ...base }],
    ['not JSON', '{id:1'],
    ['JSON null', 'null'],
    ['a number', '42'],
    ['an array', '[1,"play"]'],
    ['an unknown type', JSON.stringify({ ...base, type: 'click' })],
    ['a type not a string', JSON.stringify({ ...base, type: ['play'] })],
    ['an id not an integer', JSON.stringify({ ...base, id: 1.5 })],
    ['an id as a string', JSON.stringify({ ...base, id: '1' })],
    ['no id', JSON.stringify({ ...base, id: undefined })],
    ['too long', JSON.stringify({ ...base, currentSrc: 'x'.repeat(9000) })],
  ])('ignores %s', (_what, detail) => {
    expect(parseRelay(detail)).toBeNull();
  });

  it('clamps numbers and defaults what is missing or of the wrong type', () => {
    expect(
      parseRelay(
        JSON.stringify({
          id: 3,
          type: 'timeupdate',
          currentTime: -5,
          duration: null,
          playbackRate: 400,
          currentSrc: 42,
          ended: 'yes',
        }),
      ),
    ).toEqual({
      id: 3,
      type: 'timeupdate',
      time: 0,
      state: { duration: NaN, paused: true, ended: false, playbackRate: 16, currentSrc: '' },
    });
    const clamped = parseRelay(
      JSON.stringify({ ...base, currentTime: 1e300, duration: -1, playbackRate: -2 }),
    );
    expect(clamped).toMatchObject({ time: 1e7, state: { duration: NaN, playbackRate: 0 } });
    const wrong = parseRelay(
      JSON.stringify({ ...base, currentTime: '12', duration: 0, playbackRate: 'fast' }),
    );
    expect(wrong).toMatchObject({ time: 0, state: { duration: NaN, playbackRate: 1 } });
    expect(parseRelay(JSON.stringify(base))).toEqual({
      id: 1,
      type: 'play',
      time: 10,
      state: {
        duration: 3600,
        paused: false,
        ended: false,
        playbackRate: 1,
        currentSrc: 'https://cdn.example.com/one.mp3',
      },
    });
  });
});

describe('startMediaBridge', () => {
  it('asks the page world for what already plays as it starts', () => {
    const sync = vi.fn();
    document.addEventListener('earmark:media-sync', sync);
    start();
    document.removeEventListener('earmark:media-sync', sync);
    expect(sync).toHaveBeenCalledTimes(1);
  });

  it('offers a proxy with the element’s state when it plays, and only then', () => {
    const { offer, offered } = start();
    relay({ type: 'loadedmetadata', paused: true });
    expect(offer).not.toHaveBeenCalled();
    relay({ type: 'play' });
    expect(offer).toHaveBeenCalledTimes(1);
    const proxy = offered[0]!;
    expect(proxy).toBeInstanceOf(EventTarget);
    expect(proxy).toMatchObject({
      currentTime: 10,
      duration: 3600,
      paused: false,
      ended: false,
      playbackRate: 1,
      currentSrc: 'https://cdn.example.com/one.mp3',
      src: 'https://cdn.example.com/one.mp3',
      isConnected: true,
    });
    expect([...proxy.querySelectorAll('track')]).toEqual([]);
    expect(proxy.getBoundingClientRect().width).toBe(0);
    expect(proxy.play()).toBeInstanceOf(Promise);
    // The same element again: the same proxy.
    relay({ type: 'pause', paused: true });
    relay({ type: 'play' });
    expect(offered).toEqual([proxy, proxy]);
  });

  it('ignores garbage and forged details', () => {
    const { offer } = start();
    for (const detail of ['', 'null', '{"id":1,"type":"play"', '{"id":"x","type":"play"}', '[]'])
      relay(detail);
    document.dispatchEvent(new CustomEvent('earmark:media', { detail: { ...base } }));
    document.dispatchEvent(new CustomEvent('earmark:media'));
    relay({ type: 'click' });
    expect(offer).not.toHaveBeenCalled();
  });

  it('dispatches each relayed event on the proxy, after updating its state', () => {
    const { offered } = start();
    relay({ type: 'play' });
    const proxy = offered[0]!;
    const seen: [string, number, boolean][] = [];
    for (const type of ['play', 'pause', 'timeupdate', 'seeked', 'ratechange', 'ended', 'loadedmetadata'])
      proxy.addEventListener(type, () => seen.push([type, proxy.currentTime, proxy.paused]));
    relay({ type: 'timeupdate', currentTime: 11 });
    relay({ type: 'seeked', currentTime: 600 });
    relay({ type: 'ratechange', currentTime: 600, playbackRate: 2 });
    relay({ type: 'pause', currentTime: 601, paused: true });
    relay({ type: 'play', currentTime: 601 });
    relay({ type: 'loadedmetadata', currentTime: 0, duration: 1800 });
    relay({ type: 'ended', currentTime: 1800, duration: 1800, ended: true, paused: true });
    expect(seen).toEqual([
      ['timeupdate', 11, false],
      ['seeked', 600, false],
      ['ratechange', 600, false],
      ['pause', 601, true],
      ['play', 601, false],
      ['loadedmetadata', 0, false],
      ['ended', 1800, true],
    ]);
    expect(proxy.duration).toBe(1800);
  });

  it('advances the playhead by the clock while playing, at the playback rate, up to the end', () => {
    const { offered } = start();
    relay({ type: 'play', currentTime: 100, playbackRate: 1.5, duration: 103 });
    const proxy = offered[0]!;
    clock += 1000;
    expect(proxy.currentTime).toBeCloseTo(101.5);
    clock += 10_000;
    expect(proxy.currentTime).toBe(103);
    relay({ type: 'pause', currentTime: 102, paused: true });
    clock += 5000;
    expect(proxy.currentTime).toBe(102);
  });

  it('sends a seek to the page world and moves its own playhead at once', () => {
    const { offered } = start();
    relay({ id: 7, type: 'play', currentTime: 5 });
    const proxy = offered[0]!;
    const seeks: unknown[] = [];
    const onSeek = (event: Event) => seeks.push(JSON.parse((event as CustomEvent).detail as string));
    document.addEventListener('earmark:media-seek', onSeek);
    proxy.currentTime = 1200;
    proxy.currentTime = -3;
    proxy.currentTime = 9999; // past the end: to the end
    proxy.currentTime = Number.NaN; // not a time: nothing
    document.removeEventListener('earmark:media-seek', onSeek);
    expect(seeks).toEqual([
      { id: 7, time: 1200 },
      { id: 7, time: 0 },
      { id: 7, time: 3600 },
    ]);
    expect(proxy.currentTime).toBe(3600);
  });

  it('is connected until emptied, or silent for long while it plays; it lives again when it plays', () => {
    const { offered } = start();
    relay({ type: 'play' });
    const proxy = offered[0]!;
    relay({ type: 'emptied', paused: true });
    expect(proxy.isConnected).toBe(false);
    relay({ type: 'play' });
    expect(proxy.isConnected).toBe(true);
    clock += 29_000;
    expect(proxy.isConnected).toBe(true);
    clock += 2000;
    expect(proxy.isConnected).toBe(false);
    // Paused, it may say nothing for as long as the user likes.
    relay({ type: 'pause', paused: true });
    clock += 3_600_000;
    expect(proxy.isConnected).toBe(true);
  });

  it('does not make a proxy for an element it only hears emptied', () => {
    const { offered } = start();
    relay({ id: 4, type: 'emptied' });
    relay({ id: 4, type: 'timeupdate' });
    relay({ id: 4, type: 'play' });
    expect(offered).toHaveLength(1);
  });

  it('keeps a few proxies: a flood of ids pushes out the least recently heard', () => {
    const { offered } = start();
    relay({ id: 1, type: 'play' });
    const first = offered[0]!;
    for (let id = 100; id < 107; id++) relay({ id, type: 'play' });
    relay({ id: 1, type: 'timeupdate' }); // heard again: now the most recent
    relay({ id: 200, type: 'play' });
    expect(first.isConnected).toBe(true);
    expect(offered[1]!.isConnected).toBe(false); // id 100, the oldest
    for (let id = 300; id < 400; id++) relay({ id, type: 'play' });
    expect(first.isConnected).toBe(false);
    expect(offered.filter((p) => p.isConnected)).toHaveLength(8);
  });

  it('stops listening when stopped', () => {
    const { offer } = start();
    for (const stop of stops.splice(0)) stop();
    relay({ type: 'play' });
    expect(offer).not.toHaveBeenCalled();
  });
});
