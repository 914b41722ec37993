// One spelling per feed address, wherever an address enters (a page, Apple's directory, an OPML
// file, the options): "HTTPS://Feeds.X.com/a" and "https://feeds.x.com/a" are one feed, one
// follow, one cached copy.

/** The address as follows and the feed cache are keyed; the text trimmed when it is no URL. */
export function feedKey(raw: string): string {
  try {
    return new URL(raw.trim()).href;
  } catch {
    return raw.trim();
  }
}
