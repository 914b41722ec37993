// The text `earmark --help` prints.
import type { Command } from './commands/command';

export function usage(commands: readonly Command[]): string {
  const lines = commands.map((c) => `  earmark ${c.name} ${c.args}\n      ${c.summary}`);
  return [
    'Usage: earmark <command> <file|url>',
    '',
    'Prints JSON on stdout (DESIGN.md section 4). On bad input: one line on stderr, exit 1;',
    'on a bad command line: exit 2. URLs must be http(s); files are read from disk.',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  -h, --help        this text',
    '  --engine ENGINE   insights: local (default: on this machine, free) or claude',
    '  --model ID        insights with claude: the model (default: a current low-cost Haiku)',
    '  --max N           insights: at most N insights (default 8)',
    '',
    'Environment (insights --engine claude):',
    '  ANTHROPIC_API_KEY    your Anthropic API key (required; never printed)',
    '  ANTHROPIC_BASE_URL   another Anthropic-compatible API address (optional)',
    '',
  ].join('\n');
}
