/** Go's parsing as the server mimics it: service names from a services file over Go's own table
 * (net.LookupPort), and float32 rounding and printing (strconv.ParseFloat). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { splitHostPort } from '../../src/address.ts';
import { parseFloat32, roundToFloat32 } from '../../src/go-float32.ts';
import { readServices } from '../../src/services.ts';
import { scratchDir } from '../helpers.ts';

describe('Go service names (net.LookupPort)', () => {
  it('reads tcp entries and aliases of a services file over Go’s own table', () => {
    const file = join(scratchDir('services'), 'services');
    const lines = [
      'http\t8080/tcp www # overrides Go',
      'foo 1234/udp',
      'Bar 2345/tcp bar-alias#comment',
      'big 16777215/tcp',
      'bad x/tcp',
      '# gone 1/tcp',
    ];
    writeFileSync(file, lines.join('\n'));
    const services = readServices(file);
    expect(Object.fromEntries(services)).to.include({
      http: 8080,
      www: 8080,
      Bar: 2345,
      'bar-alias': 2345,
      ssh: 22,
    });
    expect([...services.keys()]).to.not.include.members(['foo', 'big', 'bad', 'gone']);
    expect(readServices(join(scratchDir('services'), 'missing')).get('imap3')).to.equal(220);
  });

  it('looks a port up ASCII case-insensitively and fails as Go does', () => {
    expect(splitHostPort('localhost:HTTP')).to.deep.equal({ host: 'localhost', port: 80 });
    expect(splitHostPort('[::1]:Imap3')).to.deep.equal({ host: '::1', port: 220 });
    expect(() => splitHostPort('127.0.0.1:nosuch')).to.throw('lookup tcp/nosuch: unknown port');
    expect(() => splitHostPort('127.0.0.1:+http')).to.throw('lookup tcp/+http: unknown port');
    expect(() => splitHostPort(':ſsh')).to.throw('lookup tcp/ſsh: unknown port');
  });
});

describe('Go float32 parsing (strconv.ParseFloat(s, 32))', () => {
  it('rounds once from the decimal where rounding through a double would not', () => {
    const f32 = (bits: number): number => new Float32Array(new Uint32Array([bits]).buffer)[0] as number;
    expect(roundToFloat32('1.00000005960464477539063')).to.equal(f32(0x3f800001));
    expect(roundToFloat32('1.000000059604644775390624')).to.equal(1);
    expect(roundToFloat32('1.000000059604644775390625')).to.equal(1); // an exact tie goes to even
    expect(roundToFloat32('1.000000178813934326171875')).to.equal(f32(0x3f800002));
    expect(roundToFloat32('-0.25001160800457')).to.equal(-f32(0x3e800185));
    expect(roundToFloat32('7.0064923216240854e-46')).to.equal(f32(1));
    expect(roundToFloat32('7.00649232162408535461864791644958065640e-46')).to.equal(0);
  });

  it('prints the shortest decimal and fails only on overflow', () => {
    expect(parseFloat32('0.123456789')).to.equal(0.12345679);
    expect(parseFloat32('3.4028235677973366e38')).to.equal(3.4028235e38);
    expect(parseFloat32('3.40282356779733661637539395458142568448e38')).to.equal(undefined);
    expect(parseFloat32('1e-50')).to.equal(0);
  });
});
