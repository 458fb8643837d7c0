/** The exposition formats of the Go Prometheus client's handler (promhttp 1.21, as in Toxiproxy 2.12.0):
 * the text format by default, protobuf (delimited, text or compact text) when the Accept header asks for
 * it, gzipped when Accept-Encoding names gzip. */

export interface Family {
  name: string;
  help: string;
  /** Counters only: Toxiproxy has no other kind. */
  series: { labels: [string, string][]; value: number }[];
}

export type Format = 'text' | 'delimited' | 'proto-text' | 'compact-text';

const PROTO = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=';
export const CONTENT_TYPES: Record<Format, string> = {
  text: 'text/plain; version=0.0.4; charset=utf-8',
  delimited: `${PROTO}delimited`,
  'proto-text': `${PROTO}text`,
  'compact-text': `${PROTO}compact-text`,
};
const ENCODINGS: Record<string, Format> = {
  delimited: 'delimited',
  text: 'proto-text',
  'compact-text': 'compact-text',
};

/** expfmt.Negotiate: the first acceptable media range by quality, else the text format. */
export function negotiate(accept: string | undefined): Format {
  const ranges = (accept ?? '').split(',').map((part, order) => {
    const [type = '', ...params] = part.split(';').map((p) => p.trim());
    const param = (key: string) => params.find((p) => p.startsWith(`${key}=`))?.slice(key.length + 1);
    return { type, param, order, q: Number(param('q') ?? 1) };
  });
  ranges.sort((a, b) => b.q - a.q || a.order - b.order);
  for (const { type, param } of ranges) {
    if (
      type === 'application/vnd.google.protobuf' &&
      param('proto') === 'io.prometheus.client.MetricFamily'
    ) {
      const format = ENCODINGS[param('encoding') ?? ''];
      if (format !== undefined) return format;
    }
    const version = param('version');
    if (type === 'text/plain' && (version === undefined || version === '0.0.4')) return 'text';
  }
  return 'text';
}

/** promhttp offers only gzip, and takes any listed `gzip` (even with q=0) as a yes. */
export const wantsGzip = (acceptEncoding: string | undefined): boolean =>
  (acceptEncoding ?? '').split(',').some((part) => part.split(';')[0]?.trim() === 'gzip');

export function render(families: readonly Family[], format: Format): Buffer {
  if (format === 'delimited') return Buffer.concat(families.map(delimited));
  if (format === 'text') return Buffer.from(families.map(textFamily).join(''));
  const compact = format === 'compact-text';
  return Buffer.from(families.map((f) => protoText(f, compact)).join(''));
}

function textFamily({ name, help, series }: Family): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} counter`];
  for (const { labels, value } of series) {
    const pairs = labels.map(([n, v]) => `${n}="${v.replace(/[\\"\n]/g, escapeText)}"`).join(',');
    lines.push(`${name}{${pairs}} ${goFloat(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

const escapeText = (c: string): string => (c === '\n' ? '\\n' : `\\${c}`);

/** A number the way Go's `strconv.FormatFloat(v, 'g', -1, 64)` prints it, as both text formats do: plain
 * below a million, else shortest digits with an exponent (1e+06, 4.194304e+06). */
export function goFloat(value: number): string {
  if (value < 1e6 || value >= 1e21) return String(value);
  const whole = String(value);
  const digits = whole.replace(/0+$/, '');
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const exponent = whole.length - 1;
  return `${mantissa}e+${exponent < 10 ? '0' : ''}${exponent}`;
}

/** The MetricFamily message, length-prefixed. Fields: name 1, help 2, type 3 (COUNTER = 0), metric 4;
 * Metric: label 1 (LabelPair: name 1, value 2), counter 3 (Counter: value 1, a double). */
function delimited({ name, help, series }: Family): Buffer {
  const metrics = series.map(({ labels, value }) => {
    const pairs = labels.map(([n, v]) => field(1, Buffer.concat([field(1, n), field(2, v)])));
    const counter = Buffer.alloc(9);
    counter[0] = 0x09;
    counter.writeDoubleLE(value, 1);
    return field(4, Buffer.concat([...pairs, field(3, counter)]));
  });
  const message = Buffer.concat([field(1, name), field(2, help), Buffer.from([0x18, 0]), ...metrics]);
  return Buffer.concat([varint(message.length), message]);
}

function field(number: number, data: string | Buffer): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([Buffer.from([(number << 3) | 2]), varint(bytes.length), bytes]);
}

function varint(n: number): Buffer {
  const bytes: number[] = [];
  for (let left = n; ; left = Math.floor(left / 128)) {
    if (left < 128) {
      bytes.push(left);
      return Buffer.from(bytes);
    }
    bytes.push((left % 128) | 0x80);
  }
}

/** golang/protobuf's text format: one field per line, nested messages in `< >` indented two spaces, a
 * blank line after each family; compact puts a family on one line. */
function protoText({ name, help, series }: Family, compact: boolean): string {
  const lines: [number, string][] = [
    [0, `name: ${quote(name)}`],
    [0, `help: ${quote(help)}`],
    [0, 'type: COUNTER'],
  ];
  for (const { labels, value } of series) {
    lines.push([0, 'metric: <']);
    for (const [n, v] of labels)
      lines.push([1, 'label: <'], [2, `name: ${quote(n)}`], [2, `value: ${quote(v)}`], [1, '>']);
    lines.push([1, 'counter: <'], [2, `value: ${goFloat(value)}`], [1, '>'], [0, '>']);
  }
  if (compact) {
    const tokens = lines.map(([, text]) => text.replace(': ', ':'));
    return `${tokens.map((t) => (t.endsWith('<') ? t : `${t} `)).join('')}\n`;
  }
  return `${lines.map(([depth, text]) => `${'  '.repeat(depth)}${text}`).join('\n')}\n\n`;
}

/** A string as the text format quotes it: printable ASCII as is, other bytes in octal. */
function quote(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text)) {
    const c = String.fromCharCode(byte);
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (byte >= 0x20 && byte < 0x7f) out += c;
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}
