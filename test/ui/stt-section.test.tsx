// @vitest-environment happy-dom
// The options page's "Transcription": the engine choice, the Whisper model (and deleting it once
// downloaded), the service's address, model, price and key (saved as a settings patch, access to
// its origin asked for within the click, refusals and mistakes said in words), against a mocked
// background and extension API.
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import browser from 'webextension-polyfill';
import type { SettingsView, SttSettingsView } from '../../src/messages';
import { sendToBackground } from '../../src/messaging';
import { checkService, covers, SttSection } from '../../src/ui/options/stt-section';

vi.mock('../../src/messaging', () => ({ sendToBackground: vi.fn() }));
vi.mock('webextension-polyfill', () => ({
  default: { permissions: { request: vi.fn(), getAll: vi.fn() } },
}));

type Handler = (payload: Record<string, unknown>) => unknown;
const send = sendToBackground as unknown as Mock<(type: string, payload: Record<string, unknown>) => unknown>;
const request = browser.permissions.request as unknown as Mock<
  (p: { origins: string[] }) => Promise<boolean>
>;
const getAll = browser.permissions.getAll as unknown as Mock<() => Promise<{ origins?: string[] }>>;

function backend(handlers: Record<string, Handler>) {
  send.mockImplementation(async (type, payload) => {
    const handler = handlers[type];
    if (!handler) throw new Error(`unexpected message ${type}`);
    return handler(payload);
  });
}
const calls = (type: string) => send.mock.calls.filter(([t]) => t === type).map(([, p]) => p);

const sttDefaults: SttSettingsView = {
  engine: 'whisper',
  whisperModel: 'onnx-community/whisper-tiny.en',
  whisperCached: false,
  baseUrl: 'https://api.openai.com/v1',
  model: 'whisper-1',
  hasKey: false,
  pricePerMinute: 0.006,
};
const settingsWith = (stt: Partial<SttSettingsView> = {}): SettingsView => ({
  engine: 'auto',
  model: 'm',
  hasKey: false,
  dailyBudgetUsd: 1,
  youtubeAllVideos: false,
  briefTime: '08:00',
  briefNotify: true,
  spentTodayUsd: 0,
  effectiveEngine: 'local',
  stt: { ...sttDefaults, ...stt },
});

let root: HTMLElement;
const $ = (testid: string) => root.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
const text = (testid: string) => $(testid)?.textContent ?? null;
const type = async (testid: string, value: string) => {
  const input = $(testid) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await Promise.resolve();
};

/** Lets pending promises and Preact's re-render run (a task's turn, not a timed wait). */
const flush = () => new Promise((resolve) => setTimeout(resolve));

/** The section as the options page holds it: the settings it shows follow the background's answers. */
function mount(initial: SettingsView) {
  const onSettings = vi.fn((s: SettingsView) => {
    render(<SttSection settings={s} onSettings={onSettings} />, root);
  });
  render(<SttSection settings={initial} onSettings={onSettings} />, root);
  return onSettings;
}
/** A settings/set that applies the patch's stt part as the background would (keys kept as hints). */
function settingsStore(initial: SettingsView) {
  let current = initial;
  return {
    'settings/set': (patch: Record<string, unknown>) => {
      const p = patch.stt as Record<string, unknown>;
      const stt = { ...current.stt };
      if (p.engine) stt.engine = p.engine as SttSettingsView['engine'];
      if (p.whisperModel) stt.whisperModel = p.whisperModel as string;
      if ('baseUrl' in p) stt.baseUrl = (p.baseUrl as string | null) ?? sttDefaults.baseUrl;
      if ('model' in p) stt.model = (p.model as string | null) ?? sttDefaults.model;
      if ('pricePerMinute' in p) stt.pricePerMinute = (p.pricePerMinute as number | null) ?? 0.006;
      if (p.apiKey === null) {
        stt.hasKey = false;
        delete stt.keyHint;
      } else if (typeof p.apiKey === 'string') {
        stt.hasKey = true;
        stt.keyHint = p.apiKey.slice(-4);
      }
      current = { ...current, stt };
      return current;
    },
    'settings/get': () => current,
  };
}

beforeEach(() => {
  send.mockReset();
  request.mockReset();
  getAll.mockReset();
  getAll.mockResolvedValue({ origins: ['https://itunes.apple.com/*', 'https://api.anthropic.com/*'] });
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

describe('covers', () => {
  it.each([
    ['https://api.openai.com/*', 'https://api.openai.com', true],
    ['https://api.openai.com/*', 'http://api.openai.com', false],
    ['*://api.openai.com/*', 'http://api.openai.com', true],
    ['https://*/*', 'https://stt.example.org', true],
    ['https://*.example.org/*', 'https://stt.example.org', true],
    ['https://*.example.org/*', 'https://example.org', true],
    ['https://*.example.org/*', 'https://badexample.org', false],
    ['<all_urls>', 'http://localhost:8080', true],
    ['http://localhost/*', 'http://localhost:8080', true],
    ['https://api.anthropic.com/*', 'https://api.openai.com', false],
  ])('%s covers %s: %s', (pattern, origin, expected) => {
    expect(covers(pattern, origin)).toBe(expected);
  });
});

describe('checkService', () => {
  const fields = { baseUrl: 'https://stt.example.org/v1', model: 'whisper-1', price: '0.006', key: '' };
  it.each([
    [{ baseUrl: 'not an address' }, '“not an address” is not a web address'],
    [{ baseUrl: 'ftp://stt.example.org/v1' }, 'must start with https://'],
    [{ price: 'cheap' }, 'The price per minute must be a number of US dollars'],
    [{ price: '-1' }, 'The price per minute must be a number'],
    [{ model: 'whisper 1' }, 'The model’s name may hold only'],
    [{ key: 'short' }, 'That key does not look like an API key'],
  ])('%o: %s', (over, words) => {
    const result = checkService({ ...fields, ...over });
    expect('error' in result && result.error).toContain(words);
  });
  it('turns empty fields into defaults and leaves the key out when none was typed', () => {
    expect(checkService({ baseUrl: ' ', model: '', price: '', key: '' })).toEqual({
      origin: 'https://api.openai.com',
      patch: { baseUrl: null, model: null, pricePerMinute: null },
    });
  });
});

describe('the options page’s transcription', () => {
  it('says what it is for and switches the engine with a patch', async () => {
    const store = settingsStore(settingsWith());
    backend(store);
    const onSettings = mount(settingsWith());
    expect($('stt-section')!.textContent).toContain(
      'When an episode has no published transcript, Earmark can transcribe its audio. It starts only when you ask, in the popup.',
    );
    expect(($('stt-engine-whisper') as HTMLInputElement).checked).toBe(true);
    expect($('stt-service')).toBeNull();
    $('stt-engine-openai')!.click();
    await vi.waitFor(() => expect($('stt-service')).not.toBeNull());
    expect(calls('settings/set')).toEqual([{ stt: { engine: 'openai' } }]);
    expect(onSettings).toHaveBeenCalledTimes(1);
    expect(($('stt-engine-openai') as HTMLInputElement).checked).toBe(true);
    expect($('stt-whisper')).toBeNull();
  });

  it('lists the Whisper models with their sizes and saves the one chosen', async () => {
    backend(settingsStore(settingsWith()));
    mount(settingsWith());
    const select = $('stt-whisper-model') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'Whisper tiny (English), 44 MB',
      'Whisper base (English), 80 MB',
      'Whisper base (99 languages), 80 MB',
      'Whisper small (99 languages), 252 MB',
    ]);
    expect(text('stt-whisper-state')).toBe('Downloaded the first time you transcribe.');
    expect($('stt-delete-model')).toBeNull();
    select.value = 'onnx-community/whisper-base';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await vi.waitFor(() =>
      expect(calls('settings/set')).toEqual([{ stt: { whisperModel: 'onnx-community/whisper-base' } }]),
    );
    await vi.waitFor(() =>
      expect(($('stt-whisper-model') as HTMLSelectElement).value).toBe('onnx-community/whisper-base'),
    );
  });

  it('deletes a downloaded model and reads the settings again', async () => {
    const store = settingsStore(settingsWith({ whisperCached: true }));
    backend({
      ...store,
      'stt/delete-model': () => ({ deleted: 1 }),
      // The background's next answer says the model is gone.
      'settings/get': () => settingsWith({ whisperCached: false }),
    });
    mount(settingsWith({ whisperCached: true }));
    expect(text('stt-whisper-state')).toBe('Downloaded.');
    $('stt-delete-model')!.click();
    await vi.waitFor(() => expect(text('stt-notice')).toBe('Deleted the downloaded model.'));
    expect(calls('stt/delete-model')).toEqual([{}]);
    expect(calls('settings/get')).toHaveLength(1);
    expect(text('stt-whisper-state')).toBe('Downloaded the first time you transcribe.');
    expect($('stt-delete-model')).toBeNull();
  });

  it('saves the service’s address, model, price and key, asking for the new origin in the click', async () => {
    const initial = settingsWith({ engine: 'openai' });
    backend(settingsStore(initial));
    request.mockResolvedValue(true);
    mount(initial);
    expect(text('stt-key-state')).toBe('No key is saved. ');
    await type('stt-base-url', 'https://stt.example.org/v1');
    await type('stt-model', 'whisper-large-v3');
    await type('stt-price', '0.0111');
    await type('stt-key', 'sk-test-1234abcd');
    $('stt-save')!.click();
    // Asked at once: an await before it would lose the user's gesture.
    expect(request).toHaveBeenCalledWith({ origins: ['https://stt.example.org/*'] });
    await vi.waitFor(() => expect(text('stt-notice')).toBe('Saved.'));
    expect(calls('settings/set')).toEqual([
      {
        stt: {
          baseUrl: 'https://stt.example.org/v1',
          model: 'whisper-large-v3',
          pricePerMinute: 0.0111,
          apiKey: 'sk-test-1234abcd',
        },
      },
    ]);
    expect(($('stt-key') as HTMLInputElement).value).toBe('');
    expect(text('stt-key-state')).toContain('A key ending in …abcd is saved.');
    expect(($('stt-base-url') as HTMLInputElement).value).toBe('https://stt.example.org/v1');
    // The key itself is never shown back.
    expect(root.textContent).not.toContain('sk-test-1234abcd');
    expect([...root.querySelectorAll('input')].map((i) => i.value)).not.toContain('sk-test-1234abcd');
  });

  it('does not ask again for an origin already granted', async () => {
    getAll.mockResolvedValue({ origins: ['https://api.openai.com/*'] });
    const initial = settingsWith({ engine: 'openai' });
    backend(settingsStore(initial));
    mount(initial);
    await vi.waitFor(() => expect(getAll).toHaveBeenCalled());
    await flush();
    $('stt-save')!.click();
    await vi.waitFor(() => expect(text('stt-notice')).toBe('Saved.'));
    expect(request).not.toHaveBeenCalled();
    expect(calls('settings/set')).toEqual([
      { stt: { baseUrl: 'https://api.openai.com/v1', model: 'whisper-1', pricePerMinute: 0.006 } },
    ]);
  });

  it('saves anyway when access is refused, and says the service cannot be reached until allowed', async () => {
    const initial = settingsWith({ engine: 'openai' });
    backend(settingsStore(initial));
    request.mockResolvedValue(false);
    mount(initial);
    await type('stt-base-url', 'https://stt.example.org/v1');
    $('stt-save')!.click();
    await vi.waitFor(() =>
      expect(text('stt-notice')).toBe(
        'Saved, but access to stt.example.org was not granted: Earmark may not be able to reach that service until you allow it (save again to be asked).',
      ),
    );
    expect(calls('settings/set')).toHaveLength(1);
    expect($('stt-notice')!.className).toBe('error-text');
  });

  it('forgets the key', async () => {
    const initial = settingsWith({ engine: 'openai', hasKey: true, keyHint: 'wxyz' });
    backend(settingsStore(initial));
    mount(initial);
    expect(text('stt-key-state')).toBe('A key ending in …wxyz is saved. Forget the key');
    $('stt-forget-key')!.click();
    await vi.waitFor(() => expect(text('stt-notice')).toBe('Key forgotten.'));
    expect(calls('settings/set')).toEqual([{ stt: { apiKey: null } }]);
    expect(text('stt-key-state')).toBe('No key is saved. ');
    expect($('stt-forget-key')).toBeNull();
  });

  it.each([
    ['stt-base-url', 'api.openai', '“api.openai” is not a web address'],
    ['stt-price', 'six tenths of a cent', 'The price per minute must be a number of US dollars'],
  ])('says what is wrong with %s = %s and sends nothing', async (field, value, words) => {
    const initial = settingsWith({ engine: 'openai' });
    backend(settingsStore(initial));
    mount(initial);
    await type(field, value);
    $('stt-save')!.click();
    await vi.waitFor(() => expect(text('stt-notice')).toContain(words));
    expect($('stt-notice')!.className).toBe('error-text');
    expect(request).not.toHaveBeenCalled();
    expect(send).not.toHaveBeenCalled();
  });

  it('shows a failed save in words', async () => {
    backend({
      'settings/set': () => {
        throw new Error('Earmark’s background did not answer.');
      },
    });
    request.mockResolvedValue(true);
    mount(settingsWith({ engine: 'openai' }));
    await type('stt-key', 'sk-test-1234abcd');
    $('stt-save')!.click();
    await vi.waitFor(() => expect(text('stt-notice')).toBe('Earmark’s background did not answer.'));
    // The key typed stays for another try.
    expect(($('stt-key') as HTMLInputElement).value).toBe('sk-test-1234abcd');
  });
});
