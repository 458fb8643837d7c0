// A worker thread that tallies one part of a history (see check-history.ts); TypeScript is loaded through tsx.
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { tallyPart } = await tsImport('./check-part.ts', import.meta.url);
parentPort.postMessage(tallyPart(workerData));
