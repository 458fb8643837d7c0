// The HTTP users' worker thread (see http-users.ts); TypeScript is loaded through tsx.
import { tsImport } from 'tsx/esm/api';

await tsImport('./http-users-thread.ts', import.meta.url);
