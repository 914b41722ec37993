// earmark insights: the insight engines come with a later issue; until then the command says so.
import { CliError, EXIT } from '../errors';
import type { Command } from './command';

export const insights: Command = {
  name: 'insights',
  args: '<transcript file|url> [--engine local|claude] [--model ID] [--max N]',
  summary: 'key insights of a transcript → InsightsResult (not available yet)',
  run() {
    return Promise.reject(new CliError('insights is not available yet', EXIT.usage));
  },
};
