#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so it works right after `npm install` with no
// build step (issue 2, "The command line").
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
