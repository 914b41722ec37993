#!/usr/bin/env node
// The `earmark` command (DESIGN.md section 4). The tool is TypeScript run in place: tsx compiles
// it on import, so `npm install` is all it needs. See src/cli/main.ts.
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
