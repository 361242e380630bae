const DEFAULT_TIMEOUT_MS = 3_000;

export class HttpError extends Error {
  constructor(readonly status: number, readonly url: string) {
    super(`GET ${url} failed with ${status}`);
  }
}

export interface GetOptions {
  timeoutMs?: number;
  headers?: Record<string, string>;
}

export async function getJson<T>(url: string, init: GetOptions = {}): Promise<T> {
  const res = await fetch(url, { headers: init.headers, signal: AbortSignal.timeout(init.timeoutMs ?? DEFAULT_TIMEOUT_MS) });
  if (!res.ok) throw new HttpError(res.status, url);
  return (await res.json()) as T;
}

/** @deprecated use getJson; kept for the plugins that still import it. */
export const fetchJson = getJson;
