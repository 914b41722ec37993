// The options page's "Transcription": how Earmark transcribes an episode's audio when no transcript
// is published — Whisper on this device (which model, whether it is downloaded, deleting it) or an
// OpenAI-compatible service (its address, model, price per minute and key). Saving a service's
// address asks for access to its origin, within the click, as the browser requires.
import { useEffect, useRef, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { WHISPER_MODELS, type SettingsView, type SttEngine, type SttSettingsView } from '../../messages';
import { sendToBackground } from '../../messaging';

type SttPatch = NonNullable<Parameters<typeof sendToBackground<'settings/set'>>[1]['stt']>;
type Notice = { ok: boolean; text: string } | null;

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** Whether a granted match pattern ("https://*.example.com/*", "<all_urls>") covers an origin. */
export function covers(pattern: string, origin: string): boolean {
  if (pattern === '<all_urls>') return true;
  const m = /^(\*|https?):\/\/([^/]+)\/\*$/.exec(pattern);
  const o = /^(https?):\/\/([^/:]+)/.exec(origin);
  if (!m || !o) return false;
  const [, scheme, host] = m as unknown as [string, string, string];
  const [, oScheme, oHost] = o as unknown as [string, string, string];
  if (scheme !== '*' && scheme !== oScheme) return false;
  if (host === '*') return true;
  if (host.startsWith('*.')) return oHost === host.slice(2) || oHost.endsWith(host.slice(1));
  return host.replace(/:\d+$/, '') === oHost;
}

/** The form's fields checked, in words; the patch they make when they are right. */
export function checkService(fields: {
  baseUrl: string;
  model: string;
  price: string;
  key: string;
}): { error: string } | { patch: SttPatch; origin: string } {
  const baseUrl = fields.baseUrl.trim() || DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return {
      error: `“${baseUrl}” is not a web address: the service’s address looks like ${DEFAULT_BASE_URL}.`,
    };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return {
      error: `The service’s address must start with https:// (or http://), like ${DEFAULT_BASE_URL}.`,
    };
  const model = fields.model.trim();
  if (model && !/^[\w./:-]{1,100}$/.test(model))
    return { error: 'The model’s name may hold only letters, digits and . / : - _ (like whisper-1).' };
  const priceText = fields.price.trim();
  const price = Number(priceText);
  if (priceText && (!Number.isFinite(price) || price < 0 || price > 10))
    return { error: 'The price per minute must be a number of US dollars from 0 to 10, like 0.006.' };
  const key = fields.key.trim();
  if (key && (key.length < 8 || key.length > 400 || !/^[\x21-\x7e]+$/.test(key)))
    return { error: 'That key does not look like an API key: paste it whole, without spaces.' };
  return {
    origin: url.origin,
    patch: {
      // Empty fields go back to the defaults.
      baseUrl: fields.baseUrl.trim() ? baseUrl : null,
      model: model || null,
      pricePerMinute: priceText ? price : null,
      ...(key ? { apiKey: key } : {}),
    },
  };
}

const modelLabel = (m: (typeof WHISPER_MODELS)[number]) =>
  `${m.label}, ${Math.round(m.bytes / 1_000_000)} MB`;

export function SttSection({
  settings,
  onSettings,
}: {
  settings: SettingsView;
  onSettings: (settings: SettingsView) => void;
}) {
  const stt: SttSettingsView = settings.stt;
  const [baseUrl, setBaseUrl] = useState(stt.baseUrl);
  const [model, setModel] = useState(stt.model);
  const [price, setPrice] = useState(String(stt.pricePerMinute));
  const [key, setKey] = useState('');
  const [granted, setGranted] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  // The saved values, shown again when they change (a save, a reset to the defaults); compared
  // with the last ones seen, as the effect also runs after the first render, maybe after typing.
  const saved = `${stt.baseUrl} ${stt.model} ${stt.pricePerMinute}`;
  const seen = useRef(saved);
  useEffect(() => {
    if (seen.current === saved) return;
    seen.current = saved;
    setBaseUrl(stt.baseUrl);
    setModel(stt.model);
    setPrice(String(stt.pricePerMinute));
  }, [saved]);
  // Read now so that Save knows, inside its click, whether the service's origin must be asked for.
  const loadGranted = () =>
    browser.permissions.getAll().then(
      (all) => setGranted(all.origins ?? []),
      () => setGranted(null),
    );
  useEffect(() => void loadGranted(), []);

  const run = async (work: () => Promise<string | Notice>) => {
    setBusy(true);
    setNotice(null);
    try {
      const result = await work();
      setNotice(typeof result === 'string' ? { ok: true, text: result } : result);
    } catch (error) {
      setNotice({ ok: false, text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };
  const patch = async (stt: SttPatch) => onSettings(await sendToBackground('settings/set', { stt }));
  const setEngine = (engine: SttEngine) =>
    run(async () => {
      await patch({ engine });
      return engine === 'whisper' ? 'Transcribing on this device.' : 'Transcribing with the service.';
    });

  const save = () => {
    const checked = checkService({ baseUrl, model, price, key });
    if ('error' in checked) {
      setNotice({ ok: false, text: checked.error });
      return;
    }
    const host = new URL(checked.origin).host;
    // Asked first thing in the click: the browser grants only within the user's gesture. Unknown
    // grants (the list could not be read): asked anyway, a grant already held is not asked again.
    const asked =
      granted && granted.some((p) => covers(p, checked.origin))
        ? Promise.resolve(true)
        : browser.permissions.request({ origins: [`${checked.origin}/*`] });
    void run(async () => {
      // Saved at once, whatever the answer to the request (which waits for the user).
      await patch(checked.patch);
      setKey('');
      const allowed = await asked.catch(() => false);
      void loadGranted();
      return allowed
        ? 'Saved.'
        : {
            ok: false,
            text: `Saved, but access to ${host} was not granted: Earmark may not be able to reach that service until you allow it (save again to be asked).`,
          };
    });
  };

  const deleteModel = () =>
    run(async () => {
      const { deleted } = await sendToBackground('stt/delete-model', {});
      onSettings(await sendToBackground('settings/get', {}));
      return deleted > 0 ? 'Deleted the downloaded model.' : 'Deleted: no model was left on this device.';
    });

  return (
    <section data-testid="stt-section">
      <h2>Transcription</h2>
      <p class="muted">
        When an episode has no published transcript, Earmark can transcribe its audio. It starts only when you
        ask, in the popup.
      </p>
      <fieldset class="choices" disabled={busy}>
        <legend>Transcribe</legend>
        <label class="check">
          <input
            type="radio"
            name="stt-engine"
            value="whisper"
            data-testid="stt-engine-whisper"
            checked={stt.engine === 'whisper'}
            onChange={() => void setEngine('whisper')}
          />{' '}
          On this device (Whisper)
        </label>
        <label class="check">
          <input
            type="radio"
            name="stt-engine"
            value="openai"
            data-testid="stt-engine-openai"
            checked={stt.engine === 'openai'}
            onChange={() => void setEngine('openai')}
          />{' '}
          A transcription service (OpenAI-compatible)
        </label>
      </fieldset>

      {stt.engine === 'whisper' ? (
        <div data-testid="stt-whisper">
          <label>
            Model{' '}
            <select
              data-testid="stt-whisper-model"
              value={stt.whisperModel}
              disabled={busy}
              onChange={(e) => {
                const whisperModel = (e.target as HTMLSelectElement).value as SttPatch['whisperModel'];
                void run(async () => {
                  await patch({ whisperModel });
                  return 'Model chosen.';
                });
              }}
            >
              {WHISPER_MODELS.map((m) => (
                <option key={m.id} value={m.id}>
                  {modelLabel(m)}
                </option>
              ))}
            </select>
          </label>
          <p class="buttons">
            <span class="muted" data-testid="stt-whisper-state">
              {stt.whisperCached ? 'Downloaded.' : 'Downloaded the first time you transcribe.'}
            </span>
            {stt.whisperCached && (
              <button
                type="button"
                class="secondary"
                data-testid="stt-delete-model"
                disabled={busy}
                onClick={() => void deleteModel()}
              >
                Delete the downloaded model
              </button>
            )}
          </p>
          <p class="muted">Whisper runs in the browser: the audio never leaves this device.</p>
        </div>
      ) : (
        <div data-testid="stt-service">
          <p class="muted">
            The episode’s audio is sent to the service, in two-minute pieces, with your key; the key is kept
            in Earmark’s own storage in this browser and sent only to that service.
          </p>
          <p data-testid="stt-key-state">
            {stt.hasKey ? `A key ending in …${stt.keyHint ?? ''} is saved.` : 'No key is saved.'}{' '}
            {stt.hasKey && (
              <button
                type="button"
                class="secondary"
                data-testid="stt-forget-key"
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    await patch({ apiKey: null });
                    return 'Key forgotten.';
                  })
                }
              >
                Forget the key
              </button>
            )}
          </p>
          {/* Our own checks, not the browser's: they say what the field should hold. */}
          <form
            class="stt-form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              save();
            }}
          >
            <label>
              Address{' '}
              <input
                type="url"
                data-testid="stt-base-url"
                placeholder={DEFAULT_BASE_URL}
                value={baseUrl}
                onInput={(e) => setBaseUrl((e.target as HTMLInputElement).value)}
              />
            </label>
            <label>
              Model{' '}
              <input
                type="text"
                data-testid="stt-model"
                placeholder="whisper-1"
                value={model}
                onInput={(e) => setModel((e.target as HTMLInputElement).value)}
              />
            </label>
            <label>
              Price per minute (US$){' '}
              <input
                type="text"
                inputMode="decimal"
                data-testid="stt-price"
                value={price}
                onInput={(e) => setPrice((e.target as HTMLInputElement).value)}
              />
            </label>
            <label>
              API key{' '}
              <input
                type="password"
                autocomplete="off"
                spellcheck={false}
                placeholder={stt.hasKey ? 'Leave empty to keep the saved key' : 'sk-…'}
                data-testid="stt-key"
                value={key}
                onInput={(e) => setKey((e.target as HTMLInputElement).value)}
              />
            </label>
            <p class="buttons">
              <button type="submit" data-testid="stt-save" disabled={busy}>
                Save
              </button>
            </p>
          </form>
          <p class="muted">The price gives the estimate the popup shows before you transcribe.</p>
        </div>
      )}
      {notice && (
        <p class={notice.ok ? 'ok-text' : 'error-text'} role="status" data-testid="stt-notice">
          {notice.text}
        </p>
      )}
    </section>
  );
}
