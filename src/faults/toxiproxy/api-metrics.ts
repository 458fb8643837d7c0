import { METHODS } from 'node:http';
import { METRICS_CONTENT_TYPE, type ProxyMetrics } from './metrics.ts';
import type { Handler, Route } from './router.ts';

/** `/metrics` answers any method, like the real server's Prometheus handler. */
export function metricsRoutes(metrics: ProxyMetrics): Route[] {
  const scrape: Handler = async () => ({
    status: 200,
    text: metrics.render(),
    contentType: METRICS_CONTENT_TYPE,
  });
  return [{ path: '/metrics', methods: Object.fromEntries(METHODS.map((method) => [method, scrape])) }];
}
