#!/usr/bin/env node
// Regenerates the bundled demo episode in public/demo/.
//
//   node scripts/make-demo.mjs
//
// Needs espeak-ng, sox (with soxi) and opus-tools (opusenc) on PATH. No npm deps.
// Writes: episode.opus, episode.vtt, artwork.png, feed.xml, index.html.
// (demo.js, demo.css and README.md in public/demo/ are hand-written and left alone.)
//
// Deterministic: the same tool versions give byte-identical output.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, statSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'public', 'demo');

// ---------------------------------------------------------------------------
// Metadata (single source of truth for feed.xml, index.html and opus tags)
// ---------------------------------------------------------------------------

const SHOW = {
  title: 'The Earmark Demo',
  author: 'Ada & Ben',
  description:
    'A tiny demo podcast bundled with Earmark. Two hosts, one short episode, a few ideas worth keeping.',
  language: 'en',
};

const EPISODE = {
  guid: 'earmark-demo-001',
  number: 1,
  title: 'Why we forget what we hear (and what helps)',
  date: '2026-11-01', // ISO date
  pubDate: 'Sun, 01 Nov 2026 09:00:00 GMT', // RFC 822 for RSS
  dateLabel: '1 November 2026',
  description:
    'Most of a podcast is gone by the next morning. Ada and Ben talk about why, and about the simple ' +
    'habits that help ideas stick: testing yourself, writing in your own words, spacing reviews, ' +
    'linking new ideas to old ones, watching your playback speed, and keeping a short list.',
};

// ---------------------------------------------------------------------------
// Voices and timing
// ---------------------------------------------------------------------------

const VOICES = {
  Ada: 'en-us+f3',
  Ben: 'en-gb',
};
const SPEED_WPM = 160;
const LEAD_IN = 0.3; // seconds of silence before the first sentence
const PAUSE_SENTENCE = 0.35; // between sentences in a paragraph
const PAUSE_PARAGRAPH = 0.8; // between paragraphs
const TAIL = 0.08; // silence kept after each trimmed sentence (part of its cue)
const OPUS_BITRATE = 22; // kbit/s, mono speech
const OPUS_SERIAL = 20261101; // fixed Ogg serial number for reproducible output

// ---------------------------------------------------------------------------
// The episode text: paragraphs of [speaker, sentence]. One VTT cue per sentence.
// Keep sentences short (TTS) and free of markup characters.
// The key claims are marked with a trailing comment.
// ---------------------------------------------------------------------------

const A = 'Ada';
const B = 'Ben';

const PARAGRAPHS = [
  [
    [A, 'Hello, and welcome to The Earmark Demo.'],
    [A, "I'm Ada."],
    [B, "And I'm Ben."],
    [A, "Today we're asking a simple question."],
    [A, 'Why do we forget what we hear, and what actually helps?'],
    [B, "It's a fair question for a podcast to ask."],
    [B, "You're listening to one right now, after all."],
  ],
  [
    [A, "Let's start with the bad news."],
    [A, 'Most of what you hear in a podcast is forgotten within a day, unless you come back to it.'], // claim 1
    [B, 'That matches my experience.'],
    [B, "I finish an episode feeling smarter, and by the next morning I can't name a single point."],
    [A, 'Memory research keeps finding the same pattern.'],
    [A, 'Forgetting is steep at first, and then it slows down.'],
    [B, 'So the first day is where most of the loss happens.'],
  ],
  [
    [B, 'Okay, so what helps?'],
    [B, 'My instinct is to just listen again.'],
    [A, "That's the common instinct, but it's not the best one."],
    [A, 'Retrieving an idea by testing yourself on it fixes it in memory better than listening to it again.'], // claim 2
    [B, 'So instead of replaying the clip, I should ask myself what the point was.'],
    [A, 'Exactly.'],
    [A, 'The effort of pulling it back out is what does the work.'],
  ],
  [
    [B, "Here's one I learned the hard way."],
    [B, 'Writing a claim in your own words beats copying the quote word for word.'], // claim 3
    [A, 'Why do you think that is?'],
    [B, 'To rephrase something, you have to understand it first.'],
    [B, 'Copying lets you skip that step.'],
    [A, 'So keep the quote as a pointer, but write the note yourself.'],
  ],
  [
    [A, 'Next, timing.'],
    [A, 'Spacing your reviews over several days works better than cramming them into one sitting.'], // claim 4
    [B, 'So a minute today, a minute in two days, and a minute next week.'],
    [A, 'Right.'],
    [A, 'Each review comes just as the idea starts to fade, and that makes it last longer.'],
  ],
  [
    [B, "Then there's connection."],
    [B, 'Linking a new idea to one you already hold makes it much more likely to stick.'], // claim 5
    [A, 'A lone fact has nothing to hang on.'],
    [A, 'A fact tied to something you know has a hook.'],
    [B, 'So when I save an idea, I should ask what it reminds me of.'],
  ],
  [
    [A, "Let's talk about playback speed."],
    [B, 'Guilty.'],
    [B, 'I listen to almost everything at double speed.'],
    [A, "For light chat, that's usually fine."],
    [A, 'But listening at high speed costs you comprehension when the material is dense.'], // claim 6
    [B, 'So slow down for the hard parts, and speed up for the small talk.'],
  ],
  [
    [B, 'My last tip is about how much you save.'],
    [B, 'A short daily list of five saved ideas gets reviewed far more often than a long archive.'], // claim 7
    [A, 'Because a list of five feels doable.'],
    [A, 'An archive of hundreds feels like homework, so you never open it.'],
    [B, 'Pick five, review them, and let the rest go.'],
  ],
  [
    [A, 'So, to recap.'],
    [A, 'Come back to what you heard within a day.'],
    [A, 'Test yourself instead of listening again.'],
    [A, 'Use your own words, space your reviews, and link new ideas to old ones.'],
    [B, 'Watch your playback speed, and keep your list short.'],
    [B, "That's it for this episode of The Earmark Demo."],
    [A, 'Thanks for listening.'],
    [B, 'See you next time.'],
  ],
];

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

function run(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    if (err.code === 'ENOENT') {
      throw new Error(`${cmd} not found on PATH (needs espeak-ng, sox, opus-tools)`, { cause: err });
    }
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${err.stderr || err.message}`, { cause: err });
  }
}

// sox: -R = repeatable pseudo-random numbers, -D = no dither (keeps output byte-identical).
const sox = (args) => run('sox', ['-R', '-D', ...args]);

function samplesOf(file) {
  return Number(run('soxi', ['-s', file]).trim());
}
function rateOf(file) {
  return Number(run('soxi', ['-r', file]).trim());
}

function vttTime(seconds) {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const r = ms % 1000;
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${p(h)}:${p(m)}:${p(s)}.${p(r, 3)}`;
}

function isoDuration(totalSeconds) {
  const t = Math.round(totalSeconds);
  const m = Math.floor(t / 60);
  const s = t % 60;
  return `PT${m}M${s}S`;
}

const escapeXml = (s) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const escapeVtt = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// ---------------------------------------------------------------------------
// Artwork: 600x600 RGB PNG, written with a tiny PNG encoder (zlib only).
// A folded-corner page ("earmark") with sound-wave bars on a teal background.
// ---------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function encodePng(width, height, rgb) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // filter: none
    rgb.copy(raw, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function makeArtwork() {
  const W = 600;
  const H = 600;
  const BG = [0x0f, 0x4c, 0x5c]; // deep teal
  const PAGE = [0xfa, 0xf6, 0xee]; // warm white
  const FOLD = [0xf2, 0xa5, 0x41]; // amber fold (the earmark)
  const BAR = [0x0f, 0x4c, 0x5c]; // teal bars

  // Page: x 140..460, y 100..500, top-right corner folded at 100 px.
  const px0 = 140,
    px1 = 460,
    py0 = 100,
    py1 = 500,
    fold = 100;
  const inPage = (x, y) => x >= px0 && x <= px1 && y >= py0 && y <= py1 && x - (px1 - fold) - (y - py0) <= 0;
  // Fold triangle: the corner turned down, below the diagonal.
  const inFold = (x, y) => x >= px1 - fold && y <= py0 + fold && x - (px1 - fold) - (y - py0) <= 0;
  // Sound-wave bars (rounded capsules), centred on y = 330.
  const bars = [60, 120, 180, 110, 150, 80, 40].map((h, i) => ({ cx: 196 + i * 35, h }));
  const barR = 10;
  const cy = 330;
  const inBar = (x, y) => {
    for (const { cx, h } of bars) {
      const top = cy - h / 2 + barR;
      const bot = cy + h / 2 - barR;
      const yy = y < top ? top : y > bot ? bot : y;
      const dx = x - cx;
      const dy = y - yy;
      if (dx * dx + dy * dy <= barR * barR) return true;
    }
    return false;
  };
  const colourAt = (x, y) => {
    if (inFold(x, y)) return FOLD;
    if (inPage(x, y)) return inBar(x, y) ? BAR : PAGE;
    return BG;
  };

  const SS = 4; // supersampling for smooth edges
  const rgb = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let r = 0,
        g = 0,
        b = 0;
      const c0 = colourAt(x + 0.5, y + 0.5);
      // Cheap test: if the four corners agree, the pixel is flat.
      const flat = [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ].every(([dx, dy]) => colourAt(x + dx, y + dy) === c0);
      if (flat) {
        [r, g, b] = c0;
      } else {
        for (let sy = 0; sy < SS; sy++) {
          for (let sx = 0; sx < SS; sx++) {
            const c = colourAt(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
            r += c[0];
            g += c[1];
            b += c[2];
          }
        }
        const n = SS * SS;
        r = Math.round(r / n);
        g = Math.round(g / n);
        b = Math.round(b / n);
      }
      const o = (y * W + x) * 3;
      rgb[o] = r;
      rgb[o + 1] = g;
      rgb[o + 2] = b;
    }
  }
  return encodePng(W, H, rgb);
}

// ---------------------------------------------------------------------------
// Audio + transcript
// ---------------------------------------------------------------------------

function synthesize(tmp) {
  const sentences = [];
  PARAGRAPHS.forEach((para, pi) =>
    para.forEach(([speaker, text], si) => sentences.push({ speaker, text, paragraph: pi, index: si })),
  );

  let rate = 0;
  sentences.forEach((s, i) => {
    const raw = join(tmp, `raw-${i}.wav`);
    const clean = join(tmp, `s-${i}.wav`);
    run('espeak-ng', ['-v', VOICES[s.speaker], '-s', String(SPEED_WPM), '-w', raw, s.text]);
    const r = rateOf(raw);
    if (rate && r !== rate) throw new Error(`sample rate mismatch: ${r} vs ${rate}`);
    rate = r;
    // Trim espeak's leading/trailing silence, keep a short tail.
    sox([
      raw,
      clean,
      'silence',
      '1',
      '0.01',
      '0.2%',
      'reverse',
      'silence',
      '1',
      '0.01',
      '0.2%',
      'reverse',
      'pad',
      '0',
      String(TAIL),
    ]);
    s.file = clean;
    s.samples = samplesOf(clean);
    if (!s.samples) throw new Error(`espeak-ng produced silence for: ${s.text}`);
  });

  const silence = (name, seconds) => {
    const file = join(tmp, `${name}.wav`);
    const n = Math.round(seconds * rate);
    sox(['-r', String(rate), '-c', '1', '-n', '-b', '16', file, 'trim', '0', `${n}s`]);
    const got = samplesOf(file);
    if (got !== n) throw new Error(`silence ${name}: expected ${n} samples, got ${got}`);
    return { file, samples: n };
  };
  const lead = silence('lead', LEAD_IN);
  const pauseS = silence('pause-s', PAUSE_SENTENCE);
  const pauseP = silence('pause-p', PAUSE_PARAGRAPH);

  const parts = [lead.file];
  let pos = lead.samples;
  const cues = [];
  sentences.forEach((s, i) => {
    if (i > 0) {
      const gap = s.paragraph !== sentences[i - 1].paragraph ? pauseP : pauseS;
      parts.push(gap.file);
      pos += gap.samples;
    }
    cues.push({ ...s, start: pos / rate, end: (pos + s.samples) / rate });
    parts.push(s.file);
    pos += s.samples;
  });

  const joined = join(tmp, 'joined.wav');
  const episodeWav = join(tmp, 'episode.wav');
  sox([...parts, joined]);
  // Normalise loudness without changing length.
  sox([joined, episodeWav, 'gain', '-n', '-1']);
  const total = samplesOf(episodeWav);
  if (total !== pos) throw new Error(`joined length ${total} != expected ${pos} samples`);

  return { wav: episodeWav, cues, duration: total / rate, rate };
}

function makeVtt(cues) {
  const lines = [
    'WEBVTT',
    '',
    `NOTE ${SHOW.title}: ${EPISODE.title}. Generated by scripts/make-demo.mjs.`,
    '',
  ];
  cues.forEach((c, i) => {
    lines.push(String(i + 1));
    lines.push(`${vttTime(c.start)} --> ${vttTime(c.end)}`);
    lines.push(`<v ${c.speaker}>${escapeVtt(c.text)}`);
    lines.push('');
  });
  return lines.join('\n');
}

function encodeOpus(wav, out) {
  run('opusenc', [
    '--quiet',
    '--bitrate',
    String(OPUS_BITRATE),
    '--speech',
    '--comp',
    '10',
    '--serial',
    String(OPUS_SERIAL),
    '--title',
    EPISODE.title,
    '--artist',
    SHOW.author,
    '--album',
    SHOW.title,
    '--date',
    EPISODE.date,
    '--comment',
    `COMMENT=Generated with espeak-ng by scripts/make-demo.mjs`,
    wav,
    out,
  ]);
}

// ---------------------------------------------------------------------------
// feed.xml and index.html
// ---------------------------------------------------------------------------

function makeFeed({ bytes, seconds }) {
  const x = escapeXml;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!--
  Generated by scripts/make-demo.mjs.
  RSS needs absolute URLs. The demo server serves public/demo/ at the site root and replaces
  every {{ORIGIN}} below with its own origin (e.g. http://localhost:5173) when it serves this file.
-->
<rss version="2.0"
     xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:podcast="https://podcastindex.org/namespace/1.0"
     xmlns:atom="http://www.w3.org/2005/Atom"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>${x(SHOW.title)}</title>
    <link>{{ORIGIN}}/</link>
    <atom:link href="{{ORIGIN}}/feed.xml" rel="self" type="application/rss+xml"/>
    <description>${x(SHOW.description)}</description>
    <language>${SHOW.language}</language>
    <copyright>Earmark project. Text and audio are original, synthesized with espeak-ng.</copyright>
    <lastBuildDate>${EPISODE.pubDate}</lastBuildDate>
    <image>
      <url>{{ORIGIN}}/artwork.png</url>
      <title>${x(SHOW.title)}</title>
      <link>{{ORIGIN}}/</link>
    </image>
    <itunes:image href="{{ORIGIN}}/artwork.png"/>
    <itunes:author>${x(SHOW.author)}</itunes:author>
    <itunes:summary>${x(SHOW.description)}</itunes:summary>
    <itunes:category text="Education"/>
    <itunes:explicit>false</itunes:explicit>
    <itunes:type>episodic</itunes:type>
    <podcast:medium>podcast</podcast:medium>
    <item>
      <guid isPermaLink="false">${EPISODE.guid}</guid>
      <title>${x(EPISODE.title)}</title>
      <link>{{ORIGIN}}/</link>
      <description>${x(EPISODE.description)}</description>
      <pubDate>${EPISODE.pubDate}</pubDate>
      <enclosure url="{{ORIGIN}}/episode.opus" length="${bytes}" type="audio/ogg"/>
      <itunes:title>${x(EPISODE.title)}</itunes:title>
      <itunes:episode>${EPISODE.number}</itunes:episode>
      <itunes:episodeType>full</itunes:episodeType>
      <itunes:duration>${seconds}</itunes:duration>
      <itunes:explicit>false</itunes:explicit>
      <itunes:image href="{{ORIGIN}}/artwork.png"/>
      <podcast:transcript url="{{ORIGIN}}/episode.vtt" type="text/vtt" language="en"/>
    </item>
  </channel>
</rss>
`;
}

function makeIndexHtml({ seconds }) {
  const h = escapeXml;
  const pageTitle = `${EPISODE.title} · ${SHOW.title}`;
  const minutesLabel = `${Math.max(1, Math.round(seconds / 60))} min`;
  const ld = {
    '@context': 'https://schema.org',
    '@type': 'PodcastEpisode',
    name: EPISODE.title,
    url: './',
    description: EPISODE.description,
    datePublished: EPISODE.date,
    timeRequired: isoDuration(seconds),
    episodeNumber: EPISODE.number,
    image: 'artwork.png',
    inLanguage: 'en',
    associatedMedia: {
      '@type': 'MediaObject',
      contentUrl: 'episode.opus',
      encodingFormat: 'audio/ogg',
      duration: isoDuration(seconds),
    },
    partOfSeries: {
      '@type': 'PodcastSeries',
      name: SHOW.title,
      webFeed: 'feed.xml',
      image: 'artwork.png',
    },
    author: [
      { '@type': 'Person', name: 'Ada' },
      { '@type': 'Person', name: 'Ben' },
    ],
  };
  const json = JSON.stringify(ld, null, 2).replace(/</g, '\\u003c');
  return `<!doctype html>
<!-- Generated by scripts/make-demo.mjs: edit the template there, then re-run it. -->
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light dark">
  <title>${h(pageTitle)}</title>
  <meta name="description" content="${h(EPISODE.description)}">
  <meta property="og:type" content="website">
  <meta property="og:site_name" content="${h(SHOW.title)}">
  <meta property="og:title" content="${h(EPISODE.title)}">
  <meta property="og:description" content="${h(EPISODE.description)}">
  <meta property="og:image" content="artwork.png">
  <meta property="og:audio" content="episode.opus">
  <meta property="og:audio:type" content="audio/ogg">
  <meta name="twitter:card" content="summary">
  <meta name="twitter:title" content="${h(EPISODE.title)}">
  <meta name="twitter:description" content="${h(EPISODE.description)}">
  <meta name="twitter:image" content="artwork.png">
  <link rel="alternate" type="application/rss+xml" title="${h(SHOW.title)}" href="feed.xml">
  <link rel="icon" type="image/png" href="artwork.png">
  <link rel="stylesheet" href="demo.css">
  <script type="application/ld+json">
${json}
  </script>
  <script src="demo.js" defer></script>
</head>
<body>
  <header class="site">
    <a class="brand" href="./">${h(SHOW.title)}</a>
    <a class="rss" href="feed.xml">RSS feed</a>
  </header>

  <main>
    <article class="episode">
      <img class="cover" src="artwork.png" width="600" height="600" alt="${h(SHOW.title)} cover art: a page with a folded corner and sound-wave bars">
      <div class="info">
        <p class="show">${h(SHOW.title)} · Episode ${EPISODE.number}</p>
        <h1>${h(EPISODE.title)}</h1>
        <p class="meta">
          <time datetime="${EPISODE.date}">${EPISODE.dateLabel}</time>
          <span aria-hidden="true">·</span>
          <span class="duration">${minutesLabel}</span>
          <span aria-hidden="true">·</span>
          <span>with Ada &amp; Ben</span>
        </p>
        <button id="play" class="play" type="button" aria-controls="player">
          <span class="icon" aria-hidden="true"></span>
          <span class="label">Play episode</span>
        </button>
        <audio id="player" controls preload="metadata" src="episode.opus">
          Your browser cannot play this audio. <a href="episode.opus">Download the episode</a>.
        </audio>
      </div>
    </article>

    <section class="notes">
      <h2>Episode notes</h2>
      <p>${h(EPISODE.description)}</p>
      <p>A transcript is available as <a href="episode.vtt">WebVTT</a>.</p>
    </section>
  </main>

  <footer class="site">
    <p>A demo episode bundled with Earmark. Voices synthesized with espeak-ng.</p>
  </footer>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

function main() {
  mkdirSync(OUT, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'earmark-demo-'));
  try {
    const { wav, cues, duration } = synthesize(tmp);

    const opusPath = join(OUT, 'episode.opus');
    encodeOpus(wav, opusPath);
    const bytes = statSync(opusPath).size;
    const seconds = Math.round(duration);

    const files = {
      'episode.vtt': makeVtt(cues),
      'artwork.png': makeArtwork(),
      'feed.xml': makeFeed({ bytes, seconds }),
      'index.html': makeIndexHtml({ seconds }),
    };
    for (const [name, data] of Object.entries(files)) writeFileSync(join(OUT, name), data);

    console.log(`Wrote to ${relative(process.cwd(), OUT) || '.'}/:`);
    for (const name of ['episode.opus', ...Object.keys(files)]) {
      const size = statSync(join(OUT, name)).size;
      console.log(`  ${name.padEnd(14)} ${String(size).padStart(8)} bytes`);
    }
    console.log(`Cues: ${cues.length}`);
    console.log(`Total duration: ${duration.toFixed(3)} s (${vttTime(duration)})`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main();
