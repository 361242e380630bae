import { setTimeout as sleep } from "node:timers/promises";

export async function withRetry<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts) throw err;
      const delay = Math.min(10_000, 100 * 2 ** attempt) * (0.5 + Math.random());
      await sleep(delay);
    }
  }
}

export async function fetchPages(fetchPage: (token?: string) => Promise<{ items: string[]; next?: string }>) {
  const all: string[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    all.push(...page.items);
    token = page.next;
  } while (token);
  return all;
}
