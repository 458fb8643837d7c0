/** The HTTP API's `/metrics` route (with `-proxy-metrics`): the proxies' byte counters for Prometheus. */
import { METHODS } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { ProxyMetrics } from './metrics.ts';
import { CONTENT_TYPES, negotiate, render, wantsGzip } from './metrics-formats.ts';
import type { Handler, Route } from './router.ts';

/** `/metrics` answers any method, like the real server's Prometheus handler, in the format asked for. */
export function metricsRoutes(metrics: ProxyMetrics): Route[] {
  const scrape: Handler = async (_params, _body, headers) => {
    const format = negotiate(headers.accept);
    const data = render(metrics.families(), format);
    const gzip = wantsGzip(headers['accept-encoding']);
    const encoding: Record<string, string> = gzip ? { 'Content-Encoding': 'gzip' } : {};
    return {
      status: 200,
      data: gzip ? gzipSync(data) : data,
      contentType: CONTENT_TYPES[format],
      headers: encoding,
    };
  };
  return [{ path: '/metrics', methods: Object.fromEntries(METHODS.map((method) => [method, scrape])) }];
}
