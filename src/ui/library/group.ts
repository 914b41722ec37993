// The library page's grouping of saved insights by episode (plain code: unit-tested in Node).
import type { EpisodeView, SavedView } from '../../messages';

export type EpisodeGroup = {
  episodeId: string;
  episode?: EpisodeView;
  items: SavedView[];
  lastSaved: string;
};

/** Saved items by episode: the episode saved from last comes first; items in time order. */
export function groupByEpisode(items: SavedView[]): EpisodeGroup[] {
  const groups = new Map<string, EpisodeGroup>();
  for (const item of items) {
    let group = groups.get(item.episodeId);
    if (!group) {
      group = { episodeId: item.episodeId, items: [], lastSaved: item.savedAt };
      groups.set(item.episodeId, group);
    }
    group.episode ??= item.episode;
    group.items.push(item);
    if (item.savedAt > group.lastSaved) group.lastSaved = item.savedAt;
  }
  for (const group of groups.values()) group.items.sort((a, b) => a.insight.start - b.insight.start);
  return [...groups.values()].sort((a, b) =>
    a.lastSaved === b.lastSaved ? 0 : a.lastSaved > b.lastSaved ? -1 : 1,
  );
}
