/** The real server's locks, for its API's timing: a change waits only for what it shares with another, so
 * while one proxy's change waits out a pending dial, others go on (and what must wait, waits). */

/** A sync.Mutex: runs async jobs one at a time. */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

interface Waiter {
  readonly write: boolean;
  readonly wake: () => void;
}

/** A sync.RWMutex: many readers or one writer; a waiting writer holds back readers that come after it. */
export class RwLock {
  private readers = 0;
  private writing = false;
  private readonly waiting: Waiter[] = [];

  read<T>(job: () => T | Promise<T>): Promise<T> {
    return this.hold(false, job);
  }

  write<T>(job: () => T | Promise<T>): Promise<T> {
    return this.hold(true, job);
  }

  private async hold<T>(write: boolean, job: () => T | Promise<T>): Promise<T> {
    await new Promise<void>((wake) => {
      this.waiting.push({ write, wake });
      this.admit();
    });
    try {
      return await job();
    } finally {
      if (write) this.writing = false;
      else this.readers--;
      this.admit();
    }
  }

  /** Lets in, in arrival order, every waiter that may run now. */
  private admit(): void {
    for (let next = this.waiting[0]; next !== undefined; next = this.waiting[0]) {
      if (this.writing || (next.write && this.readers > 0)) return;
      this.waiting.shift();
      if (next.write) this.writing = true;
      else this.readers++;
      next.wake();
      if (next.write) return;
    }
  }
}
