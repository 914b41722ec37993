// parse.feed_1000_ms: parseFeed on a generated 1,000-episode feed shaped like a big real show
// (~2.6 MB): CDATA titles with entities, 1–2 kB HTML show notes in CDATA per episode, tracking-
// prefixed enclosures, durations in several forms, two Podcasting 2.0 transcripts and chapters
// per episode, iTunes tags. The feed is built once from a fixed seed (identical every run); the
// value is the median of 15 timed parses after 3 warm-up parses.
import { parseFeed } from '../src/core/feed';
import { BenchError, round, timed, type BenchResult } from './lib/harness';
import { prng } from '../scripts/lib/prng';

const WORDS = (
  'the podcast episode guest market policy research data model climate history interview season ' +
  'question answer economy science story listener network energy health culture future design'
).split(' ');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function generateFeed(items: number, seed = 1865): string {
  const rnd = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const words = (n: number): string => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"',
    '  xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:atom="http://www.w3.org/2005/Atom"',
    '  xmlns:content="http://purl.org/rss/1.0/modules/content/">',
    '<channel>',
    '  <title><![CDATA[The Long Bench &amp; Friends]]></title>',
    '  <link>https://bench.example.com/</link>',
    '  <atom:link href="https://feeds.example.com/bench.xml" rel="self" type="application/rss+xml"/>',
    '  <language>en-us</language>',
    '  <itunes:image href="https://bench.example.com/cover.jpg"/>',
    `  <description><![CDATA[<p>${words(80)}</p>]]></description>`,
  ];
  let time = Date.UTC(2024, 11, 31, 10, 0, 0);
  for (let i = items; i > 0; i--) {
    time -= (1 + Math.floor(rnd() * 3)) * 86_400_000;
    const d = new Date(time);
    const date = `${DAYS[d.getUTCDay()]}, ${String(d.getUTCDate()).padStart(2, '0')} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} 10:00:00 +0000`;
    const seconds = 1200 + Math.floor(rnd() * 7200);
    const duration =
      i % 3 === 0
        ? String(seconds)
        : i % 3 === 1
          ? `${Math.floor(seconds / 3600)}:${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`
          : `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
    // 1–2 kB of show notes, as hosts write them: paragraphs, links, a list of timestamps.
    const paragraphs = Array.from(
      { length: 3 + Math.floor(rnd() * 4) },
      () =>
        `<p>${words(25)} <a href="https://bench.example.com/${i}/${pick(WORDS)}">${words(3)}</a> &amp; ${words(8)}.</p>`,
    ).join('');
    const stamps = Array.from({ length: 4 }, (_, k) => `<li>(${k * 7}:00) ${words(5)}</li>`).join('');
    out.push(
      '  <item>',
      `    <title><![CDATA[#${i}: ${words(5)} &amp; ${words(2)} — “${words(2)}”]]></title>`,
      `    <itunes:title>${words(5)}</itunes:title>`,
      `    <guid isPermaLink="false">bench-${i}-${Math.floor(rnd() * 1e9).toString(36)}</guid>`,
      `    <pubDate>${date}</pubDate>`,
      `    <enclosure url="https://dts.podtrac.com/redirect.mp3/chrt.fm/track/B3NCH/traffic.example.com/bench/${i}.mp3?updated=${time / 1000}" length="${seconds * 16000}" type="audio/mpeg"/>`,
      `    <itunes:duration>${duration}</itunes:duration>`,
      `    <itunes:episode>${i}</itunes:episode>`,
      '    <itunes:explicit>false</itunes:explicit>',
      `    <itunes:image href="https://bench.example.com/${i}.jpg"/>`,
      `    <description><![CDATA[${paragraphs}<ul>${stamps}</ul>]]></description>`,
      `    <podcast:transcript url="https://bench.example.com/${i}/transcript.srt" type="application/x-subrip" language="en" rel="captions"/>`,
      `    <podcast:transcript url="https://bench.example.com/${i}/transcript.vtt" type="text/vtt" language="en-us"/>`,
      `    <podcast:chapters url="https://bench.example.com/${i}/chapters.json" type="application/json+chapters"/>`,
      `    <podcast:person role="host" img="https://bench.example.com/host.jpg">${words(2)}</podcast:person>`,
      '  </item>',
    );
  }
  out.push('</channel>', '</rss>');
  return out.join('\n');
}

export async function parseFeedBenchmark(): Promise<BenchResult> {
  const xml = generateFeed(1000);
  const feed = parseFeed(xml);
  const transcripts = feed.episodes.reduce((n, e) => n + e.transcripts.length, 0);
  if (feed.episodes.length !== 1000 || transcripts !== 2000)
    throw new BenchError(`parse.feed_1000_ms: the generated feed parsed to ${feed.episodes.length} episodes`);
  const ms = await timed(() => parseFeed(xml), 15, { warmup: 3 });
  return { name: 'parse.feed_1000_ms', value: round(ms), unit: 'ms', target: 200, better: 'lower' };
}
