// @vitest-environment happy-dom
// The popup's offer to transcribe an episode's audio (who, how long, the cost or the download, or
// why it cannot start) and the work once started (minutes, activity, Pause, Resume, Try again,
// Allow <host>), and the transcript panel's words for a transcript made from the audio, against a
// mocked background and extension API.
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import browser from 'webextension-polyfill';
import type { TranscribeOffer, TranscriptionView, TranscriptStatus } from '../../src/messages';
import { sendToBackground } from '../../src/messaging';
import { minutesDone, TranscribePanel } from '../../src/ui/popup/transcribe-panel';
import { TranscriptPanel } from '../../src/ui/popup/transcript-panel';

vi.mock('../../src/messaging', () => ({ sendToBackground: vi.fn() }));
vi.mock('webextension-polyfill', () => ({
  default: {
    permissions: { request: vi.fn() },
    runtime: { openOptionsPage: vi.fn(async () => undefined) },
  },
}));

type Handler = (payload: Record<string, unknown>) => unknown;
const send = sendToBackground as unknown as Mock<(type: string, payload: Record<string, unknown>) => unknown>;
const request = browser.permissions.request as unknown as Mock<
  (p: { origins: string[] }) => Promise<boolean>
>;

/** Answers each message type with its handler; any other type fails as the router would. */
function backend(handlers: Record<string, Handler>) {
  send.mockImplementation(async (type, payload) => {
    const handler = handlers[type];
    if (!handler) throw new Error(`unexpected message ${type}`);
    return handler(payload);
  });
}
const calls = (type: string) => send.mock.calls.filter(([t]) => t === type).map(([, p]) => p);

const EPISODE = 'ep_abc123';
const job = (over: Partial<TranscriptionView> = {}): TranscriptionView => ({
  state: 'running',
  engine: 'whisper',
  by: 'Whisper tiny.en on this device',
  doneSeconds: 12 * 60 + 30,
  totalSeconds: 57 * 60 + 10,
  updatedAt: '2026-03-01T10:00:00.000Z',
  ...over,
});

let root: HTMLElement;
const $ = (testid: string) => root.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
const text = (testid: string) => $(testid)?.textContent ?? null;

beforeEach(() => {
  send.mockReset();
  request.mockReset();
  vi.mocked(browser.runtime.openOptionsPage).mockClear();
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

const mount = (props: { offer?: TranscribeOffer; transcription?: TranscriptionView }) =>
  render(
    <TranscribePanel episodeId={EPISODE} offer={props.offer} transcription={props.transcription} />,
    root,
  );

describe('minutesDone', () => {
  it.each([
    [0, 600, '0 of 10 minutes'],
    [59, 601, '0 of 11 minutes'],
    [12 * 60 + 59, 58 * 60, '12 of 58 minutes'],
    [60, 60, '1 of 1 minute'],
    [12 * 60, undefined, '12 minutes'],
    [61, undefined, '1 minute'],
  ])('%s s of %s s: %s', (doneSeconds, totalSeconds, expected) => {
    expect(minutesDone({ doneSeconds, ...(totalSeconds ? { totalSeconds } : {}) })).toBe(expected);
  });
});

describe('the offer to transcribe', () => {
  it('names the service, the length, the estimated cost at the set price, and where the audio goes', async () => {
    mount({
      offer: {
        engine: 'openai',
        by: 'whisper-1 at api.openai.com',
        audio: true,
        durationSeconds: 57 * 60 + 40,
        costUsd: 0.3465,
        host: 'api.openai.com',
        pricePerMinute: 0.006,
      },
    });
    expect($('transcribe')!.textContent).toContain(
      'No transcript is published. Earmark can transcribe the audio.',
    );
    expect(text('transcribe-by')).toBe('By whisper-1 at api.openai.com: 58 min of audio.');
    await vi.waitFor(() =>
      expect(text('transcribe-cost')).toBe(
        'About $0.35 at $0.006 a minute (an estimate, at the price set in the options).',
      ),
    );
    expect(text('transcribe-privacy')).toBe('The audio is sent to api.openai.com with your key.');
    expect($('transcribe-start')!.textContent).toBe('Transcribe');
    expect(send).not.toHaveBeenCalledWith('stt/start', expect.anything());
  });

  it('states the model to download once for Whisper, or none when it is on the device', () => {
    mount({
      offer: {
        engine: 'whisper',
        by: 'Whisper tiny.en on this device',
        audio: true,
        durationSeconds: 600,
        downloadBytes: 41_000_000,
      },
    });
    expect(text('transcribe-privacy')).toBe(
      'Downloads the speech model once (41 MB), then runs on this device: the audio never leaves it.',
    );
    expect($('transcribe-cost')).toBeNull();
    // Whisper needs no settings read: nothing is sent before the click.
    expect(send).not.toHaveBeenCalled();

    mount({ offer: { engine: 'whisper', by: 'Whisper tiny.en on this device', audio: true } });
    expect(text('transcribe-by')).toBe('By Whisper tiny.en on this device.');
    expect(text('transcribe-privacy')).toBe('Runs on this device: the audio never leaves it.');
  });

  it('starts transcribing the episode on Transcribe and shows the answer at once', async () => {
    let resolve!: (v: TranscriptionView) => void;
    backend({ 'stt/start': () => new Promise((r) => (resolve = r)) });
    mount({ offer: { engine: 'whisper', by: 'Whisper tiny.en on this device', audio: true } });
    $('transcribe-start')!.click();
    await vi.waitFor(() => expect(($('transcribe-start') as HTMLButtonElement).disabled).toBe(true));
    expect(calls('stt/start')).toEqual([{ episodeId: EPISODE }]);
    resolve(job({ doneSeconds: 0, totalSeconds: 600 }));
    await vi.waitFor(() => expect(text('transcribe-minutes')).toBe('0 of 10 minutes transcribed'));
    expect($('transcribe-start')).toBeNull();
  });

  it('says why it cannot start and opens the options instead of a Transcribe button', () => {
    mount({
      offer: {
        engine: 'openai',
        by: 'whisper-1 at api.openai.com',
        audio: true,
        blocked: 'No key for the transcription service is saved: add one in the options.',
      },
    });
    expect(text('transcribe-blocked')).toBe(
      'No key for the transcription service is saved: add one in the options.',
    );
    expect($('transcribe-start')).toBeNull();
    $('transcribe-options')!.click();
    expect(browser.runtime.openOptionsPage).toHaveBeenCalledTimes(1);
  });

  it('says no audio address is known, with no button the options could not help', () => {
    mount({ offer: { engine: 'whisper', by: 'Whisper tiny.en on this device', audio: false } });
    expect(text('transcribe-blocked')).toBe(
      'No address of this episode’s audio is known, so it cannot be transcribed.',
    );
    expect($('transcribe-start')).toBeNull();
    expect($('transcribe-options')).toBeNull();
    expect($('transcribe-privacy')).toBeNull();
    // Nor is transcribing promised.
    expect($('transcribe')!.textContent).not.toContain('can transcribe');
  });

  it('shows a failed request in words and lets the button be pressed again', async () => {
    backend({
      'stt/start': () => {
        throw new Error('Earmark’s background did not answer.');
      },
    });
    mount({ offer: { engine: 'whisper', by: 'Whisper tiny.en on this device', audio: true } });
    $('transcribe-start')!.click();
    await vi.waitFor(() => expect(text('transcribe-problem')).toBe('Earmark’s background did not answer.'));
    expect(($('transcribe-start') as HTMLButtonElement).disabled).toBe(false);
  });

  it('renders page-supplied words as text', () => {
    mount({ offer: { engine: 'whisper', by: '<img src=x onerror=alert(1)>', audio: true } });
    expect(root.querySelector('img')).toBeNull();
    expect(text('transcribe-by')).toBe('By <img src=x onerror=alert(1)>.');
  });
});

describe('the transcription at work', () => {
  it('shows minutes of minutes with a bar, the activity, and the cost so far', () => {
    mount({
      transcription: job({
        engine: 'openai',
        by: 'whisper-1 at api.openai.com',
        activity: 'Downloading the speech model: 12 of 41 MB',
        costUsd: 0.072,
      }),
    });
    expect($('transcribe')!.dataset.state).toBe('running');
    expect(text('transcribe-minutes')).toBe('12 of 58 minutes transcribed · $0.07 so far');
    expect(text('transcribe-activity')).toBe('Downloading the speech model: 12 of 41 MB');
    const bar = root.querySelector<HTMLElement>('[role="progressbar"]')!;
    expect(bar.getAttribute('aria-valuemax')).toBe(String(57 * 60 + 10));
    expect(bar.getAttribute('aria-valuenow')).toBe(String(12 * 60 + 30));
    expect(parseFloat(root.querySelector<HTMLElement>('.work-fill')!.style.width)).toBeCloseTo(
      (750 / 3430) * 100,
    );
  });

  it('counts minutes alone while the length is unknown', () => {
    mount({ transcription: job({ totalSeconds: undefined }) });
    expect(text('transcribe-minutes')).toBe('12 minutes transcribed');
    expect(root.querySelector('[role="progressbar"]')!.hasAttribute('aria-valuemax')).toBe(false);
    expect($('transcribe-activity')).toBeNull();
  });

  it('pauses the episode’s transcription and shows where it paused', async () => {
    backend({ 'stt/pause': () => job({ state: 'paused', updatedAt: '2026-03-01T10:00:05.000Z' }) });
    mount({ transcription: job() });
    $('transcribe-pause')!.click();
    await vi.waitFor(() => expect(text('transcribe-minutes')).toBe('Paused at 12 of 58 minutes'));
    expect(calls('stt/pause')).toEqual([{ episodeId: EPISODE }]);
    expect($('transcribe-pause')).toBeNull();
    expect($('transcribe-resume')!.textContent).toBe('Resume');
  });

  it('resumes a paused transcription', async () => {
    backend({ 'stt/resume': () => job({ updatedAt: '2026-03-01T10:01:00.000Z' }) });
    mount({ transcription: job({ state: 'paused', costUsd: 0.07 }) });
    expect(text('transcribe-minutes')).toBe('Paused at 12 of 58 minutes · $0.07 so far');
    $('transcribe-resume')!.click();
    await vi.waitFor(() => expect($('transcribe-pause')).not.toBeNull());
    expect(calls('stt/resume')).toEqual([{ episodeId: EPISODE }]);
  });

  it('keeps a newer push over an older answer', async () => {
    let resolve!: (v: TranscriptionView) => void;
    backend({ 'stt/pause': () => new Promise((r) => (resolve = r)) });
    mount({ transcription: job() });
    $('transcribe-pause')!.click();
    // The background pushed a later state before the pause's answer arrived.
    mount({
      transcription: job({
        state: 'failed',
        error: 'The service said no.',
        updatedAt: '2026-03-01T10:02:00.000Z',
      }),
    });
    resolve(job({ state: 'paused', updatedAt: '2026-03-01T10:01:00.000Z' }));
    await vi.waitFor(() => expect($('transcribe-retry')).not.toBeNull());
    expect(text('transcribe-error')).toBe('The service said no.');
  });

  it('shows a failure in words, and Try again resumes', async () => {
    backend({ 'stt/resume': () => job({ updatedAt: '2026-03-01T10:01:00.000Z' }) });
    mount({ transcription: job({ state: 'failed', error: 'The service refused the key (401).' }) });
    expect(text('transcribe-error')).toBe('The service refused the key (401).');
    expect($('transcribe-allow')).toBeNull();
    $('transcribe-retry')!.click();
    await vi.waitFor(() => expect(calls('stt/resume')).toEqual([{ episodeId: EPISODE }]));
  });

  it('asks for the host it needs, inside the click, then resumes', async () => {
    backend({ 'stt/resume': () => job({ updatedAt: '2026-03-01T10:01:00.000Z' }) });
    request.mockResolvedValue(true);
    mount({
      transcription: job({
        state: 'failed',
        error: 'Earmark may not read media.example.com, where the audio is.',
        needsAccess: 'media.example.com',
      }),
    });
    const allow = $('transcribe-allow')!;
    expect(allow.textContent).toBe('Allow media.example.com');
    allow.click();
    // Asked at once: an await before it would lose the user's gesture.
    expect(request).toHaveBeenCalledWith({
      origins: ['https://media.example.com/*', 'http://media.example.com/*'],
    });
    await vi.waitFor(() => expect(calls('stt/resume')).toEqual([{ episodeId: EPISODE }]));
    await vi.waitFor(() => expect($('transcribe-pause')).not.toBeNull());
  });

  it('says so when access is refused, and does not resume', async () => {
    backend({});
    request.mockResolvedValue(false);
    mount({ transcription: job({ state: 'failed', error: 'No access.', needsAccess: 'media.example.com' }) });
    $('transcribe-allow')!.click();
    await vi.waitFor(() =>
      expect(text('transcribe-problem')).toBe(
        'Access to media.example.com was not granted, so Earmark cannot transcribe this episode’s audio.',
      ),
    );
    expect(send).not.toHaveBeenCalled();
  });

  it('shows nothing of its own once done (the transcript panel says it)', () => {
    mount({ transcription: job({ state: 'done', doneSeconds: 3430 }) });
    expect($('transcribe')).toBeNull();
  });
});

describe('the transcript panel', () => {
  const found = (over: Partial<NonNullable<TranscriptStatus['found']>>): TranscriptStatus => ({
    state: 'found',
    steps: [],
    found: { source: 'page', format: 'vtt', segments: 120, url: 'https://example.com/t.vtt', ...over },
    updatedAt: '2026-03-01T10:00:00.000Z',
  });

  it('says who transcribed a transcript made from the audio', () => {
    render(
      <TranscriptPanel
        episodeId={EPISODE}
        status={found({ source: 'transcribed', format: 'text', by: 'whisper-1 at api.openai.com' })}
      />,
      root,
    );
    expect(text('transcript-source')).toBe('Transcribed by whisper-1 at api.openai.com, 120 segments');
  });

  it('still names the feed for a published one', () => {
    render(<TranscriptPanel episodeId={EPISODE} status={found({ source: 'feed' })} />, root);
    expect(text('transcript-source')).toMatch(/^Transcript: show’s feed \(.+\), 120 segments$/);
    expect(text('transcript-source')).not.toContain('Transcribed');
  });
});
