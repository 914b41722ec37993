// Checks the iTunes readers against the real Lookup answer in ../shared/fixtures/real/itunes
// (SOURCES.md there says what it is). Not part of the test suite, which must pass without
// ../shared: run it by hand with `npx tsx test/core/directory/check-real.ts`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLookup, parseSearch } from '../../../src/core/directory';

const dir = join(import.meta.dirname, '../../../../shared/fixtures/real/itunes');

if (!existsSync(dir)) {
  console.log(`note: ${dir} is absent; nothing to check.`);
  process.exit(0);
}

let failures = 0;
const check = (ok: boolean, what: string) => {
  if (!ok) failures++;
  console.log(`${ok ? 'ok      ' : 'MISMATCH'} ${what}`);
};

for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const json: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const raw = (json as { results: { kind?: string }[] }).results;
  const lookup = parseLookup(json);
  console.log(`${file}:`);
  console.log(JSON.stringify(lookup, null, 2));
  check(lookup.show !== undefined && /^\d+$/.test(lookup.show.collectionId), 'the show is read');
  check(Boolean(lookup.show?.feedUrl), 'the show has its feed URL');
  check(
    lookup.episodes.length === raw.filter((r) => r.kind === 'podcast-episode').length,
    `every episode is read (${lookup.episodes.length})`,
  );
  check(
    lookup.episodes.every((e) => e.guid && e.url && e.published && e.durationSeconds && e.trackId),
    'each episode has guid, url, date, duration and trackId',
  );
  const shows = parseSearch(json);
  check(shows.length === 1, `read as a search answer, it names one show (${shows.length})`);
}
process.exit(failures ? 1 : 0);
