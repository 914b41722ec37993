// Claude engine benchmarks (issue 4): `claude.first_insight_s`, `claude.first_to_last_ratio` and
// `claude.prompt_tokens_vs_vtt`. The engine runs through the real SDK against the local
// Anthropic-compatible test server (test/support/anthropic-server.ts) set to answer like a slow
// model: the first token 0.6 s after the request, then 80 tokens a second (a token is ~4
// characters of the JSON answer, sent 3 tokens a delta). The input is a generated 1-hour
// episode (test/fixtures/anthropic/episode.ts: Buzzsprout-like WebVTT, 2.5 words a second, cues
// of 7–11 words), asked for the default 8 insights; no position, so windows go in time order.
//   - first_insight_s: seconds from `extract()` to the first `onInsight`;
//   - first_to_last_ratio: that time over the time of the last `onInsight`;
//   each the median of 3 runs (the server's prompt cache is cleared before each).
//   - prompt_tokens_vs_vtt: every prompt token sent for the episode (system prompt, the JSON
//     schema of the answer, each window's transcript block and instructions) per audio hour,
//     over the raw WebVTT's tokens per audio hour; both counted with `estimateTokens` (4
//     characters a token), which flatters the VTT (its timestamps cost more real tokens).
import { createClaudeEngine } from '../src/core/insights/claude';
import { estimateTokens } from '../src/core/insights/compact';
import { makeTranscript, toVtt } from '../test/fixtures/anthropic/episode';
import { requestText, startAnthropicServer, type RecordedRequest } from '../test/support/anthropic-server';
import { BenchError, median, round, type BenchResult } from './lib/harness';

const RUNS = 3;
const KEY = 'sk-ant-bench';

/** Prompt tokens of one recorded request: all its text plus the answer's schema. */
function promptTokens(request: RecordedRequest): number {
  const schema = request.body.output_config?.format?.schema;
  return estimateTokens(requestText(request.body)) + (schema ? estimateTokens(JSON.stringify(schema)) : 0);
}

export async function claudeBenchmarks(): Promise<BenchResult[]> {
  const server = await startAnthropicServer({ apiKey: KEY, firstTokenDelayMs: 600, tokensPerSecond: 80 });
  try {
    const transcript = makeTranscript(1);
    const last = transcript.segments[transcript.segments.length - 1];
    const hours = (last?.end ?? last?.start ?? 0) / 3600;
    const engine = createClaudeEngine({ apiKey: KEY, baseURL: server.url, retries: 0 });
    const firsts: number[] = [];
    const ratios: number[] = [];
    let sent = 0;
    for (let run = 0; run < RUNS; run++) {
      server.clearCache();
      server.requests.length = 0;
      const times: number[] = [];
      const t0 = performance.now();
      const result = await engine.extract(
        transcript,
        {},
        { onInsight: () => times.push(performance.now() - t0) },
      );
      const first = times[0];
      const lastTime = times[times.length - 1];
      if (first === undefined || lastTime === undefined || result.insights.length < 2)
        throw new BenchError(`claude: the run found ${result.insights.length} insights, too few to time`);
      firsts.push(first / 1000);
      ratios.push(first / lastTime);
      sent = server.requests.reduce((n, r) => n + promptTokens(r), 0);
    }
    const vttTokens = estimateTokens(toVtt(transcript));
    return [
      {
        name: 'claude.first_insight_s',
        value: round(median(firsts)),
        unit: 's',
        target: 2.1,
        better: 'lower',
      },
      {
        name: 'claude.first_to_last_ratio',
        value: round(median(ratios)),
        unit: '×',
        target: 0.2,
        better: 'lower',
      },
      {
        name: 'claude.prompt_tokens_vs_vtt',
        value: round(sent / hours / (vttTokens / hours)),
        unit: '×',
        target: 0.6,
        better: 'lower',
      },
    ];
  } finally {
    await server.close();
  }
}
