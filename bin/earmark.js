#!/usr/bin/env node
// The `earmark` command (DESIGN.md section 4). The tool is TypeScript run in place: tsx compiles
// it on import, so `npm install` is all it needs. See src/cli/main.ts.
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { register } from 'tsx/esm/api';

// The reader went away (`earmark feed x.xml | head`): stop quietly rather than with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(`earmark: cannot write the output: ${error.message}\n`);
  process.exit(1);
});

try {
  register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // Only a broken install gets here (main itself turns every error into one line).
  process.stderr.write(`earmark: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
