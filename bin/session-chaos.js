#!/usr/bin/env node
// Experiments are TypeScript files, so the CLI runs through tsx's loader rather than a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
