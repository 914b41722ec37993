// What a site adapter is: a plain object, mostly data (STYLE.md). The registry (index.ts) lists
// them; the first whose patterns match the page is used, the generic adapter last.
import type { EpisodeHint } from '../../core/episode/hint';

export type DetectContext = { doc: Document; media: HTMLMediaElement; url: URL };

export type SiteAdapter = {
  /** Unique, kebab-case; sent as EpisodeHint.site. */
  id: string;
  /** Match patterns (as in the manifest) of the pages it knows. `<all_urls>` for the generic one. */
  matches: string[];
  /** What the page says of the episode its media element plays, or null when it is not one. */
  detect(ctx: DetectContext): EpisodeHint | null;
  /**
   * Where inline cards go: they are placed right after the element returned, in the page's flow
   * (below the player, typically). Null, absent, or an element not displayed: a fixed corner.
   */
  mount?(doc: Document): Element | null;
};
