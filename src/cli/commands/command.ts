// What every command is: a name, a line of help, and a run that returns the JSON to print.
import { CliError, isInputError, sentence, usageError } from '../errors';

export type Command = {
  name: string;
  /** Arguments as shown in the usage text. */
  args: string;
  summary: string;
  run(args: string[]): Promise<unknown>;
};

/** The one file or URL a command takes; anything else is a usage error. */
export function oneTarget(command: string, args: string[]): string {
  const option = args.find((a) => a.startsWith('-') && a !== '-');
  if (option) throw usageError(`${command}: unknown option ${option}`);
  if (args.length === 0) throw usageError(`${command}: give a file or URL (earmark --help)`);
  if (args.length > 1) throw usageError(`${command}: give one file or URL, not ${args.length}`);
  return args[0] as string;
}

/** Runs a core parser on what came from `source`; its complaint names the source. */
export function parsing<T>(source: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isInputError(error)) throw new CliError(`${source}: ${sentence(error.message)}`);
    throw error;
  }
}
