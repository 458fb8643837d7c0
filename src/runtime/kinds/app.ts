/** The app node service kinds: the reference app, a user's app command, a user's app image. */
import { join } from 'node:path';
// Started by its path: this import (erased at run time) names the edge for the import rules.
import type {} from '../../../infra/app-node/server.ts';
import { type AppSettings, unknownPlaceholders } from '../../model/app.ts';
import type { AppCommandService, AppImageService, AppNodeService } from '../../topology/topology.ts';
import { hostPort, ROOT } from '../host.ts';
import { nodeArgs } from '../local/compiled.ts';
import { httpOk } from '../probes.ts';
import { InfrastructureError } from '../runtime.ts';
import type { LocalContext, LocalLaunch, ServiceKind } from './kind.ts';

type UserOrOwnApp = AppNodeService | AppCommandService | AppImageService;

export function appSettings(service: UserOrOwnApp, ctx: LocalContext): AppSettings {
  const { host, port } = hostPort(ctx.listen('http'));
  return {
    nodeId: service.id,
    host,
    port: String(port),
    storeKind: service.store?.kind ?? 'memory',
    storeUrl: service.store ? ctx.storeUrl(service.store.id) : '',
    dataDir: ctx.dataDir,
  };
}

const paddingEnv = (service: UserOrOwnApp): Record<string, string> =>
  service.sessionPaddingKb > 0 ? { SESSION_PADDING_KB: String(service.sessionPaddingKb) } : {};

const appEnv = (s: AppSettings): Record<string, string> => ({
  NODE_ID: s.nodeId,
  HOST: s.host,
  PORT: s.port,
  SESSION_STORE: s.storeKind,
  STORE_URL: s.storeUrl,
});

/** A value as one shell word. */
const shellQuote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

/** `{name}` placeholders replaced by shell-quoted settings; an unknown placeholder is an error. */
export function expandTemplate(template: string, settings: AppSettings): string {
  const [unknown] = unknownPlaceholders(template);
  if (unknown !== undefined) throw new Error(`app command: {${unknown}} is not a placeholder`);
  return template.replace(/\{(\w+)\}/g, (_whole, name: keyof AppSettings) => shellQuote(settings[name]));
}

function appKind<S extends UserOrOwnApp>(
  launch: (service: S, settings: AppSettings) => Omit<LocalLaunch, 'cwd'>,
): ServiceKind<S> {
  return {
    endpoints: () => ['http'],
    local(service, ctx) {
      const settings = appSettings(service, ctx);
      const { env, ...launched } = launch(service, settings);
      return { ...launched, cwd: ROOT, env: { ...appEnv(settings), ...paddingEnv(service), ...env } };
    },
    readiness: (service, at) => httpOk(service.id, `http://${at('http')}/healthz`),
    pings: { http: 'GET /healthz HTTP/1.0\r\n\r\n' },
  };
}

/** The reference app, infra/app-node. */
export const appNode = appKind<AppNodeService>((service) => ({
  command: process.execPath,
  args: nodeArgs(join(ROOT, 'infra', 'app-node', 'server.ts')),
  // Only when it is not the default: the app's environment stays the contract's.
  ...(service.sessionWrites === 'atomic' ? { env: { SESSION_WRITES: 'atomic' } } : {}),
}));

/** A user's own app: its command template, run by the shell with the placeholders filled in. */
export const appCommand = appKind<AppCommandService>((service, settings) => ({
  command: 'sh',
  args: ['-c', expandTemplate(service.command, settings)],
}));

/** A user's own image: run as it is, with the contract's environment; it has no local launch. */
export const appImage: ServiceKind<AppImageService> = {
  ...appKind<AppImageService>((service) => {
    throw new InfrastructureError(
      `${service.id}: the app image ${service.image} runs on the container runtime only; use --runtime docker`,
    );
  }),
  container(service, ctx) {
    const settings = appSettings(service, ctx);
    return {
      command: '',
      args: [],
      image: service.image,
      env: { ...appEnv(settings), ...paddingEnv(service) },
    };
  },
};
