/** The HTTP API as a whole: each request routed to the proxy, toxic or metrics handlers, and answered with
 * the real server's status codes, headers and error bodies. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { metricsRoutes } from './api-metrics.ts';
import { proxyRoutes } from './api-proxies.ts';
import { toxicRoutes } from './api-toxics.ts';
import { type ApiError, asApiError } from './errors.ts';
import { goJson } from './go-json.ts';
import type { ProxyCollection } from './proxy-collection.ts';
import { newRequestId } from './request-id.ts';
import { cleanPath } from './request-path.ts';
import { matchRoute, type Reply, type Route } from './router.ts';

/** Go answers a body of up to this many bytes with a Content-Length, a longer one chunked. */
const CONTENT_LENGTH_UP_TO = 2048;
const PLAIN = 'text/plain; charset=utf-8';
const NOSNIFF = { 'X-Content-Type-Options': 'nosniff' };

/**
 * The HTTP request handler of the Toxiproxy API, answering as the real server's router does: an unknown
 * path is gorilla/mux's plain 404, a known path with another method an empty 405; a matched route gets a
 * request id, then the browser check, then one change at a time against the proxy collection.
 */
export function createApiHandler(
  proxies: ProxyCollection,
  { metrics }: { metrics: boolean },
): (req: IncomingMessage, res: ServerResponse) => void {
  const routes: Route[] = [
    ...proxyRoutes(proxies),
    ...toxicRoutes(proxies),
    ...(metrics ? metricsRoutes(proxies.metrics) : []),
  ];
  return (req, res) => {
    respond(routes, req).then((reply) => send(res, reply));
  };
}

async function respond(routes: Route[], req: IncomingMessage): Promise<Reply> {
  const method = req.method ?? 'GET';
  const path = cleanPath(req.url ?? '/');
  if (path.status === 'bad')
    return { status: 400, text: '400 Bad Request', headers: { Connection: 'close' } };
  if (path.status === 'moved') return { status: 301, headers: { Location: path.location } };
  const match = matchRoute(routes, path.path);
  if (match === undefined) return { status: 404, text: '404 page not found\n', headers: NOSNIFF };
  const handler = match.route.methods[method];
  if (handler === undefined) return { status: 405 };
  const id = { 'X-Toxiproxy-Request-Id': newRequestId() };
  // Toxiproxy refuses browsers, so a web page cannot drive it (CSRF).
  if ((req.headers['user-agent'] ?? '').startsWith('Mozilla/'))
    return { status: 403, text: 'User agent not allowed\n', headers: { ...id, ...NOSNIFF } };
  try {
    // Handlers take the real server's locks (see ProxyCollection, ToxicProxy): no lock here.
    const work = readBody(req).then((body) => handler(match.params, body, req.headers));
    const reply = await withDeadline(work);
    return { ...reply, headers: { ...reply.headers, ...id } };
  } catch (err) {
    const error = errorReply(asApiError(err));
    return { ...error, headers: { ...error.headers, ...id } };
  }
}

/** Go's http.TimeoutHandler, which the real server puts round every route: after 25 s the client gets a
 * 503 and its default page, while the change goes on. */
async function withDeadline(work: Promise<Reply>): Promise<Reply> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Reply>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), HANDLER_TIMEOUT_MS);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

const HANDLER_TIMEOUT_MS = 25_000;
const TIMED_OUT: Reply = {
  status: 503,
  text: '<html><head><title>Timeout</title></head><body><h1>Timeout</h1></body></html>',
  contentType: 'text/html; charset=utf-8',
};

/** The body, however large: the real server sets no limit either. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Toxiproxy's apiError: the JSON error written by http.Error, so as plain text with a newline. */
const errorReply = (error: ApiError): Reply => ({
  status: error.status,
  text: `${goJson(error.toJSON())}\n`,
  contentType: PLAIN,
  headers: NOSNIFF,
});

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  const json = reply.json === undefined ? undefined : goJson(reply.json);
  const text = json ?? reply.text;
  if (text === undefined && reply.data === undefined) {
    // Go sends an empty answer with Content-Length 0, except a 204, which has no body at all.
    res.writeHead(reply.status, reply.status === 204 ? {} : { 'Content-Length': 0 });
    res.end();
    return;
  }
  const body = reply.data ?? Buffer.from(text ?? '');
  res.setHeader('Content-Type', json === undefined ? (reply.contentType ?? PLAIN) : 'application/json');
  if (body.length <= CONTENT_LENGTH_UP_TO) res.setHeader('Content-Length', body.length);
  res.writeHead(reply.status);
  res.end(body);
}
