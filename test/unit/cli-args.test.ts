/** Reading command-line values (ports, counts, comma lists); a bad one is named with its flag and fix. */
import { expect } from 'chai';
import { commaList, portNumber, positiveInteger } from '../../src/cli/args.ts';

describe('command-line values', () => {
  it('reads ports, and names the flag, the value and the fix when one is bad', () => {
    expect(portNumber('--port', undefined, 8474)).to.equal(8474);
    expect(portNumber('--port', '0', 8474)).to.equal(0);
    expect(() => portNumber('--port', 'http', 1)).to.throw(
      '--port "http": use a port number from 0 to 65535 (0 picks a free one)',
    );
    expect(() => portNumber('--port', '65536', 1)).to.throw('--port "65536"');
  });

  it('reads counts and comma lists', () => {
    expect(positiveInteger('--repeat', '3', 1)).to.equal(3);
    expect(() => positiveInteger('--repeat', '1.5', 1)).to.throw(
      '--repeat "1.5": must be a whole number ≥ 1, e.g. --repeat 3',
    );
    expect(commaList(['none,sticky', ' redis '])).to.deep.equal(['none', 'sticky', 'redis']);
  });
});
