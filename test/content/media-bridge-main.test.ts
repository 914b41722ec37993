// @vitest-environment happy-dom
// The page world's end of the media bridge, loaded into a happy-dom document: a media element
// that plays out of the document is relayed (its state, on each of its events, timeupdate at
// most twice a second), and seeks asked for by id move it. Elements in the document are not
// relayed: the content script sees those itself. happy-dom media never plays: events by hand.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { stubMedia } from '../helpers/page';

type Relayed = {
  id: number;
  type: string;
  currentTime: number;
  duration: number | null;
  paused: boolean;
  ended: boolean;
  playbackRate: number;
  currentSrc: string;
};

let relayed: Relayed[] = [];
const onRelay = (event: Event) => relayed.push(JSON.parse((event as CustomEvent).detail as string));
const originalPlay = HTMLMediaElement.prototype.play;

beforeAll(async () => {
  await import('../../src/content/media-bridge-main');
});
beforeEach(() => {
  relayed = [];
  document.body.replaceChildren();
  document.addEventListener('earmark:media', onRelay);
});
afterEach(() => {
  document.removeEventListener('earmark:media', onRelay);
  vi.restoreAllMocks();
});

function detached(src = 'https://cdn.example.com/one.mp3'): HTMLAudioElement {
  const audio = new Audio(src);
  stubMedia(audio, { duration: 3600, currentSrc: src });
  return audio;
}

function seek(detail: unknown): void {
  const text = typeof detail === 'string' ? detail : JSON.stringify(detail);
  document.dispatchEvent(new CustomEvent('earmark:media-seek', { detail: text }));
}

describe('media-bridge-main', () => {
  it('wraps play() and keeps what it does: the original runs, its promise is returned', async () => {
    expect(HTMLMediaElement.prototype.play).not.toBe(originalPlay);
    const audio = detached();
    const result = audio.play();
    expect(result).toBeInstanceOf(Promise);
    await expect(result).resolves.toBeUndefined();
    expect(audio.paused).toBe(false); // the original play() ran
  });

  it('relays a detached element’s state on play and on each of its events', async () => {
    const audio = detached();
    await audio.play();
    expect(relayed).toEqual([
      {
        id: expect.any(Number),
        type: 'play',
        currentTime: 0,
        duration: 3600,
        paused: false,
        ended: false,
        playbackRate: 1,
        currentSrc: 'https://cdn.example.com/one.mp3',
      },
    ]);
    const id = relayed[0]!.id;
    stubMedia(audio, { currentTime: 600 });
    audio.dispatchEvent(new Event('seeked'));
    audio.playbackRate = 2;
    audio.dispatchEvent(new Event('ratechange'));
    audio.pause();
    for (const type of ['ended', 'loadedmetadata', 'durationchange', 'emptied'])
      audio.dispatchEvent(new Event(type));
    audio.dispatchEvent(new Event('click'));
    expect(relayed.map((r) => [r.id, r.type])).toEqual(
      ['play', 'seeked', 'ratechange', 'pause', 'ended', 'loadedmetadata', 'durationchange', 'emptied'].map(
        (type) => [id, type],
      ),
    );
    expect(relayed[2]).toMatchObject({ currentTime: 600, playbackRate: 2, paused: false });
    expect(relayed[3]).toMatchObject({ paused: true });
  });

  it('gives each element its own id, once', async () => {
    const a = detached('https://cdn.example.com/a.mp3');
    const b = detached('https://cdn.example.com/b.mp3');
    await a.play();
    a.pause();
    await a.play();
    await b.play();
    const ids = relayed.filter((r) => r.type === 'play').map((r) => r.id);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
    // Listeners were added once: one relay per event.
    expect(relayed.filter((r) => r.type === 'pause')).toHaveLength(1);
  });

  it('relays timeupdate at most twice a second', async () => {
    let now = 10_000;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const audio = detached();
    await audio.play();
    for (let i = 0; i < 8; i++) {
      audio.dispatchEvent(new Event('timeupdate'));
      now += 250;
    }
    expect(relayed.filter((r) => r.type === 'timeupdate')).toHaveLength(4);
  });

  it('leaves elements in the document alone', async () => {
    const audio = detached();
    document.body.append(audio);
    await audio.play();
    audio.dispatchEvent(new Event('timeupdate'));
    expect(relayed).toEqual([]);
  });

  it('seeks the element whose id it gave, to valid times only', async () => {
    const audio = detached();
    await audio.play();
    const { id } = relayed[0]!;
    seek({ id, time: 1234.5 });
    expect(audio.currentTime).toBe(1234.5);
    for (const bad of [
      { id, time: -1 },
      { id, time: '99' },
      { id, time: null },
      { id: id + 1000, time: 5 },
      { id: String(id), time: 5 },
      { time: 5 },
    ])
      seek(bad);
    seek('{not json');
    seek('null');
    document.dispatchEvent(new CustomEvent('earmark:media-seek'));
    expect(audio.currentTime).toBe(1234.5);
  });

  it('does not seek an element in the document', async () => {
    const audio = detached();
    await audio.play();
    const { id } = relayed[0]!;
    const other = detached();
    document.body.append(other);
    await other.play();
    seek({ id: id + 1, time: 42 });
    expect(other.currentTime).toBe(0);
  });

  it('answers a sync with the detached elements playing', async () => {
    const playing = detached('https://cdn.example.com/playing.mp3');
    const paused = detached('https://cdn.example.com/paused.mp3');
    await playing.play();
    await paused.play();
    paused.pause();
    relayed = [];
    document.dispatchEvent(new CustomEvent('earmark:media-sync'));
    // Elements of the tests before may play on: only these two matter here.
    const mine = relayed.filter((r) => /\/(playing|paused)\.mp3$/.test(r.currentSrc));
    expect(mine.map((r) => [r.type, r.currentSrc])).toEqual([
      ['play', 'https://cdn.example.com/playing.mp3'],
    ]);
  });
});
