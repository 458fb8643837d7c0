/** The Toxiproxy-compatible server run as a command takes the real server's Go-style flags. */
import { expect } from 'chai';
import { goFlags } from '../../serve.ts';

describe('the server as a command', () => {
  it('takes the real server’s Go-style flags, so a container image runs either server alike', () => {
    expect(goFlags(['-host=0.0.0.0', '-port', '8474', '--port', '1', '-proxy-metrics'])).to.deep.equal([
      '--host=0.0.0.0',
      '--port',
      '8474',
      '--port',
      '1',
      '--proxy-metrics',
    ]);
  });
});
