/** scale-out and scale-in on the local runtime with real HAProxy: nodes join and leave the rotation; a shared
 * store hides a scale-in, while sticky sessions log its users out. */
import { expect } from 'chai';
import type { ResolvedFault } from '../../src/experiment/experiment.ts';
import { FAULT_ACTIONS } from '../../src/faults/kinds.ts';
import type { Cluster } from '../../src/runtime/runtime.ts';
import { AppClient } from '../../src/workload/http/app-client.ts';
import { withCluster } from '../helpers/cluster.ts';

const ALICE = { json: { username: 'alice', password: 'pw' } };

/** Applies a fault kind's action to a node, as the schedule does, without the schedule. */
function act(cluster: Cluster, kind: 'scale-out' | 'scale-in', target: string, step: 'inject' | 'heal') {
  const fault: ResolvedFault = { kind, target, atS: 0, durationS: 1 };
  return FAULT_ACTIONS[kind][step](cluster, { target, links: [] }, fault, 'test', {});
}

/** Which nodes answer a burst of requests from new visitors (no cookie) through the load balancer. */
async function nodesServingNewVisitors(cluster: Cluster, requests = 12): Promise<Set<string>> {
  const nodes = new Set<string>();
  for (let i = 0; i < requests; i += 1) {
    const reply = await new AppClient(cluster.lbUrl).request('/healthz');
    if (reply.node) nodes.add(reply.node);
  }
  return nodes;
}

describe('scale-out and scale-in on the local runtime (real HAProxy, its admin socket)', function () {
  this.timeout(120_000);

  it('scale-out starts the spare node and puts it into the rotation; it stays when the fault ends', () =>
    withCluster(
      'redis',
      async (cluster) => {
        expect(cluster.isRunning('app-3'), 'a spare is not started with the cluster').to.equal(false);
        expect([...(await nodesServingNewVisitors(cluster))].sort()).to.deep.equal(['app-1', 'app-2']);
        await act(cluster, 'scale-out', 'app-3', 'inject');
        expect(cluster.isRunning('app-3')).to.equal(true);
        expect([...(await nodesServingNewVisitors(cluster))].sort()).to.deep.equal([
          'app-1',
          'app-2',
          'app-3',
        ]);
        await act(cluster, 'scale-out', 'app-3', 'heal');
        expect(cluster.isRunning('app-3')).to.equal(true);
      },
      { appNodes: 2, spareNodes: 1 },
    ));

  it('scale-in takes a node out and shuts it down: with a store nobody notices; healed, it serves again', () =>
    withCluster(
      'redis',
      async (cluster) => {
        const user = new AppClient(cluster.lbUrl);
        expect((await user.request('/login', ALICE)).status).to.equal(200);
        await act(cluster, 'scale-in', 'app-1', 'inject');
        expect(cluster.isRunning('app-1')).to.equal(false);
        for (let i = 0; i < 6; i += 1) {
          const read = await user.request('/api/cart');
          expect(read.status).to.equal(200);
          expect(read.node).to.not.equal('app-1');
        }
        await act(cluster, 'scale-in', 'app-1', 'heal');
        expect(await nodesServingNewVisitors(cluster)).to.include('app-1');
      },
      { appNodes: 3 },
    ));

  it('scale-in with sticky sessions: the users pinned to the removed node land elsewhere, logged out', () =>
    withCluster(
      'sticky',
      async (cluster) => {
        const user = new AppClient(cluster.lbUrl);
        const login = await user.request('/login', ALICE);
        const pinned = login.node ?? '';
        expect((await user.request('/api/cart')).node).to.equal(pinned);
        await act(cluster, 'scale-in', pinned, 'inject');
        const after = await user.request('/api/cart');
        expect([after.status, after.json]).to.deep.equal([401, { error: 'no-session' }]);
        expect(after.node).to.not.equal(pinned);
      },
      { appNodes: 2 },
    ));
});
