/** Every toxic type the server offers, found by the `type` name the HTTP API takes. */
import { bandwidth } from './bandwidth.ts';
import { latency } from './latency.ts';
import { limitData } from './limit-data.ts';
import { noop } from './noop.ts';
import { resetPeer } from './reset-peer.ts';
import { slicer } from './slicer.ts';
import { slowClose } from './slow-close.ts';
import type { ToxicKind } from './stage.ts';
import { timeout } from './timeout.ts';

/** The toxic types this server knows, by the `type` the API uses. */
const KINDS: ReadonlyMap<string, ToxicKind> = new Map([
  ['latency', latency],
  ['bandwidth', bandwidth],
  ['slow_close', slowClose],
  ['timeout', timeout],
  ['reset_peer', resetPeer],
  ['slicer', slicer],
  ['limit_data', limitData],
  ['noop', noop],
]);

export function toxicKind(type: string): ToxicKind | undefined {
  return KINDS.get(type);
}
