/** Request bodies decoded as the real Toxiproxy's Go encoding/json does: first value only, key order and
 * case, int64 and float32 fields, Go's error wording, and the order of names. */
import { expect } from 'chai';
import { useToxiproxy } from './harness.ts';
import { startUpstream } from './net-kit.ts';

/** Request bodies as the real server reads them: Go's json.NewDecoder(body).Decode(&input). */
describe('toxiproxy request body conformance (Go encoding/json)', () => {
  const tp = useToxiproxy();

  const errorOf = (res: { body: unknown }): string => (res.body as { error: string }).error;

  /** A proxy (no upstream needed) with a latency toxic `lat`. */
  async function proxyWithToxic(label: string, toxic: Record<string, unknown> = {}): Promise<string> {
    const name = tp.name(label);
    const res = await tp.api('POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: '127.0.0.1:1' });
    expect(res.status).to.equal(201);
    const added = await tp.api('POST', `/proxies/${name}/toxics`, { name: 'lat', type: 'latency', ...toxic });
    expect(added.status, added.text).to.equal(200);
    return name;
  }

  it('reads only the first JSON value: data after it is ignored', async () => {
    const name = tp.name('trailing');
    const created = await tp.api(
      'POST',
      '/proxies',
      `${JSON.stringify({ name, listen: '127.0.0.1:0', upstream: '127.0.0.1:1' })} trailing junk`,
    );
    expect(created.status, created.text).to.equal(201);
    const toxic = await tp.api('POST', `/proxies/${name}/toxics`, '{"type":"latency"}{"type":"timeout"}');
    expect(toxic.status).to.equal(200);
    expect(toxic.body).to.include({ type: 'latency' });
    const patched = await tp.api(
      'PATCH',
      `/proxies/${name}/toxics/latency_downstream`,
      '{"toxicity":0.5} ]]',
    );
    expect(patched.body).to.include({ toxicity: 0.5 });
    const populated = await tp.api('POST', '/populate', '[] [');
    expect(populated.status).to.equal(201);
    const literal = await tp.api('POST', '/proxies', 'nullx');
    expect(errorOf(literal)).to.equal('missing required field: name');
  });

  it('takes a null body as nothing: creates validate it as empty, updates change nothing', async () => {
    const name = await proxyWithToxic('nullBody', { attributes: { latency: 7 } });
    expect(errorOf(await tp.api('POST', '/proxies', 'null'))).to.equal('missing required field: name');
    expect(errorOf(await tp.api('POST', `/proxies/${name}/toxics`, 'null'))).to.equal('invalid toxic type');
    const proxy = await tp.api('PATCH', `/proxies/${name}`, 'null');
    expect(proxy.status).to.equal(200);
    expect(proxy.body).to.include({ enabled: true, upstream: '127.0.0.1:1' });
    const toxic = await tp.api('PATCH', `/proxies/${name}/toxics/lat`, 'null');
    expect(toxic.status).to.equal(200);
    expect(toxic.body).to.deep.include({ attributes: { latency: 7, jitter: 0 }, toxicity: 1 });
    const populated = await tp.api('POST', '/populate', 'null');
    expect([populated.status, populated.text]).to.deep.equal([201, '{"proxies":null}']);
    const nullEntry = await tp.api('POST', '/populate', '[null]');
    expect([nullEntry.status, errorOf(nullEntry)]).to.deep.equal([
      400,
      'missing required field: name at proxy 1',
    ]);
  });

  it("words a syntax error as Go's decoder does", async () => {
    const cases: [string, string][] = [
      ['', 'EOF'],
      [' \n\t', 'EOF'],
      ['{"name":"a",', 'unexpected EOF'],
      ['{"name":"a" "x"}', `invalid character '"' after object key:value pair`],
      ['{x', "invalid character 'x' looking for beginning of object key string"],
      ['{"a" 1}', "invalid character '1' after object key"],
      ['{"a":[1 2]}', "invalid character '2' after array element"],
      ['{"a":[1,]}', "invalid character ']' looking for beginning of value"],
      ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
      ['{"a":"\\x"}', "invalid character 'x' in string escape code"],
      ['{"a":"\\u12g4"}', "invalid character 'g' in \\u hexadecimal character escape"],
      ['{"a":1.x}', "invalid character 'x' after decimal point in numeric literal"],
      ['{"a":1ex}', "invalid character 'x' in exponent of numeric literal"],
      ['{"a":-x}', "invalid character 'x' in numeric literal"],
      ['{"a":01}', "invalid character '1' after object key:value pair"],
      ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
      ['{"a\u0001":1}', "invalid character '\\x01' in string literal"],
      ['\u00e9', "invalid character 'Ã' looking for beginning of value"],
    ];
    for (const [body, message] of cases) {
      const res = await tp.api('POST', '/proxies', body);
      expect([res.status, errorOf(res)], JSON.stringify(body)).to.deep.equal([
        400,
        `bad request body: ${message}`,
      ]);
    }
  });

  it('applies keys in order: the last one wins, matched case-insensitively; null leaves a field alone', async () => {
    const name = tp.name('dupKeys');
    const created = await tp.api(
      'POST',
      '/proxies',
      `{"name":"${name}","name":null,"listen":"127.0.0.1:0","upstream":"127.0.0.1:1","UPSTREAM":"127.0.0.1:2"}`,
    );
    expect(created.status, created.text).to.equal(201);
    expect(created.body).to.include({ name, upstream: '127.0.0.1:2' });
    const toxic = await tp.api(
      'POST',
      `/proxies/${name}/toxics`,
      '{"type":"latency","TYPE":"timeout","attributes":{"timeout":5,"Timeout":7,"timeout":null}}',
    );
    expect(toxic.body).to.deep.include({ type: 'timeout', attributes: { timeout: 7 } });
    const entry = tp.name('dupPop');
    const populated = await tp.api(
      'POST',
      '/populate',
      `[{"name":"${entry}","listen":"127.0.0.1:0","upstream":"127.0.0.1:1","enabled":false,"enabled":null}]`,
    );
    expect(populated.status).to.equal(201);
    expect((await tp.api('GET', `/proxies/${entry}`)).body, 'a null *bool is "enabled"').to.include({
      enabled: true,
    });
  });

  it('reads integer attributes as Go int64: whole numbers only, over its full range', async () => {
    const name = await proxyWithToxic('ints');
    const set = (latency: string) =>
      tp.api('PATCH', `/proxies/${name}/toxics/lat`, `{"attributes":{"latency":${latency}}}`);
    const field = 'Go struct field LatencyToxic.attributes.latency of type int64';
    for (const text of ['1.0', '1e3', '9223372036854775808']) {
      expect(errorOf(await set(text))).to.equal(
        `bad request body: json: cannot unmarshal number ${text} into ${field}`,
      );
    }
    expect(errorOf(await set('"5"'))).to.equal(
      `bad request body: json: cannot unmarshal string into ${field}`,
    );
    for (const text of ['9007199254740993', '-9223372036854775808']) {
      const res = await set(text);
      expect(res.status).to.equal(200);
      expect(res.text, 'printed exactly').to.contain(`"latency":${text},`);
    }
    const slicer = await tp.api(
      'POST',
      `/proxies/${name}/toxics`,
      '{"type":"slicer","attributes":{"delay":"5"}}',
    );
    expect(errorOf(slicer)).to.equal(
      'bad request body: json: cannot unmarshal string into Go struct field SlicerToxic.attributes.delay of type int',
    );
  });

  it("reports the body's first type error, naming Go's types and fields", async () => {
    const name = await proxyWithToxic('typeErrors');
    const unmarshal = 'bad request body: json: cannot unmarshal';
    const firstError = await tp.api('POST', '/proxies', '{"enabled":"true","name":5}');
    expect(errorOf(firstError)).to.equal(
      `${unmarshal} string into Go struct field Proxy.enabled of type bool`,
    );
    const entry = 'struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }';
    expect(errorOf(await tp.api('POST', '/populate', '{}'))).to.equal(
      `${unmarshal} object into Go value of type []${entry}`,
    );
    expect(errorOf(await tp.api('POST', '/populate', '[5]'))).to.equal(
      `${unmarshal} number into Go value of type ${entry}`,
    );
    expect(errorOf(await tp.api('POST', '/populate', '[{"enabled":1}]'))).to.equal(
      `${unmarshal} number into Go struct field .enabled of type bool`,
    );
    // `attributes` is checked to be an object first, before stream and type.
    const early = await tp.api(
      'POST',
      `/proxies/${name}/toxics`,
      '{"type":"latency","stream":"up","attributes":5}',
    );
    expect(errorOf(early)).to.equal(
      `${unmarshal} number into Go struct field ToxicWrapper.attributes of type toxics.NoopToxic`,
    );
    const toxicity = await tp.api('PATCH', `/proxies/${name}/toxics/lat`, '{"toxicity":"x"}');
    expect(errorOf(toxicity)).to.equal(`${unmarshal} string into Go struct field .toxicity of type float32`);
    const attributes = await tp.api('PATCH', `/proxies/${name}/toxics/lat`, '{"attributes":[]}');
    expect(errorOf(attributes)).to.equal(
      `${unmarshal} array into Go struct field .attributes of type toxics.LatencyToxic`,
    );
  });

  it('holds toxicity as a float32: it reads back as Go prints that float32', async () => {
    const name = await proxyWithToxic('float32');
    const set = (toxicity: string) =>
      tp.api('PATCH', `/proxies/${name}/toxics/lat`, `{"toxicity":${toxicity}}`);
    for (const [given, shown] of [
      ['0.123456789', '0.12345679'],
      ['16777217', '16777216'],
      ['0.1', '0.1'],
      ['1.5e-7', '1.5e-7'],
      ['3e38', '3e+38'],
      ['-0', '-0'],
    ]) {
      const res = await set(given as string);
      expect(res.text, given).to.contain(`"toxicity":${shown}}`);
    }
    expect(errorOf(await set('1e39'))).to.equal(
      'bad request body: json: cannot unmarshal number 1e39 into Go struct field .toxicity of type float32',
    );
  });

  it('shows a proxy\'s "Logger" (always {}) and takes only an object (or null) for it', async () => {
    const upstream = await startUpstream();
    const name = tp.name('logger');
    const body = {
      name,
      listen: '127.0.0.1:0',
      upstream: `127.0.0.1:${upstream.port}`,
      logger: { level: 1 },
    };
    const created = await tp.api('POST', '/proxies', body);
    expect(created.status).to.equal(201);
    expect(created.text).to.match(/"enabled":true,"Logger":\{\},"toxics":\[\]\}$/);
    const refused = await tp.api('PATCH', `/proxies/${name}`, { Logger: 5 });
    expect(errorOf(refused)).to.equal(
      'bad request body: json: cannot unmarshal number into Go struct field Proxy.Logger of type zerolog.Logger',
    );
    expect((await tp.api('PATCH', `/proxies/${name}`, { LOGGER: null })).status).to.equal(200);
  });

  it('lists proxies in the byte order of their names, as Go sorts map keys ("10…" before "2…")', async () => {
    const [big, small] = [`1${process.pid}0`, `2${process.pid}`];
    try {
      for (const name of [small, big]) {
        const res = await tp.api('POST', '/proxies', {
          name,
          listen: '127.0.0.1:0',
          upstream: '127.0.0.1:1',
        });
        expect(res.status).to.equal(201);
      }
      const { text } = await tp.api('GET', '/proxies');
      expect(text.indexOf(`"${big}":`)).to.be.within(0, text.indexOf(`"${small}":`));
    } finally {
      for (const name of [big, small]) await tp.api('DELETE', `/proxies/${name}`);
    }
  });
});
