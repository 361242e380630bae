import { ReviewQueue, type Job, type JobControl } from "../../src/queue.js";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function job(key: string, sha: string, deliveryId: string, body: (c: JobControl) => Promise<void> = async () => {}): Job {
  return { key, sha, deliveryId, run: body };
}

describe("ReviewQueue", () => {
  test("drops a duplicate delivery, even while the first is running", async () => {
    const q = new ReviewQueue();
    const gate = deferred();
    let runs = 0;
    const body = async () => {
      runs++;
      await gate.promise;
    };
    expect(q.enqueue(job("o/r#1", "a", "d1", body))).toBe("queued");
    expect(q.enqueue(job("o/r#1", "a", "d1", body))).toBe("duplicate");
    gate.resolve();
    await q.idle();
    expect(q.enqueue(job("o/r#1", "a", "d1", body))).toBe("duplicate");
    expect(runs).toBe(1);
  });

  test("runs one job per PR at a time, in order", async () => {
    const q = new ReviewQueue({ concurrency: 4 });
    const log: string[] = [];
    const gate = deferred();
    q.enqueue(job("o/r#1", "a", "d1", async () => {
      log.push("start a");
      await gate.promise;
      log.push("end a");
    }));
    q.enqueue(job("o/r#1", "a", "d2", async () => void log.push("run a again")));
    await Promise.resolve();
    expect(log).toEqual(["start a"]);
    gate.resolve();
    await q.idle();
    expect(log).toEqual(["start a", "end a", "run a again"]);
  });

  test("a newer head SHA supersedes queued work and signals the running job", async () => {
    const gate = deferred();
    const seen: (string | undefined)[] = [];
    const ran: string[] = [];
    const dropped: string[] = [];
    const q = new ReviewQueue({ onDrop: (j) => dropped.push(j.sha) });
    q.enqueue(job("o/r#1", "a", "d1", async (c) => {
      ran.push("a");
      await gate.promise;
      seen.push(c.supersededBy);
    }));
    expect(q.enqueue(job("o/r#1", "b", "d2", async () => void ran.push("b")))).toBe("queued");
    expect(q.enqueue(job("o/r#1", "c", "d3", async () => void ran.push("c")))).toBe("replaced");
    gate.resolve();
    await q.idle();
    expect(ran).toEqual(["a", "c"]);
    expect(seen).toEqual(["c"]);
    expect(dropped).toEqual(["b"]);
  });

  test("different PRs run concurrently up to the limit", async () => {
    const q = new ReviewQueue({ concurrency: 2 });
    const gate = deferred();
    let running = 0;
    let peak = 0;
    const body = async () => {
      running++;
      peak = Math.max(peak, running);
      await gate.promise;
      running--;
    };
    for (let i = 0; i < 5; i++) q.enqueue(job(`o/r#${i}`, "a", `d${i}`, body));
    expect(q.active).toBe(2);
    expect(q.queued).toBe(3);
    gate.resolve();
    await q.idle();
    expect(peak).toBe(2);
  });

  test("refuses work past the queue bound", () => {
    const q = new ReviewQueue({ concurrency: 1, maxQueued: 2 });
    const never = new Promise<void>(() => {});
    expect(q.enqueue(job("o/r#1", "a", "d1", () => never))).toBe("queued");
    expect(q.enqueue(job("o/r#2", "a", "d2"))).toBe("queued");
    expect(q.enqueue(job("o/r#3", "a", "d3"))).toBe("queued");
    expect(q.enqueue(job("o/r#4", "a", "d4"))).toBe("full");
  });

  test("takes a refused delivery when it is redelivered after room frees up", async () => {
    const q = new ReviewQueue({ concurrency: 1, maxQueued: 1 });
    const gate = deferred();
    expect(q.enqueue(job("o/r#1", "a", "d1", () => gate.promise))).toBe("queued");
    expect(q.enqueue(job("o/r#2", "a", "d2"))).toBe("queued");
    expect(q.enqueue(job("o/r#3", "a", "d3"))).toBe("full");
    gate.resolve();
    await q.idle();
    expect(q.enqueue(job("o/r#3", "a", "d3"))).toBe("queued");
    await q.idle();
  });

  test("a refused newer head does not cancel the review that is running", async () => {
    const q = new ReviewQueue({ concurrency: 1, maxQueued: 1 });
    const gate = deferred();
    let seen: string | undefined = "not run";
    q.enqueue(job("o/r#1", "a", "d1", async (c) => {
      await gate.promise;
      seen = c.supersededBy;
    }));
    q.enqueue(job("o/r#2", "a", "d2"));
    expect(q.enqueue(job("o/r#1", "b", "d3"))).toBe("full");
    gate.resolve();
    await q.idle();
    expect(seen).toBeUndefined();
  });

  test("remembers a bounded number of deliveries", async () => {
    const q = new ReviewQueue({ rememberDeliveries: 2 });
    q.enqueue(job("o/r#1", "a", "d1"));
    q.enqueue(job("o/r#2", "a", "d2"));
    q.enqueue(job("o/r#3", "a", "d3"));
    await q.idle();
    expect(q.enqueue(job("o/r#1", "a", "d1"))).toBe("queued");
    expect(q.enqueue(job("o/r#3", "a", "d3"))).toBe("duplicate");
    await q.idle();
  });

  test("a failing job reports its error and the queue goes on", async () => {
    const errors: unknown[] = [];
    const q = new ReviewQueue({ onError: (e) => errors.push(e) });
    let after = false;
    q.enqueue(job("o/r#1", "a", "d1", async () => {
      throw new Error("boom");
    }));
    q.enqueue(job("o/r#1", "b", "d2", async () => void (after = true)));
    await q.idle();
    expect(errors).toHaveLength(1);
    expect(after).toBe(true);
  });

  test("a task runs at once beside reviews, is never superseded, is deduplicated and awaited by idle()", async () => {
    const q = new ReviewQueue({ concurrency: 1 });
    const done: string[] = [];
    let release!: () => void;
    q.enqueue(job("o/r#1", "a", "d1", () => new Promise<void>((r) => (release = r))));
    expect(q.runTask("t1", async () => void done.push("tick"), () => {})).toBe("started");
    expect(q.runTask("t1", async () => void done.push("again"), () => {})).toBe("duplicate");
    const errors: unknown[] = [];
    q.runTask("t2", async () => {
      throw new Error("tick failed");
    }, (e) => errors.push(e));
    await new Promise((r) => setImmediate(r));
    expect(done).toEqual(["tick"]);
    let idle = false;
    void q.idle().then(() => (idle = true));
    await new Promise((r) => setImmediate(r));
    expect(idle).toBe(false);
    release();
    await q.idle();
    expect(errors).toHaveLength(1);
  });
});
