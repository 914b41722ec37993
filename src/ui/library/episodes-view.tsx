// The library page's "By episode" view: the saved insights grouped by the episode they came from,
// the most recently saved-from episode first, each insight in the episode's time order with a link
// back to its moment. Only saved insights: the contract has no message that lists every episode
// with all its insights, so this view is built from the days' lists ('library/days', 'library/day').
import { useEffect, useState } from 'preact/hooks';
import { formatDay } from '../../core/library/day';
import { formatClock } from '../../core/text/time';
import { sendToBackground } from '../../messaging';
import { webHref } from '../popup/format';
import { groupByEpisode, type EpisodeGroup } from './group';

function EpisodeCard({ group }: { group: EpisodeGroup }) {
  const { episode } = group;
  const [artFailed, setArtFailed] = useState(false);
  const pageHref = webHref(episode?.pageUrl);
  const title = episode?.title ?? 'Episode no longer in the library';
  return (
    <li class="episode-group" data-testid="episode-group">
      <header class="episode-group-head">
        {episode?.artwork && !artFailed ? (
          <img
            class="episode-art"
            src={episode.artwork}
            alt=""
            referrerpolicy="no-referrer"
            onError={() => setArtFailed(true)}
          />
        ) : (
          <div class="episode-art placeholder" aria-hidden="true">
            ♪
          </div>
        )}
        <div class="episode-titles">
          {episode?.show && <p class="episode-show muted">{episode.show}</p>}
          <h2 class="episode-title">
            {pageHref ? (
              <a href={pageHref} target="_blank" rel="noreferrer noopener">
                {title}
              </a>
            ) : (
              title
            )}
          </h2>
          <p class="muted episode-count">
            {group.items.length} saved insight{group.items.length === 1 ? '' : 's'}
          </p>
        </div>
      </header>
      <ol class="episode-insights">
        {group.items.map((item) => {
          const href = webHref(item.link, item.episode?.pageUrl);
          const clock = formatClock(item.insight.start);
          return (
            <li key={item.insight.id} data-testid="episode-insight">
              {href ? (
                <a
                  class="moment"
                  href={href}
                  target="_blank"
                  rel="noreferrer noopener"
                  aria-label={`Listen again from ${clock}`}
                >
                  {clock}
                </a>
              ) : (
                <span class="moment">{clock}</span>
              )}
              <div>
                <p class="insight-line">{item.insight.text}</p>
                {item.note && <p class="episode-note">{item.note}</p>}
                <p class="muted saved-on">Saved {formatDay(item.day)}</p>
              </div>
            </li>
          );
        })}
      </ol>
    </li>
  );
}

export function EpisodesView() {
  const [groups, setGroups] = useState<EpisodeGroup[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    (async () => {
      const days = await sendToBackground('library/days', {});
      const lists = await Promise.all(days.map(({ day }) => sendToBackground('library/day', { day })));
      if (live) setGroups(groupByEpisode(lists.flatMap((list) => list.items)));
    })().catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, []);
  if (error)
    return (
      <p class="error-text" role="alert">
        {error}
      </p>
    );
  if (!groups) return <p class="muted">Loading…</p>;
  return (
    <section class="episodes" data-testid="episodes">
      <p class="muted view-note">
        The insights you saved, by the episode they came from. Search above finds every insight, saved or not.
      </p>
      {groups.length === 0 ? (
        <p class="muted" data-testid="episodes-empty">
          Nothing saved yet. Save an insight from the popup (☆ Save), or press Alt+Shift+S while listening to
          save the one you are hearing.
        </p>
      ) : (
        <ol class="episode-groups">
          {groups.map((group) => (
            <EpisodeCard key={group.episodeId} group={group} />
          ))}
        </ol>
      )}
    </section>
  );
}
