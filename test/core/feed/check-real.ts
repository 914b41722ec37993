// Hand check of the feed parser against the real-world feeds in ../shared/fixtures/real/feeds/
// (see its SOURCES.md). Not part of the test suite: those files are not in this repository.
//   npx tsx test/core/feed/check-real.ts
// Prints, per feed: title, episode count, episodes with transcripts, transcript types and
// languages seen, durations parsed vs present, dates parsed vs present, and any error.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeFeedBytes, FeedError, matchEpisode, parseFeed } from '../../../src/core/feed';

const DIR = fileURLToPath(new URL('../../../../shared/fixtures/real/feeds/', import.meta.url));

if (!existsSync(DIR)) {
  console.log(`note: ${DIR} is not here; nothing to check (the unit tests do not need it).`);
  process.exit(0);
}

const count = (xml: string, re: RegExp): number => xml.match(re)?.length ?? 0;
const tally = (values: string[]): string => {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k}×${n}`).join(', ') || '–';
};

let failures = 0;
for (const file of readdirSync(DIR).sort()) {
  if (!/\.(xml|rss|xsd)$/.test(file)) continue;
  const bytes = readFileSync(join(DIR, file));
  console.log(`\n${file} (${(bytes.length / 1024).toFixed(0)} kB)`);
  try {
    const xml = decodeFeedBytes(bytes);
    const t0 = performance.now();
    const feed = parseFeed(xml);
    const ms = performance.now() - t0;
    const eps = feed.episodes;
    const transcripts = eps.flatMap((e) => e.transcripts);
    // What the file holds, counted crudely from the text per <item>/<entry>, to compare.
    const chunks = xml.split(/<(?:item|entry)[\s>]/).slice(1);
    const items = chunks.length;
    const durations = chunks.filter((c) => /<[\w-]+:duration>\s*[^<\s]/.test(c)).length;
    const dates = chunks.filter((c) => /<(pubDate|dc:date|published|updated)>\s*[^<\s]/i.test(c)).length;
    const transcriptTags = count(xml, /<[\w-]+:transcript\b/g);
    console.log(
      `  title       ${JSON.stringify(feed.title)}  link=${feed.link ?? '–'}  language=${feed.language ?? '–'}`,
    );
    console.log(`  image       ${feed.image ?? '–'}`);
    console.log(`  episodes    ${eps.length} (items in file: ${items})   parsed in ${ms.toFixed(1)} ms`);
    console.log(
      `  transcripts ${eps.filter((e) => e.transcripts.length > 0).length} episodes, ${transcripts.length} tags parsed (in file: ${transcriptTags})`,
    );
    console.log(`    types     ${tally(transcripts.map((t) => t.type ?? '(none)'))}`);
    console.log(`    languages ${tally(transcripts.map((t) => t.language ?? '(none)'))}`);
    console.log(`    rel       ${tally(transcripts.map((t) => t.rel ?? '(none)'))}`);
    console.log(`  chapters    ${eps.filter((e) => e.chaptersUrl).length} episodes`);
    console.log(
      `  durations   ${eps.filter((e) => e.durationSeconds !== undefined).length} parsed / ${durations} present`,
    );
    console.log(`  dates       ${eps.filter((e) => e.published).length} parsed / ${dates} present`);
    console.log(
      `  guids       ${eps.filter((e) => e.guid).length}   enclosures ${eps.filter((e) => e.enclosureUrl).length}`,
    );
    const first = eps[0];
    if (first) console.log(`  first       ${JSON.stringify(first).slice(0, 400)}`);
  } catch (err) {
    if (err instanceof FeedError) console.log(`  FeedError ${err.code}: ${err.message}`);
    else {
      failures++;
      console.log(`  UNEXPECTED ${err instanceof Error ? err.stack : String(err)}`);
    }
  }
}
// Page → feed matching on the real pair SOURCES.md names: the 2019 Overcast page of a Weeds
// episode plays the file the Megaphone feed lists (plus "#t=0"); and the 1865 feed's enclosures
// hide art19 files behind podtrac + chartable + podsights prefixes.
const PAGE = join(DIR, '..', 'pages', 'overcast-episode-theweeds-2019.html');
if (existsSync(PAGE)) {
  console.log('\nmatching');
  const page = readFileSync(PAGE, 'utf8');
  const src = /<source src="([^"]+)"/.exec(page)?.[1];
  const weeds = parseFeed(readFileSync(join(DIR, 'overcastparser-theweeds-megaphone.rss'), 'utf8'));
  const hit = src ? matchEpisode(weeds, { enclosureUrl: src }) : undefined;
  console.log(
    `  overcast page ${src ?? '(no <source>)'}\n    → ${hit ? `${hit.guid} ${JSON.stringify(hit.title)}` : 'NO MATCH'}`,
  );
  if (!hit) failures++;
  const art19 = parseFeed(readFileSync(join(DIR, 'partytime-1865-art19.xml'), 'utf8'));
  let matched = 0;
  for (const e of art19.episodes) {
    const bare = e.enclosureUrl?.replace(/^.*?(rss\.art19\.com\/)/, 'https://$1').replace(/\?.*$/, '');
    if (bare && matchEpisode(art19, { enclosureUrl: bare }) === e) matched++;
  }
  console.log(`  1865: ${matched}/${art19.episodes.length} episodes found from their bare art19 file`);
  if (matched !== art19.episodes.length) failures++;
}

process.exit(failures > 0 ? 1 : 0);
