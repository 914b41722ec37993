// The isolated world's end of media-bridge-main.ts: media elements a player keeps out of the
// document, seen through the states the page world relays. Each gets a proxy with the parts of
// HTMLMediaElement the detector, the adapters and the cards use (its state, its events, a
// settable currentTime), offered to the detector when it plays. The page can dispatch these
// events too: each detail is checked field by field, numbers are clamped, and proxies are few.

const TYPES = [
  'play',
  'pause',
  'timeupdate',
  'seeked',
  'ratechange',
  'ended',
  'loadedmetadata',
  'durationchange',
  'emptied',
];
const MAX_PROXIES = 8;
/** Playing and no word for this long: the page dropped the element (or put it in the document). */
const SILENCE_MS = 30_000;
/** Past any episode (~115 days): a reading beyond is nonsense, not a position. */
const MAX_SECONDS = 1e7;

/** What a relay says of its element (the proxy's own fields, but for the playhead). */
type State = Pick<HTMLMediaElement, 'duration' | 'paused' | 'ended' | 'playbackRate' | 'currentSrc'>;
type Relay = { id: number; type: string; time: number; state: State };

const clamp = (n: unknown, min: number, max: number, otherwise: number): number =>
  typeof n === 'number' && Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : otherwise;

/** A relayed detail, or null for anything that is not one. */
export function parseRelay(detail: unknown): Relay | null {
  if (typeof detail !== 'string' || detail.length > 8192) return null;
  let x: Record<string, unknown>;
  try {
    x = Object(JSON.parse(detail)) as Record<string, unknown>;
  } catch {
    return null;
  }
  const { id, type, currentSrc: src } = x;
  if (!Number.isSafeInteger(id) || !TYPES.includes(type as string)) return null;
  return {
    id: id as number,
    type: type as string,
    time: clamp(x.currentTime, 0, MAX_SECONDS, 0),
    state: {
      // JSON has no NaN or Infinity: an unknown (or live) duration comes as null.
      duration: clamp(x.duration, 0, MAX_SECONDS, NaN) || NaN,
      paused: x.paused !== false,
      ended: x.ended === true,
      playbackRate: clamp(x.playbackRate, 0, 16, 1),
      currentSrc: typeof src === 'string' && src.length <= 4096 ? src : '',
    },
  };
}

export type MediaBridgeDeps = {
  doc: Document;
  /** Called when a proxy's element plays (the detector's `offer`). */
  offer: (media: HTMLMediaElement) => void;
  now?: () => number;
};

export function startMediaBridge({ doc, offer, now = Date.now }: MediaBridgeDeps): { stop(): void } {
  /** Stands in for a media element of the page world. */
  class MediaProxy extends EventTarget implements State {
    duration = NaN;
    paused = true;
    ended = false;
    playbackRate = 1;
    currentSrc = '';
    /** Emptied, or pushed out by newer proxies. */
    gone = false;
    /** The last reading, and when it was taken or set (ms). */
    time = 0;
    at = 0;
    heard = 0;

    constructor(readonly id: number) {
      super();
    }

    get src(): string {
      return this.currentSrc;
    }

    /** The last reading, advanced by the clock while playing (readings come twice a second). */
    get currentTime(): number {
      const t =
        this.paused || this.ended ? this.time : this.time + ((now() - this.at) / 1000) * this.playbackRate;
      return Math.min(t, this.duration || t);
    }

    set currentTime(time: number) {
      if (!Number.isFinite(time)) return;
      this.time = Math.min(Math.max(0, time), this.duration || MAX_SECONDS);
      this.at = now();
      const detail = JSON.stringify({ id: this.id, time: this.time });
      doc.dispatchEvent(new CustomEvent('earmark:media-seek', { detail }));
    }

    get isConnected(): boolean {
      return !this.gone && (this.paused || this.ended || now() - this.heard < SILENCE_MS);
    }

    // Not used to play: it is there so the proxy passes for a media element.
    play(): Promise<void> {
      return Promise.resolve();
    }

    // What the adapters and the cards may ask of an element: it has no tracks and takes no room.
    querySelectorAll(): Element[] {
      return [];
    }

    getBoundingClientRect(): DOMRect {
      return new DOMRect();
    }
  }

  /** Least recently heard first. */
  const proxies = new Map<number, MediaProxy>();
  const abort = new AbortController();

  doc.addEventListener(
    'earmark:media',
    (event) => {
      const relay = parseRelay((event as CustomEvent).detail);
      if (!relay) return;
      const { id, type } = relay;
      let proxy = proxies.get(id);
      if (!proxy && type === 'emptied') return;
      proxies.delete(id);
      if (!proxy) {
        const [oldest] = proxies.values();
        if (oldest && proxies.size >= MAX_PROXIES) {
          oldest.gone = true;
          proxies.delete(oldest.id);
        }
        proxy = new MediaProxy(id);
      }
      proxies.set(id, proxy);
      Object.assign(proxy, relay.state);
      proxy.time = relay.time;
      proxy.at = proxy.heard = now();
      // A player may empty an element and load the next file into it: it lives again when it plays.
      proxy.gone = type === 'emptied';
      // The detector first, as it hears a real element's `play` before the element's listeners.
      // The proxy passes for an element: the detector and the cards read only what it has.
      if (type === 'play') offer(proxy as unknown as HTMLMediaElement);
      proxy.dispatchEvent(new Event(type));
    },
    { signal: abort.signal },
  );
  // The page world relays what already played before this script started.
  doc.dispatchEvent(new CustomEvent('earmark:media-sync'));

  return { stop: () => abort.abort() };
}
