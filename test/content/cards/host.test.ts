// @vitest-environment happy-dom
// Where the cards go on the page and which palette they take.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cornerFor, pageTheme } from '../../../src/content/cards/host';
import { CSS, hostStyle } from '../../../src/content/cards/style';

afterEach(() => {
  vi.restoreAllMocks();
  document.body.removeAttribute('style');
  document.documentElement.removeAttribute('style');
});

function mediaAt(rect: Partial<DOMRect>): HTMLMediaElement {
  const media = document.createElement('video');
  vi.spyOn(media, 'getBoundingClientRect').mockReturnValue({
    left: 0,
    top: 0,
    right: 0,
    bottom: 0,
    width: 0,
    height: 0,
    ...rect,
  } as DOMRect);
  return media;
}

describe('cornerFor', () => {
  const { innerWidth: w, innerHeight: h } = window;

  it('takes the bottom-right corner for a hidden <audio>', () => {
    expect(cornerFor(document, mediaAt({}), 200)).toBe('bottom');
  });

  it('takes the bottom-right corner when the player is elsewhere', () => {
    // A video in the top-left quarter.
    const media = mediaAt({ left: 0, top: 0, right: w / 2, bottom: h / 2, width: w / 2, height: h / 2 });
    expect(cornerFor(document, media, 200)).toBe('bottom');
  });

  it('moves to the top-right when the corner would cover the player’s control bar', () => {
    const media = mediaAt({ left: 0, top: 0, right: w, bottom: h - 20, width: w, height: h - 20 });
    expect(cornerFor(document, media, 200)).toBe('top');
  });

  it('stays at the bottom when it covers only the top of a tall player, not its controls', () => {
    const media = mediaAt({ left: 0, top: h - 100, right: w, bottom: h + 600, width: w, height: 700 });
    expect(cornerFor(document, media, 200)).toBe('bottom');
  });
});

describe('pageTheme', () => {
  it.each<[string, 'dark' | 'light' | '']>([
    ['rgb(15, 15, 15)', 'dark'],
    ['rgb(255, 255, 255)', 'light'],
    ['rgba(0, 0, 0, 0)', ''], // transparent: the system's scheme decides
  ])('a body painted %s → %s', (color, expected) => {
    document.body.style.backgroundColor = color;
    expect(pageTheme(document)).toBe(expected);
  });

  it('reads the root element when the body is transparent', () => {
    document.documentElement.style.backgroundColor = 'rgb(24, 24, 27)';
    expect(pageTheme(document)).toBe('dark');
  });
});

describe('hostStyle', () => {
  it('marks every rule important, so the page’s own !important rules cannot win', () => {
    for (const place of ['inline', 'top', 'bottom'] as const) {
      const rules = hostStyle(place)
        .split(';')
        .filter((r) => r.trim());
      expect(rules[0]?.trim()).toBe('all: initial !important');
      for (const rule of rules) expect(rule).toMatch(/!important$/);
    }
    expect(hostStyle('top')).toContain('top: 16px !important');
    expect(hostStyle('inline')).not.toContain('position: fixed');
  });
});

describe('the cards’ CSS', () => {
  it('animates only for users who have not asked for reduced motion', () => {
    const motion = CSS.indexOf('@media (prefers-reduced-motion: no-preference)');
    expect(motion).toBeGreaterThan(-1);
    expect(CSS.indexOf('animation:')).toBeGreaterThan(motion);
    expect(CSS.match(/animation:/g)).toHaveLength(1);
  });

  it('has a dark palette for dark systems and for dark pages', () => {
    expect(CSS).toContain('@media (prefers-color-scheme: dark)');
    expect(CSS).toMatch(/\.app\.dark \{[^}]*--bg: #1b1917/);
  });

  it('sizes in px, never rem (which would follow the page’s root font size)', () => {
    expect(CSS).not.toMatch(/\drem\b/);
  });
});
