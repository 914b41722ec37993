// The popup's "Search" tab: the whole library searched as you type (debounced): the episodes
// whose title or show match, and the insights, each with its episode and a link back to the
// moment. Texts come from pages, transcripts or the model: rendered as text.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { SearchView } from '../../messages';
import { sendToBackground } from '../../messaging';
import { episodeLabel, webHref } from './format';
import { MomentLink } from './today-panel';

export const SEARCH_DEBOUNCE_MS = 200;

export function SearchPanel({
  query,
  onQuery,
  autoFocus,
}: {
  query: string;
  onQuery: (query: string) => void;
  autoFocus: boolean;
}) {
  const [results, setResults] = useState<SearchView | null>(null);
  const [error, setError] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (autoFocus) input.current?.focus();
  }, [autoFocus]);
  const q = query.trim();
  useEffect(() => {
    setError('');
    if (!q) {
      setResults(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      sendToBackground('library/search', { query: q, limit: 20 }).then(
        (value) => live && setResults(value),
        (e: Error) => live && setError(e.message),
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);
  // Results of an older query stay on screen until the new ones arrive, marked as stale.
  const stale = !!results && results.query !== q;
  return (
    <section class="search" aria-label="Search your library">
      <input
        ref={input}
        class="search-input"
        type="search"
        placeholder="Search insights, quotes, episodes, shows"
        aria-label="Search your library"
        data-testid="popup-search"
        maxLength={500}
        value={query}
        onInput={(e) => onQuery((e.target as HTMLInputElement).value)}
      />
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
      {!q && (
        <p class="muted search-hint">
          Everything Earmark found in the episodes you listened to is searchable here, saved or not.
        </p>
      )}
      {q && results && (
        <div class={`results${stale ? ' stale' : ''}`} aria-busy={stale} data-testid="popup-results">
          {results.insights.length === 0 && results.episodes.length === 0 ? (
            <p class="muted" role="status">
              Nothing in your library matches “{results.query}”.
            </p>
          ) : (
            <>
              {results.episodes.length > 0 && (
                <>
                  <h2 class="section-head">Episodes</h2>
                  <ul class="item-list">
                    {results.episodes.map(({ episode, insights }) => {
                      const href = webHref(episode.pageUrl);
                      return (
                        <li key={episode.id} class="item" data-testid="popup-result" data-kind="episode">
                          <p class="item-text">
                            {href ? (
                              <a href={href} target="_blank" rel="noreferrer noopener">
                                {episode.title}
                              </a>
                            ) : (
                              episode.title
                            )}
                          </p>
                          <p class="item-meta">
                            <span class="item-episode">
                              {episode.show ? `${episode.show} · ` : ''}
                              {insights} insight{insights === 1 ? '' : 's'}
                            </span>
                          </p>
                        </li>
                      );
                    })}
                  </ul>
                </>
              )}
              {results.insights.length > 0 && (
                <>
                  <h2 class="section-head">Insights</h2>
                  <ol class="item-list">
                    {results.insights.map((r) => (
                      <li key={r.insight.id} class="item" data-testid="popup-result" data-kind="insight">
                        <p class="item-text">{r.insight.text}</p>
                        <p class="item-meta">
                          <MomentLink start={r.insight.start} href={webHref(r.link, r.episode.pageUrl)} />
                          <span class="item-episode">{episodeLabel(r.episode)}</span>
                        </p>
                      </li>
                    ))}
                  </ol>
                </>
              )}
            </>
          )}
        </div>
      )}
      {q && !results && !error && (
        <p class="muted" role="status">
          Searching…
        </p>
      )}
    </section>
  );
}
