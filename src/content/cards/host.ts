// The element the cards live in, and where it goes. A custom element (no definition needed) with
// every page style reset inline (`all: initial !important` beats the page's own !important rules),
// holding a shadow root with our CSS and the Preact root.
//
// Placement, kept simple:
// 1. The site adapter's `mount(doc)` anchor, when it gives one that is displayed: the cards go right
//    after it, in the page's flow (below the player on the sites that have one).
// 2. Else a fixed corner, bottom-right, at most 360px wide, above everything; but when that corner
//    would cover the bottom of the playing element (where players put their controls), top-right.
//    This is checked each time the cards change: no scroll or resize listener, no observer.
import { CSS, hostStyle } from './style';

export type Place = 'inline' | 'top' | 'bottom';

export type Host = {
  element: HTMLElement;
  /** Where Preact renders. */
  app: HTMLElement;
  place: Place;
  /** The page's own background, when it is clearly dark or light (read again at each change). */
  theme: 'dark' | 'light' | '';
};

const TAG = 'earmark-cards';
/** The height of a player's control bar, the part of the element a card must not cover. */
const CONTROLS_BAND = 80;
const MARGIN = 16;
const CARD_WIDTH = 360;
/** A card's height before it has been laid out once. */
const CARD_HEIGHT = 220;

export function createHost(doc: Document, mode: ShadowRootMode): Host {
  const element = doc.createElement(TAG);
  const root = element.attachShadow({ mode });
  const style = doc.createElement('style');
  style.textContent = CSS;
  const app = doc.createElement('div');
  root.append(style, app);
  return { element, app, place: 'bottom', theme: pageTheme(doc) };
}

/** Puts the host in the page (again, if the page removed it) and in the right corner. */
export function placeHost(host: Host, doc: Document, anchor: Element | null, media: HTMLMediaElement): void {
  const { element } = host;
  const inline = anchor && isDisplayed(anchor) ? anchor : null;
  if (inline) {
    if (element.previousElementSibling !== inline || host.place !== 'inline') {
      host.place = 'inline';
      element.setAttribute('style', hostStyle('inline'));
      inline.after(element);
    }
    return;
  }
  if (!element.isConnected || host.place === 'inline') (doc.body ?? doc.documentElement).append(element);
  const place = cornerFor(doc, media, element.getBoundingClientRect().height || CARD_HEIGHT);
  if (place !== host.place || !element.hasAttribute('style')) {
    host.place = place;
    element.setAttribute('style', hostStyle(place));
  }
}

/** Bottom-right unless that box would overlap the bottom band of the media element. */
export function cornerFor(doc: Document, media: HTMLMediaElement, height: number): 'top' | 'bottom' {
  const view = doc.defaultView;
  if (!view) return 'bottom';
  const r = media.getBoundingClientRect();
  if (!(r.width > 0 && r.height > 0)) return 'bottom'; // hidden <audio>: nothing to cover
  const card = {
    left: view.innerWidth - MARGIN - Math.min(CARD_WIDTH, view.innerWidth - 2 * MARGIN),
    right: view.innerWidth - MARGIN,
    top: view.innerHeight - MARGIN - height,
    bottom: view.innerHeight - MARGIN,
  };
  const band = {
    left: r.left,
    right: r.right,
    top: Math.max(r.top, r.bottom - CONTROLS_BAND),
    bottom: r.bottom,
  };
  const overlaps =
    card.left < band.right && band.left < card.right && card.top < band.bottom && band.top < card.bottom;
  return overlaps ? 'top' : 'bottom';
}

function isDisplayed(element: Element): boolean {
  return element.isConnected && element.getClientRects().length > 0;
}

/** 'dark' or 'light' when the page paints an opaque background, else '' (follow the system). */
export function pageTheme(doc: Document): 'dark' | 'light' | '' {
  const view = doc.defaultView;
  if (!view) return '';
  for (const element of [doc.body, doc.documentElement]) {
    if (!element) continue;
    const m = /rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)(?:[,\s/]+([\d.]+%?))?/.exec(
      view.getComputedStyle(element).backgroundColor,
    );
    if (!m) continue;
    const alpha = m[4] === undefined ? 1 : parseFloat(m[4]) / (m[4].endsWith('%') ? 100 : 1);
    if (alpha < 0.5) continue;
    const [r, g, b] = [m[1], m[2], m[3]].map(Number) as [number, number, number];
    // Relative luminance, roughly (no gamma): enough to tell a dark page from a light one.
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 110 ? 'dark' : 'light';
  }
  return '';
}
