// The options page's "Shows you follow": the followed feeds with how their last check went (and
// the host to allow when access is what failed), Unfollow, following by a feed's address, OPML
// import and export, "Check now" with the scanner's progress in words, and the daily brief's time
// and notification. Feed titles and errors come from the web: rendered as text.
import { useEffect, useRef, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { formatDay, localDay } from '../../core/library/day';
import type { FollowsView, FollowView, OpmlImportReport, ScanView, SettingsView } from '../../messages';
import { sendToBackground } from '../../messaging';
import { download } from '../components/download';
import { askForHost } from '../popup/follow-button';
import { hostOf, localClock } from '../popup/format';
import { plural } from '../../core/text/plural';

const feedHost = (url: string) => hostOf(url) || url;

/** An instant in local time: "14:05" today, else "3 March 2026, 14:05". */
export function when(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return 'at an unknown time';
  const clock = localClock(iso);
  return localDay(d) === localDay(now) ? clock : `${formatDay(localDay(d))}, ${clock}`;
}

/** How long ago an instant was, in words: "just now", "5 minutes ago", "yesterday". */
export function ago(iso: string, now = Date.now()): string {
  const seconds = (now - Date.parse(iso)) / 1000;
  if (Number.isNaN(seconds)) return 'at an unknown time';
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${plural(minutes, 'minute')} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${plural(hours, 'hour')} ago`;
  const days = Math.round(hours / 24);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

/** The scanner's state in words: the run in progress, or the last one and the next. */
export function scanLine(scan: ScanView): string {
  const counts = `${plural(scan.found, 'new episode')} · ${scan.processed} processed${
    scan.failed ? ` · ${scan.failed} failed` : ''
  }`;
  if (scan.state === 'running') return `Checked ${scan.checked} of ${plural(scan.total, 'feed')} · ${counts}`;
  const next = scan.nextRunAt ? `next ${when(scan.nextRunAt)}` : '';
  if (!scan.finishedAt) return next ? `Not checked yet, ${next}.` : 'Not checked yet.';
  return `Last check ${when(scan.finishedAt)}: ${scan.checked} of ${plural(scan.total, 'feed')} · ${counts}${
    next ? `, ${next}` : ''
  }.`;
}

type Notice = { ok: boolean; text: string; needsAccess?: string; retryUrl?: string; undoUrl?: string };

function FollowRow({
  follow,
  onUnfollow,
  onAllowed,
}: {
  follow: FollowView;
  onUnfollow: () => void;
  onAllowed: () => void;
}) {
  const [problem, setProblem] = useState('');
  const allow = (host: string) => {
    const asked = askForHost(host);
    setProblem('');
    asked.then(
      (granted) =>
        granted
          ? onAllowed()
          : setProblem(`Access to ${host} was not granted, so Earmark cannot read this show’s feed.`),
      (e: Error) => setProblem(e.message),
    );
  };
  return (
    <li class="follow-row" data-testid="follow-row">
      <div class="follow-main">
        <p class="follow-title">{follow.title || feedHost(follow.feedUrl)}</p>
        <p class="muted follow-meta">
          {feedHost(follow.feedUrl)} ·{' '}
          {follow.lastCheckedAt ? `checked ${ago(follow.lastCheckedAt)}` : 'not checked yet'}
          {follow.episodeCount !== undefined ? ` · ${plural(follow.episodeCount, 'episode')}` : ''}
        </p>
        {follow.lastError && (
          <p class="error-text follow-error" data-testid="follow-error">
            The last check failed: {follow.lastError.replace(/\.$/, '')}
            {follow.failures && follow.failures > 1 ? ` (${follow.failures} times in a row)` : ''}
            {follow.nextCheckAt ? `. Next try ${when(follow.nextCheckAt)}.` : ''}
          </p>
        )}
        {follow.needsAccess && (
          <p class="follow-access">
            Earmark needs your permission to read {follow.needsAccess}, where this show’s feed or transcripts
            live.{' '}
            <button type="button" data-testid="follow-allow" onClick={() => allow(follow.needsAccess!)}>
              Allow {follow.needsAccess}
            </button>
          </p>
        )}
        {problem && (
          <p class="error-text" role="alert">
            {problem}
          </p>
        )}
      </div>
      <button type="button" class="secondary" data-testid="unfollow" onClick={onUnfollow}>
        Unfollow
      </button>
    </li>
  );
}

export function FollowsSection({
  settings,
  onSettings,
}: {
  settings: SettingsView;
  onSettings: (settings: SettingsView) => void;
}) {
  const [view, setView] = useState<FollowsView | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState<Notice | null>(null);
  const [opml, setOpml] = useState<OpmlImportReport | null>(null);
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const live = useRef(true);
  useEffect(
    () => () => {
      live.current = false;
    },
    [],
  );

  const load = () =>
    sendToBackground('follows/list', {}).then(
      (v) => {
        if (!live.current) return;
        setView(v);
        setError('');
      },
      (e: Error) => live.current && setError(`The shows you follow could not be read: ${e.message}`),
    );
  useEffect(() => void load(), []);
  // While a check runs, ask again each second; a new answer schedules the next ask, so polling
  // stops by itself once the scanner is idle (or the page closes, or an ask fails).
  useEffect(() => {
    if (view?.scan.state !== 'running') return;
    const timer = setTimeout(() => void load(), 1000);
    return () => clearTimeout(timer);
  }, [view]);

  const checkNow = () =>
    sendToBackground('scan/run', {}).then(
      (scan) => {
        if (!live.current) return;
        setView((v) => (v ? { ...v, scan } : v));
        // A run that is over already (nothing to check) changed the rows: read them again.
        if (scan.state !== 'running') void load();
      },
      (e: Error) => live.current && setNotice({ ok: false, text: e.message }),
    );

  const run = async (work: () => Promise<Notice>) => {
    setBusy(true);
    setNotice(null);
    try {
      const result = await work();
      if (live.current) setNotice(result);
    } catch (e) {
      if (live.current) setNotice({ ok: false, text: (e as Error).message });
    } finally {
      if (live.current) setBusy(false);
      void load();
    }
  };
  const followResult = async (feedUrl: string): Promise<Notice> => {
    const result = await sendToBackground('follows/add', { feedUrl });
    if (!result.ok)
      return {
        ok: false,
        text: result.error,
        ...(result.needsAccess ? { needsAccess: result.needsAccess, retryUrl: feedUrl } : {}),
      };
    if (live.current) setUrl('');
    return { ok: true, text: `Following ${result.follow.title}.` };
  };
  const follow = (feedUrl: string) => run(() => followResult(feedUrl));
  const submit = () => {
    const typed = url.trim();
    // "example.com/feed.xml" as people copy it from an address bar: https is what feeds use.
    const feedUrl = /^[a-z][\w+.-]*:/i.test(typed) ? typed : `https://${typed}`;
    if (!/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(feedUrl)) {
      setNotice({ ok: false, text: 'Paste the feed’s address: it starts with https:// (or http://).' });
      return;
    }
    void follow(feedUrl);
  };
  const allowAndFollow = (host: string, feedUrl: string) => {
    const asked = askForHost(host);
    void run(async () =>
      (await asked)
        ? followResult(feedUrl)
        : { ok: false, text: `Access to ${host} was not granted, so Earmark cannot read the feed.` },
    );
  };
  const unfollow = (f: FollowView) =>
    run(async () => {
      await sendToBackground('follows/remove', { feedUrl: f.feedUrl });
      return {
        ok: true,
        text: `You no longer follow ${f.title || feedHost(f.feedUrl)}.`,
        undoUrl: f.feedUrl,
      };
    });
  const importOpml = (file: File) => {
    setOpml(null);
    return run(async () => {
      const report = await sendToBackground('follows/import-opml', { text: await file.text() });
      if (live.current) setOpml(report);
      return {
        ok: true,
        text: `Following ${plural(report.added, 'new show')} (${report.already} already followed).`,
      };
    });
  };
  const exportOpml = () =>
    run(async () => {
      const { opml, filename } = await sendToBackground('follows/export-opml', {});
      download(filename, opml, 'text/x-opml');
      return { ok: true, text: `Exported the shows you follow to ${filename}.` };
    });
  const setBrief = (patch: { briefTime?: string; briefNotify?: boolean }) =>
    sendToBackground('settings/set', patch).then(
      (s) => live.current && onSettings(s),
      (e: Error) => setNotice({ ok: false, text: e.message }),
    );

  const follows = view?.follows ?? [];
  const running = view?.scan.state === 'running';
  const scanText = view && (follows.length > 0 || running || view.scan.finishedAt) ? scanLine(view.scan) : '';
  return (
    <section data-testid="follows-section">
      <h2>Shows you follow</h2>
      <p class="muted">
        Earmark checks the feeds of the shows you follow for new episodes, finds their insights, and puts the
        best of the day in your daily brief.
      </p>
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
      {!view && !error && <p class="muted">Reading the shows you follow…</p>}
      {view && follows.length === 0 && (
        <p data-testid="follows-empty">
          You follow no show yet. Follow one from the popup while it plays, paste its feed address, or import
          an OPML file from your podcast app.
        </p>
      )}
      {follows.length > 0 && (
        <ul class="follow-list">
          {follows.map((f) => (
            <FollowRow
              key={f.feedUrl}
              follow={f}
              onUnfollow={() => void unfollow(f)}
              onAllowed={() => void checkNow()}
            />
          ))}
        </ul>
      )}
      {view && (
        <p class="buttons scan">
          <button
            type="button"
            class="secondary"
            data-testid="scan-now"
            disabled={running || follows.length === 0}
            onClick={() => void checkNow()}
          >
            {running ? 'Checking…' : 'Check now'}
          </button>
          {scanText && (
            <span class="muted" role="status" data-testid="scan-progress" data-state={view.scan.state}>
              {scanText}
            </span>
          )}
        </p>
      )}

      <h3>Follow a show by its feed address</h3>
      {/* Our own check, not the browser's: its message would not say what a feed address is. */}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <input
          type="url"
          placeholder="https://example.com/feed.xml"
          aria-label="Feed address"
          data-testid="follow-add-url"
          maxLength={2000}
          value={url}
          onInput={(e) => setUrl((e.target as HTMLInputElement).value)}
        />
        <button type="submit" data-testid="follow-add" disabled={busy || !url.trim()}>
          Follow
        </button>
      </form>

      <p class="buttons">
        <label class="file">
          Import OPML…{' '}
          <input
            type="file"
            accept=".opml,.xml,text/x-opml,text/xml,application/xml"
            data-testid="opml-import"
            disabled={busy}
            onChange={(e) => {
              const input = e.target as HTMLInputElement;
              const file = input.files?.[0];
              if (file) void importOpml(file).finally(() => (input.value = ''));
            }}
          />
        </label>
        <button
          type="button"
          class="secondary"
          data-testid="opml-export"
          disabled={busy || follows.length === 0}
          onClick={() => void exportOpml()}
        >
          Export OPML
        </button>
      </p>

      {notice && (
        <div class="follow-notice">
          <p class={notice.ok ? 'ok-text' : 'error-text'} role="status" data-testid="follows-notice">
            {notice.text}{' '}
            {notice.undoUrl && (
              <button type="button" class="link" disabled={busy} onClick={() => void follow(notice.undoUrl!)}>
                Follow again
              </button>
            )}
          </p>
          {notice.needsAccess && notice.retryUrl && (
            <button
              type="button"
              data-testid="follow-add-allow"
              disabled={busy}
              onClick={() => allowAndFollow(notice.needsAccess!, notice.retryUrl!)}
            >
              Allow {notice.needsAccess} and follow
            </button>
          )}
        </div>
      )}
      {opml && opml.problems.length > 0 && (
        <ul class="opml-problems" data-testid="opml-problems">
          {opml.problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}

      <h3>Daily brief</h3>
      <label>
        Make it each day at{' '}
        <input
          type="time"
          data-testid="brief-time"
          value={settings.briefTime}
          onChange={(e) => {
            const value = (e.target as HTMLInputElement).value;
            if (/^([01]\d|2[0-3]):[0-5]\d$/.test(value)) void setBrief({ briefTime: value });
          }}
        />
      </label>
      <label>
        <input
          type="checkbox"
          data-testid="brief-notify"
          checked={settings.briefNotify}
          onChange={(e) => void setBrief({ briefNotify: (e.target as HTMLInputElement).checked })}
        />{' '}
        Notify me when the brief is ready
      </label>
      <p>
        <a
          href={browser.runtime.getURL('src/ui/library/index.html?view=brief')}
          target="_blank"
          rel="noopener"
          data-testid="open-brief"
        >
          Open today’s brief
        </a>
      </p>
    </section>
  );
}
