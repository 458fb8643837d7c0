/**
 * Which faults need the kernel to act (a runtime with --netns): kinds only the kernel makes, and link
 * faults on links no proxy sits in. Pure: an experiment in, the strategies that need it out, with why.
 */
import { strategyNamed } from '../strategies/strategies.ts';
import { buildTopology, proxied } from '../topology/topology.ts';
import { AIM } from './aims.ts';
import { KERNEL_FAULTS } from './definition.ts';
import type { Experiment, ResolvedFault } from './experiment.ts';
import { startContext } from './resolve-faults.ts';

/** Why a fault needs the kernel in a strategy's cluster of `appNodes` nodes, or null when it does not. */
export function kernelNeed(fault: ResolvedFault, strategy: string, appNodes: number): string | null {
  if (KERNEL_FAULTS.includes(fault.kind))
    return `${fault.kind} acts on packets, which only the kernel reaches`;
  const row = strategyNamed(strategy);
  if (!row) return null;
  const topology = buildTopology(row, { appNodes });
  let links: string[];
  try {
    links = AIM[fault.kind](fault.target, startContext(topology)).links;
  } catch {
    return null; // validation already refused a fault with nothing to hit
  }
  const unproxied = links.filter((id) => topology.links.some((l) => l.id === id && !proxied(l)));
  return unproxied.length > 0
    ? `${fault.kind} on ${fault.target} reaches ${unproxied.join(', ')}, which no proxy sits in`
    : null;
}

/** The strategies of an experiment whose faults need the kernel, each with the first reason. */
export function strategiesNeedingKernel(experiment: Experiment): Map<string, string> {
  const needing = new Map<string, string>();
  for (const strategy of experiment.strategies)
    for (const fault of experiment.faults)
      for (const appNodes of experiment.appNodes) {
        const why = kernelNeed(fault, strategy, appNodes);
        if (why && !needing.has(strategy)) needing.set(strategy, why);
      }
  return needing;
}
