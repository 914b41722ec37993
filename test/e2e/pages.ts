// Pages and media the end-to-end tests serve, written here (not copied from real sites).

/** A WAV file of silence: `seconds` long, 8 kHz, 8-bit mono (small, and every browser plays it). */
export function silentWav(seconds: number): Buffer {
  const rate = 8000;
  const samples = Math.round(seconds * rate);
  const buf = Buffer.alloc(44 + samples, 0x80);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + samples, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate, 28);
  buf.writeUInt16LE(1, 32);
  buf.writeUInt16LE(8, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(samples, 40);
  return buf;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An ordinary episode page with og: meta and one audio element. */
export function episodePage({ title, show, audio }: { title: string; show: string; audio: string }): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)} · ${esc(show)}</title>
<meta property="og:title" content="${esc(title)}"><meta property="og:site_name" content="${esc(show)}">
</head><body><h1>${esc(title)}</h1><audio id="player" controls src="${esc(audio)}"></audio>
<button id="play" onclick="document.getElementById('player').play()">Play</button></body></html>`;
}

/** A single-page app: "Next" swaps the episode, URL and title without reloading. */
export const spaPage = `<!doctype html><html><head><meta charset="utf-8"><title>Episode one · SPA Radio</title>
<meta property="og:site_name" content="SPA Radio"></head><body>
<audio id="player" controls src="/media/long-1.wav"></audio>
<button id="play" onclick="player.play()">Play</button>
<button id="next" onclick="next()">Next episode</button>
<script>
function next() {
  history.pushState({}, '', '/spa/episode-two');
  document.title = 'Episode two · SPA Radio';
  player.src = '/media/long-2.wav';
  player.play();
}
</script></body></html>`;

/** Several media elements: a short sound effect and the episode. */
export const severalMediaPage = `<!doctype html><html><head><meta charset="utf-8"><title>The real episode · Many Media</title>
<meta property="og:site_name" content="Many Media"></head><body>
<audio id="ding" src="/media/ding.wav"></audio>
<video id="teaser" muted src="/media/teaser.wav"></video>
<audio id="player" controls src="/media/long-1.wav"></audio>
</body></html>`;

/** A page with no metadata at all: only an audio element. */
export const bareMediaPage = `<!doctype html><html><head><meta charset="utf-8"></head><body>
<audio id="player" controls src="/media/my-great-episode.wav"></audio></body></html>`;

/** Hostile: markup and script in every field the adapter reads. */
export const HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1">Evil <b>episode</b>';
export const hostilePage = `<!doctype html><html><head><meta charset="utf-8"><title>x</title>
<meta property="og:title" content="${esc(HOSTILE_TITLE)}">
<meta property="og:site_name" content="${esc('<script>window.__pwned=2</script>Show')}">
<meta property="og:image" content="javascript:alert(1)">
</head><body><audio id="player" controls src="/media/long-1.wav"></audio></body></html>`;

/** A page with nothing to play. */
export const quietPage = `<!doctype html><html><head><meta charset="utf-8"><title>About us</title></head><body><p>No audio here.</p></body></html>`;

/** Media that starts playing on its own, before the content script is injected. */
export const autoplayPage = `<!doctype html><html><head><meta charset="utf-8"><title>Already playing · Autoplay FM</title>
<meta property="og:title" content="Already playing"><meta property="og:site_name" content="Autoplay FM"></head>
<body><audio id="player" autoplay controls src="/media/long-1.wav"></audio></body></html>`;

/** A page whose title is far over the limit. */
export const longTitlePage = `<!doctype html><html><head><meta charset="utf-8">
<meta property="og:title" content="${'Very long title '.repeat(400)}"></head>
<body><audio id="player" controls src="/media/long-1.wav"></audio></body></html>`;
