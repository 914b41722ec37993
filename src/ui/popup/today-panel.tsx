// The popup's "Today" tab: the insights saved today, each with its episode, a link back to the
// moment and Remove; how to save when there are none; the way to the library page. Texts come
// from pages, transcripts or the model: rendered as text, and only http(s) links.
import { useEffect, useState } from 'preact/hooks';
import { localDay } from '../../core/library/day';
import { formatClock } from '../../core/text/time';
import type { SavedView } from '../../messages';
import { sendToBackground } from '../../messaging';
import { episodeLabel, webHref } from './format';
import { openLibrary } from './links';

/** The time of a moment, as a link back to it when there is an http(s) one. */
export function MomentLink({ start, href }: { start: number; href: string | undefined }) {
  const clock = formatClock(start);
  return href ? (
    <a
      class="moment"
      href={href}
      target="_blank"
      rel="noreferrer noopener"
      title="Listen to this moment again"
      aria-label={`Listen again from ${clock}`}
    >
      {clock}
    </a>
  ) : (
    <span class="moment">{clock}</span>
  );
}

function TodayItem({ item, onRemoved }: { item: SavedView; onRemoved: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const remove = async () => {
    setBusy(true);
    setError('');
    try {
      await sendToBackground('library/unsave', { insightId: item.insight.id });
      onRemoved();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  return (
    <li class="item" data-testid="today-item">
      <p class="item-text">{item.insight.text}</p>
      <p class="item-meta">
        <MomentLink start={item.insight.start} href={webHref(item.link, item.episode?.pageUrl)} />
        <span class="item-episode">{episodeLabel(item.episode)}</span>
      </p>
      {item.note && <p class="item-note">{item.note}</p>}
      <p class="item-actions">
        <button
          type="button"
          class="chip"
          data-testid="unsave"
          disabled={busy}
          title="Take it off today’s list"
          onClick={() => void remove()}
        >
          Remove
        </button>
      </p>
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

export function TodayPanel() {
  const day = localDay(new Date());
  const [items, setItems] = useState<SavedView[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    sendToBackground('library/day', { day }).then(
      (list) => live && setItems(list.items),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [day]);
  return (
    <section class="today" data-testid="today" aria-label="Saved today">
      <h2 class="section-head">
        Saved today
        {items && items.length > 0 && <span class="count">{items.length}</span>}
      </h2>
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
      {!items && !error && (
        <p class="muted" role="status">
          Loading today’s list…
        </p>
      )}
      {items?.length === 0 && (
        <div class="callout" data-testid="today-empty">
          <p>
            <strong>Nothing saved today yet.</strong>
          </p>
          <p class="muted">
            Press <span class="kbd-like">☆ Save</span> on an insight in the Now tab, or press <kbd>Alt</kbd>+
            <kbd>Shift</kbd>+<kbd>S</kbd> while listening to save the one you are hearing.
          </p>
        </div>
      )}
      {items && items.length > 0 && (
        <ol class="item-list">
          {items.map((item) => (
            <TodayItem
              key={item.insight.id}
              item={item}
              onRemoved={() =>
                setItems((list) => list?.filter((i) => i.insight.id !== item.insight.id) ?? null)
              }
            />
          ))}
        </ol>
      )}
      <p class="panel-foot">
        <button type="button" class="link" data-testid="all-saved" onClick={openLibrary}>
          All saved insights →
        </button>
      </p>
    </section>
  );
}
