/** Stale reads (named by the session guarantee they break), lost writes and lost updates in users' carts. */
import { isAckedAdd, isNoSession, isView } from '../history/ops.ts';
import type { Anomaly, AnomalyKind, SessionGuarantee } from '../model/anomaly.ts';
import type { Op } from '../model/op.ts';
import { type Checker, ms, PerUser } from './checker.ts';

/**
 * The session guarantees of Terry et al., "Session Guarantees for Weakly Consistent Replicated Data" (1994),
 * checked on each view of the cart, and lost writes. A write is in the session from its acknowledgement (an
 * `ok` add), or — for an add whose outcome was unknown — from the first view that showed it. For each
 * view and each write in the session before the view started that the view does not show:
 * - if a later view of the epoch shows the write again, the view was stale: one anomaly per view, named by
 *   the strongest guarantee it broke — monotonic writes (it shows an acknowledged add issued after the
 *   missing write was acknowledged), writes-follow-reads (likewise, after a write that was only ever seen),
 *   read-your-writes (an acknowledged write), monotonic reads (a write only ever seen);
 * - if no later view shows it, an acknowledged write is lost: one anomaly, however many views missed it; a
 *   write only ever seen (unknown outcome) may come and go without an anomaly. A lost write that overlapped
 *   another acknowledged write of its session, the two saved from copies without each other's item, is a
 *   lost update (see overwrittenBy): the user's own parallel requests, the later save overwriting the
 *   earlier one's change, not a fault.
 * A user whose final reads all failed is undecided, and so are its last epoch's acknowledged writes that a
 * final read would have decided (missed by its last views, or not looked at since): counted apart, never
 * as lost, so lost writes lie between the count and the count plus the undecided writes.
 */
const RANK: SessionGuarantee[] = [
  'monotonic-reads',
  'read-your-writes',
  'writes-follow-reads',
  'monotonic-writes',
];
const KIND: Record<SessionGuarantee, AnomalyKind> = {
  'read-your-writes': 'stale-read',
  'monotonic-reads': 'stale-read',
  'monotonic-writes': 'monotonic-writes',
  'writes-follow-reads': 'writes-follow-reads',
};

interface Write {
  item: string;
  /** The add that wrote it (acknowledged, or of unknown outcome), if it is in the history. */
  op: Op | null;
  acked: boolean;
  /** Since when it is known to be in the session: its acknowledgement, or the end of the first view showing it. */
  since: number;
  /** When its add started. */
  issuedAt: number;
  /** Views after `since` that did not show it, since it was last shown. */
  missingIn: { view: Op; guarantee: SessionGuarantee }[];
}

interface StaleView {
  view: Op;
  guarantee: SessionGuarantee;
  missed: Write;
  shownAgainIn: Op;
  stalenessMs: number;
}

interface UserState {
  epoch: number;
  /** In the order they entered the session. */
  writes: Map<string, Write>;
  /** The epoch's acknowledged adds, in the order they were recorded (a view may show an item before its add). */
  adds: Op[];
  /** Writes some view missed that no view has shown again yet. */
  pending: Set<Write>;
  /** The start of the epoch's latest view: a write after it was never looked at. */
  lastViewStart: number;
  /** Adds whose outcome is unknown, by item: they may still show up. */
  unknownAdds: Map<string, Op>;
  settled: boolean;
}

const newEpoch = (epoch: number): Omit<UserState, 'settled'> => ({
  epoch,
  writes: new Map(),
  adds: [],
  pending: new Set(),
  lastViewStart: Number.NEGATIVE_INFINITY,
  unknownAdds: new Map(),
});

export class SessionGuaranteesChecker implements Checker {
  readonly name = 'session-guarantees';
  readonly #users = new PerUser<UserState>(() => ({ ...newEpoch(-1), settled: false }));
  readonly #stale = new Map<Op, StaleView>();
  readonly #staleWrites = new Set<Write>();
  readonly #found: Anomaly[] = [];
  #undecidedWrites = 0;

  add(op: Op): void {
    const s = this.#users.of(op.user);
    if (op.epoch !== s.epoch) {
      this.#closeEpoch(s);
      Object.assign(s, newEpoch(op.epoch));
    }
    // Settled by the last final read: when it failed, what it was to confirm stays undecided.
    if (op.final) s.settled = isView(op) || isNoSession(op);
    if (op.op === 'add' && op.outcome === 'info' && op.wrote !== undefined) s.unknownAdds.set(op.wrote, op);
    if (isView(op)) this.#view(s, op);
    if (isAckedAdd(op)) this.#acknowledged(s, op);
  }

  /**
   * An acknowledged add. A view in flight with it (another tab) may have shown its item and ended first: the
   * write, seen until now, is acknowledged from here on, so that losing it later is a lost write.
   */
  #acknowledged(s: UserState, op: Op & { wrote: string }): void {
    s.adds.push(op);
    const seen = s.writes.get(op.wrote);
    if (seen) Object.assign(seen, { acked: true, op });
    else
      s.writes.set(op.wrote, {
        item: op.wrote,
        op,
        acked: true,
        since: op.end,
        issuedAt: op.start,
        missingIn: [],
      });
  }

  #view(s: UserState, view: Op & { read: NonNullable<Op['read']> }): void {
    s.lastViewStart = Math.max(s.lastViewStart, view.start);
    if (showsExactly(s, view)) {
      for (const w of s.pending) this.#shownAgain(w, view);
      s.pending.clear();
      return;
    }
    const shown = new Set(view.read.items);
    // A write's own answer shows the write itself: an acknowledged add issued when the view began.
    let latestAckedShown = isAckedAdd(view) && shown.has(view.wrote) ? view.start : Number.NEGATIVE_INFINITY;
    for (const item of shown) {
      const w = s.writes.get(item);
      if (w?.acked) latestAckedShown = Math.max(latestAckedShown, w.issuedAt);
    }
    for (const w of s.writes.values()) {
      if (w.since > view.start) continue;
      if (shown.has(w.item)) {
        this.#shownAgain(w, view);
        s.pending.delete(w);
      } else {
        w.missingIn.push({ view, guarantee: this.#guarantee(w, latestAckedShown) });
        s.pending.add(w);
      }
    }
    for (const item of shown) {
      if (s.writes.has(item) || (isAckedAdd(view) && view.wrote === item)) continue;
      const add = s.unknownAdds.get(item) ?? null;
      s.writes.set(item, {
        item,
        op: add,
        acked: false,
        since: view.end,
        issuedAt: add?.start ?? view.start,
        missingIn: [],
      });
    }
  }

  /** The strongest guarantee a view broke by missing `w`, given the latest acknowledged add it shows. */
  #guarantee(w: Write, latestAckedShown: number): SessionGuarantee {
    if (latestAckedShown >= w.since) return w.acked ? 'monotonic-writes' : 'writes-follow-reads';
    return w.acked ? 'read-your-writes' : 'monotonic-reads';
  }

  /** A write shown again: every view that missed it since was stale. */
  #shownAgain(w: Write, view: Op): void {
    for (const { view: stale, guarantee } of w.missingIn) {
      this.#staleWrites.add(w);
      const known = this.#stale.get(stale);
      if (known && RANK.indexOf(known.guarantee) >= RANK.indexOf(guarantee)) continue;
      this.#stale.set(stale, {
        view: stale,
        guarantee,
        missed: w,
        shownAgainIn: view,
        stalenessMs: stale.start - w.since,
      });
    }
    w.missingIn = [];
  }

  /**
   * At the end of an epoch, acknowledged writes that no later view showed again are lost. In a user's last
   * epoch, when every final read failed, a write missing from the last views, or never looked at since its
   * acknowledgement, is undecided instead: only a final read could have told lost from stale.
   */
  #closeEpoch(s: UserState, finalReadsFailed = false): void {
    for (const w of s.writes.values()) {
      if (!w.acked || !w.op) continue;
      const last = w.missingIn.at(-1)?.view;
      if (finalReadsFailed && (last || s.lastViewStart < w.since)) {
        this.#undecidedWrites += 1;
        continue;
      }
      if (last) this.#found.push(lostAnomaly(w, w.op, last, overwrittenBy(s, w)));
    }
    s.writes = new Map();
    s.adds = [];
    s.pending = new Set();
  }

  finish(): Anomaly[] {
    for (const s of this.#users.values()) this.#closeEpoch(s, !s.settled);
    for (const v of this.#stale.values()) this.#found.push(staleAnomaly(v));
    return this.#found.sort((a, b) => a.at - b.at);
  }

  /** Distinct writes missing from some view and shown again later. */
  get staleWrites(): number {
    return this.#staleWrites.size;
  }

  /** Users whose last final read failed: it did not show their session (or that it was gone). */
  get undecidedUsers(): number {
    return [...this.#users.values()].filter((s) => !s.settled).length;
  }

  /** Acknowledged writes of undecided users that only a final read could have shown lost or kept. */
  get undecidedWrites(): number {
    return this.#undecidedWrites;
  }
}

/**
 * The common case, checked without building sets: the view shows exactly the session's writes up to its
 * start, in the order they entered it (plus, for an add's own answer, that add), and nothing else.
 */
function showsExactly(s: UserState, view: Op & { read: NonNullable<Op['read']> }): boolean {
  const { items } = view.read;
  let i = 0;
  for (const w of s.writes.values()) {
    if (w.since > view.start) return false;
    if (items[i] !== w.item) return false;
    i += 1;
  }
  if (i === items.length) return true;
  return i === items.length - 1 && isAckedAdd(view) && view.wrote === items[i];
}

/**
 * The write that overwrote `w`'s item: an acknowledged add of the session in flight with it, the two saved
 * from copies that lacked each other's item (neither answer shows the other's), that was kept or
 * acknowledged after it. Acknowledgements alone do not order the saves: answers from two nodes can cross.
 */
function overwrittenBy(s: UserState, w: Write): Op | null {
  const add = w.op as Op;
  for (const o of s.adds) {
    if (o === add || !o.read) continue;
    const overlapped = o.start < add.end && add.start < o.end;
    const apart = !o.read.items.includes(w.item) && !add.read?.items.includes(o.wrote ?? '');
    const kept = s.writes.get(o.wrote ?? '')?.missingIn.length === 0;
    if (overlapped && apart && (kept || o.end > add.end)) return o;
  }
  return null;
}

function lostAnomaly(w: Write, add: Op, last: Op, later: Op | null): Anomaly {
  const missing = `item ${w.item}, acknowledged by ${add.node ?? '?'} at ${ms(add.end)} ms, is missing from the last ${w.missingIn.length} view(s) of its session, never shown again (the last: ${last.op} at ${ms(last.start)} ms on ${last.node ?? '?'})`;
  if (!later)
    return { kind: 'lost-write', user: add.user, at: add.end, message: missing, witness: [add, last] };
  return {
    kind: 'lost-update',
    user: add.user,
    at: add.end,
    message: `${missing}; the same session's ${later.op} of ${later.wrote ?? '?'}, in flight at the same time (${ms(later.start)}–${ms(later.end)} ms on ${later.node ?? '?'}), was saved after it`,
    witness: [add, later, last].sort((a, b) => a.start - b.start),
  };
}

function staleAnomaly({ view, guarantee, missed, shownAgainIn, stalenessMs }: StaleView): Anomaly {
  const how = missed.acked
    ? `acknowledged at ${ms(missed.since)} ms`
    : `first seen at ${ms(missed.since)} ms`;
  const witness = [missed.op, view, shownAgainIn].filter((op): op is Op => op !== null);
  return {
    kind: KIND[guarantee],
    guarantee,
    user: view.user,
    at: view.end,
    stalenessMs: ms(stalenessMs),
    message: `${view.op} at ${ms(view.start)} ms on ${view.node ?? '?'} missed ${missed.item} (${how}, ${ms(stalenessMs)} ms before), shown again at ${ms(shownAgainIn.start)} ms on ${shownAgainIn.node ?? '?'}: ${guarantee} broken`,
    witness: witness.sort((a, b) => a.start - b.start),
  };
}
