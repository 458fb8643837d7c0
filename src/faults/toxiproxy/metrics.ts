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
  readonly labels: string;
  value: number;
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const RECEIVED = 'toxiproxy_proxy_received_bytes_total';
const SENT = 'toxiproxy_proxy_sent_bytes_total';
/** The real server's metrics handler always reports its own error counters; they stay at 0 here. */
const HANDLER_ERRORS = [
  '# HELP promhttp_metric_handler_errors_total Total number of internal errors encountered by the promhttp metric handler.',
  '# TYPE promhttp_metric_handler_errors_total counter',
  'promhttp_metric_handler_errors_total{cause="encoding"} 0',
  'promhttp_metric_handler_errors_total{cause="gathering"} 0',
];

/** Toxiproxy's per-proxy byte counters (what the real server shows with `-proxy-metrics`). As there, a
 * series appears when the first link with its labels ends, and lives as long as the server: deleting,
 * disabling or resetting a proxy keeps it. */
export class ProxyMetrics {
  private readonly received = new Map<string, Series>();
  private readonly sent = new Map<string, Series>();

  meter(labels: LinkLabels): ByteMeter {
    const values = [labels.direction, labels.listener, labels.proxy, labels.upstream];
    const text = `{direction="${escapeLabel(labels.direction)}",listener="${escapeLabel(labels.listener)}",proxy="${escapeLabel(labels.proxy)}",upstream="${escapeLabel(labels.upstream)}"}`;
    return {
      addReceived: (bytes) => add(this.received, values, text, bytes),
      addSent: (bytes) => add(this.sent, values, text, bytes),
    };
  }

  /** The Prometheus text exposition, families and series in the order the Go client sorts them. */
  render(): string {
    const lines = [...HANDLER_ERRORS, ...family(RECEIVED, this.received), ...family(SENT, this.sent)];
    return `${lines.join('\n')}\n`;
  }
}

function add(series: Map<string, Series>, values: readonly string[], labels: string, bytes: number): void {
  const existing = series.get(labels);
  if (existing === undefined) series.set(labels, { values, labels, value: bytes });
  else existing.value += bytes;
}

function family(name: string, series: Map<string, Series>): string[] {
  if (series.size === 0) return [];
  const sorted = [...series.values()].sort(byLabelValues);
  // The real server's counters have an empty help text, hence the trailing space.
  return [
    `# HELP ${name} `,
    `# TYPE ${name} counter`,
    ...sorted.map((s) => `${name}${s.labels} ${goFloat(s.value)}`),
  ];
}

/** Go compares label values as UTF-8 bytes. */
function byLabelValues(a: Series, b: Series): number {
  for (let i = 0; i < a.values.length; i++) {
    const order = Buffer.compare(Buffer.from(a.values[i] as string), Buffer.from(b.values[i] as string));
    if (order !== 0) return order;
  }
  return 0;
}

const escapeLabel = (value: string): string =>
  value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));

/** A non-negative whole number the way Go's `strconv.FormatFloat(v, 'g', -1, 64)` prints it, as the real
 * server does: plain below a million, else shortest digits with an exponent (1e+06, 4.194304e+06). */
function goFloat(value: number): string {
  if (value < 1e6 || value >= 1e21) return String(value);
  const whole = String(value);
  const digits = whole.replace(/0+$/, '');
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const exponent = whole.length - 1;
  return `${mantissa}e+${exponent < 10 ? '0' : ''}${exponent}`;
}
