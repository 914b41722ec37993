// Plain formatting for the popup and the library page (no extension API: unit-tested in Node).
import type { EpisodeView } from '../../messages';

/** Dollars as people write them: "$0.04", "less than $0.01", "$0". */
export function formatUsd(usd: number): string {
  if (!(usd > 0)) return '$0';
  if (usd < 0.01) return 'less than $0.01';
  return `$${usd.toFixed(2)}`;
}

/** "Show — Title", or the title alone. */
export function episodeLabel(episode: EpisodeView | undefined): string {
  if (!episode) return 'Episode not in the library';
  return episode.show ? `${episode.show} — ${episode.title}` : episode.title;
}

/** Whether a URL may be a link's href: http(s) only (a page could hand us `javascript:`). */
export const isWebUrl = (url: string | undefined): url is string => !!url && /^https?:\/\//i.test(url);

/** The first of the given URLs that may be a link's href. */
export function webHref(...urls: (string | undefined)[]): string | undefined {
  return urls.find(isWebUrl);
}

/** A web address's host as people read it ("overcast.fm", no "www."); '' for no address. */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local clock time of an instant, "08:05"; '' for no instant. */
export function localClock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
