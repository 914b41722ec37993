// Runs in the page's own world (manifest: "world": "MAIN", at document_start, before the player's
// code) on players that may play through a media element they keep out of the document
// (`new Audio()`). The content script, in its isolated world, finds media through the document's
// events and selectors and never sees such an element. This wraps HTMLMediaElement's play() to
// notice them, relays each one's state to media-bridge.ts as a CustomEvent with a JSON string
// detail (objects do not cross worlds), and applies the seeks it asks for. Elements in the
// document are left alone: the content script sees them itself.
const EVENTS = [
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
/** The content script advances the playhead by the clock in between: a few readings suffice. */
const TIMEUPDATE_MS = 500;

/** Weakly held: a player that drops an element lets it go. */
const elements: WeakRef<HTMLMediaElement>[] = [];
const watched = new WeakSet<HTMLMediaElement>();

function relay(m: HTMLMediaElement, id: number, type: string): void {
  if (m.isConnected) return;
  const { currentTime, duration, paused, ended, playbackRate, currentSrc } = m;
  const detail = JSON.stringify({ id, type, currentTime, duration, paused, ended, playbackRate, currentSrc });
  document.dispatchEvent(new CustomEvent('earmark:media', { detail }));
}

function watch(media: HTMLMediaElement): void {
  const id = elements.push(new WeakRef(media)) - 1;
  watched.add(media);
  let last = -TIMEUPDATE_MS;
  for (const type of EVENTS)
    media.addEventListener(type, () => {
      if (type === 'timeupdate') {
        if (performance.now() - last < TIMEUPDATE_MS) return;
        last = performance.now();
      }
      relay(media, id, type);
    });
}

const play = HTMLMediaElement.prototype.play;
HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
  try {
    if (!this.isConnected && !watched.has(this)) watch(this);
  } catch {
    // Never stand between the player and its play().
  }
  return play.call(this);
};

document.addEventListener('earmark:media-seek', (event) => {
  try {
    const { id, time } = JSON.parse((event as CustomEvent).detail) as { id: unknown; time: unknown };
    const media = typeof id === 'number' ? elements[id]?.deref() : undefined;
    if (media && typeof time === 'number' && Number.isFinite(time) && time >= 0) media.currentTime = time;
  } catch {
    // Not a seek of ours.
  }
});

// The content script starts at document_idle: a player may already be playing by then.
document.addEventListener('earmark:media-sync', () =>
  elements.forEach((ref, id) => {
    const media = ref.deref();
    if (media && !media.paused) relay(media, id, 'play');
  }),
);

// A module to the type checker and the tests (they import it); the build makes it one plain script.
export {};
