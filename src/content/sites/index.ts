// The site-adapter registry: specific adapters first (later issues add one file each), the
// generic adapter last, which serves every other page.
import { apple } from './apple';
import { castbox } from './castbox';
import { generic } from './generic';
import { overcast } from './overcast';
import { pocketcasts } from './pocketcasts';
import { spotify } from './spotify';
import { substack } from './substack';
import type { SiteAdapter } from './types';
import { youtube } from './youtube';
import { youtubeMusic } from './youtube-music';

export const sites: SiteAdapter[] = [
  youtube,
  youtubeMusic,
  overcast,
  spotify,
  apple,
  pocketcasts,
  castbox,
  substack,
  generic,
];

/** Does a manifest match pattern cover this URL? (`<all_urls>`, `*://`, `*.host`, path globs.) */
export function matchesPattern(pattern: string, url: URL): boolean {
  if (pattern === '<all_urls>') return /^(https?|file|ftp):$/.test(url.protocol);
  const m = pattern.match(/^(\*|https?|file|ftp):\/\/(\*|(?:\*\.)?[^/*]+)?(\/.*)$/);
  if (!m) return false;
  const [, scheme, host = '', path = '/'] = m;
  if (scheme === '*' ? !/^https?:$/.test(url.protocol) : url.protocol !== `${scheme}:`) return false;
  if (host !== '*') {
    if (host.startsWith('*.')) {
      const root = host.slice(2);
      if (url.hostname !== root && !url.hostname.endsWith(`.${root}`)) return false;
    } else if (url.hostname !== host) return false;
  }
  const glob = new RegExp(`^${path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return glob.test(url.pathname + url.search);
}

export function adapterFor(url: URL): SiteAdapter {
  return sites.find((site) => site.matches.some((p) => matchesPattern(p, url))) ?? generic;
}
