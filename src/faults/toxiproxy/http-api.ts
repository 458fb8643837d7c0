import type { IncomingMessage, ServerResponse } from 'node:http';
import { metricsRoutes } from './api-metrics.ts';
import { proxyRoutes } from './api-proxies.ts';
import { toxicRoutes } from './api-toxics.ts';
import { ApiError, asApiError } from './errors.ts';
import type { ProxyCollection } from './proxy-collection.ts';
import { matchRoute, type Reply, type Route } from './router.ts';
import { Serial } from './serial.ts';

const MAX_BODY = 8 * 1024 * 1024;

/** The HTTP request handler of the Toxiproxy API: browser check, routing (404/405), then one change at a
 * time against the proxy collection. */
export function createApiHandler(
  proxies: ProxyCollection,
): (req: IncomingMessage, res: ServerResponse) => void {
  const routes: Route[] = [
    ...proxyRoutes(proxies),
    ...toxicRoutes(proxies),
    ...metricsRoutes(proxies.metrics),
  ];
  const serial = new Serial();
  return (req, res) => {
    handle(routes, serial, req)
      .catch((err: unknown) => errorReply(asApiError(err)))
      .then((reply) => send(res, reply));
  };
}

async function handle(routes: Route[], serial: Serial, req: IncomingMessage): Promise<Reply> {
  // Toxiproxy refuses browsers, so a web page cannot drive it (CSRF).
  if ((req.headers['user-agent'] ?? '').startsWith('Mozilla/')) {
    throw new ApiError('User agent not allowed', 403);
  }
  const method = req.method ?? 'GET';
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  const match = matchRoute(routes, pathname);
  if (match === undefined) throw new ApiError(`no endpoint at ${pathname}`, 404);
  const handler = match.route.methods[method];
  if (handler === undefined) {
    const allowed = Object.keys(match.route.methods).join(', ');
    const error = new ApiError(`method ${method} not allowed on ${pathname}; allowed: ${allowed}`, 405);
    return { ...errorReply(error), headers: { Allow: allowed } };
  }
  const body = await readBody(req);
  return serial.run(() => handler(match.params, body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new ApiError(`request body larger than ${MAX_BODY} bytes`, 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const errorReply = (error: ApiError): Reply => ({ status: error.status, json: error.toJSON() });

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.json !== undefined) {
    res.writeHead(reply.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(reply.json));
  } else if (reply.text !== undefined) {
    res.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'text/plain; charset=utf-8' });
    res.end(reply.text);
  } else {
    res.writeHead(reply.status);
    res.end();
  }
}
