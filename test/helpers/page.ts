// Loads a saved page from test/fixtures/pages/ into a fresh happy-dom window at a chosen URL, so
// relative links resolve as they would on the real site.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Window } from 'happy-dom';
import { afterEach } from 'vitest';

const windows: Window[] = [];

afterEach(async () => {
  await Promise.all(windows.splice(0).map((w) => w.happyDOM.close()));
});

export function fixturePage(file: string): string {
  // Not `new URL(…, import.meta.url)`: under happy-dom, URL is the DOM's and mis-resolves file: URLs.
  return readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'pages', file), 'utf8');
}

export type LoadedPage = { window: Window; doc: Document; url: URL };

/** A window at `url` whose document is `html` (scripts are not run). */
export function loadHtml(html: string, url: string): LoadedPage {
  const window = new Window({ url }); // happy-dom runs no page scripts by default
  windows.push(window);
  window.document.write(html);
  return { window, doc: window.document as unknown as Document, url: new URL(url) };
}

export function loadPage(file: string, url: string): LoadedPage {
  return loadHtml(fixturePage(file), url);
}

/** Stubs navigator.mediaSession.metadata (happy-dom has no Media Session). */
export function stubMediaSession(
  window: Window,
  metadata: {
    title?: string;
    artist?: string;
    album?: string;
    artwork?: { src: string; sizes?: string }[];
  } | null,
): void {
  Object.defineProperty(window.navigator, 'mediaSession', { value: { metadata }, configurable: true });
}

/** Overrides what a media element reports about itself (happy-dom media never really plays). */
export function stubMedia(
  media: HTMLMediaElement,
  props: Partial<
    Record<'paused' | 'ended' | 'duration' | 'currentTime' | 'currentSrc' | 'playbackRate', unknown>
  >,
): void {
  for (const [key, value] of Object.entries(props))
    Object.defineProperty(media, key, { value, writable: true, configurable: true });
}
