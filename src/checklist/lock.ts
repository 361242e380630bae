// One checklist writer per PR at a time (tick handlers and the review job), so no update is lost.
// With Redis the lock is also held there (see shareLocks), so writers in other processes wait too.
const tails = new Map<string, Promise<unknown>>();

type Locker = <T>(key: string, work: () => Promise<T>) => Promise<T>;
let shared: Locker | undefined;

/** Takes every PR lock through `locker` too (a lock in Redis); undefined: this process only. */
export function shareLocks(locker: Locker | undefined): void {
  shared = locker;
}

export async function withPrLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const before = tails.get(key) ?? Promise.resolve();
  const locker = shared;
  const run = before.catch(() => undefined).then(() => (locker ? locker(key, work) : work()));
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    if (tails.get(key) === tail) tails.delete(key);
  }
}
