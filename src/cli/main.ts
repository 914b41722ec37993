// The `earmark` command-line tool over src/core (DESIGN.md section 4, a contract): a thin
// dispatcher. Each command lives in commands/<name>.ts and returns the JSON to print; this file
// prints it (2-space indent, exit 0), or turns any error into ONE line on stderr ("earmark: …")
// and an exit code (1 bad input, 2 bad command line), never a stack trace.
//
// Reading URLs: the tool is a local program the user runs on their own machine, so it fetches any
// http(s) address they give it, loopback and private ones included (a feed served on localhost
// is a normal thing to try). That is unlike the extension's fetch guard (src/background/net.ts),
// which refuses non-public hosts because there the addresses come from pages and feeds. Other
// schemes (file:, data:, ftp:) are refused; a download is capped in time (20 s) and size (20 MB
// feeds, 10 MB transcripts and YouTube pages).
import { commands } from './commands';
import { describe, EXIT, usageError } from './errors';
import { usage } from './usage';

export type Output = { write(chunk: string): unknown };

const HELP = new Set(['-h', '--help', 'help']);

/** Runs one command line (without "node earmark"); resolves to the exit code. */
export async function main(
  argv: readonly string[],
  io: { out: Output; err: Output } = { out: process.stdout, err: process.stderr },
): Promise<number> {
  try {
    const [name, ...args] = argv;
    if (name === undefined) throw usageError('give a command (earmark --help lists them)');
    if (HELP.has(name) || args.some((a) => a === '-h' || a === '--help')) {
      io.out.write(usage(commands));
      return EXIT.ok;
    }
    const command = commands.find((c) => c.name === name);
    if (!command) throw usageError(`unknown command "${name}" (earmark --help lists them)`);
    const result = await command.run(args);
    io.out.write(`${JSON.stringify(result, null, 2)}\n`);
    return EXIT.ok;
  } catch (error) {
    const { line, exitCode } = describe(error);
    io.err.write(`earmark: ${line}\n`);
    return exitCode;
  }
}
