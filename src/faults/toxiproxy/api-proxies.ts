import { asApiError, missingField } from './errors.ts';
import { expectArray, expectObject, type JsonObject, optBool, optString, parseJson } from './json-input.ts';
import type { ToxicProxy } from './proxy.ts';
import type { ProxyCollection, ProxyInput } from './proxy-collection.ts';
import { json, noContent, type Reply, type Route } from './router.ts';

const VERSION_BODY = '{"version": "2.12.0"}\n';

function readProxyInput(obj: JsonObject, defaults: ProxyInput): ProxyInput {
  return {
    name: optString(obj, 'name', 'Proxy') ?? defaults.name,
    listen: optString(obj, 'listen', 'Proxy') ?? defaults.listen,
    upstream: optString(obj, 'upstream', 'Proxy') ?? defaults.upstream,
    enabled: optBool(obj, 'enabled', 'Proxy') ?? defaults.enabled,
  };
}

const EMPTY: ProxyInput = { name: '', listen: '', upstream: '', enabled: true };

/** Checks in Toxiproxy's order: body, name, upstream (then the collection checks duplicate and bind). */
export function parseProxyCreate(body: string): ProxyInput {
  const input = readProxyInput(expectObject(parseJson(body), 'toxiproxy.Proxy'), EMPTY);
  if (input.name === '') throw missingField('name');
  if (input.upstream === '') throw missingField('upstream');
  return input;
}

/** Every populate entry is checked before anything changes; one bad entry rejects the whole request. */
export function parsePopulate(body: string): ProxyInput[] {
  const entries = expectArray(parseJson(body), '[]toxiproxy.Proxy');
  return entries.map((entry, i) => {
    const input = readProxyInput(expectObject(entry, 'toxiproxy.Proxy'), EMPTY);
    if (input.name === '') throw missingField(`name at proxy ${i + 1}`);
    if (input.upstream === '') throw missingField(`upstream at proxy ${i + 1}`);
    return input;
  });
}

async function populate(proxies: ProxyCollection, body: string): Promise<Reply> {
  const applied: ToxicProxy[] = [];
  try {
    for (const input of parsePopulate(body)) applied.push(await proxies.createOrReplace(input));
  } catch (err) {
    // Toxiproxy's populate error body also carries `proxies` (null when nothing is reported).
    const error = asApiError(err);
    return json(error.status, { ...error.toJSON(), proxies: null });
  }
  return json(201, { proxies: applied.length === 0 ? null : applied.map((p) => p.toJSON()) });
}

async function update(proxies: ProxyCollection, name: string, body: string): Promise<Reply> {
  const proxy = proxies.get(name);
  const { listen, upstream, enabled } = proxy;
  const input = readProxyInput(expectObject(parseJson(body), 'toxiproxy.Proxy'), {
    name,
    listen,
    upstream,
    enabled,
  });
  await proxy.update(input);
  return json(200, proxy.toJSON());
}

function index(proxies: ProxyCollection): Reply {
  return json(200, Object.fromEntries(proxies.list().map((p) => [p.name, p.toJSON()])));
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
        GET: async () => index(proxies),
        POST: async (_p, body) => json(201, (await proxies.create(parseProxyCreate(body))).toJSON()),
      },
    },
    { path: '/populate', methods: { POST: (_p, body) => populate(proxies, body) } },
    {
      path: '/proxies/:proxy',
      methods: {
        GET: async (p) => json(200, proxies.get(p.proxy ?? '').toJSON()),
        POST: (p, body) => update(proxies, p.proxy ?? '', body),
        PATCH: (p, body) => update(proxies, p.proxy ?? '', body),
        DELETE: (p) => noContent(proxies.remove(p.proxy ?? '')),
      },
    },
  ];
}
