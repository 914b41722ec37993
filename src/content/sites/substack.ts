// Substack podcast posts (<publication>.substack.com/p/<slug>). The generic reading is right about
// the title, the audio and the feed (/feed), but Substack gives no og:site_name: the show is the
// publication, the publisher in the post's NewsArticle JSON-LD, which also dates the post (the
// feed's episode is then matched by title and date: the page's audio URL is not the enclosure's).
import { LIMITS } from '../../core/episode/hint';
import { clampText, jsonLdNodes } from '../page-meta';
import { genericHint } from './generic';
import type { SiteAdapter } from './types';

/** What the cards go after, newest layout first. */
const MOUNT_SELECTORS = [
  // 2023– podcast posts: the player block between the post's header and its body.
  '.post .player-wrapper-outer',
];

const isPost = (url: URL) => /^\/p\/[^/]+/.test(url.pathname);

export const substack: SiteAdapter = {
  id: 'substack',
  matches: ['https://*.substack.com/*'],
  detect(ctx) {
    const hint = genericHint(ctx, 'substack');
    // Elsewhere (the reader, the home page) the page's JSON-LD is not the playing post's.
    if (!isPost(ctx.url)) return hint;
    const article = jsonLdNodes(ctx.doc).find((n) => typeof n.publisher === 'object' && n.publisher);
    const publisher = (article?.publisher as { name?: unknown } | undefined)?.name;
    const show =
      clampText(publisher, LIMITS.show) ??
      hint.show ??
      // The feed link is titled with the publication's name.
      clampText(
        ctx.doc.querySelector('link[rel="alternate"][type="application/rss+xml"]')?.getAttribute('title'),
        LIMITS.show,
      );
    if (show) hint.show = show;
    const published = hint.published ?? clampText(article?.datePublished, 40);
    if (published) hint.published = published;
    return hint;
  },
  mount: (doc) =>
    isPost(new URL(doc.URL))
      ? (MOUNT_SELECTORS.map((s) => doc.querySelector(s)).find((el) => el) ?? null)
      : null,
};
