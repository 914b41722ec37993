// The popup's "Follow this show" toggle for the show of what plays in the tab (shown when the
// background knows its feed). Following needs the feed read once; when its host is not allowed
// yet, the reason is shown with an "Allow <host>" button that asks for that host alone.
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { FollowResult, ShowFollow } from '../../messages';
import { sendToBackground } from '../../messaging';

/**
 * Asks the user for one host, http and https. Call it first thing in a click handler: browsers
 * grant permission requests only within the user's gesture, which an earlier await would end.
 */
export function askForHost(host: string): Promise<boolean> {
  return browser.permissions.request({ origins: [`https://${host}/*`, `http://${host}/*`] });
}

type Problem = { error: string; needsAccess?: string } | null;

export function FollowButton({ episodeId, follow }: { episodeId: string; follow: ShowFollow }) {
  const [chosen, setChosen] = useState<boolean | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>(null);
  // A push from the background (followed elsewhere, say) wins over the last click.
  useEffect(() => setChosen(undefined), [follow.followed, follow.feedUrl]);
  const followed = chosen ?? follow.followed;

  const act = async (work: () => Promise<FollowResult | { removed: boolean }>) => {
    setBusy(true);
    setProblem(null);
    try {
      const result = await work();
      if ('removed' in result) setChosen(false);
      else if (result.ok) setChosen(true);
      else setProblem(result);
    } catch (error) {
      setProblem({ error: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };
  const toggle = () =>
    act(() =>
      followed
        ? sendToBackground('follows/remove', { feedUrl: follow.feedUrl })
        : sendToBackground('follows/add-episode', { episodeId }),
    );
  const allow = (host: string) => {
    const asked = askForHost(host);
    void act(async () =>
      (await asked)
        ? sendToBackground('follows/add-episode', { episodeId })
        : { ok: false, error: `Access to ${host} was not granted, so Earmark cannot read the show’s feed.` },
    );
  };

  return (
    <div class="follow">
      <button
        type="button"
        class={`save${followed ? ' on' : ''}`}
        data-testid="follow-show"
        aria-pressed={followed}
        disabled={busy}
        title={
          followed
            ? 'Earmark checks this show’s feed for new episodes: click to stop following'
            : 'Check this show’s feed for new episodes and put their best insights in your daily brief'
        }
        onClick={() => void toggle()}
      >
        {followed ? 'Following ✓' : 'Follow this show'}
      </button>
      {problem && (
        <>
          <p class="error-text" role="alert" data-testid="follow-problem">
            {problem.error}
          </p>
          {problem.needsAccess && (
            <button
              type="button"
              data-testid="follow-allow"
              disabled={busy}
              onClick={() => allow(problem.needsAccess!)}
            >
              Allow {problem.needsAccess}
            </button>
          )}
        </>
      )}
    </div>
  );
}
