// The host of an address, for messages ("feeds.example.com"): one helper for the background and
// the engines in core.

/** The host of an address; the address cut short if it is none. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 60);
  }
}
