// @vitest-environment happy-dom
// Following shows: the options page's section (list, errors, access, follow by address, OPML,
// "Check now" and its progress, the brief's settings) and the popup's "Follow this show" toggle,
// against a mocked background and extension API.
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import browser from 'webextension-polyfill';
import type { FollowsView, FollowView, ScanView, SettingsView } from '../../src/messages';
import { sendToBackground } from '../../src/messaging';
import { download } from '../../src/ui/components/download';
import { FollowsSection } from '../../src/ui/options/follows-section';
import { FollowButton } from '../../src/ui/popup/follow-button';

vi.mock('../../src/messaging', () => ({ sendToBackground: vi.fn() }));
vi.mock('../../src/ui/components/download', () => ({ download: vi.fn() }));
vi.mock('webextension-polyfill', () => ({
  default: {
    permissions: { request: vi.fn() },
    runtime: { getURL: (path: string) => `chrome-extension://earmark/${path}` },
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

const idle: ScanView = { state: 'idle', checked: 0, total: 0, found: 0, processed: 0, failed: 0 };
const settings: SettingsView = {
  engine: 'auto',
  model: 'm',
  hasKey: false,
  dailyBudgetUsd: 1,
  youtubeAllVideos: false,
  briefTime: '08:00',
  briefNotify: true,
  spentTodayUsd: 0,
  effectiveEngine: 'local',
  stt: {
    engine: 'whisper',
    whisperModel: 'onnx-community/whisper-tiny.en',
    whisperCached: false,
    baseUrl: 'https://api.openai.com/v1',
    model: 'whisper-1',
    hasKey: false,
    pricePerMinute: 0.006,
  },
};
const show = (over: Partial<FollowView> = {}): FollowView => ({
  feedUrl: 'https://feeds.example.com/show.xml',
  title: 'The Example Show',
  followedAt: '2026-03-01T10:00:00Z',
  ...over,
});

let root: HTMLElement;
const $ = (testid: string) => root.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
const $$ = (testid: string) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];
/** Types into an input and lets Preact re-render (it renders on a microtask). */
const type = async (testid: string, value: string) => {
  const input = $(testid) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await Promise.resolve();
};

beforeEach(() => {
  send.mockReset();
  request.mockReset();
  vi.mocked(download).mockReset();
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
  vi.useRealTimers();
});

const mountSection = (onSettings = vi.fn()) => {
  render(<FollowsSection settings={settings} onSettings={onSettings} />, root);
  return onSettings;
};

describe('the options page’s shows you follow', () => {
  it('says how to follow a show when none is followed', async () => {
    backend({ 'follows/list': () => ({ follows: [], scan: idle }) satisfies FollowsView });
    mountSection();
    await vi.waitFor(() => expect($('follows-empty')).not.toBeNull());
    expect($('follows-empty')!.textContent).toBe(
      'You follow no show yet. Follow one from the popup while it plays, paste its feed address, or import an OPML file from your podcast app.',
    );
    expect(($('scan-now') as HTMLButtonElement).disabled).toBe(true);
    expect($('scan-progress')).toBeNull();
    expect($('follow-row')).toBeNull();
  });

  it('lists each show with its last check, its error in words, and the host to allow', async () => {
    const fiveMinutesAgo = new Date(Date.now() - 5 * 60_000).toISOString();
    let scanned = false;
    backend({
      'follows/list': () => ({
        follows: [
          show({ lastCheckedAt: fiveMinutesAgo, episodeCount: 12 }),
          show({
            feedUrl: 'https://www.locked.example.org/rss',
            title: '<script>window.__pwned=1</script>Locked',
            lastError: 'The feed’s site did not allow Earmark to read it.',
            failures: 3,
            needsAccess: 'locked.example.org',
          }),
        ],
        scan: idle,
      }),
      'scan/run': () => ((scanned = true), { ...idle, state: 'running', total: 2 }),
    });
    mountSection();
    await vi.waitFor(() => expect($$('follow-row')).toHaveLength(2));
    const [ok, locked] = $$('follow-row');
    expect(ok!.textContent).toContain('The Example Show');
    expect(ok!.textContent).toContain('feeds.example.com · checked 5 minutes ago · 12 episodes');
    expect(ok!.querySelector('[data-testid="follow-error"]')).toBeNull();
    expect(ok!.querySelector('[data-testid="follow-allow"]')).toBeNull();

    expect(locked!.querySelector('script')).toBeNull();
    expect(locked!.textContent).toContain('<script>window.__pwned=1</script>Locked');
    expect(locked!.textContent).toContain('locked.example.org · not checked yet');
    expect(locked!.querySelector('[data-testid="follow-error"]')!.textContent).toBe(
      'The last check failed: The feed’s site did not allow Earmark to read it (3 times in a row)',
    );
    const allow = locked!.querySelector<HTMLButtonElement>('[data-testid="follow-allow"]')!;
    expect(allow.textContent).toBe('Allow locked.example.org');

    request.mockResolvedValue(true);
    allow.click();
    // Asked at once, inside the click: an await before it would lose the user's gesture.
    expect(request).toHaveBeenCalledWith({
      origins: ['https://locked.example.org/*', 'http://locked.example.org/*'],
    });
    await vi.waitFor(() => expect(scanned).toBe(true));
  });

  it('says so when access is refused, and checks nothing', async () => {
    backend({
      'follows/list': () => ({ follows: [show({ needsAccess: 'feeds.example.com' })], scan: idle }),
    });
    mountSection();
    await vi.waitFor(() => expect($('follow-allow')).not.toBeNull());
    request.mockResolvedValue(false);
    $('follow-allow')!.click();
    await vi.waitFor(() =>
      expect($('follow-row')!.textContent).toContain('Access to feeds.example.com was not granted'),
    );
    expect(calls('scan/run')).toHaveLength(0);
  });

  it('unfollows a show and offers to follow it again', async () => {
    let follows = [show()];
    backend({
      'follows/list': () => ({ follows, scan: idle }),
      'follows/remove': ({ feedUrl }) => {
        follows = follows.filter((f) => f.feedUrl !== feedUrl);
        return { removed: true };
      },
      'follows/add': () => {
        follows = [show()];
        return { ok: true, follow: show() };
      },
    });
    mountSection();
    await vi.waitFor(() => expect($('unfollow')).not.toBeNull());
    $('unfollow')!.click();
    await vi.waitFor(() => expect($('follows-empty')).not.toBeNull());
    expect(calls('follows/remove')).toEqual([{ feedUrl: 'https://feeds.example.com/show.xml' }]);
    const notice = $('follows-notice')!;
    expect(notice.textContent).toContain('You no longer follow The Example Show.');
    notice.querySelector('button')!.click();
    await vi.waitFor(() => expect($$('follow-row')).toHaveLength(1));
    expect(calls('follows/add')).toEqual([{ feedUrl: 'https://feeds.example.com/show.xml' }]);
  });

  it('follows by feed address, asking for the feed’s host when that is what is missing', async () => {
    let allowed = false;
    backend({
      'follows/list': () => ({ follows: allowed ? [show()] : [], scan: idle }),
      'follows/add': () =>
        allowed
          ? { ok: true, follow: show() }
          : {
              ok: false,
              error: 'Earmark may not read feeds.example.com yet.',
              needsAccess: 'feeds.example.com',
            },
    });
    mountSection();
    await vi.waitFor(() => expect($('follows-empty')).not.toBeNull());

    await type('follow-add-url', 'not a url');
    $('follow-add')!.click();
    await vi.waitFor(() => expect($('follows-notice')!.textContent).toContain('it starts with https://'));
    expect(calls('follows/add')).toHaveLength(0);

    await type('follow-add-url', ' feeds.example.com/show.xml '); // as copied from an address bar
    $('follow-add')!.click();
    await vi.waitFor(() => expect($('follow-add-allow')).not.toBeNull());
    expect($('follows-notice')!.textContent).toContain('Earmark may not read feeds.example.com yet.');
    expect($('follow-add-allow')!.textContent).toBe('Allow feeds.example.com and follow');

    request.mockImplementation(async () => (allowed = true));
    $('follow-add-allow')!.click();
    expect(request).toHaveBeenCalledWith({
      origins: ['https://feeds.example.com/*', 'http://feeds.example.com/*'],
    });
    await vi.waitFor(() => expect($('follows-notice')!.textContent).toContain('Following The Example Show.'));
    expect(calls('follows/add')).toEqual([
      { feedUrl: 'https://feeds.example.com/show.xml' },
      { feedUrl: 'https://feeds.example.com/show.xml' },
    ]);
    await vi.waitFor(() => expect($$('follow-row')).toHaveLength(1));
    expect(($('follow-add-url') as HTMLInputElement).value).toBe('');
    expect($('follow-add-allow')).toBeNull();
  });

  it('shows other errors in their own words', async () => {
    backend({
      'follows/list': () => ({ follows: [], scan: idle }),
      'follows/add': () => ({ ok: false, error: 'That address is a web page, not a podcast feed.' }),
    });
    mountSection();
    await vi.waitFor(() => expect($('follows-empty')).not.toBeNull());
    await type('follow-add-url', 'https://example.com/');
    $('follow-add')!.click();
    await vi.waitFor(() =>
      expect($('follows-notice')!.textContent).toContain('That address is a web page, not a podcast feed.'),
    );
    expect($('follow-add-allow')).toBeNull();
  });

  it('imports an OPML file and reports what it followed and skipped', async () => {
    backend({
      'follows/list': () => ({ follows: [], scan: idle }),
      'follows/import-opml': () => ({
        added: 2,
        already: 1,
        problems: ['“Old Radio”: no feed address.', '“<b>Bold</b>”: not http(s).'],
      }),
    });
    mountSection();
    await vi.waitFor(() => expect($('follows-empty')).not.toBeNull());
    const opml =
      '<opml version="2.0"><body><outline type="rss" xmlUrl="https://a.example/rss"/></body></opml>';
    const input = $('opml-import') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [new File([opml], 'subs.opml')], configurable: true });
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await vi.waitFor(() =>
      expect($('follows-notice')!.textContent).toContain('Following 2 new shows (1 already followed).'),
    );
    expect(calls('follows/import-opml')).toEqual([{ text: opml }]);
    const problems = [...$('opml-problems')!.querySelectorAll('li')].map((li) => li.textContent);
    expect(problems).toEqual(['“Old Radio”: no feed address.', '“<b>Bold</b>”: not http(s).']);
    expect($('opml-problems')!.querySelector('b')).toBeNull();
  });

  it('exports the shows followed as an OPML file', async () => {
    backend({
      'follows/list': () => ({ follows: [show()], scan: idle }),
      'follows/export-opml': () => ({ opml: '<opml/>', filename: 'earmark-follows.opml' }),
    });
    mountSection();
    await vi.waitFor(() => expect(($('opml-export') as HTMLButtonElement).disabled).toBe(false));
    $('opml-export')!.click();
    await vi.waitFor(() =>
      expect(download).toHaveBeenCalledWith('earmark-follows.opml', '<opml/>', 'text/x-opml'),
    );
  });

  it('shows a check’s progress each second while it runs, then its result, and stops asking', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const at = (h: number, m: number) => new Date(2026, 2, 3, h, m).toISOString();
    vi.setSystemTime(new Date(2026, 2, 3, 14, 0));
    const steps: ScanView[] = [
      { state: 'running', startedAt: at(14, 0), checked: 1, total: 3, found: 1, processed: 0, failed: 0 },
      { state: 'running', startedAt: at(14, 0), checked: 2, total: 3, found: 2, processed: 1, failed: 0 },
      {
        state: 'idle',
        startedAt: at(14, 0),
        finishedAt: at(14, 5),
        checked: 3,
        total: 3,
        found: 2,
        processed: 2,
        failed: 1,
        nextRunAt: at(15, 5),
      },
    ];
    let scan: ScanView = idle;
    backend({
      'follows/list': () => {
        const answer = { follows: [show()], scan };
        if (scan.state === 'running') scan = steps.shift()!;
        return answer;
      },
      'scan/run': () => ((scan = steps.shift()!), { ...scan, checked: 0, found: 0 }),
    });
    mountSection();
    await vi.advanceTimersByTimeAsync(0);
    expect($('scan-progress')!.textContent).toBe('Not checked yet.');
    $('scan-now')!.click();
    await vi.advanceTimersByTimeAsync(0);
    expect($('scan-progress')!.textContent).toBe('Checked 0 of 3 feeds · 0 new episodes · 0 processed');
    expect(($('scan-now') as HTMLButtonElement).disabled).toBe(true);
    expect($('scan-now')!.textContent).toBe('Checking…');
    expect(calls('follows/list')).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(1000);
    expect($('scan-progress')!.textContent).toBe('Checked 1 of 3 feeds · 1 new episode · 0 processed');
    await vi.advanceTimersByTimeAsync(1000);
    expect($('scan-progress')!.textContent).toBe('Checked 2 of 3 feeds · 2 new episodes · 1 processed');
    await vi.advanceTimersByTimeAsync(1000);
    expect($('scan-progress')!.dataset.state).toBe('idle');
    expect($('scan-progress')!.textContent).toBe(
      'Last check 14:05: 3 of 3 feeds · 2 new episodes · 2 processed · 1 failed, next 15:05.',
    );
    expect($('scan-now')!.textContent).toBe('Check now');
    const asked = calls('follows/list').length;
    expect(asked).toBe(4);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls('follows/list')).toHaveLength(asked);
  });

  it('stops asking when the page goes away mid-check', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const running: ScanView = { ...idle, state: 'running', total: 5 };
    backend({ 'follows/list': () => ({ follows: [show()], scan: running }) });
    mountSection();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls('follows/list')).toHaveLength(2);
    render(null, root);
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls('follows/list')).toHaveLength(2);
  });

  it('sets the brief’s time and notification, and links to today’s brief', async () => {
    backend({
      'follows/list': () => ({ follows: [], scan: idle }),
      'settings/set': (patch) => ({ ...settings, ...patch }),
    });
    const onSettings = mountSection();
    await vi.waitFor(() => expect($('follows-empty')).not.toBeNull());
    expect(($('brief-time') as HTMLInputElement).value).toBe('08:00');
    expect(($('brief-notify') as HTMLInputElement).checked).toBe(true);

    const time = $('brief-time') as HTMLInputElement;
    time.value = '06:45';
    time.dispatchEvent(new Event('change', { bubbles: true }));
    await vi.waitFor(() => expect(onSettings).toHaveBeenCalledWith({ ...settings, briefTime: '06:45' }));
    const notify = $('brief-notify') as HTMLInputElement;
    notify.checked = false;
    notify.dispatchEvent(new Event('change', { bubbles: true }));
    await vi.waitFor(() =>
      expect(calls('settings/set')).toEqual([{ briefTime: '06:45' }, { briefNotify: false }]),
    );

    expect($('open-brief')!.getAttribute('href')).toBe(
      'chrome-extension://earmark/src/ui/library/index.html?view=brief',
    );
  });
});

describe('the popup’s Follow this show', () => {
  const mountButton = (followed = false) =>
    render(
      <FollowButton
        episodeId="ep_abc"
        follow={{ feedUrl: 'https://feeds.example.com/show.xml', title: 'The Example Show', followed }}
      />,
      root,
    );

  it('follows the show of the episode, then shows it is followed', async () => {
    backend({ 'follows/add-episode': () => ({ ok: true, follow: show() }) });
    mountButton();
    const button = $('follow-show') as HTMLButtonElement;
    expect(button.textContent).toBe('Follow this show');
    expect(button.getAttribute('aria-pressed')).toBe('false');
    button.click();
    await vi.waitFor(() => expect($('follow-show')!.textContent).toBe('Following ✓'));
    expect($('follow-show')!.getAttribute('aria-pressed')).toBe('true');
    expect(calls('follows/add-episode')).toEqual([{ episodeId: 'ep_abc' }]);
  });

  it('unfollows when clicked while following', async () => {
    backend({ 'follows/remove': () => ({ removed: true }) });
    mountButton(true);
    $('follow-show')!.click();
    await vi.waitFor(() => expect($('follow-show')!.textContent).toBe('Follow this show'));
    expect(calls('follows/remove')).toEqual([{ feedUrl: 'https://feeds.example.com/show.xml' }]);
  });

  it('says why it cannot follow yet and asks for the host, then follows', async () => {
    let allowed = false;
    backend({
      'follows/add-episode': () =>
        allowed
          ? { ok: true, follow: show() }
          : {
              ok: false,
              error: 'Earmark needs your permission to read the show’s feed on feeds.example.com.',
              needsAccess: 'feeds.example.com',
            },
    });
    mountButton();
    $('follow-show')!.click();
    await vi.waitFor(() => expect($('follow-allow')).not.toBeNull());
    expect($('follow-problem')!.textContent).toBe(
      'Earmark needs your permission to read the show’s feed on feeds.example.com.',
    );
    expect($('follow-allow')!.textContent).toBe('Allow feeds.example.com');
    request.mockImplementation(async () => (allowed = true));
    $('follow-allow')!.click();
    expect(request).toHaveBeenCalledWith({
      origins: ['https://feeds.example.com/*', 'http://feeds.example.com/*'],
    });
    await vi.waitFor(() => expect($('follow-show')!.textContent).toBe('Following ✓'));
    expect($('follow-problem')).toBeNull();
    expect(calls('follows/add-episode')).toHaveLength(2);
  });
});
