/** The HTTP API's toxic routes (`/proxies/{proxy}/toxics` and `/proxies/{proxy}/toxics/{toxic}`): listing,
 * adding, updating and removing a proxy's toxics. */
import { readJson } from './json-input.ts';
import type { ProxyCollection } from './proxy-collection.ts';
import { json, noContent, type Params, type Reply, type Route } from './router.ts';
import { toxicJson } from './toxic-spec.ts';

/** A proxy's toxics; changing them holds neither the proxy nor the collection, as in Toxiproxy. */
const toxicsOf = async (proxies: ProxyCollection, params: Params) =>
  (await proxies.lookup(params.proxy ?? '')).toxics;

async function update(proxies: ProxyCollection, params: Params, body: Buffer): Promise<Reply> {
  const toxics = await toxicsOf(proxies, params);
  const name = params.toxic ?? '';
  toxics.get(name); // A missing toxic is a 404 before any body error, as in Toxiproxy.
  return json(200, toxicJson(toxics.update(name, readJson(body))));
}

export function toxicRoutes(proxies: ProxyCollection): Route[] {
  return [
    {
      path: '/proxies/:proxy/toxics',
      methods: {
        GET: async (p) => json(200, (await toxicsOf(proxies, p)).list().map(toxicJson)),
        // Toxiproxy answers 200 here, not 201.
        POST: async (p, body) => json(200, toxicJson((await toxicsOf(proxies, p)).add(readJson(body)))),
      },
    },
    {
      path: '/proxies/:proxy/toxics/:toxic',
      methods: {
        GET: async (p) => json(200, toxicJson((await toxicsOf(proxies, p)).get(p.toxic ?? ''))),
        POST: (p, body) => update(proxies, p, body),
        PATCH: (p, body) => update(proxies, p, body),
        DELETE: async (p) => noContent((await toxicsOf(proxies, p)).remove(p.toxic ?? '')),
      },
    },
  ];
}
