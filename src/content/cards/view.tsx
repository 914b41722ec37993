// The cards as Preact components: one card at a time from the stack of recent ones, or the
// collapsed pill. Every text from the insight is a Preact child: text, never HTML (DESIGN.md §6).
import type { JSX } from 'preact';
import type { InsightView } from '../../messages';
import { formatClock } from '../../core/text/time';
import { plural } from '../../core/text/plural';

export type CardActions = {
  save(insight: InsightView): void;
  jump(insight: InsightView): void;
  dismiss(insight: InsightView): void;
  /** Shows the card `delta` places older (-1) or newer (+1) in the stack. */
  page(delta: number): void;
  collapse(collapsed: boolean): void;
  toggleQuote(insight: InsightView): void;
  /** "Follow this show": its new episodes come to the daily brief. */
  follow(): void;
};

export type CardsProps = {
  /** Recent cards, oldest first; never empty. */
  stack: InsightView[];
  /** Index in `stack` of the card shown. */
  shown: number;
  /** Insights the episode has so far (the pill's count). */
  total: number;
  collapsed: boolean;
  quoteOpen: boolean;
  corner: boolean;
  /** The page's own background, when it says clearly: '' follows the system's colour scheme. */
  theme: 'dark' | 'light' | '';
  /** Whether the show is followed; undefined when its feed is not known (no Follow button). */
  followed?: boolean | undefined;
  /** Why following failed, in plain words. */
  followNote?: string;
  actions: CardActions;
};

export function Cards(props: CardsProps): JSX.Element {
  const { stack, shown, collapsed, actions } = props;
  const insight = stack[shown]!;
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !collapsed) actions.collapse(true);
    // Keys typed in the cards are ours: the page's shortcuts (Space to play, "k", "f"…) must not
    // see them. (Capture-phase page listeners still do; Tab still moves focus: that is not an event.)
    event.stopPropagation();
  };
  const stop = (event: Event) => event.stopPropagation();
  return (
    <div
      class={`app${props.corner ? ' corner' : ''}${props.theme ? ` ${props.theme}` : ''}`}
      onKeyDown={onKeyDown}
      onKeyUp={stop}
      onKeyPress={stop}
    >
      {collapsed ? (
        <div class="pill-row">
          <button
            type="button"
            class="pill"
            aria-expanded="false"
            title="Show Earmark’s insight cards"
            onClick={() => actions.collapse(false)}
          >
            Earmark · {plural(props.total, 'insight')}
          </button>
        </div>
      ) : (
        <Card {...props} insight={insight} />
      )}
    </div>
  );
}

function Card(props: CardsProps & { insight: InsightView }): JSX.Element {
  const { insight, stack, shown, actions, quoteOpen } = props;
  const clock = formatClock(insight.start);
  const saved = insight.saved === true;
  return (
    <section class="card" key={insight.id} aria-label={`Earmark insight at ${clock}`}>
      <div class="head">
        <span class="brand">Earmark</span>
        <span class="time">{clock}</span>
        {stack.length > 1 && (
          <span class="pager">
            <button
              type="button"
              aria-label="Previous insight"
              disabled={shown === 0}
              onClick={() => actions.page(-1)}
            >
              ‹
            </button>
            <span aria-live="polite">
              {shown + 1}/{stack.length}
            </span>
            <button
              type="button"
              aria-label="Next insight"
              disabled={shown === stack.length - 1}
              onClick={() => actions.page(1)}
            >
              ›
            </button>
          </span>
        )}
        <button
          type="button"
          class="icon"
          aria-label="Collapse Earmark"
          aria-expanded="true"
          title="Collapse (Esc)"
          onClick={() => actions.collapse(true)}
        >
          −
        </button>
      </div>
      <p class="text">{insight.text}</p>
      {insight.quote && (
        <button
          type="button"
          class="link"
          aria-expanded={quoteOpen}
          onClick={() => actions.toggleQuote(insight)}
        >
          {quoteOpen ? 'Hide quote' : 'Show quote'}
        </button>
      )}
      {quoteOpen && insight.quote && <blockquote class="quote">“{insight.quote}”</blockquote>}
      <div class="actions">
        <button type="button" class="save" aria-pressed={saved} onClick={() => actions.save(insight)}>
          {saved ? '★ Saved' : '☆ Save'}
        </button>
        <button type="button" class="jump" title={`Play from ${clock}`} onClick={() => actions.jump(insight)}>
          ↺ Jump to {clock}
        </button>
        <button type="button" class="dismiss" onClick={() => actions.dismiss(insight)}>
          Dismiss
        </button>
        {props.followed === false && (
          <button type="button" class="follow" onClick={actions.follow}>
            + Follow show
          </button>
        )}
      </div>
      {props.followNote && <p class="note">{props.followNote}</p>}
    </section>
  );
}
