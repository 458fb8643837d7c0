/** What each user remembers of its session, so its final reads know when they have seen all of it. */
import { isAckedAdd, isView } from '../history/ops.ts';
import type { Op } from '../model/op.ts';

/**
 * What a user knows its current session holds: the items it was told it added and the items a view showed
 * it. A final read showing all of them has nothing a second look could change into a lost write.
 */
export class SessionMemory {
  #epoch = -1;
  readonly #items = new Set<string>();

  note(op: Op): void {
    if (op.epoch !== this.#epoch) {
      this.#epoch = op.epoch;
      this.#items.clear();
    }
    if (isAckedAdd(op)) this.#items.add(op.wrote);
    if (isView(op)) for (const item of op.read.items) this.#items.add(item);
  }

  /** Whether `op` is a view of the current session that shows every item the user knows of. */
  showsAll(op: Op | undefined): boolean {
    if (op === undefined || !isView(op) || op.epoch !== this.#epoch) return false;
    const shown = new Set(op.read.items);
    for (const item of this.#items) if (!shown.has(item)) return false;
    return true;
  }
}
