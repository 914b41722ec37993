// The library page's "All episodes": every episode Earmark has met, most recently heard first,
// with how many insights it has and how many are saved; opening one lists all its insights, each
// with its time, quote and a Save toggle. Text from pages and the model is rendered as text.
import { useEffect, useState } from 'preact/hooks';
import { formatClock } from '../../core/text/time';
import type { EpisodeDetailView, EpisodeListView, InsightView } from '../../messages';
import { sendToBackground } from '../../messaging';
import { webHref } from '../popup/format';

const PAGE = 50;

function InsightRow({ insight }: { insight: InsightView }) {
  const [saved, setSaved] = useState(!!insight.saved);
  const [error, setError] = useState('');
  const toggle = async () => {
    try {
      if (saved) await sendToBackground('library/unsave', { insightId: insight.id });
      else await sendToBackground('library/save', { insightId: insight.id });
      setSaved(!saved);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <li class="saved-item" data-testid="episode-insight-row">
      <p class="insight-text">
        <span class="muted">{formatClock(insight.start)} · </span>
        {insight.text}
      </p>
      {insight.quote && <blockquote>“{insight.quote}”</blockquote>}
      <p class="row">
        <button type="button" class="secondary" aria-pressed={saved} onClick={() => void toggle()}>
          {saved ? '★ Saved' : '☆ Save'}
        </button>
        {error && <span class="error-text">{error}</span>}
      </p>
    </li>
  );
}

function EpisodeRow({ item }: { item: EpisodeListView['episodes'][number] }) {
  const [open, setOpen] = useState(false);
  const [detail, setDetail] = useState<EpisodeDetailView | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    if (!open || detail) return;
    sendToBackground('library/episode', { episodeId: item.episode.id }).then(
      (d) => (d ? setDetail(d) : setError('This episode is no longer in the library.')),
      (e: Error) => setError(e.message),
    );
  }, [open]);
  const href = webHref(item.episode.pageUrl);
  return (
    <li class="episode-row" data-testid="all-episode">
      <button type="button" class="episode-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span class="episode-title">{item.episode.title}</span>
        <span class="muted">
          {item.episode.show ? `${item.episode.show} · ` : ''}
          {item.insights} insight{item.insights === 1 ? '' : 's'}
          {item.saved ? ` · ${item.saved} saved` : ''}
        </span>
      </button>
      {open && (
        <div class="episode-detail">
          {href && (
            <p>
              <a href={href} target="_blank" rel="noreferrer noopener">
                Open the episode’s page
              </a>
            </p>
          )}
          {error && <p class="error-text">{error}</p>}
          {detail &&
            (detail.insights.length === 0 ? (
              <p class="muted">No insights yet: play the episode and Earmark finds them.</p>
            ) : (
              <ol class="saved-list">
                {detail.insights.map((insight) => (
                  <InsightRow key={insight.id} insight={insight} />
                ))}
              </ol>
            ))}
        </div>
      )}
    </li>
  );
}

export function AllEpisodesView() {
  const [list, setList] = useState<EpisodeListView | null>(null);
  const [error, setError] = useState('');
  const load = (offset: number) =>
    sendToBackground('library/episodes', { offset, limit: PAGE }).then(
      (page) =>
        setList((old) =>
          old && offset > 0 ? { total: page.total, episodes: [...old.episodes, ...page.episodes] } : page,
        ),
      (e: Error) => setError(e.message),
    );
  useEffect(() => void load(0), []);
  if (error) return <p class="error-text">{error}</p>;
  if (!list) return <p class="muted">Loading…</p>;
  if (list.total === 0)
    return (
      <p class="muted" data-testid="all-episodes-empty">
        No episodes yet: press play on a podcast and Earmark keeps it here with its insights.
      </p>
    );
  return (
    <section data-testid="all-episodes">
      <ul class="episode-rows">
        {list.episodes.map((item) => (
          <EpisodeRow key={item.episode.id} item={item} />
        ))}
      </ul>
      {list.episodes.length < list.total && (
        <button type="button" class="secondary" onClick={() => void load(list.episodes.length)}>
          Show more ({list.total - list.episodes.length} more)
        </button>
      )}
    </section>
  );
}
