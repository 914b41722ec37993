// Hand check of the local insight engine on real transcripts in ../shared/fixtures/real (see its
// SOURCES.md). Not part of the test suite (the suite must pass without ../shared):
//   npx tsx test/core/insights/check-real.ts [path/to/fixtures/real] [--all]
// Prints, per transcript: its length, the compact transcript's share of the raw file in
// estimated tokens, the time the engine took, and the insights in the order picked, best first
// (time, importance, topics, text, and the quote when the text was cleaned). --all asks for 8
// insights whatever the episode's length. Every insight is checked against the grounding
// invariant. Exits 0 whatever it finds; without the fixtures it says so and exits 0.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compactTranscript, estimateTokens, renderCompact } from '../../../src/core/insights/compact';
import { createGrounder } from '../../../src/core/insights/grounding';
import { localEngine } from '../../../src/core/insights/local';
import { parseTranscript } from '../../../src/core/transcript/index';
import type { Insight } from '../../../src/core/types';
import { formatClock } from '../../../src/core/text/time';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const args = process.argv.slice(2);
const REAL = args.find((a) => !a.startsWith('--')) ?? join(ROOT, '..', 'shared', 'fixtures', 'real');
const ALL = args.includes('--all');

const FILES = [
  'transcriptator-podnews_daily_2024-01-25.vtt',
  'transcriptator-buzzcast.json',
  'transcriptator-podcasting_20_episode_124.srt',
  'transcriptator-how_to_start_a_podcast.json',
  'transcriptator-podnews_weekly_review_2023-03-17.html',
  'transcriptator-kde_express-16_telegram.es.vtt',
];

async function check(path: string, name: string): Promise<void> {
  const body = readFileSync(path, 'utf8');
  const transcript = parseTranscript(body, { url: path });
  const last = transcript.segments[transcript.segments.length - 1];
  const minutes = ((last?.end ?? last?.start ?? 0) / 60).toFixed(1);
  const compact = estimateTokens(renderCompact(compactTranscript(transcript)));
  console.log(`\n## ${name}`);
  console.log(
    `  ${transcript.format}, ${transcript.language ?? 'no language'}, ${transcript.segments.length} segments, ${minutes} min;`,
    `compact/raw tokens ${compact}/${estimateTokens(body)} = ${(compact / estimateTokens(body)).toFixed(2)}`,
  );
  const t0 = performance.now();
  const picked: Insight[] = [];
  const result = await localEngine.extract(transcript, ALL ? { count: 8 } : {}, {
    onInsight: (i) => picked.push(i),
  });
  const ms = performance.now() - t0;
  const grounder = createGrounder(transcript);
  const bad = result.insights.filter((i) => !grounder.check(i));
  console.log(`  ${result.insights.length} insights in ${ms.toFixed(1)} ms; ungrounded: ${bad.length}`);
  // In the order picked (best first), as a listener would see them ranked.
  for (const [rank, i] of picked.entries()) {
    console.log(
      `  ${String(rank + 1).padStart(2)}. ${formatClock(i.start).padStart(7)}  ${i.importance}  [${i.topics.join(', ')}]  ${i.text}`,
    );
    if (i.text !== i.quote) console.log(`                quote: «${i.quote}»`);
  }
}

async function main(): Promise<void> {
  const dir = join(REAL, 'transcripts');
  if (!existsSync(dir)) {
    console.log(`No real fixtures at ${REAL}: nothing to check (they live outside the repository).`);
    return;
  }
  for (const name of FILES) {
    const path = join(dir, name);
    if (!existsSync(path)) {
      console.log(`\n## ${name}: missing`);
      continue;
    }
    try {
      await check(path, name);
    } catch (err) {
      console.log(`\n## ${name}: FAILED ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

await main();
