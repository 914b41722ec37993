// The options page's "Your data": what the library holds, export (the whole library as JSON, a
// day's list as Markdown), import of an export file (merged, never duplicated), and erasing
// everything after an explicit confirmation.
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { localDay } from '../../core/library/day';
import { ERASE_CONFIRMATION } from '../../message-names';
import type { ImportReport, LibraryStats } from '../../messages';
import { sendToBackground } from '../../messaging';
import { download } from '../components/download';
import { plural } from '../../core/text/plural';

type Notice = { ok: boolean; text: string } | null;

function describeImport(r: ImportReport): string {
  const added = Object.entries(r.added)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${n === 1 ? kind.replace(/s$/, '') : kind}`);
  const parts = [
    added.length ? `Added ${added.join(', ')}.` : 'Nothing new to add.',
    r.merged ? `${plural(r.merged, 'record')} completed.` : '',
    r.unchanged ? `${plural(r.unchanged, 'record')} already here.` : '',
    r.problems.length
      ? `${plural(r.problems.length, 'problem')}: ${r.problems.slice(0, 3).join(' ')}${r.problems.length > 3 ? ' …' : ''}`
      : '',
  ];
  return parts.filter(Boolean).join(' ');
}

function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${Math.max(1, Math.round(n / 1024))} kB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}

export function DataSection() {
  const [stats, setStats] = useState<LibraryStats | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const refresh = () =>
    sendToBackground('library/stats', {}).then(setStats, (e: Error) =>
      setNotice({ ok: false, text: `The library could not be read: ${e.message}` }),
    );
  useEffect(() => void refresh(), []);

  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    setNotice(null);
    try {
      setNotice({ ok: true, text: await work() });
    } catch (error) {
      setNotice({ ok: false, text: (error as Error).message });
    } finally {
      setBusy(false);
      void refresh();
    }
  };

  const exportAll = () =>
    run(async () => {
      const { json, filename } = await sendToBackground('library/export', {});
      download(filename, json, 'application/json');
      return `Exported to ${filename}.`;
    });
  const exportToday = () =>
    run(async () => {
      const { markdown, filename } = await sendToBackground('library/export-day', {
        day: localDay(new Date()),
      });
      download(filename, markdown, 'text/markdown');
      return `Exported today’s list to ${filename}.`;
    });
  const importFile = (file: File) =>
    run(async () => describeImport(await sendToBackground('library/import', { json: await file.text() })));
  const erase = () =>
    run(async () => {
      await sendToBackground('library/erase', { confirm: ERASE_CONFIRMATION });
      setConfirming(false);
      return 'Everything Earmark stored is erased.';
    });

  return (
    <section data-testid="data">
      <h2>Your data</h2>
      <p class="muted" data-testid="stats">
        {stats
          ? `${plural(stats.episodes, 'episode')}, ${plural(stats.insights, 'insight')}, ${plural(
              stats.saved,
              'saved insight',
            )} on ${plural(stats.days, 'day')}, ${plural(stats.transcripts, 'cached transcript')}${
              stats.usageBytes !== undefined ? ` · ${formatBytes(stats.usageBytes)} used` : ''
            }.`
          : 'Reading the library…'}
      </p>
      <p class="buttons">
        <button type="button" data-testid="export" disabled={busy} onClick={() => void exportAll()}>
          Export the library (JSON)
        </button>
        <button
          type="button"
          class="secondary"
          data-testid="export-today"
          disabled={busy}
          onClick={() => void exportToday()}
        >
          Export today’s list (Markdown)
        </button>
        <label class="file">
          Import an export file{' '}
          <input
            type="file"
            accept=".json,application/json"
            data-testid="import"
            disabled={busy}
            onChange={(e) => {
              const input = e.target as HTMLInputElement;
              const file = input.files?.[0];
              if (file) void importFile(file).finally(() => (input.value = ''));
            }}
          />
        </label>
      </p>
      <p>
        <a href={browser.runtime.getURL('src/ui/library/index.html')} target="_blank" rel="noopener">
          Open your saved insights
        </a>
      </p>
      <p class="muted">
        The export holds your episodes, insights, saved lists with notes, follows and briefs. It never holds
        your API key; cached transcripts are left out (Earmark finds them again).
      </p>
      {!confirming ? (
        <button
          type="button"
          class="danger"
          data-testid="erase"
          disabled={busy}
          onClick={() => setConfirming(true)}
        >
          Erase everything…
        </button>
      ) : (
        <div role="alertdialog" aria-label="Confirm erasing" class="confirm">
          <p>
            Erase every episode, insight, saved list, note, follow and brief, the cached transcripts, your
            settings and your API key? This cannot be undone: export first to keep a copy.
          </p>
          <button
            type="button"
            class="danger"
            data-testid="erase-confirm"
            disabled={busy}
            onClick={() => void erase()}
          >
            Yes, erase everything
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      {notice && (
        <p class={notice.ok ? 'ok-text' : 'error-text'} role="status" data-testid="data-notice">
          {notice.text}
        </p>
      )}
    </section>
  );
}
