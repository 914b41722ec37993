// Overcast episode pages (overcast.fm/+…). The generic reading is right about the audio (the
// <source> and twitter:player:stream carry the enclosure), but og:title joins episode and show,
// and the page hides its best lead to the feed: the show's Apple Podcasts id, in its links.
import { LIMITS } from '../../core/episode/hint';
import { clampText } from '../page-meta';
import { genericHint } from './generic';
import type { SiteAdapter } from './types';

/** Episode title, newest layout first. */
const TITLE_SELECTORS = [
  // 2023– layout: <h2 class="margintop0 marginbottom0" class="title"> under the show's <h3>.
  '.centertext > h3 + h2',
  // 2019 layout: <div class="titlestack"><div class="title">.
  '.titlestack .title',
];

/** Show name, newest layout first. */
const SHOW_SELECTORS = [
  // 2023– layout: the show's name links to its own site.
  '.centertext > h3 > a',
  // 2019 layout: a button to the show's Overcast page (/itunes{id}/{slug}).
  '.titlestack a.ocbutton',
];

/** What the cards go after: the player's last block, newest layout first. */
const MOUNT_SELECTORS = [
  // 2019 and 2023– layouts: the speed slider under the play buttons.
  '#speedcontrols',
  // The play buttons (seek back, play/pause, seek forward), in case the speed slider goes.
  '#playcontrols_container',
  '#audioplayer',
];

/** Links that carry the show's Apple id: Overcast's own (/itunes123/slug), and "listen in
 * another app" links (castro.fm/itunes/123, pca.st/itunes/123) on 2023– pages. */
const APPLE_ID_IN_LINK = /(?:^\/itunes|\/itunes\/)(\d{3,20})(?:[/?#]|$)/;

export const overcast: SiteAdapter = {
  id: 'overcast',
  matches: ['https://overcast.fm/*'],
  detect(ctx) {
    const hint = genericHint(ctx, 'overcast');
    const { doc } = ctx;
    const text = (selectors: string[]) =>
      selectors.map((s) => doc.querySelector(s)?.textContent).find((t) => t?.trim());
    const title = clampText(text(TITLE_SELECTORS), LIMITS.title);
    const show = clampText(text(SHOW_SELECTORS), LIMITS.show);
    if (title) hint.title = title;
    if (show) hint.show = show;
    for (const a of doc.querySelectorAll<HTMLAnchorElement>('a[href*="itunes"]')) {
      const href = a.getAttribute('href') ?? '';
      let path: string;
      try {
        path = new URL(href, 'https://overcast.fm/').pathname;
      } catch {
        continue;
      }
      const id = APPLE_ID_IN_LINK.exec(path)?.[1];
      // Overcast's own app link (id888422857) names the app, not the show.
      if (id && id !== '888422857') {
        hint.ids = { ...hint.ids, appleCollection: id };
        break;
      }
    }
    return hint;
  },
  mount: (doc) => MOUNT_SELECTORS.map((s) => doc.querySelector(s)).find((el) => el) ?? null,
};
