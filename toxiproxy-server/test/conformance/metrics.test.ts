/** The per-proxy byte counters on /metrics as the real Toxiproxy serves them: when bytes count, a series per
 * proxy and direction, kept through reset and delete, in text, protobuf and gzip. */
import { type IncomingHttpHeaders, request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { type ToxiproxyUnderTest, useToxiproxy } from './harness.ts';
import {
  type Client,
  dialClient,
  freePort,
  now,
  openClient,
  roundTrip,
  sleep,
  startUpstream,
} from './net-kit.ts';

/** The per-proxy byte counters on GET /metrics. The real server shows them only when started with
 * `-proxy-metrics`; ours always does. A link adds its bytes when it ends, so tests close their
 * connections first and then wait for the counts to land (the two directions end a moment apart). */

const RECEIVED = 'toxiproxy_proxy_received_bytes_total';
const SENT = 'toxiproxy_proxy_sent_bytes_total';

interface Sample {
  metric: string;
  labels: Record<string, string>;
  value: number;
  line: string;
}

/** One proxy's counters keyed `received upstream`, `sent downstream`, ... */
type Counts = Record<string, number>;

const SAMPLE = /^([a-zA-Z_:][\w:]*)\{(.*)\} (\S+)$/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;
const UNESCAPE: Record<string, string> = { n: '\n', '\\': '\\', '"': '"' };

function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] as string).matchAll(LABEL)) {
      labels[key as string] = (raw as string).replace(/\\(.)/g, (_, c: string) => UNESCAPE[c] ?? c);
    }
    samples.push({ metric: match[1] as string, labels, value: Number(match[3]), line });
  }
  return samples;
}

interface Scrape {
  contentType: string;
  text: string;
  samples: Sample[];
}

async function scrape(tp: ToxiproxyUnderTest): Promise<Scrape> {
  const res = await fetch(`${tp.url}/metrics`, { headers: { 'User-Agent': 'session-chaos-conformance' } });
  const text = await res.text();
  if (res.status === 404) {
    throw new Error('GET /metrics answered 404: start the real server with -proxy-metrics');
  }
  expect(res.status, text).to.equal(200);
  return { contentType: res.headers.get('content-type') ?? '', text, samples: parseSamples(text) };
}

function countsOf(samples: Sample[], proxy: string): Counts {
  const counts: Counts = {};
  for (const s of samples) {
    if (s.labels.proxy !== proxy) continue;
    const kind = s.metric === RECEIVED ? 'received' : s.metric === SENT ? 'sent' : s.metric;
    counts[`${kind} ${s.labels.direction}`] = s.value;
  }
  return counts;
}

const all = (upstream: number, downstream: number): Counts => ({
  'received upstream': upstream,
  'sent upstream': upstream,
  'received downstream': downstream,
  'sent downstream': downstream,
});

const equals =
  (want: Counts) =>
  (got: Counts): boolean =>
    Object.keys(got).length === Object.keys(want).length &&
    Object.keys(want).every((k) => got[k] === want[k]);

describe('toxiproxy metrics conformance', () => {
  const tp = useToxiproxy();

  /** Polls until `ready` holds (or 3 s pass) and returns the proxy's last counts. */
  async function countsWhen(proxy: string, ready: (c: Counts) => boolean): Promise<Counts> {
    const deadline = now() + 3000;
    for (;;) {
      const counts = countsOf((await scrape(tp)).samples, proxy);
      if (ready(counts) || now() > deadline) return counts;
      await sleep(50);
    }
  }

  const settled = (proxy: string): Promise<Counts> => countsWhen(proxy, (c) => Object.keys(c).length === 4);

  async function closeAll(...clients: Client[]): Promise<void> {
    for (const client of clients) client.socket.end();
    await Promise.all(clients.map((client) => client.rec.closed(3000)));
  }

  it('serves the counters as Prometheus text, one series per proxy and direction', async () => {
    const upstream = await startUpstream();
    const proxy = await tp.proxy('metricsFormat', upstream.port);
    const client = await openClient(proxy.port);
    client.socket.write('ping');
    await client.rec.bytesBy(4, 3000);
    await closeAll(client);
    await settled(proxy.name);

    const { contentType, text, samples } = await scrape(tp);
    expect(contentType).to.match(/^text\/plain; version=0\.0\.4/);
    for (const metric of [RECEIVED, SENT]) {
      expect(text).to.include(`# HELP ${metric}`);
      expect(text).to.include(`# TYPE ${metric} counter`);
    }
    const ours = samples.filter((s) => s.labels.proxy === proxy.name);
    expect(ours.map((s) => `${s.metric} ${s.labels.direction}`)).to.deep.equal([
      `${RECEIVED} downstream`,
      `${RECEIVED} upstream`,
      `${SENT} downstream`,
      `${SENT} upstream`,
    ]);
    for (const sample of ours) {
      expect(sample.labels).to.deep.equal({
        direction: sample.labels.direction,
        listener: proxy.listen,
        proxy: proxy.name,
        upstream: `127.0.0.1:${upstream.port}`,
      });
      expect(sample.line).to.match(/\{direction="\w+",listener="[^"]+",proxy="[^"]+",upstream="[^"]+"\} 4$/);
    }
  });

  it('counts the bytes of each direction once the connection ends, not before', async () => {
    // The server answers 250 bytes once it has the client's 100, then closes.
    const upstream = await startUpstream((socket) => {
      let got = 0;
      socket.on('data', (data: Buffer) => {
        got += data.length;
        if (got === 100) socket.end(Buffer.alloc(250, 7));
      });
    });
    const proxy = await tp.proxy('metricsCount', upstream.port);
    const client = await openClient(proxy.port);
    client.socket.write(Buffer.alloc(40, 1));
    await sleep(100);
    expect(countsOf((await scrape(tp)).samples, proxy.name), 'while open').to.deep.equal({});
    client.socket.write(Buffer.alloc(60, 2));
    await client.rec.closed(3000);
    expect(client.rec.total).to.equal(250);
    expect(await settled(proxy.name)).to.deep.equal(all(100, 250));
  });

  it('shows no series for a proxy until a connection through it ends; an empty one shows zeros', async () => {
    const upstream = await startUpstream(() => {});
    const proxy = await tp.proxy('metricsEmpty', upstream.port);
    const unreachable = await tp.proxy('metricsRefused', await freePort());
    expect(countsOf((await scrape(tp)).samples, proxy.name)).to.deep.equal({});

    const refused = dialClient(unreachable.port);
    await refused.rec.closed(3000);
    expect(refused.rec.error?.code, 'the proxy accepted').to.not.equal('ECONNREFUSED');
    const client = await openClient(proxy.port);
    await waitFor(() => upstream.accepted.length > 0);
    await closeAll(client);
    expect(await settled(proxy.name)).to.deep.equal(all(0, 0));
    expect(countsOf((await scrape(tp)).samples, unreachable.name), 'refused upstream').to.deep.equal({});
  });

  it('counts received but not dropped bytes as sent (limit_data)', async () => {
    const upstream = await startUpstream(() => {});
    const proxy = await tp.proxy('metricsLimit', upstream.port);
    const toxic = { type: 'limit_data', stream: 'upstream', attributes: { bytes: 10 } };
    expect((await tp.api('POST', `/proxies/${proxy.name}/toxics`, toxic)).status).to.equal(200);
    const client = await openClient(proxy.port);
    client.socket.write(Buffer.alloc(30, 3));
    await client.rec.closed(3000);
    expect(await settled(proxy.name)).to.deep.equal({
      'received upstream': 30,
      'sent upstream': 10,
      'received downstream': 0,
      'sent downstream': 0,
    });
    // The upstream may read its 10 bytes after the counters settle: wait for its close, then count.
    await upstream.accepted[0]?.closed(3000);
    expect(upstream.accepted[0]?.total).to.equal(10);
  });

  it('counts received but not dropped bytes as sent (timeout)', async () => {
    const upstream = await startUpstream();
    const proxy = await tp.proxy('metricsTimeout', upstream.port);
    const toxic = { type: 'timeout', stream: 'downstream', attributes: { timeout: 300 } };
    expect((await tp.api('POST', `/proxies/${proxy.name}/toxics`, toxic)).status).to.equal(200);
    const client = await openClient(proxy.port);
    client.socket.write('abcdef');
    await client.rec.closed(3000);
    expect(client.rec.total).to.equal(0);
    expect(await settled(proxy.name)).to.deep.equal({
      'received upstream': 6,
      'sent upstream': 6,
      'received downstream': 6,
      'sent downstream': 0,
    });
  });

  it('keeps the counters of two proxies apart and adds up the connections of one', async () => {
    const upstream = await startUpstream();
    const first = await tp.proxy('metricsFirst', upstream.port);
    const second = await tp.proxy('metricsSecond', upstream.port);
    const clients: Client[] = [];
    for (const [port, size] of [
      [first.port, 5],
      [first.port, 7],
      [second.port, 11],
    ] as const) {
      const client = await openClient(port);
      client.socket.write(Buffer.alloc(size, 4));
      await client.rec.bytesBy(size, 3000);
      clients.push(client);
    }
    await closeAll(...clients);
    expect(await countsWhen(first.name, equals(all(12, 12)))).to.deep.equal(all(12, 12));
    expect(await countsWhen(second.name, equals(all(11, 11)))).to.deep.equal(all(11, 11));
    const listeners = (await scrape(tp)).samples
      .filter((s) => s.labels.proxy === first.name || s.labels.proxy === second.name)
      .map((s) => `${s.labels.proxy} ${s.labels.listener}`);
    expect(new Set(listeners)).to.deep.equal(
      new Set([`${first.name} ${first.listen}`, `${second.name} ${second.listen}`]),
    );
  });

  it('keeps the counters through reset and delete; the same proxy again adds to them', async () => {
    const upstream = await startUpstream();
    const proxy = await tp.proxy('metricsKeep', upstream.port);
    const client = await openClient(proxy.port);
    client.socket.write('abcdef');
    await client.rec.bytesBy(6, 3000);
    await closeAll(client);
    expect(await settled(proxy.name)).to.deep.equal(all(6, 6));

    await tp.client.reset();
    expect(countsOf((await scrape(tp)).samples, proxy.name), 'after reset').to.deep.equal(all(6, 6));
    await proxy.remove();
    expect(countsOf((await scrape(tp)).samples, proxy.name), 'after delete').to.deep.equal(all(6, 6));

    const again = { name: proxy.name, listen: proxy.listen, upstream: proxy.upstream };
    expect((await tp.api('POST', '/proxies', again)).status).to.equal(201);
    const next = await openClient(proxy.port);
    next.socket.write('ghij');
    await next.rec.bytesBy(4, 3000);
    await closeAll(next);
    expect(await countsWhen(proxy.name, equals(all(10, 10)))).to.deep.equal(all(10, 10));
  });

  it('answers in the protobuf formats when the Accept header asks, and gzipped when Accept-Encoding does', async () => {
    const upstream = await startUpstream();
    const proxy = await tp.proxy('metricsProto', upstream.port);
    const client = await openClient(proxy.port);
    await roundTrip(client, 'ping');
    await closeAll(client);
    await settled(proxy.name);
    const proto = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=';
    const asked = async (encoding: string) => {
      const accept = `${proto}${encoding}`.replaceAll(' ', '');
      const res = await rawScrape(tp.url, { Accept: accept, 'Accept-Encoding': 'gzip' });
      expect(res.headers['content-type']).to.equal(`${proto}${encoding}`);
      expect(res.headers['content-encoding']).to.equal('gzip');
      return gunzipSync(res.body);
    };
    const delimited = await asked('delimited');
    // The first family, length-prefixed (2 bytes), field 1 (name, 1 + 1 bytes) first.
    expect(delimited.subarray(4, 4 + 36).toString()).to.equal('promhttp_metric_handler_errors_total');
    expect(delimited.includes(Buffer.from(proxy.name))).to.equal(true);
    const text = (await asked('text')).toString();
    expect(text).to.include(`    name: "proxy"\n    value: "${proxy.name}"\n`);
    const compact = (await asked('compact-text')).toString();
    expect(compact).to.include(`label:<name:"proxy" value:"${proxy.name}" > `);
    expect(compact.split('\n')).to.have.length(4);
    const plain = await rawScrape(tp.url, { Accept: 'application/json' });
    expect(plain.headers['content-type']).to.match(/^text\/plain; version=0\.0\.4/);
    expect(plain.headers['content-encoding']).to.equal(undefined);
  });
});

/** GET /metrics with exactly these headers (fetch would add and undo its own Accept-Encoding). */
function rawScrape(url: string, headers: Record<string, string>) {
  return new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = request(`${url}/metrics`, {
      headers: { 'User-Agent': 'session-chaos-conformance', ...headers },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function waitFor(ready: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = now() + timeoutMs;
  while (!ready()) {
    if (now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}
