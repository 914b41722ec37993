// @vitest-environment happy-dom
// The library page's daily brief: a day's items (insight, quote, episode, why, link to the
// moment) kept as text, the honest empty states, making today's brief, past briefs, Markdown
// export, and the page's `?view=brief`, against a mocked background.
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { formatDay, localDay, shiftDay } from '../../src/core/library/day';
import type { BriefItemView, BriefView as Brief } from '../../src/messages';
import { sendToBackground } from '../../src/messaging';
import { download } from '../../src/ui/components/download';
import { BriefView } from '../../src/ui/library/brief-view';
import { Library } from '../../src/ui/library/library';

vi.mock('../../src/messaging', () => ({ sendToBackground: vi.fn() }));
vi.mock('../../src/ui/components/download', () => ({ download: vi.fn() }));

type Handler = (payload: Record<string, unknown>) => unknown;
const send = sendToBackground as unknown as Mock<(type: string, payload: Record<string, unknown>) => unknown>;
function backend(handlers: Record<string, Handler>) {
  send.mockImplementation(async (type, payload) => {
    const handler = handlers[type];
    if (!handler) throw new Error(`unexpected message ${type}`);
    return handler(payload);
  });
}
const calls = (type: string) => send.mock.calls.filter(([t]) => t === type).map(([, p]) => p);

const today = localDay(new Date());
const yesterday = shiftDay(today, -1);
const settings = () => ({ briefTime: '07:30' });

const item = (n: number, over: Partial<BriefItemView> = {}): BriefItemView => ({
  insight: {
    id: `ins_${n}`,
    text: `Insight ${n}`,
    quote: `Quote ${n}`,
    start: 65,
    topics: [],
    importance: 4,
  },
  episodeId: `ep_${n}`,
  episode: {
    id: `ep_${n}`,
    title: `Episode ${n}`,
    show: 'The Show',
    pageUrl: 'https://podcasts.example.com/ep',
    site: 'generic',
    lastSeen: '2026-03-03T10:00:00Z',
  },
  reason: `Reason ${n}`,
  link: `https://podcasts.example.com/ep#t=65`,
  ...over,
});
const brief = (over: Partial<Brief> = {}): Brief => ({
  day: today,
  createdAt: new Date(2026, 2, 3, 8, 0).toISOString(),
  considered: 12,
  items: [item(1), item(2)],
  ...over,
});

let root: HTMLElement;
const $ = (testid: string) => root.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
const $$ = (testid: string) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];

beforeEach(() => {
  send.mockReset();
  vi.mocked(download).mockReset();
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
  history.replaceState(null, '', '/');
});

describe('the daily brief', () => {
  it('shows each item with its insight, episode, why and a link to the moment, all as text', async () => {
    const hostile = '<script>window.__pwned=1</script><img src=x onerror=alert(1)>';
    backend({
      'brief/days': () => [{ day: today, count: 2 }],
      'settings/get': settings,
      'brief/get': () =>
        brief({
          items: [
            item(1),
            item(2, {
              insight: { ...item(2).insight, text: `Text ${hostile}`, quote: hostile },
              episode: { ...item(2).episode!, title: `Title ${hostile}` },
              reason: `Close to what you saved ${hostile}`,
              link: 'javascript:alert(1)',
            }),
          ],
        }),
    });
    render(<BriefView />, root);
    await vi.waitFor(() => expect($$('brief-item')).toHaveLength(2));
    expect(calls('brief/get')).toEqual([{ day: today }]);
    expect(root.querySelector('h2')!.textContent).toBe(`Brief of ${formatDay(today)}`);
    expect($('brief-made')!.textContent).toBe('Made at 08:00 · 2 of 12 new insights.');

    const [first, second] = $$('brief-item');
    expect(first!.querySelector('.insight-text')!.textContent).toBe('Insight 1');
    expect(first!.querySelector('blockquote')!.textContent).toBe('“Quote 1”');
    expect(first!.querySelector('[data-testid="brief-episode"]')!.textContent).toBe('The Show — Episode 1');
    expect(first!.querySelector('[data-testid="brief-reason"]')!.textContent).toBe('Reason 1');
    const listen = first!.querySelector<HTMLAnchorElement>('[data-testid="brief-listen"]')!;
    expect(listen.textContent).toBe('Listen from 1:05');
    expect(listen.getAttribute('href')).toBe('https://podcasts.example.com/ep#t=65');
    // The item's one link goes to the moment.
    expect(first!.querySelectorAll('a[href]')).toHaveLength(1);

    expect(second!.querySelector('script, img')).toBeNull();
    expect(second!.textContent).toContain(`Text ${hostile}`);
    expect(second!.querySelector('[data-testid="brief-episode"]')!.textContent).toBe(
      `The Show — Title ${hostile}`,
    );
    expect(second!.querySelector('[data-testid="brief-reason"]')!.textContent).toBe(
      `Close to what you saved ${hostile}`,
    );
    // Only http(s) becomes a link.
    expect(second!.querySelector('[data-testid="brief-listen"]')).toBeNull();
    expect([...second!.querySelectorAll('a')].map((a) => a.getAttribute('href'))).not.toContain(
      'javascript:alert(1)',
    );
    expect(second!.textContent).toContain('At 1:05');
    expect($('brief-empty')).toBeNull();
  });

  it('says when no brief was made today yet, and makes one on request', async () => {
    let release!: () => void;
    const made = new Promise<void>((resolve) => (release = resolve));
    backend({
      'brief/days': () => [],
      'settings/get': settings,
      'brief/get': () => null,
      'brief/build': async () => (await made, brief()),
    });
    render(<BriefView />, root);
    await vi.waitFor(() => expect($('brief-empty')).not.toBeNull());
    expect($('brief-empty')!.textContent).toMatch(
      new RegExp(`^No brief for ${formatDay(today)} yet\\. It is made each day at 07:30 `),
    );
    expect($('brief-export')).toBeNull();
    $('brief-build')!.click();
    await vi.waitFor(() => expect($('brief-building')!.textContent).toBe('Making the brief…'));
    expect(($('brief-build') as HTMLButtonElement).disabled).toBe(true);
    release();
    await vi.waitFor(() => expect($$('brief-item')).toHaveLength(2));
    expect($('brief-building')).toBeNull();
    expect($('brief-empty')).toBeNull();
    expect(calls('brief/build')).toEqual([{}]);
  });

  it('says the brief found nothing new rather than padding it', async () => {
    backend({
      'brief/days': () => [{ day: today, count: 0 }],
      'settings/get': settings,
      'brief/get': () => brief({ considered: 0, items: [] }),
    });
    render(<BriefView />, root);
    await vi.waitFor(() => expect($('brief-empty')).not.toBeNull());
    expect($('brief-empty')!.textContent).toBe(
      'Nothing new arrived for this brief: no episode was heard and no followed show published one.',
    );
    expect($$('brief-item')).toHaveLength(0);
    expect($('brief-export')).toBeNull();
  });

  it('shows why making the brief failed, in words', async () => {
    backend({
      'brief/days': () => [],
      'settings/get': settings,
      'brief/get': () => null,
      'brief/build': () => {
        throw new Error('The library could not be read.');
      },
    });
    render(<BriefView />, root);
    await vi.waitFor(() => expect($('brief-empty')).not.toBeNull());
    $('brief-build')!.click();
    await vi.waitFor(() =>
      expect($('brief-error')!.textContent).toBe(
        'The brief could not be made: The library could not be read.',
      ),
    );
    expect(($('brief-build') as HTMLButtonElement).disabled).toBe(false);
  });

  it('lists past briefs and switches to one', async () => {
    backend({
      'brief/days': () => [{ day: yesterday, count: 3 }],
      'settings/get': settings,
      'brief/get': ({ day }) => (day === yesterday ? brief({ day: yesterday, items: [item(7)] }) : null),
    });
    render(<BriefView />, root);
    await vi.waitFor(() => expect($('brief-empty')).not.toBeNull());
    const buttons = [...$('brief-days')!.querySelectorAll('button')];
    expect(buttons.map((b) => b.textContent)).toEqual(['Today 0', `${formatDay(yesterday)} 3`]);
    buttons[1]!.click();
    await vi.waitFor(() => expect($$('brief-item')).toHaveLength(1));
    expect(calls('brief/get')).toEqual([{ day: today }, { day: yesterday }]);
    expect(root.querySelector('h2')!.textContent).toBe(`Brief of ${formatDay(yesterday)}`);
  });

  it('says a past day without a brief had none', async () => {
    backend({ 'brief/days': () => [], 'settings/get': settings, 'brief/get': () => null });
    render(<BriefView initialDay={yesterday} />, root);
    await vi.waitFor(() => expect($('brief-empty')).not.toBeNull());
    expect($('brief-empty')!.textContent).toBe(
      `No brief for ${formatDay(yesterday)}: none was made that day.`,
    );
  });

  it('exports the day’s brief as Markdown', async () => {
    backend({
      'brief/days': () => [{ day: today, count: 2 }],
      'settings/get': settings,
      'brief/get': () => brief(),
      'brief/export': ({ day }) => ({ markdown: `# Brief ${day}`, filename: `earmark-brief-${day}.md` }),
    });
    render(<BriefView />, root);
    await vi.waitFor(() => expect($('brief-export')).not.toBeNull());
    $('brief-export')!.click();
    await vi.waitFor(() =>
      expect(download).toHaveBeenCalledWith(`earmark-brief-${today}.md`, `# Brief ${today}`, 'text/markdown'),
    );
  });

  it('saves an item to today’s list and takes it off again', async () => {
    backend({
      'brief/days': () => [],
      'settings/get': settings,
      'brief/get': () => brief({ items: [item(1)] }),
      'library/save': () => ({}),
      'library/unsave': () => ({ removed: true }),
    });
    render(<BriefView />, root);
    await vi.waitFor(() => expect($('brief-save')).not.toBeNull());
    $('brief-save')!.click();
    await vi.waitFor(() => expect($('brief-save')!.getAttribute('aria-pressed')).toBe('true'));
    $('brief-save')!.click();
    await vi.waitFor(() => expect($('brief-save')!.getAttribute('aria-pressed')).toBe('false'));
    expect(calls('library/save')).toEqual([{ insightId: 'ins_1' }]);
    expect(calls('library/unsave')).toEqual([{ insightId: 'ins_1' }]);
  });

  it('opens on the library page with ?view=brief and the day asked for', async () => {
    history.replaceState(null, '', `/src/ui/library/index.html?view=brief&day=${yesterday}`);
    backend({
      'library/days': () => [],
      'brief/days': () => [],
      'settings/get': settings,
      'brief/get': () => brief({ day: yesterday }),
    });
    render(<Library />, root);
    await vi.waitFor(() => expect($('brief-view')).not.toBeNull());
    expect($('view-brief')!.getAttribute('aria-pressed')).toBe('true');
    expect($('view-brief')!.textContent).toBe('Brief');
    await vi.waitFor(() => expect(calls('brief/get')).toEqual([{ day: yesterday }]));
  });
});
