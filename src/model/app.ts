/**
 * What an app node is told when it starts: as environment variables (NODE_ID, HOST, PORT, SESSION_STORE,
 * STORE_URL) and, for a user's own app, as `{placeholders}` in its command template.
 */
export interface AppSettings {
  nodeId: string;
  host: string;
  port: string;
  /** `memory`, or the store's kind (`redis`…). */
  storeKind: string;
  /** Where the session store is (e.g. redis://127.0.0.1:21000), empty without one. */
  storeUrl: string;
  /** A folder of the node's own, kept across restarts. */
  dataDir: string;
}

export const APP_PLACEHOLDERS: readonly (keyof AppSettings)[] = [
  'nodeId',
  'host',
  'port',
  'storeKind',
  'storeUrl',
  'dataDir',
];

/** The placeholders of a command template that are not among APP_PLACEHOLDERS. */
export const unknownPlaceholders = (template: string): string[] =>
  [...template.matchAll(/\{(\w+)\}/g)]
    .map((m) => m[1] ?? '')
    .filter((name) => !APP_PLACEHOLDERS.includes(name as keyof AppSettings));

/** "{nodeId}, {host}, …" for messages. */
export const PLACEHOLDER_LIST = APP_PLACEHOLDERS.map((name) => `{${name}}`).join(', ');

/** The cookie HAProxy inserts to pin a user with sticky sessions: never the app's session. */
export const LOAD_BALANCER_COOKIE = 'SERVERID';

/** Which node answered: the load balancer's `X-Served-By` (the server it sent the request to), else the
 * app's own `X-Node` (a node reached directly); null when neither says. `header` reads one, lower case. */
export const answeringNode = (header: (name: string) => string | null | undefined): string | null =>
  header('x-served-by') ?? header('x-node') ?? null;
