// What a page's cards show: the insights of the episode its tab plays, and whether they open by
// themselves. On YouTube most videos are not podcasts: by default cards open only on long-form
// videos (20 minutes or more); on shorter ones they start folded to the pill, one click away
// (the popup lists the insights either way). A setting opens them on every video.
import type { CardsView } from '../messages';
import type { EarmarkDB } from './db';
import { showFollow } from './episodes';
import { insightsStatus } from './insights';
import { readSettings } from './settings';

export const LONG_FORM_SECONDS = 20 * 60;

export async function cardsView(db: EarmarkDB, episodeId: string): Promise<CardsView> {
  const [status, episode, settings] = await Promise.all([
    insightsStatus(db, episodeId),
    db.get('episodes', episodeId),
    readSettings(db),
  ]);
  const quiet =
    episode?.site === 'youtube' &&
    !settings.youtubeAllVideos &&
    (episode.durationSeconds ?? 0) < LONG_FORM_SECONDS;
  const view: CardsView = status
    ? { episodeId, state: status.state, insights: status.insights }
    : { episodeId, state: 'none', insights: [] };
  if (quiet) view.quiet = true;
  const follow = episode ? await showFollow(db, episode) : undefined;
  if (follow) view.followed = follow.followed;
  return view;
}
