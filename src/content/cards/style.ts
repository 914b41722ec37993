// The cards' CSS, injected as a <style> in their shadow root: the page's CSS cannot reach in and
// ours cannot leak out. The palette is the popup's (src/ui/popup/popup.css). Sizes are in px, never
// rem: rem would follow the page's root font size.

/** Inline style of the host element: resets everything the page's CSS could set on it. */
export const HOST_STYLE = {
  corner: [
    'all: initial',
    'display: block',
    'position: fixed',
    'right: 16px',
    'z-index: 2147483647',
    'width: min(360px, calc(100vw - 32px))',
    // The host spans nothing clickable: only the card and the pill take the pointer.
    'pointer-events: none',
  ],
  inline: ['all: initial', 'display: block', 'position: relative', 'margin: 12px 0', 'max-width: 640px'],
} as const;

export function hostStyle(place: 'inline' | 'top' | 'bottom'): string {
  const rules: string[] =
    place === 'inline' ? [...HOST_STYLE.inline] : [...HOST_STYLE.corner, `${place}: 16px`];
  return rules.map((rule) => `${rule} !important;`).join(' ');
}

const LIGHT = `--bg: #fffaf5; --fg: #1d1a17; --muted: #6b625a; --line: #eadfd4; --track: #f1e6db;`;
const DARK = `--bg: #1b1917; --fg: #f3ede7; --muted: #a99d92; --line: #38322d; --track: #2d2824;`;

export const CSS = `
.app {
  ${LIGHT}
  --brand: #e85d04;
  color-scheme: light;
  font: 14px/1.4 system-ui, -apple-system, 'Segoe UI', sans-serif;
  color: var(--fg);
  text-align: left;
}
@media (prefers-color-scheme: dark) {
  .app:not(.light) { ${DARK} color-scheme: dark; }
}
/* The page itself is dark (whatever the system says): match it. */
.app.dark { ${DARK} color-scheme: dark; }
*, *::before, *::after { box-sizing: border-box; }
.card, .pill { pointer-events: auto; }
.card {
  background: var(--bg);
  border: 1px solid var(--line);
  border-top: 3px solid var(--brand);
  border-radius: 10px;
  padding: 10px 12px 12px;
  box-shadow: 0 6px 24px rgba(0, 0, 0, 0.18);
}
@media (prefers-reduced-motion: no-preference) {
  .card { animation: earmark-in 180ms ease-out; }
  @keyframes earmark-in { from { opacity: 0; transform: translateY(8px); } }
}
.head { display: flex; align-items: center; gap: 8px; margin-bottom: 6px; }
.brand { font-weight: 700; color: var(--brand); font-size: 12px; letter-spacing: 0.02em; }
.time { color: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; }
.pager { margin-left: auto; display: flex; align-items: center; gap: 2px; color: var(--muted); font-size: 12px; }
.pager + .icon { margin-left: 0; }
.icon { margin-left: auto; }
.text { margin: 0 0 6px; font-size: 15px; font-weight: 600; line-height: 1.35; overflow-wrap: anywhere; }
.quote {
  margin: 6px 0 0;
  padding: 2px 0 2px 10px;
  border-left: 3px solid var(--track);
  color: var(--muted);
  font-style: italic;
  overflow-wrap: anywhere;
  max-height: 160px;
  overflow: auto;
}
.actions { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 10px; }
.note { margin: 6px 0 0; font-size: 12px; color: var(--muted); }
button {
  font: inherit;
  font-size: 13px;
  color: var(--fg);
  background: transparent;
  border: 1px solid var(--line);
  border-radius: 6px;
  padding: 4px 10px;
  cursor: pointer;
}
button:hover { border-color: var(--brand); }
button:disabled { opacity: 0.4; cursor: default; border-color: var(--line); }
button:focus-visible { outline: 2px solid var(--brand); outline-offset: 2px; }
button.save { background: var(--brand); border-color: var(--brand); color: #fff; }
button.save[aria-pressed='true'] { background: transparent; color: var(--brand); }
button.icon, .pager button { border-color: transparent; padding: 0 7px; color: var(--muted); font-size: 18px; line-height: 22px; }
button.link { border: 0; padding: 0; color: var(--brand); font-size: 12px; }
.pill {
  display: inline-block;
  background: var(--bg);
  border: 1px solid var(--brand);
  border-radius: 999px;
  padding: 5px 14px;
  font-weight: 600;
  box-shadow: 0 3px 12px rgba(0, 0, 0, 0.15);
}
.corner .pill-row { display: flex; justify-content: flex-end; }
`;
