// Transcript parsing benchmarks (issue 3): `parse.vtt_3h_ms` and `parse.json_words_3h_ms`.
// Each builds a 3-hour transcript in memory, deterministically (a seeded PRNG over a fixed
// vocabulary, so every run parses the same bytes), then times `parseTranscript` on it with
// `timed`: 3 warm-up runs, then the median of 15.
//   - VTT: 2,700 cues of 4 s (a 3-hour episode), each a sentence of 6 to 24 words with a
//     `<v Speaker>` voice, cue ids on a third of them, an occasional `&amp;`: ~0.3 MB.
//   - JSON: 27,000 word segments of 0.4 s (Podcasting 2.0, one word a segment, punctuation
//     attached to the word as Buzzsprout writes it), speaker turns every 40-160 words: ~2 MB.
import { parseTranscript } from '../src/core/transcript/index';
import { BenchError, round, timed, type Benchmark, type BenchResult } from './lib/harness';
import { prng } from '../scripts/lib/prng';

const VOCABULARY = (
  'the a of and to in that it is was for on with as I you we they he she this but be have not at ' +
  'podcast episode show listeners audio feed transcript insight question answer idea story people ' +
  'time year week money market company product growth research study data model result point ' +
  'really actually basically probably important interesting different simple hard better first last ' +
  'think know said mean want need make build grow learn talk explain listen publish record edit ' +
  'because when while after before although however therefore meanwhile so then also just only'
).split(' ');
const SPEAKERS = ['Alex Morgan', 'Sam Rivera', 'Jordan Lee'];

function sentence(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    let word = VOCABULARY[Math.floor(random() * VOCABULARY.length)] ?? 'so';
    if (i === 0) word = word.charAt(0).toUpperCase() + word.slice(1);
    if (i > 2 && i < words - 2 && random() < 0.08) word += ',';
    out.push(word);
  }
  return `${out.join(' ')}${random() < 0.15 ? '?' : '.'}`;
}

function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${s.toFixed(3).padStart(6, '0')}`;
}

/** A 3-hour WebVTT: 2,700 cues of 4 seconds. */
export function vtt3h(): string {
  const random = prng(3);
  const lines = ['WEBVTT', 'Kind: captions', 'Language: en', ''];
  let speaker = 0;
  for (let i = 0; i < 2700; i++) {
    if (random() < 0.1) speaker = (speaker + 1) % SPEAKERS.length;
    if (i % 3 === 0) lines.push(String(i + 1));
    lines.push(`${clock(i * 4)} --> ${clock(i * 4 + 3.9)}`);
    let text = sentence(random, 6 + Math.floor(random() * 19));
    if (random() < 0.05) text = text.replace(' and ', ' &amp; ');
    lines.push(`<v ${SPEAKERS[speaker]}>${text}`, '');
  }
  return lines.join('\n');
}

/** A 3-hour word-level Podcasting 2.0 JSON: 27,000 one-word segments of 0.4 s. */
export function jsonWords3h(): string {
  const random = prng(27);
  const segments: { speaker: string; startTime: number; endTime: number; body: string }[] = [];
  let speaker = 0;
  let turnLeft = 100;
  let i = 0;
  while (i < 27_000) {
    const words = sentence(random, 5 + Math.floor(random() * 20)).split(' ');
    for (const body of words) {
      if (i >= 27_000) break;
      const startTime = round(i * 0.4, 3);
      segments.push({
        speaker: SPEAKERS[speaker] ?? 'Host',
        startTime,
        endTime: round(startTime + 0.35, 3),
        body,
      });
      i++;
    }
    turnLeft -= words.length;
    if (turnLeft <= 0) {
      speaker = (speaker + 1) % SPEAKERS.length;
      turnLeft = 40 + Math.floor(random() * 120);
    }
  }
  return JSON.stringify({ version: '1.0.0', segments });
}

function parseBenchmark(name: string, target: number, build: () => string): Benchmark {
  return async (): Promise<BenchResult> => {
    const body = build();
    const check = parseTranscript(body);
    const last = check.segments[check.segments.length - 1];
    if (!last || last.start < 10_000)
      throw new BenchError(`${name}: the generated transcript did not parse to 3 hours`);
    const value = await timed(() => parseTranscript(body), 15, { warmup: 3 });
    return { name, value: round(value), unit: 'ms', target, better: 'lower' };
  };
}

export const transcriptBenchmarks: Benchmark[] = [
  parseBenchmark('parse.vtt_3h_ms', 15, vtt3h),
  parseBenchmark('parse.json_words_3h_ms', 40, jsonWords3h),
];
