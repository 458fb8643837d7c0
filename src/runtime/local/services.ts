import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { haproxyConfig } from '../../../infra/haproxy/config.ts';
import type { AppService, LoadBalancer, StoreService } from '../../topology/topology.ts';
import { httpOk, redisPong } from '../probes.ts';
import type { Readiness } from '../readiness.ts';
import type { ProcessSpec } from './process.ts';

/** How the local runtime runs one kind of service: its command and what "ready" means. */
export interface LocalService {
  spec: ProcessSpec;
  readiness: Readiness;
  url: string;
}

export const HOST = '127.0.0.1';

/** Whether a command is installed (on PATH). */
export const onPath = (command: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function redisService(store: StoreService, port: number, dir: string): LocalService {
  return {
    spec: {
      id: store.id,
      command: 'redis-server',
      // No persistence: a restarted store starts empty, like a cache that lost its memory.
      args: ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', dir],
      logFile: join(dir, `${store.id}.log`),
    },
    readiness: redisPong(store.id, HOST, port),
    url: `redis://${HOST}:${port}`,
  };
}

export function appNodeService(
  app: AppService,
  port: number,
  dir: string,
  storeUrl: (id: string) => string,
): LocalService {
  const env: Record<string, string> = {
    NODE_ID: app.id,
    PORT: String(port),
    HOST,
    SESSION_STORE: app.store.kind,
  };
  if (app.store.kind === 'redis') env.REDIS_URL = storeUrl(app.store.storeId);
  const url = `http://${HOST}:${port}`;
  return {
    spec: {
      id: app.id,
      command: process.execPath,
      args: ['--import', 'tsx', join(ROOT, 'infra', 'app-node', 'server.ts')],
      cwd: ROOT,
      env,
      logFile: join(dir, `${app.id}.log`),
    },
    readiness: httpOk(app.id, `${url}/healthz`),
    url,
  };
}

/** The real toxiproxy-server when it is installed, else the suite's own compatible server. */
export function toxiproxyService(port: number, dir: string, real: boolean): LocalService {
  const url = `http://${HOST}:${port}`;
  const command = real
    ? { command: 'toxiproxy-server', args: ['-host', HOST, '-port', String(port)] }
    : {
        command: process.execPath,
        args: [join(ROOT, 'bin', 'session-chaos.js'), 'toxiproxy', '--host', HOST, '--port', String(port)],
      };
  return {
    spec: { id: 'toxiproxy', ...command, cwd: ROOT, logFile: join(dir, 'toxiproxy.log') },
    readiness: httpOk('toxiproxy', `${url}/version`),
    url,
  };
}

export function haproxyService(
  lb: LoadBalancer,
  ports: { listen: number; stats: number },
  dir: string,
  backends: Record<string, string>,
): LocalService {
  const config = join(dir, `${lb.id}.cfg`);
  writeFileSync(
    config,
    haproxyConfig(lb, { listen: `${HOST}:${ports.listen}`, stats: `${HOST}:${ports.stats}`, backends }),
  );
  const url = `http://${HOST}:${ports.listen}`;
  return {
    spec: { id: lb.id, command: 'haproxy', args: ['-f', config, '-db'], logFile: join(dir, `${lb.id}.log`) },
    readiness: httpOk(lb.id, `${url}/healthz`),
    url,
  };
}
