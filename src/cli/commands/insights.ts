// earmark insights <transcript file|url> [--engine local|claude] [--model ID] [--max N]: the key
// insights of a transcript as one InsightsResult (DESIGN.md section 4). The local engine is the
// default (free, offline). `--engine claude` reads the key from ANTHROPIC_API_KEY and honours
// ANTHROPIC_BASE_URL (another Anthropic-compatible address, e.g. a test server); the key is never
// printed. An engine failure (bad key, rate limit, offline…) is one line on stderr, exit 1.
import { parseArgs } from 'node:util';
import { decodeFeedBytes } from '../../core/feed';
import { localEngine } from '../../core/insights/local';
import { EngineError, type InsightEngine } from '../../core/insights/types';
import { parseTranscript } from '../../core/transcript';
import type { InsightsResult } from '../../core/types';
import { CliError, usageError } from '../errors';
import { LIMITS, readInput } from '../read-input';
import { parsing, type Command } from './command';

const ENGINES = ['local', 'claude'] as const;
/** The most insights one run may ask for. */
const MAX_COUNT = 100;

type Options = { target: string; engine: (typeof ENGINES)[number]; model?: string; max?: number };

export const insights: Command = {
  name: 'insights',
  args: '<transcript file|url> [--engine local|claude] [--model ID] [--max N]',
  summary: 'key insights of a transcript → InsightsResult (claude: ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL)',
  async run(args) {
    const options = readOptions(args);
    // Before reading anything: a missing key is the first thing to say.
    const engine = await chooseEngine(options);
    const input = await readInput(options.target, LIMITS.transcript);
    const transcript = parsing(input.source, () =>
      parseTranscript(decodeFeedBytes(input.bytes, input.contentType), {
        url: input.source,
        ...(input.contentType ? { type: input.contentType } : {}),
      }),
    );
    try {
      const result = await engine.extract(
        transcript,
        options.max !== undefined ? { count: options.max } : {},
      );
      // The contract's shape only (the Claude engine adds a `dropped` count).
      const out: InsightsResult = { engine: result.engine, insights: result.insights };
      if (result.model !== undefined) out.model = result.model;
      if (result.usage !== undefined) out.usage = result.usage;
      return out;
    } catch (error) {
      if (error instanceof EngineError) throw new CliError(`${options.engine} engine: ${error.message}`);
      throw error;
    }
  },
};

function readOptions(args: string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { engine: { type: 'string' }, model: { type: 'string' }, max: { type: 'string' } },
    });
  } catch (error) {
    const message = (error as Error).message.replace(/^Unknown option '([^']+)'.*$/s, 'unknown option $1');
    throw usageError(`insights: ${message.split('\n')[0]}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw usageError('insights: give a transcript file or URL (earmark --help)');
  if (positionals.length > 1) throw usageError(`insights: give one file or URL, not ${positionals.length}`);
  const engine = values.engine ?? 'local';
  if (!(ENGINES as readonly string[]).includes(engine))
    throw usageError(`insights: --engine is local or claude, not "${engine}"`);
  const options: Options = { target: positionals[0] as string, engine: engine as Options['engine'] };
  if (values.model !== undefined) {
    if (engine !== 'claude') throw usageError('insights: --model goes with --engine claude');
    if (!/^[\w.:@/-]+$/.test(values.model)) throw usageError(`insights: "${values.model}" is not a model id`);
    options.model = values.model;
  }
  if (values.max !== undefined) {
    const max = Number(values.max);
    if (!Number.isInteger(max) || max < 1 || max > MAX_COUNT)
      throw usageError(`insights: --max is a whole number from 1 to ${MAX_COUNT}, not "${values.max}"`);
    options.max = max;
  }
  return options;
}

async function chooseEngine(options: Options): Promise<InsightEngine> {
  if (options.engine === 'local') return localEngine;
  const apiKey = process.env['ANTHROPIC_API_KEY']?.trim();
  if (!apiKey) throw new CliError('insights --engine claude needs an Anthropic API key in ANTHROPIC_API_KEY');
  const baseURL = process.env['ANTHROPIC_BASE_URL']?.trim();
  // Loaded only when asked for: the SDK is most of the tool's start-up time otherwise.
  const { createClaudeEngine } = await import('../../core/insights/claude');
  return createClaudeEngine({
    apiKey,
    ...(baseURL ? { baseURL } : {}),
    ...(options.model ? { model: options.model } : {}),
  });
}
