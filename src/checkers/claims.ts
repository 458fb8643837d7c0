/** The claims people make about session strategies, each confirmed, refuted or not measured by the run. */
import type { CaseResult } from '../model/case.ts';
import type { Claim, ClaimStatus } from '../model/claim.ts';

type Verdict = { status: ClaimStatus; figure: string; cases: CaseResult[] };
type Rule = { id: string; statement: string; rule: string; decide: (results: CaseResult[]) => Verdict };

const NOT_MEASURED: Verdict = { status: 'not measured', figure: '', cases: [] };
const base = (c: CaseResult): string => c.strategy.split(':')[0] ?? c.strategy;
const pct = (v: number): string => `${Math.round(v * 100)} %`;
const decided = (ok: boolean, figure: string, cases: CaseResult[]): Verdict => ({
  status: ok ? 'confirmed' : 'refuted',
  figure,
  cases,
});
const loggedOutShare = (c: CaseResult): number => (c.users ? c.loggedOutUsers / c.users : 0);
const faultActed = (c: CaseResult, kind: string): boolean =>
  c.faults.some((f) => f.kind === kind && f.effect?.observed === true);
const meanMemoryMb = (c: CaseResult): number | null => {
  const nodes = Object.entries(c.cost?.memoryMb ?? {}).filter(([id]) => id.startsWith('app-'));
  return nodes.length ? nodes.reduce((s, [, m]) => s + m.avg, 0) / nodes.length : null;
};

/** How much slower a session op was on another node than the previous op's (p50 ratio); null on too few ops. */
const hopRatio = (c: CaseResult | undefined): number | null => {
  const hops = c?.latencyByNodeChange;
  if (!hops || hops.sameNode.count < 100 || hops.otherNode.count < 100 || hops.sameNode.p50 <= 0) return null;
  return hops.otherNode.p50 / hops.sameNode.p50;
};
const hopText = (c: CaseResult | undefined): string => {
  const hops = c?.latencyByNodeChange;
  return hops ? `p50 ${hops.sameNode.p50} ms on the same node, ${hops.otherNode.p50} ms on another` : '–';
};

/** A figure against cluster size for one strategy (cluster-size cases): grows when the largest exceeds the smallest by 5 %. */
function growsWithNodes(
  strategy: string,
  figure: (c: CaseResult) => number | null,
  unit: string,
): (r: CaseResult[]) => Verdict {
  return (results) => {
    const sized = results
      .filter((c) => base(c) === strategy && c.appNodes !== undefined && figure(c) !== null)
      .sort((a, b) => (a.appNodes ?? 0) - (b.appNodes ?? 0));
    const [small, large] = [sized[0], sized.at(-1)];
    if (!small || !large || small.appNodes === large.appNodes) return NOT_MEASURED;
    const [a, b] = [figure(small) ?? 0, figure(large) ?? 0];
    return decided(
      b > a * 1.05,
      `${a.toFixed(0)} ${unit} at ${small.appNodes} nodes → ${b.toFixed(0)} at ${large.appNodes}`,
      sized,
    );
  };
}

/** The claims, each with the rule that decides it from the run's cases (docs/report.md, "Reading the report"). */
export const CLAIM_RULES: Rule[] = [
  {
    id: 'round-robin-loses-sessions',
    statement: 'Round-robin without shared sessions loses sessions',
    rule: 'a case of none logged at least one user out',
    decide: (rs) => {
      const cases = rs.filter((c) => c.strategy === 'none');
      const worst = Math.max(0, ...cases.map(loggedOutShare));
      return cases.length ? decided(worst > 0, `${pct(worst)} of users logged out`, cases) : NOT_MEASURED;
    },
  },
  {
    id: 'sticky-concentrates-traffic',
    statement: 'Sticky sessions concentrate traffic on some servers',
    rule: 'without faults, the busiest node of a sticky case took ≥ 15 % more than the mean (imbalance ≥ 1.15), and more than round-robin over a shared store in the same experiment (+0.1)',
    decide: (rs) => {
      const control = (s: CaseResult) =>
        rs.find(
          (c) => c.experiment === s.experiment && !c.strategy.startsWith('sticky') && c.strategy !== 'none',
        );
      const judged = rs.filter((c) => c.strategy.startsWith('sticky') && c.faults.length === 0 && control(c));
      if (judged.length === 0) return NOT_MEASURED;
      const ok = judged.every(
        (s) => s.imbalance >= 1.15 && s.imbalance >= (control(s)?.imbalance ?? 0) + 0.1,
      );
      const figure = judged.map(
        (s) =>
          `imbalance ${s.imbalance.toFixed(2)} (${control(s)?.strategy} ${control(s)?.imbalance.toFixed(2)})`,
      );
      return decided(ok, figure.join('; '), [...judged, ...judged.flatMap((s) => control(s) ?? [])]);
    },
  },
  {
    id: 'sticky-loses-dead-servers-users',
    statement: 'Sticky sessions lose the sessions of a server that dies, and only those',
    rule: 'a sticky case whose kill-node acted logged users out, all of them users of the killed node',
    decide: (rs) => {
      const cases = rs.filter((c) => c.strategy.startsWith('sticky') && faultActed(c, 'kill-node'));
      const only = (c: CaseResult) =>
        c.expectations.find((e) => e.name.startsWith('logouts only among users'));
      const judged = cases.filter((c) => only(c)?.ok !== undefined && only(c)?.ok !== null);
      if (judged.length === 0) return NOT_MEASURED;
      const ok = judged.every((c) => c.loggedOutUsers > 0 && only(c)?.ok === true);
      return decided(ok, judged.map((c) => `${pct(loggedOutShare(c))} logged out`).join(', '), judged);
    },
  },
  {
    id: 'all-to-all-memory-grows',
    statement: "All-to-all replication's memory per node grows with the number of nodes",
    rule: 'cluster-size: mean app-node memory at the largest size > 105 % of that at the smallest',
    decide: growsWithNodes('all-to-all', meanMemoryMb, 'MB'),
  },
  {
    id: 'all-to-all-network-grows',
    statement: "All-to-all replication's network traffic grows with the number of nodes",
    rule: 'cluster-size: replication bytes per write at the largest size > 105 % of that at the smallest',
    decide: growsWithNodes('all-to-all', (c) => c.cost?.links.replication?.perWrite ?? null, 'B/write'),
  },
  {
    id: 'all-to-all-delay-inconsistent',
    statement: 'All-to-all propagation delay shows up as inconsistent reads',
    rule: 'an all-to-all:async case read stale sessions',
    decide: (rs) => {
      const cases = rs.filter((c) => c.strategy === 'all-to-all:async');
      const stale = cases.reduce((s, c) => s + c.staleReads, 0);
      return cases.length ? decided(stale > 0, `${stale} stale reads`, cases) : NOT_MEASURED;
    },
  },
  {
    id: 'all-to-all-fine-for-few',
    statement: 'All-to-all is fine for a few nodes (about 4 or fewer) and not for more',
    rule: 'cluster-size: every all-to-all case of ≤ 4 nodes passed, and one of > 4 failed or doubled the p99 of 4 nodes',
    decide: (rs) => {
      const cases = rs.filter((c) => base(c) === 'all-to-all' && c.appNodes !== undefined);
      const [few, many] = [
        cases.filter((c) => (c.appNodes ?? 0) <= 4),
        cases.filter((c) => (c.appNodes ?? 0) > 4),
      ];
      if (few.length === 0 || many.length === 0) return NOT_MEASURED;
      const p99Few = Math.max(...few.map((c) => c.latency.p99));
      const worse = many.some((c) => c.verdict === 'fail' || c.latency.p99 >= 2 * p99Few);
      return decided(
        few.every((c) => c.verdict === 'pass') && worse,
        `p99 ${p99Few.toFixed(0)} ms at ≤ 4 nodes, ${Math.max(...many.map((c) => c.latency.p99)).toFixed(0)} ms above`,
        cases,
      );
    },
  },
  {
    id: 'backup-less-memory',
    statement: 'Primary-secondary (BackupManager) uses less memory than all-to-all',
    rule: 'at the same cluster size, mean app-node memory of primary-secondary below 95 % of all-to-all',
    decide: (rs) => {
      const pairs = rs.flatMap((p) => {
        const a = rs.find(
          (c) => base(c) === 'all-to-all' && c.experiment === p.experiment && c.appNodes === p.appNodes,
        );
        return base(p) === 'primary-secondary' && a && meanMemoryMb(p) !== null && meanMemoryMb(a) !== null
          ? [[p, a] as const]
          : [];
      });
      if (pairs.length === 0) return NOT_MEASURED;
      const ok = pairs.every(([p, a]) => (meanMemoryMb(p) ?? 0) < 0.95 * (meanMemoryMb(a) ?? 0));
      const figure = pairs
        .map(([p, a]) => `${meanMemoryMb(p)?.toFixed(0)} vs ${meanMemoryMb(a)?.toFixed(0)} MB`)
        .join('; ');
      return decided(ok, figure, pairs.flat());
    },
  },
  {
    id: 'backup-extra-hop',
    statement: 'With primary-secondary, non-owner nodes pay an extra hop',
    rule: 'a primary-secondary case (≥ 100 ops each way) had ops on another node than the previous op’s ≥ 20 % slower (p50), and more so than all-to-all in the same experiment',
    decide: (rs) => {
      const judged = rs.filter((c) => base(c) === 'primary-secondary' && hopRatio(c) !== null);
      if (judged.length === 0) return NOT_MEASURED;
      const control = (p: CaseResult) =>
        rs.find(
          (c) => base(c) === 'all-to-all' && c.experiment === p.experiment && c.appNodes === p.appNodes,
        );
      const ok = judged.every((p) => {
        const [ratio, other] = [hopRatio(p) ?? 0, hopRatio(control(p))];
        return ratio >= 1.2 && (other === null || ratio > other);
      });
      const figure = judged.map(
        (p) => `${hopText(p)}${control(p) ? ` (all-to-all: ${hopText(control(p))})` : ''}`,
      );
      return decided(ok, figure.join('; '), [...judged, ...judged.flatMap((p) => control(p) ?? [])]);
    },
  },
  {
    id: 'store-down-affects-all',
    statement: 'When the session store is down, every server is affected',
    rule: 'a store-down or kill-store that acted met ≥ 90 % of users with an error or a logout',
    decide: (rs) => {
      const cases = rs.filter((c) => faultActed(c, 'store-down') || faultActed(c, 'kill-store'));
      const met = (c: CaseResult) => Math.max(c.exposure.error ?? 0, c.exposure.logout ?? 0);
      const least = Math.min(...cases.map(met));
      return cases.length
        ? decided(least >= 0.9, `${pct(least)} of users met it (the least)`, cases)
        : NOT_MEASURED;
    },
  },
  {
    id: 'store-adds-network-io',
    statement: 'A session store adds network I/O to every request',
    rule: 'every case with a store link carried bytes on it for each write',
    decide: (rs) => {
      const cases = rs.filter((c) => c.cost?.links.store?.perWrite != null);
      const least = Math.min(...cases.map((c) => c.cost?.links.store?.perWrite ?? 0));
      return cases.length ? decided(least > 0, `≥ ${least.toFixed(0)} B per write`, cases) : NOT_MEASURED;
    },
  },
  {
    id: 'disk-store-slower',
    statement: 'A disk database store is slower than an in-memory store',
    rule: 'in each experiment that ran both, the p50 of mysql > the p50 of redis',
    decide: (rs) => {
      const pairs = rs.flatMap((m) => {
        const r = rs.find(
          (c) => c.strategy === 'redis' && c.experiment === m.experiment && c.repeat === m.repeat,
        );
        return m.strategy === 'mysql' && r ? [[m, r] as const] : [];
      });
      if (pairs.length === 0) return NOT_MEASURED;
      const figure = pairs
        .map(([m, r]) => `${m.latency.p50.toFixed(1)} vs ${r.latency.p50.toFixed(1)} ms`)
        .join('; ');
      return decided(
        pairs.every(([m, r]) => m.latency.p50 > r.latency.p50),
        figure,
        pairs.flat(),
      );
    },
  },
  {
    id: 'replicated-store-survives',
    statement: 'A replicated store (primary + replica) survives the loss of its primary',
    rule: 'a failover that acted logged nobody out and lost no write',
    decide: (rs) => {
      const cases = rs.filter((c) => faultActed(c, 'failover'));
      const ok = cases.every((c) => c.loggedOutUsers === 0 && c.lostWrites === 0);
      const figure = cases
        .map((c) => `${c.loggedOutUsers} logged out, ${c.lostWrites} lost writes`)
        .join('; ');
      return cases.length ? decided(ok, figure, cases) : NOT_MEASURED;
    },
  },
];

/** Every claim, decided from the run's cases by its rule. */
export function decideClaims(results: CaseResult[]): Claim[] {
  return CLAIM_RULES.map(({ id, statement, rule, decide }) => {
    const { status, figure, cases } = decide(results);
    return { id, statement, rule, status, figure, cases: [...new Set(cases.map((c) => c.dir))] };
  });
}
