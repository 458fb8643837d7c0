/** The byte counters behind `/metrics`: what each link received and sent, by proxy, listener, upstream and
 * direction. */
import type { Family } from './metrics-formats.ts';
import type { Direction } from './toxic-spec.ts';

/** The labels of one link's series: which proxy (as it was when the connection came in) and direction. */
export interface LinkLabels {
  readonly proxy: string;
  readonly listener: string;
  readonly upstream: string;
  readonly direction: Direction;
}

/** Where a link reports its byte totals, each once, when that side of it ends. */
export interface ByteMeter {
  addReceived(bytes: number): void;
  addSent(bytes: number): void;
}

interface Series {
  /** Label values in label-name order (direction, listener, proxy, upstream): the sort key. */
  readonly values: readonly string[];
  value: number;
}

const RECEIVED = 'toxiproxy_proxy_received_bytes_total';
const SENT = 'toxiproxy_proxy_sent_bytes_total';
const LABEL_NAMES = ['direction', 'listener', 'proxy', 'upstream'] as const;
/** The real server's metrics handler always reports its own error counters; they stay at 0 here. */
const HANDLER_ERRORS: Family = {
  name: 'promhttp_metric_handler_errors_total',
  help: 'Total number of internal errors encountered by the promhttp metric handler.',
  series: ['encoding', 'gathering'].map((cause) => ({ labels: [['cause', cause]], value: 0 })),
};

/** Toxiproxy's per-proxy byte counters (what the real server shows with `-proxy-metrics`). As there, a
 * series appears when the first link with its labels ends, and lives as long as the server: deleting,
 * disabling or resetting a proxy keeps it. */
export class ProxyMetrics {
  private readonly received = new Map<string, Series>();
  private readonly sent = new Map<string, Series>();

  meter(labels: LinkLabels): ByteMeter {
    const values = [labels.direction, labels.listener, labels.proxy, labels.upstream];
    const text = JSON.stringify(values);
    return {
      addReceived: (bytes) => add(this.received, values, text, bytes),
      addSent: (bytes) => add(this.sent, values, text, bytes),
    };
  }

  /** Every family the real server shows, families and series in the order the Go client sorts them. */
  families(): Family[] {
    const counters = [family(RECEIVED, this.received), family(SENT, this.sent)];
    return [HANDLER_ERRORS, ...counters.filter((f) => f.series.length > 0)];
  }
}

function add(series: Map<string, Series>, values: readonly string[], key: string, bytes: number): void {
  const existing = series.get(key);
  if (existing === undefined) series.set(key, { values, value: bytes });
  else existing.value += bytes;
}

/** The real server's counters have an empty help text. */
function family(name: string, series: Map<string, Series>): Family {
  const sorted = [...series.values()].sort(byLabelValues);
  const labels = (s: Series) => LABEL_NAMES.map((n, i): [string, string] => [n, s.values[i] as string]);
  return { name, help: '', series: sorted.map((s) => ({ labels: labels(s), value: s.value })) };
}

/** Go compares label values as UTF-8 bytes. */
function byLabelValues(a: Series, b: Series): number {
  for (let i = 0; i < a.values.length; i++) {
    const order = Buffer.compare(Buffer.from(a.values[i] as string), Buffer.from(b.values[i] as string));
    if (order !== 0) return order;
  }
  return 0;
}
