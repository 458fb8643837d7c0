/** The HTTP API's proxy routes (`/version`, `/reset`, `/proxies`, `/populate`, `/proxies/{proxy}`): creating,
 * listing, updating and deleting proxies, and their request bodies. */
import { asApiError, missingField } from './errors.ts';
import { BOOL, type GoData, type GoStruct, pointer, STRING, slice, struct } from './go-decode.ts';
import { bool, decodeInto, readJson, str } from './json-input.ts';
import type { ToxicProxy } from './proxy.ts';
import type { ProxyCollection, ProxyInput } from './proxy-collection.ts';
import { json, noContent, type Reply, type Route } from './router.ts';

const VERSION_BODY = '{"version": "2.12.0"}\n';

/** toxiproxy.Proxy's JSON fields; its `Logger` (a *zerolog.Logger) takes any object and nothing else. */
const PROXY_FIELDS = {
  name: STRING,
  listen: STRING,
  upstream: STRING,
  enabled: BOOL,
  Logger: pointer(struct('zerolog.Logger', 'Logger', {})),
};
const PROXY = struct('toxiproxy.Proxy', 'Proxy', PROXY_FIELDS);

/** Populate's entry: an anonymous struct embedding Proxy, whose `enabled` is a *bool (null means true). */
const POPULATE_ENTRY = struct('struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }', '', {
  ...PROXY_FIELDS,
  enabled: pointer(BOOL),
});
const POPULATE = slice(POPULATE_ENTRY);

const proxyStruct = (defaults: ProxyInput): GoStruct => ({ ...defaults, Logger: null });

const proxyInput = (s: GoStruct): ProxyInput => ({
  name: str(s, 'name'),
  listen: str(s, 'listen'),
  upstream: str(s, 'upstream'),
  enabled: bool(s, 'enabled') ?? true,
});

const EMPTY: ProxyInput = { name: '', listen: '', upstream: '', enabled: true };

/** Checks in Toxiproxy's order: body, name, upstream (then the collection checks duplicate and bind). */
export function parseProxyCreate(body: Uint8Array): ProxyInput {
  const input = proxyInput(decodeInto(readJson(body), PROXY, proxyStruct(EMPTY)));
  if (input.name === '') throw missingField('name');
  if (input.upstream === '') throw missingField('upstream');
  return input;
}

/** Every populate entry is checked before anything changes; one bad entry rejects the whole request.
 * A `null` body is no entries at all. */
export function parsePopulate(body: Uint8Array): ProxyInput[] {
  const entries = decodeInto<GoData>(readJson(body), POPULATE, []);
  return (Array.isArray(entries) ? entries : []).map((entry, i) => {
    const input = proxyInput(entry as GoStruct);
    if (input.name === '') throw missingField(`name at proxy ${i + 1}`);
    if (input.upstream === '') throw missingField(`upstream at proxy ${i + 1}`);
    return input;
  });
}

/** An error after some entries were applied lists them, as Toxiproxy's populate does. */
async function populate(proxies: ProxyCollection, body: Uint8Array): Promise<Reply> {
  const applied: ToxicProxy[] = [];
  const listed = () => (applied.length === 0 ? null : applied.map((p) => p.toJSON()));
  try {
    for (const input of parsePopulate(body)) applied.push(await proxies.createOrReplace(input));
  } catch (err) {
    const error = asApiError(err);
    return json(error.status, { ...error.toJSON(), proxies: listed() });
  }
  return json(201, { proxies: listed() });
}

/** Holds only the proxy while it changes (Toxiproxy's proxy lock), not the collection. */
async function update(proxies: ProxyCollection, name: string, body: Uint8Array): Promise<Reply> {
  const proxy = await proxies.lookup(name);
  const { listen, upstream, enabled } = proxy;
  const current = proxyStruct({ name: '', listen, upstream, enabled });
  await proxy.update(proxyInput(decodeInto(readJson(body), PROXY, current)));
  return json(200, proxy.toJSON());
}

async function index(proxies: ProxyCollection): Promise<Reply> {
  // A Map, so that names like "10" and "2" keep the sorted order (an object would put them first).
  return json(200, new Map((await proxies.listed()).map((p) => [p.name, p.toJSON()])));
}

export function proxyRoutes(proxies: ProxyCollection): Route[] {
  return [
    {
      path: '/version',
      methods: {
        GET: async () => ({ status: 200, text: VERSION_BODY, contentType: 'application/json;charset=utf-8' }),
      },
    },
    {
      path: '/reset',
      methods: { POST: () => noContent(proxies.reset()) },
    },
    {
      path: '/proxies',
      methods: {
        GET: () => index(proxies),
        POST: async (_p, body) => json(201, (await proxies.create(parseProxyCreate(body))).toJSON()),
      },
    },
    { path: '/populate', methods: { POST: (_p, body) => populate(proxies, body) } },
    {
      path: '/proxies/:proxy',
      methods: {
        GET: async (p) => json(200, (await proxies.lookup(p.proxy ?? '')).toJSON()),
        POST: (p, body) => update(proxies, p.proxy ?? '', body),
        PATCH: (p, body) => update(proxies, p.proxy ?? '', body),
        DELETE: (p) => noContent(proxies.remove(p.proxy ?? '')),
      },
    },
  ];
}
