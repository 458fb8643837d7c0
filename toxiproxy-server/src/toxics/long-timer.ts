/** setTimeout takes at most 2^31−1 ms and fires a longer delay after 1 ms; Toxiproxy's timers take any
 * int64 of milliseconds. Longer delays are waited out in chunks. */
const MAX_DELAY = 2 ** 31 - 1;

export interface Timer {
  cancel(): void;
}

export function after(ms: number, fire: () => void): Timer {
  let handle: NodeJS.Timeout;
  const arm = (left: number): void => {
    handle = left > MAX_DELAY ? setTimeout(() => arm(left - MAX_DELAY), MAX_DELAY) : setTimeout(fire, left);
  };
  arm(ms);
  return { cancel: () => clearTimeout(handle) };
}
