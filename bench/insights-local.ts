// Local insight engine benchmarks (issue 4): `local_engine.1h_ms` and `local_engine.3h_ms`.
// Each generates an episode deterministically (test/fixtures/insights/generate.ts: a seeded PRNG
// over sentence templates — claims with numbers and comparisons, chit-chat, questions, an ad
// read, a greeting and a goodbye — cut into caption cues of 5–12 words at 150 words a minute),
// parses it once (not timed), then times `localEngine.extract` on the parsed transcript with
// `timed`: 2 warm-up runs, then the median of 9. The work timed is all of it: sentence
// splitting (Intl.Segmenter), scoring, selection, grounding every pick and emitting.
import { localEngine } from '../src/core/insights/local';
import { parseTranscript } from '../src/core/transcript/index';
import { generateEpisodeVtt } from '../test/fixtures/insights/generate';
import { BenchError, round, timed, type Benchmark, type BenchResult } from './lib/harness';

function localBenchmark(name: string, minutes: number, target: number): Benchmark {
  return async (): Promise<BenchResult> => {
    const transcript = parseTranscript(generateEpisodeVtt(minutes, minutes).vtt);
    const last = transcript.segments[transcript.segments.length - 1];
    if (!last || last.start < minutes * 60 - 120) {
      throw new BenchError(`${name}: the generated transcript did not parse to ${minutes} minutes`);
    }
    const check = await localEngine.extract(transcript);
    if (check.insights.length === 0) throw new BenchError(`${name}: the engine found no insights`);
    const value = await timed(() => localEngine.extract(transcript), 9, { warmup: 2 });
    return { name, value: round(value), unit: 'ms', target, better: 'lower' };
  };
}

export const localEngineBenchmarks: Benchmark[] = [
  localBenchmark('local_engine.1h_ms', 60, 150),
  localBenchmark('local_engine.3h_ms', 180, 450),
];
