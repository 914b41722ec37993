// The options page: the Anthropic API key (kept in the extension's own database, shown only as
// its last four characters, checked without spending), the insight engine, the model, the daily
// budget, how an episode's audio is transcribed when no transcript is published, the shows you
// follow and the daily brief, your data (export, import, erase), and in plain words what leaves
// the device.
import { useEffect, useState } from 'preact/hooks';
import type { EngineChoice, SettingsView } from '../../messages';
import { sendToBackground } from '../../messaging';
import { AccessSection } from './access-section';
import { DataSection } from './data-section';
import { FollowsSection } from './follows-section';
import { SttSection } from './stt-section';

/** Languages offered for insight texts: the browser's own first, then common ones. */
function languageChoices(): { code: string; name: string }[] {
  const codes = [...(navigator.languages ?? []), 'en', 'fr', 'de', 'es', 'it', 'pt', 'nl', 'ja', 'zh'];
  const seen = new Set<string>();
  let names: Intl.DisplayNames | undefined;
  try {
    names = new Intl.DisplayNames([navigator.language || 'en'], { type: 'language' });
  } catch {
    names = undefined;
  }
  return codes
    .filter((c) => /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(c) && !seen.has(c) && seen.add(c))
    .map((code) => ({ code, name: names?.of(code) ?? code }));
}

type Notice = { ok: boolean; text: string } | null;

export function Options() {
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [key, setKey] = useState('');
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    sendToBackground('settings/get', {}).then(setSettings, (e: Error) => setLoadError(e.message));
  }, []);

  const save = async (patch: Parameters<typeof sendToBackground<'settings/set'>>[1], done?: string) => {
    setBusy(true);
    try {
      setSettings(await sendToBackground('settings/set', patch));
      if (done) setNotice({ ok: true, text: done });
    } catch (error) {
      setNotice({ ok: false, text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const test = async () => {
    setBusy(true);
    try {
      const result = await sendToBackground('settings/test-key', key.trim() ? { apiKey: key.trim() } : {});
      setNotice({ ok: result.ok, text: result.message });
    } catch (error) {
      setNotice({ ok: false, text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  if (loadError)
    return (
      <main class="options">
        <p class="error-text" role="alert">
          Earmark’s settings could not be read: {loadError}
        </p>
      </main>
    );
  if (!settings)
    return (
      <main class="options">
        <p class="muted">Loading…</p>
      </main>
    );

  return (
    <main class="options">
      <h1>Earmark settings</h1>

      <section>
        <h2>Insight engine</h2>
        <label>
          Engine{' '}
          <select
            data-testid="engine"
            value={settings.engine}
            onChange={(e) => void save({ engine: (e.target as HTMLSelectElement).value as EngineChoice })}
          >
            <option value="auto">Automatic: Claude when a key is set, else on this device</option>
            <option value="claude">Claude (needs an API key)</option>
            <option value="on-device">
              The browser’s built-in model (Chrome’s Gemini Nano where ready; else Earmark’s own picker)
            </option>
            <option value="local">On this device only (free, nothing leaves the device)</option>
          </select>
        </label>
        <label>
          Insights in{' '}
          <select
            data-testid="language"
            value={settings.language ?? ''}
            onChange={(e) => {
              const value = (e.target as HTMLSelectElement).value;
              void save({ language: value || null });
            }}
          >
            <option value="">the episode’s own language</option>
            {languageChoices().map(({ code, name }) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <p class="muted">
          Claude writes insights in that language; the on-device picker quotes the episode as it is said.
        </p>
        <label>
          <input
            type="checkbox"
            data-testid="youtube-all"
            checked={settings.youtubeAllVideos}
            onChange={(e) => void save({ youtubeAllVideos: (e.target as HTMLInputElement).checked })}
          />{' '}
          On YouTube, open cards on every video
        </label>
        <p class="muted">
          Off: cards open by themselves on videos of 20 minutes or more; on shorter ones they wait, folded, in
          a small pill. The popup lists the insights of every video either way.
        </p>
        <p class="muted" data-testid="effective">
          Now in use:{' '}
          {settings.effectiveEngine === 'claude'
            ? `Claude (${settings.model})`
            : settings.effectiveEngine === 'on-device'
              ? 'the browser’s built-in model, on this device'
              : 'Earmark’s own picker, on this device'}
          .
        </p>
      </section>

      <section>
        <h2>Anthropic API key</h2>
        <p class="muted">
          With your own key, Claude finds better insights. The key stays in Earmark’s own storage in this
          browser: web pages cannot read it, it is never synced or exported, and it is sent only to Anthropic.
        </p>
        <p data-testid="key-state">
          {settings.hasKey ? `A key ending in …${settings.keyHint} is saved.` : 'No key is saved.'}
        </p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (key.trim()) void save({ apiKey: key.trim() }, 'Key saved.').then(() => setKey(''));
          }}
        >
          <input
            type="password"
            autocomplete="off"
            spellcheck={false}
            placeholder="sk-ant-…"
            aria-label="API key"
            data-testid="key-input"
            value={key}
            onInput={(e) => setKey((e.target as HTMLInputElement).value)}
          />
          <button type="submit" disabled={busy || !key.trim()}>
            Save
          </button>
          <button
            type="button"
            class="secondary"
            disabled={busy || (!key.trim() && !settings.hasKey)}
            onClick={test}
          >
            Test
          </button>
          {settings.hasKey && (
            <button
              type="button"
              class="secondary"
              disabled={busy}
              onClick={() => void save({ apiKey: null }, 'Key forgotten.')}
            >
              Forget the key
            </button>
          )}
        </form>
        <label>
          Model{' '}
          <input
            type="text"
            data-testid="model"
            value={settings.model}
            onChange={(e) => void save({ model: (e.target as HTMLInputElement).value })}
          />
        </label>
        <label>
          Daily budget (US$){' '}
          <input
            type="number"
            min={0}
            step={0.1}
            data-testid="budget"
            value={settings.dailyBudgetUsd}
            onChange={(e) => void save({ dailyBudgetUsd: Number((e.target as HTMLInputElement).value) || 0 })}
          />
        </label>
        <p class="muted">
          Spent today: ${settings.spentTodayUsd.toFixed(2)}. Past the budget, Earmark uses the engine on this
          device until tomorrow.
        </p>
        {notice && (
          <p class={notice.ok ? 'ok-text' : 'error-text'} role="status" data-testid="notice">
            {notice.text}
          </p>
        )}
      </section>

      <SttSection settings={settings} onSettings={setSettings} />

      <FollowsSection settings={settings} onSettings={setSettings} />

      <DataSection />

      <AccessSection />

      <section>
        <h2>What leaves this device</h2>
        <ul>
          <li>
            To find a transcript: requests, without cookies, for the show’s feed and transcript files at the
            addresses the page or the feed names, and, when the page names no feed, a search of Apple’s public
            podcast directory by the show’s name and the episode’s title.
          </li>
          <li>
            For the shows you follow: their feeds, checked on a timer, and the transcripts of their new
            episodes, fetched the same way.
          </li>
          <li>
            With Claude: the episode’s transcript, sent to Anthropic with your key, to find its insights.
          </li>
          <li>
            When you ask to transcribe an episode: its audio, read from the address its feed or page gives;
            with Whisper, the speech model, downloaded once from Hugging Face, and nothing more (the audio
            stays on this device); with a transcription service, the audio, sent to that service with your
            key.
          </li>
          <li>Nothing else, and nothing to us: Earmark has no server.</li>
        </ul>
      </section>
    </main>
  );
}
