// The toolbar button's per-tab state: a mark when Earmark recognised an episode in the tab (the
// number of its insights once there are some), and a tooltip naming it.
import browser from 'webextension-polyfill';
import type { EpisodeRecord } from './db';

export async function showEpisodeBadge(tabId: number, episode: EpisodeRecord, insights = 0): Promise<void> {
  const label = episode.show ? `${episode.show}: ${episode.title}` : episode.title;
  const count = insights > 0 ? ` — ${insights} insight${insights === 1 ? '' : 's'}` : '';
  try {
    await Promise.all([
      browser.action.setBadgeBackgroundColor({ tabId, color: '#e85d04' }),
      browser.action.setBadgeText({ tabId, text: insights > 0 ? String(Math.min(insights, 99)) : '♪' }),
      browser.action.setTitle({ tabId, title: `Earmark — ${label.slice(0, 200)}${count}` }),
    ]);
  } catch {
    // The tab closed meanwhile: there is no badge to set.
  }
}
