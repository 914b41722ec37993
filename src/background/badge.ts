// The toolbar button's per-tab state: a mark when Earmark recognised an episode in the tab, and
// a tooltip naming it.
import browser from 'webextension-polyfill';
import type { EpisodeRecord } from './db';

export async function showEpisodeBadge(tabId: number, episode: EpisodeRecord): Promise<void> {
  const label = episode.show ? `${episode.show}: ${episode.title}` : episode.title;
  try {
    await Promise.all([
      browser.action.setBadgeBackgroundColor({ tabId, color: '#e85d04' }),
      browser.action.setBadgeText({ tabId, text: '♪' }),
      browser.action.setTitle({ tabId, title: `Earmark — ${label.slice(0, 200)}` }),
    ]);
  } catch {
    // The tab closed meanwhile: there is no badge to set.
  }
}
