// The library page: the days that have a saved list and each day's insights (with the quote, a
// link back to the moment, a note, and Remove), a day's Markdown export, the saved insights
// grouped by episode, the daily briefs (`?view=brief&day=…`), and search over the whole library.
// Every text shown comes from pages, transcripts or the model: rendered as text.
import { useEffect, useState } from 'preact/hooks';
import { formatDay, localDay } from '../../core/library/day';
import { formatClock } from '../../core/text/time';
import type { DayListView, SavedView, SearchView } from '../../messages';
import { sendToBackground } from '../../messaging';
import { download } from '../components/download';
import { isWebUrl } from '../popup/format';
import { AllEpisodesView } from './all-episodes-view';
import { DaysNav } from './days-nav';
import { BriefView } from './brief-view';
import { EpisodesView } from './episodes-view';

function Where({ item }: { item: Pick<SavedView, 'episode' | 'link'> & { start: number } }) {
  const label = item.episode
    ? `${item.episode.show ? `${item.episode.show} — ` : ''}${item.episode.title}`
    : 'Episode not in the library';
  const text = `${label} · ${formatClock(item.start)}`;
  return (
    <p class="where muted">
      {isWebUrl(item.link) ? (
        <a href={item.link} target="_blank" rel="noreferrer noopener">
          {text}
        </a>
      ) : (
        text
      )}
    </p>
  );
}

function SavedItem({ item, onRemoved }: { item: SavedView; onRemoved: () => void }) {
  const [note, setNote] = useState(item.note ?? '');
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const saveNote = async () => {
    if (note.trim() === (item.note ?? '')) return;
    try {
      await sendToBackground('library/note', { insightId: item.insight.id, note });
      item.note = note.trim();
      setStatus({ ok: true, text: 'Note saved.' });
    } catch (e) {
      setStatus({ ok: false, text: (e as Error).message });
    }
  };
  const remove = async () => {
    try {
      await sendToBackground('library/unsave', { insightId: item.insight.id });
      onRemoved();
    } catch (e) {
      setStatus({ ok: false, text: (e as Error).message });
    }
  };
  return (
    <li class="saved-item" data-testid="saved-item">
      <p class="insight-text">{item.insight.text}</p>
      {item.insight.quote && <blockquote>“{item.insight.quote}”</blockquote>}
      <Where item={{ ...item, start: item.insight.start }} />
      <label class="note">
        Note
        <textarea
          rows={2}
          maxLength={10_000}
          data-testid="note"
          value={note}
          onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)}
          onBlur={() => void saveNote()}
        />
      </label>
      <p class="row">
        <button type="button" class="secondary" data-testid="unsave" onClick={() => void remove()}>
          Remove from the list
        </button>
        {status && (
          <span class={status.ok ? 'ok-text' : 'error-text'} role="status">
            {status.text}
          </span>
        )}
      </p>
    </li>
  );
}

function DayList({ day, onChange }: { day: string; onChange: () => void }) {
  const [list, setList] = useState<DayListView | null>(null);
  const [error, setError] = useState('');
  const load = () =>
    sendToBackground('library/day', { day }).then(setList, (e: Error) => setError(e.message));
  useEffect(() => {
    setList(null);
    void load();
  }, [day]);
  if (error) return <p class="error-text">{error}</p>;
  if (!list) return <p class="muted">Loading…</p>;
  const exportDay = async () => {
    try {
      const { markdown, filename } = await sendToBackground('library/export-day', { day });
      download(filename, markdown, 'text/markdown');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section data-testid="day">
      <header class="day-head">
        <h2>{formatDay(day)}</h2>
        {list.items.length > 0 && (
          <button type="button" class="secondary" data-testid="export-day" onClick={() => void exportDay()}>
            Export as Markdown
          </button>
        )}
      </header>
      {list.items.length === 0 ? (
        <p class="muted" data-testid="day-empty">
          Nothing saved on this day. Save an insight from the popup (☆ Save), or press Alt+Shift+S while
          listening to save the one you are hearing.
        </p>
      ) : (
        <ol class="saved-list">
          {list.items.map((item) => (
            <SavedItem
              key={item.insight.id}
              item={item}
              onRemoved={() => {
                void load();
                onChange();
              }}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

function Results({ results }: { results: SearchView }) {
  if (results.insights.length === 0 && results.episodes.length === 0)
    return <p class="muted">Nothing in your library matches “{results.query}”.</p>;
  return (
    <section data-testid="results">
      {results.episodes.length > 0 && (
        <>
          <h2>Episodes</h2>
          <ul class="episode-results">
            {results.episodes.map(({ episode, insights }) => (
              <li key={episode.id}>
                {isWebUrl(episode.pageUrl) ? (
                  <a href={episode.pageUrl} target="_blank" rel="noreferrer noopener">
                    {episode.title}
                  </a>
                ) : (
                  episode.title
                )}
                <span class="muted">
                  {episode.show ? ` — ${episode.show}` : ''} · {insights} insight{insights === 1 ? '' : 's'}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      {results.insights.length > 0 && (
        <>
          <h2>Insights</h2>
          <ol class="saved-list">
            {results.insights.map((r) => (
              <li key={r.insight.id} class="saved-item" data-testid="result">
                <p class="insight-text">{r.insight.text}</p>
                <Where
                  item={{ episode: r.episode, ...(r.link ? { link: r.link } : {}), start: r.insight.start }}
                />
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

export function Library() {
  const today = localDay(new Date());
  const initial = new URLSearchParams(location.search).get('day');
  const [day, setDay] = useState(initial && /^\d{4}-\d{2}-\d{2}$/.test(initial) ? initial : today);
  const [days, setDays] = useState<{ day: string; count: number }[] | null>(null);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<SearchView | null>(null);
  const [error, setError] = useState('');
  const asked = new URLSearchParams(location.search).get('view');
  const [view, setView] = useState<'days' | 'episodes' | 'all' | 'brief'>(
    asked === 'episodes' || asked === 'all' || asked === 'brief' ? asked : 'days',
  );
  const loadDays = () =>
    sendToBackground('library/days', {}).then(setDays, (e: Error) => setError(e.message));
  useEffect(() => void loadDays(), []);
  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setResults(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      sendToBackground('library/search', { query: q, limit: 30 }).then(
        (r) => live && setResults(r),
        (e: Error) => live && setError(e.message),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query]);

  const listed = days ?? [];
  return (
    <main class="library">
      <header class="library-head">
        <h1>Saved insights</h1>
        <input
          type="search"
          placeholder="Search your library: insights, quotes, episodes, shows"
          aria-label="Search the library"
          data-testid="search"
          maxLength={500}
          value={query}
          onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
        />
      </header>
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
      {!results && (
        <div class="views" role="group" aria-label="Arrange by">
          <button
            type="button"
            class="view-button"
            aria-pressed={view === 'days'}
            data-testid="view-days"
            onClick={() => setView('days')}
          >
            By day
          </button>
          <button
            type="button"
            class="view-button"
            aria-pressed={view === 'episodes'}
            data-testid="view-episodes"
            onClick={() => setView('episodes')}
          >
            By episode
          </button>
          <button
            type="button"
            class="view-button"
            aria-pressed={view === 'all'}
            data-testid="view-all"
            onClick={() => setView('all')}
          >
            All episodes
          </button>
          <button
            type="button"
            class="view-button"
            aria-pressed={view === 'brief'}
            data-testid="view-brief"
            onClick={() => setView('brief')}
          >
            Brief
          </button>
        </div>
      )}
      {results ? (
        <Results results={results} />
      ) : view === 'episodes' ? (
        <EpisodesView />
      ) : view === 'all' ? (
        <AllEpisodesView />
      ) : view === 'brief' ? (
        <BriefView initialDay={day} />
      ) : (
        <div class="library-body">
          <DaysNav days={listed} day={day} today={today} label="Days" testId="days" onPick={setDay} />
          <DayList day={day} onChange={() => void loadDays()} />
        </div>
      )}
    </main>
  );
}
