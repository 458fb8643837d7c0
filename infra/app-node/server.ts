/** Entry point: env → config → store → app → listen. Exit 2 on bad config, 3 when the store or port is unusable. */
import { createServer, type Server } from 'node:http';
import { createApp } from './app.ts';
import { type Config, ConfigError, parseConfig } from './config.ts';
import { createSessionStore, type SessionStore } from './store.ts';
import { StoreStartError } from './stores/common.ts';

const EXIT_BAD_CONFIG = 2;
const EXIT_NO_INFRA = 3;

function fail(line: string, code: number): never {
  process.stderr.write(`app-node: ${line}\n`);
  process.exit(code);
}

function readConfig(): Config {
  try {
    return parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, EXIT_BAD_CONFIG);
    throw err;
  }
}

function listen(server: Server, config: Config): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : config.port);
    });
  });
}

function onSignals(server: Server, store: SessionStore, log: (line: string) => void): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received, shutting down`);
    const force = setTimeout(() => server.closeAllConnections(), 2000);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      store.close().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function main(): Promise<void> {
  const config = readConfig();
  const log = (line: string) => process.stdout.write(`app-node ${config.nodeId} ${line}\n`);
  let store: SessionStore;
  try {
    store = await createSessionStore(config, log);
  } catch (err) {
    if (err instanceof StoreStartError)
      fail(`${err.message}: start the store or fix STORE_URL`, EXIT_NO_INFRA);
    throw err;
  }
  const server = createServer(createApp(config, store, log));
  try {
    const port = await listen(server, config);
    log(`listening on http://${config.host}:${port} store=${config.store.kind}`);
  } catch (err) {
    await store.close();
    fail(
      `cannot listen on ${config.host}:${config.port}: ${(err as Error).message}; choose another PORT`,
      EXIT_NO_INFRA,
    );
  }
  onSignals(server, store, log);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `app-node: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
