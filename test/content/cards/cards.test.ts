// @vitest-environment happy-dom
// The inline cards, wired to a real detector as the content script wires them: a card shows when
// the playhead reaches its insight, follows seeks and episode changes, and its buttons save, jump,
// dismiss and collapse. happy-dom media never plays: each element's state is stubbed and its events
// dispatched by hand. The background is a mock `send`, the module boundary of the messaging.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startCards, type Cards, type CardsDeps } from '../../../src/content/cards';
import { startDetector, type Detector } from '../../../src/content/detector';
import { generic } from '../../../src/content/sites/generic';
import type { CardsView, InsightView } from '../../../src/messages';
import { stubMedia } from '../../helpers/page';

const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function insight(id: string, start: number, extra: Partial<InsightView> = {}): InsightView {
  return {
    id: `ins_${id}`,
    text: `Insight ${id}`,
    quote: `Quote of ${id}`,
    start,
    topics: [],
    importance: 3,
    ...extra,
  };
}

const FIRST = [insight('a', 10), insight('b', 20), insight('c', 30), insight('d', 40)];

type Send = CardsDeps['send'];
const running: { cards: Cards; detector: Detector }[] = [];

/** Cards and a detector over the generic adapter; episode ids are "ep_" + the media file's name
 * (or the page's title for media without one). */
function setup(answers: Record<string, CardsView | null> = {}, overrides: Partial<CardsDeps> = {}) {
  const send = vi.fn(async (type: string, payload: unknown): Promise<unknown> => {
    if (type === 'cards/get') return answers[detector.state()?.episodeId ?? ''] ?? null;
    return { saved: (payload as { saved: boolean }).saved };
  });
  const onError = vi.fn();
  const cards = startCards({
    doc: document,
    send: send as unknown as Send,
    seek: (time) => detector.seek(time),
    onError,
    shadow: 'open', // closed in pages; open here to look inside
    ...overrides,
  });
  const detector: Detector = startDetector({
    doc: document,
    adapter: () => generic,
    report: async (hint) =>
      `ep_${(
        hint.mediaUrl
          ?.split('/')
          .pop()
          ?.replace(/\.mp3$/, '') ?? hint.title
      )
        .toLowerCase()
        .replace(/\W/g, '')}`,
    reportPlayback: () => {},
    onEpisode: (episode) => cards.setEpisode(episode),
  });
  running.push({ cards, detector });
  return { cards, detector, send, onError };
}

function audio(name: string): HTMLAudioElement {
  const element = document.createElement('audio');
  element.src = `https://cdn.example.com/${name}.mp3`;
  document.body.append(element);
  stubMedia(element, { duration: 3600, currentTime: 0, paused: true, ended: false, playbackRate: 1 });
  return element;
}

/** Starts the element and lets the detector report it and the cards ask for their insights. */
async function play(media: HTMLMediaElement): Promise<void> {
  stubMedia(media, { paused: false });
  media.dispatchEvent(new Event('play'));
  await flush();
  await flush();
}

/** The playhead moves on while playing. */
function at(media: HTMLMediaElement, time: number): void {
  stubMedia(media, { currentTime: time });
  media.dispatchEvent(new Event('timeupdate'));
}

function seek(media: HTMLMediaElement, time: number): void {
  stubMedia(media, { currentTime: time });
  media.dispatchEvent(new Event('seeked'));
}

const host = () => document.querySelector('earmark-cards');
const root = () => host()?.shadowRoot ?? null;
const shownText = () => root()?.querySelector('.text')?.textContent ?? null;
const pager = () => root()?.querySelector('.pager [aria-live]')?.textContent ?? null;
function button(name: RegExp): HTMLButtonElement {
  const found = [...(root()?.querySelectorAll('button') ?? [])].find((b) =>
    name.test(b.getAttribute('aria-label') ?? b.textContent ?? ''),
  );
  if (!found) throw new Error(`no button ${name}`);
  return found as HTMLButtonElement;
}

const view = (episodeId: string, insights: InsightView[]): CardsView => ({
  episodeId,
  state: 'ready',
  insights,
});

beforeEach(() => {
  document.head.replaceChildren();
  document.body.replaceChildren();
  document.title = 'Episode';
});

afterEach(() => {
  for (const { cards, detector } of running.splice(0)) {
    detector.stop();
    cards.stop();
  }
  vi.restoreAllMocks();
});

describe('inline cards', () => {
  it('asks the background for the episode’s insights once the episode is reported', async () => {
    const { send } = setup({ ep_one: view('ep_one', FIRST) });
    await play(audio('one'));
    expect(send).toHaveBeenCalledWith('cards/get', {});
  });

  it('shows a card when the playhead reaches its insight, not before', async () => {
    setup({ ep_one: view('ep_one', FIRST) });
    const media = audio('one');
    await play(media);
    at(media, 9.9);
    expect(shownText()).toBeNull();
    at(media, 10);
    expect(shownText()).toBe('Insight a');
    expect(root()?.querySelector('.time')?.textContent).toBe('0:10');
    at(media, 19);
    expect(shownText()).toBe('Insight a');
    at(media, 20.2);
    expect(shownText()).toBe('Insight b');
    expect(pager()).toBe('2/2');
  });

  it('mounts nothing until an insight is reached', async () => {
    setup({ ep_one: view('ep_one', FIRST) });
    const media = audio('one');
    await play(media);
    at(media, 5);
    expect(host()).toBeNull();
  });

  it('keeps the last three cards reachable, newest shown, paged with ‹ ›', async () => {
    const { cards } = setup({ ep_one: view('ep_one', FIRST) });
    const media = audio('one');
    await play(media);
    at(media, 45);
    expect(shownText()).toBe('Insight d');
    expect(pager()).toBe('3/3');
    expect(button(/^next insight/i).disabled).toBe(true);
    button(/^previous insight/i).click();
    expect(shownText()).toBe('Insight c');
    expect(cards.current()).toEqual({ insightId: 'ins_c' });
    button(/^previous insight/i).click();
    expect(shownText()).toBe('Insight b');
    expect(pager()).toBe('1/3');
    expect(button(/^previous insight/i).disabled).toBe(true);
    button(/^next insight/i).click();
    expect(pager()).toBe('2/3');
    // A new moment brings the newest card back.
    FIRST.push(insight('e', 50));
    try {
      cards.update(view('ep_one', FIRST));
      at(media, 50);
      expect(shownText()).toBe('Insight e');
      expect(pager()).toBe('3/3');
    } finally {
      FIRST.pop();
    }
  });

  it('hides cards not yet reached after a seek back, and shows the latest reached after a seek forward', async () => {
    const { cards } = setup({ ep_one: view('ep_one', FIRST) });
    const media = audio('one');
    await play(media);
    at(media, 35);
    expect(shownText()).toBe('Insight c');
    seek(media, 15);
    expect(shownText()).toBe('Insight a');
    expect(pager()).toBeNull(); // only one card reached
    seek(media, 2);
    expect(shownText()).toBeNull();
    expect(cards.current()).toBeNull();
    seek(media, 3000);
    expect(shownText()).toBe('Insight d');
    expect(cards.current()).toEqual({ insightId: 'ins_d' });
  });

  it('follows the playhead through pause, play and rate changes', async () => {
    setup({ ep_one: view('ep_one', FIRST) });
    const media = audio('one');
    await play(media);
    stubMedia(media, { paused: true, currentTime: 21 });
    media.dispatchEvent(new Event('pause'));
    expect(shownText()).toBe('Insight b');
    stubMedia(media, { playbackRate: 2, currentTime: 31 });
    media.dispatchEvent(new Event('ratechange'));
    expect(shownText()).toBe('Insight c');
  });

  it('Jump moves the playhead to the card’s moment', async () => {
    setup({ ep_one: view('ep_one', FIRST) });
    const media = audio('one');
    await play(media);
    at(media, 33);
    button(/^previous insight/i).click();
    expect(shownText()).toBe('Insight b');
    button(/jump/i).click();
    expect(media.currentTime).toBe(20);
    expect(shownText()).toBe('Insight b'); // the card jumped to stays on screen
  });

  it('Save sends cards/save, shows the card saved, and follows what the background pushes', async () => {
    const { send, cards } = setup({ ep_one: view('ep_one', FIRST) });
    const media = audio('one');
    await play(media);
    at(media, 12);
    const save = button(/save/i);
    expect(save.getAttribute('aria-pressed')).toBe('false');
    save.click();
    expect(send).toHaveBeenLastCalledWith('cards/save', { insightId: 'ins_a', saved: true });
    expect(button(/save/i).getAttribute('aria-pressed')).toBe('true');
    await flush();
    expect(button(/save/i).textContent).toMatch(/saved/i);
    // Saved elsewhere (the keyboard shortcut, the popup): the push says so.
    cards.update(
      view(
        'ep_one',
        FIRST.map((i) => ({ ...i, saved: i.id === 'ins_a' ? false : undefined })),
      ),
    );
    expect(button(/save/i).getAttribute('aria-pressed')).toBe('false');
    cards.update(
      view(
        'ep_one',
        FIRST.map((i) => ({ ...i, saved: i.id === 'ins_a' })),
      ),
    );
    expect(button(/save/i).getAttribute('aria-pressed')).toBe('true');
    // Unsave.
    button(/save/i).click();
    expect(send).toHaveBeenLastCalledWith('cards/save', { insightId: 'ins_a', saved: false });
  });

  it('puts the Save toggle back when saving fails', async () => {
    const { send, onError } = setup({ ep_one: view('ep_one', FIRST) });
    const media = audio('one');
    await play(media);
    at(media, 12);
    send.mockRejectedValueOnce(new Error('background asleep'));
    button(/save/i).click();
    await flush();
    expect(button(/save/i).getAttribute('aria-pressed')).toBe('false');
    expect(onError).toHaveBeenCalledWith(new Error('background asleep'));
  });

  it('offers "Follow show" when the show’s feed is known, and says why when following fails', async () => {
    const { send } = setup({ ep_one: { ...view('ep_one', FIRST), followed: false } });
    const media = audio('one');
    await play(media);
    at(media, 12);
    send.mockResolvedValueOnce({ ok: false, error: 'Earmark needs your permission to read feeds.example.' });
    button(/follow show/i).click();
    expect(send).toHaveBeenLastCalledWith('cards/follow', {});
    expect(() => button(/follow show/i)).toThrow(); // hidden while it is asked
    await flush();
    expect(root()?.querySelector('.note')?.textContent).toBe(
      'Earmark needs your permission to read feeds.example.',
    );
    send.mockResolvedValueOnce({
      ok: true,
      follow: { feedUrl: 'https://feeds.example/x', title: 'X', followedAt: '' },
    });
    button(/follow show/i).click();
    await flush();
    expect(() => button(/follow show/i)).toThrow();
    expect(root()?.querySelector('.note')).toBeNull();
  });

  it('shows no Follow button when the feed is unknown or the show is followed', async () => {
    setup({ ep_one: view('ep_one', FIRST) });
    const media = audio('one');
    await play(media);
    at(media, 12);
    expect(() => button(/follow show/i)).toThrow();
    expect(button(/save/i)).toBeTruthy();
  });

  it('Dismiss hides that card', async () => {
    const { cards } = setup({ ep_one: view('ep_one', FIRST) });
    const media = audio('one');
    await play(media);
    at(media, 21);
    expect(cards.current()).toEqual({ insightId: 'ins_b' });
    button(/dismiss/i).click();
    expect(shownText()).toBe('Insight a');
    expect(cards.current()).toEqual({ insightId: 'ins_a' });
    button(/dismiss/i).click();
    expect(shownText()).toBeNull();
    expect(cards.current()).toBeNull();
    // It stays dismissed when the playhead comes back to it; the next moment shows.
    seek(media, 0);
    at(media, 25);
    expect(shownText()).toBeNull();
    at(media, 30);
    expect(shownText()).toBe('Insight c');
  });

  it('shows and hides the quote', async () => {
    setup({ ep_one: view('ep_one', FIRST) });
    const media = audio('one');
    await play(media);
    at(media, 10);
    expect(root()?.querySelector('.quote')).toBeNull();
    const toggle = button(/show quote/i);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    toggle.click();
    expect(root()?.querySelector('.quote')?.textContent).toBe('“Quote of a”');
    expect(button(/hide quote/i).getAttribute('aria-expanded')).toBe('true');
    button(/hide quote/i).click();
    expect(root()?.querySelector('.quote')).toBeNull();
  });

  it('collapses to a pill and back, by button and by Escape; current() still answers', async () => {
    const { cards } = setup({ ep_one: view('ep_one', FIRST) });
    const media = audio('one');
    await play(media);
    at(media, 21);
    button(/collapse/i).click();
    expect(shownText()).toBeNull();
    const pill = root()?.querySelector<HTMLButtonElement>('.pill');
    expect(pill?.textContent).toBe('Earmark · 4 insights');
    expect(root()?.activeElement).toBe(pill); // the keyboard stays in the cards
    expect(cards.current()).toEqual({ insightId: 'ins_b' });
    pill!.click();
    expect(shownText()).toBe('Insight b');
    const jump = button(/jump/i);
    jump.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    expect(root()?.querySelector('.pill')).not.toBeNull();
  });

  it('keeps keys typed in the cards from the page’s shortcuts', async () => {
    setup({ ep_one: view('ep_one', FIRST) });
    const media = audio('one');
    await play(media);
    at(media, 21);
    const pageKeys = vi.fn();
    document.addEventListener('keydown', pageKeys);
    button(/save/i).dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true, composed: true }));
    document.removeEventListener('keydown', pageKeys);
    expect(pageKeys).not.toHaveBeenCalled();
  });

  it('starts folded to the pill on a quiet episode (a short YouTube video), once: the user may open it', async () => {
    const { cards } = setup({ ep_one: { ...view('ep_one', FIRST), quiet: true } });
    const one = audio('one');
    await play(one);
    at(one, 12);
    expect(shownText()).toBeNull();
    expect(root()?.querySelector('.pill')?.textContent).toBe('Earmark · 4 insights');
    (root()!.querySelector('.pill') as HTMLButtonElement).click();
    expect(shownText()).toBe('Insight a');
    // A later push for the same episode does not fold it again.
    cards.update({ ...view('ep_one', FIRST), quiet: true });
    expect(shownText()).toBe('Insight a');
  });

  it('remembers the collapsed state for the page, across episodes', async () => {
    setup({ ep_one: view('ep_one', FIRST), ep_two: view('ep_two', [insight('z', 5)]) });
    const one = audio('one');
    await play(one);
    at(one, 12);
    button(/collapse/i).click();
    stubMedia(one, { paused: true });
    const two = audio('two');
    await play(two);
    at(two, 6);
    expect(root()?.querySelector('.pill')?.textContent).toBe('Earmark · 1 insight');
  });

  it('replaces its insights with each push, and ignores pushes for another episode', async () => {
    const { cards } = setup({ ep_one: view('ep_one', [insight('a', 10)]) });
    const media = audio('one');
    await play(media);
    at(media, 25);
    expect(shownText()).toBe('Insight a');
    // More insights streamed in during extraction: one already reached.
    cards.update(view('ep_one', [insight('a', 10), insight('n', 24, { text: 'New one' })]));
    expect(shownText()).toBe('New one');
    expect(pager()).toBe('2/2');
    // The list is replaced, not merged.
    cards.update(view('ep_one', [insight('n', 24, { text: 'New one' })]));
    expect(pager()).toBeNull();
    cards.update(view('ep_other', [insight('x', 1, { text: 'Not this episode' })]));
    expect(shownText()).toBe('New one');
  });

  it('takes a push that arrives while its own question is pending, and drops the late answer', async () => {
    let answer!: (view: CardsView | null) => void;
    const send = vi.fn((type: string) =>
      type === 'cards/get' ? new Promise<CardsView | null>((resolve) => (answer = resolve)) : null,
    );
    const { cards } = setup({}, { send: send as unknown as Send });
    const media = audio('one');
    await play(media);
    cards.update(view('ep_one', [insight('a', 1, { text: 'Pushed' })]));
    at(media, 2);
    expect(shownText()).toBe('Pushed');
    answer(view('ep_one', [insight('a', 1, { text: 'Stale' })]));
    await flush();
    expect(shownText()).toBe('Pushed');
  });

  it('resets on another episode and asks again', async () => {
    const { send, cards } = setup({
      ep_one: view('ep_one', FIRST),
      ep_two: view('ep_two', [insight('z', 100, { text: 'Two’s first' })]),
    });
    const one = audio('one');
    await play(one);
    at(one, 15);
    expect(shownText()).toBe('Insight a');
    stubMedia(one, { paused: true });
    const two = audio('two');
    await play(two);
    expect(host()).toBeNull();
    expect(cards.current()).toBeNull();
    expect(send.mock.calls.filter(([type]) => type === 'cards/get')).toHaveLength(2);
    // The old element's events no longer move the cards.
    at(one, 45);
    expect(host()).toBeNull();
    at(two, 100);
    expect(shownText()).toBe('Two’s first');
  });

  it('resets when navigation takes the player away', async () => {
    const { detector, cards } = setup({ ep_one: view('ep_one', FIRST) });
    const media = audio('one');
    await play(media);
    at(media, 15);
    expect(host()).not.toBeNull();
    media.remove();
    detector.refresh();
    expect(host()).toBeNull();
    expect(cards.current()).toBeNull();
  });

  it('resets when the same page moves on to another episode (SPA navigation), and asks again', async () => {
    const { detector, send } = setup({
      ep_one: view('ep_one', FIRST),
      ep_two: view('ep_two', [insight('z', 100, { text: 'Two’s first' })]),
    });
    const meta = document.createElement('meta');
    meta.setAttribute('property', 'og:title');
    meta.content = 'One';
    document.head.append(meta);
    const element = document.createElement('audio');
    element.src = 'blob:https://player.example/stream'; // one stream for every episode: no file name
    document.body.append(element);
    stubMedia(element, { duration: 3600, currentTime: 0 });
    await play(element);
    at(element, 120);
    expect(shownText()).toBe('Insight d');
    meta.content = 'Two';
    detector.refresh();
    expect(host()).toBeNull();
    await flush();
    await flush();
    expect(send.mock.calls.filter(([type]) => type === 'cards/get')).toHaveLength(2);
    at(element, 121);
    expect(shownText()).toBe('Two’s first');
  });

  it('renders text as text: markup in an insight or quote creates no element', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    setup({
      ep_one: view('ep_one', [
        insight('x', 1, { text: evil, quote: '<script>alert(1)</script><b>bold</b>' }),
      ]),
    });
    const media = audio('one');
    await play(media);
    at(media, 1);
    button(/show quote/i).click();
    const shadow = root()!;
    expect(shadow.querySelector('img, script, b')).toBeNull();
    expect(shownText()).toBe(evil);
    expect(shadow.querySelector('.quote')?.textContent).toBe('“<script>alert(1)</script><b>bold</b>”');
    expect(document.querySelector('img, script, b')).toBeNull();
  });

  it('offers every control as a button the keyboard reaches', async () => {
    setup({ ep_one: view('ep_one', FIRST) });
    const media = audio('one');
    await play(media);
    at(media, 35);
    const controls = [...root()!.querySelectorAll('button')];
    expect(controls.map((b) => b.getAttribute('aria-label') ?? b.textContent)).toEqual([
      'Previous insight',
      'Next insight',
      'Collapse Earmark',
      'Show quote',
      '☆ Save',
      '↺ Jump to 0:30',
      'Dismiss',
    ]);
    for (const b of controls) expect(b.getAttribute('tabindex')).toBeNull();
    expect(root()!.querySelector('style')?.textContent).toContain('button:focus-visible');
  });

  it('resets its host’s style inline, where the page cannot override it', async () => {
    setup({ ep_one: view('ep_one', FIRST) });
    const media = audio('one');
    await play(media);
    at(media, 10);
    const style = host()!.getAttribute('style') ?? '';
    expect(style).toContain('all: initial !important');
    expect(style).toContain('position: fixed !important');
    expect(style).toContain('z-index: 2147483647 !important');
    expect(style).toContain('pointer-events: none !important');
  });

  it('goes after the site’s anchor when it has one on screen', async () => {
    const anchor = document.createElement('div');
    anchor.id = 'player-controls';
    document.body.append(anchor, document.createElement('footer'));
    vi.spyOn(anchor, 'getClientRects').mockReturnValue([{}] as unknown as DOMRectList);
    setup({ ep_one: view('ep_one', FIRST) }, { mount: () => anchor });
    const media = audio('one');
    await play(media);
    at(media, 10);
    expect(anchor.nextElementSibling).toBe(host());
    expect(host()!.getAttribute('style')).not.toContain('position: fixed');
  });

  it('takes a corner when the site’s anchor is not displayed', async () => {
    const anchor = document.createElement('div');
    document.body.append(anchor);
    vi.spyOn(anchor, 'getClientRects').mockReturnValue([] as unknown as DOMRectList); // display: none
    setup({ ep_one: view('ep_one', FIRST) }, { mount: () => anchor });
    const media = audio('one');
    await play(media);
    at(media, 10);
    expect(anchor.nextElementSibling).not.toBe(host());
    expect(host()!.getAttribute('style')).toContain('bottom: 16px !important');
  });

  it('goes to the top-right corner when the bottom-right one would cover the player’s controls', async () => {
    setup({ ep_one: view('ep_one', FIRST) });
    const media = audio('one');
    vi.spyOn(media, 'getBoundingClientRect').mockReturnValue({
      left: 0,
      top: 0,
      right: window.innerWidth,
      bottom: window.innerHeight,
      width: window.innerWidth,
      height: window.innerHeight,
    } as DOMRect);
    await play(media);
    at(media, 10);
    expect(host()!.getAttribute('style')).toContain('top: 16px !important');
  });
});

describe('with no media', () => {
  it('mounts nothing and starts no listener, timer or observer', () => {
    const spies = [
      vi.spyOn(globalThis, 'setTimeout'),
      vi.spyOn(globalThis, 'setInterval'),
      vi.spyOn(globalThis, 'requestAnimationFrame'),
      vi.spyOn(globalThis, 'MutationObserver'),
      vi.spyOn(globalThis, 'ResizeObserver'),
      vi.spyOn(globalThis, 'IntersectionObserver'),
      vi.spyOn(EventTarget.prototype, 'addEventListener'),
    ];
    const send = vi.fn();
    const cards = startCards({ doc: document, send: send as unknown as Send, seek: () => null });
    cards.setEpisode(null);
    cards.update(view('ep_one', FIRST)); // a push without an episode of ours: ignored
    expect(cards.current()).toBeNull();
    expect(host()).toBeNull();
    expect(send).not.toHaveBeenCalled();
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    cards.stop();
  });

  it('does not listen to an episode’s element while it has no insights', async () => {
    const { cards } = setup({ ep_one: view('ep_one', []) });
    const media = audio('one');
    const listen = vi.spyOn(media, 'addEventListener');
    await play(media);
    expect(listen).not.toHaveBeenCalled();
    expect(host()).toBeNull();
    cards.update(view('ep_one', [insight('a', 1)]));
    expect(listen.mock.calls.map(([type]) => type).sort()).toEqual(
      ['pause', 'play', 'ratechange', 'seeked', 'timeupdate'].sort(),
    );
  });
});
