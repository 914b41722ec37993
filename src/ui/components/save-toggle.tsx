// The Save toggle of an insight (today's list), for the popup and the library page: what the user
// just chose shows at once and wins over the last push until a push agrees; a failure is said in
// words beside it.
import { useEffect, useState } from 'preact/hooks';
import type { InsightView } from '../../messages';
import { sendToBackground } from '../../messaging';

export function SaveToggle({
  insight,
  testId = 'save',
  inline = false,
}: {
  insight: InsightView;
  testId?: string;
  /** Inside a line of text (a <p>): the error is a span, not a paragraph. */
  inline?: boolean;
}) {
  const [chosen, setChosen] = useState<boolean | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const saved = chosen ?? !!insight.saved;
  useEffect(() => setChosen(undefined), [insight.saved]);
  const toggle = async () => {
    setBusy(true);
    setError('');
    try {
      if (saved) await sendToBackground('library/unsave', { insightId: insight.id });
      else await sendToBackground('library/save', { insightId: insight.id });
      setChosen(!saved);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const Note = inline ? 'span' : 'p';
  return (
    <>
      <button
        type="button"
        class={`save${saved ? ' on' : ''}`}
        data-testid={testId}
        aria-pressed={saved}
        disabled={busy}
        title={saved ? 'Saved to today’s list: click to remove' : 'Save to today’s list'}
        onClick={() => void toggle()}
      >
        {saved ? '★ Saved' : '☆ Save'}
      </button>
      {error && (
        <Note class="error-text" role="alert">
          {error}
        </Note>
      )}
    </>
  );
}
