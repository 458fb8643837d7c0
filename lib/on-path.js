/**
 * Whether a command is installed (on PATH). Plain JavaScript, so that scripts/ensure-deps.js can use it
 * before any npm package (or TypeScript loader) is installed.
 */
import { spawnSync } from 'node:child_process';

/** @param {string} command */
export const onPath = (command) =>
  spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0;
