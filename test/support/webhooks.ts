// Signed webhook deliveries over real HTTP, as GitHub sends them.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { sign } from "@octokit/webhooks-methods";

export interface Delivery {
  id: string;
  status: number;
  body: string;
  /** Milliseconds from sending the request to reading the whole response. */
  ms: number;
}

export interface DeliverOptions {
  /** The x-github-delivery id (a fresh UUID by default; reuse one to simulate a redelivery). */
  id?: string;
  /** Sign with this secret instead of the right one (a forged delivery). */
  secret?: string;
  /** Send this signature header verbatim. */
  signature?: string;
  path?: string;
}

/**
 * POST `payload` as GitHub event `event` to the app at `baseUrl` (http://127.0.0.1:port), signed with
 * `x-hub-signature-256` = HMAC-SHA256(secret, body).
 */
export async function deliver(
  baseUrl: string,
  secret: string,
  event: string,
  payload: object,
  options: DeliverOptions = {},
): Promise<Delivery> {
  const body = JSON.stringify(payload);
  const id = options.id ?? randomUUID();
  const signature = options.signature ?? (await sign(options.secret ?? secret, body));
  const started = performance.now();
  const response = await fetch(new URL(options.path ?? "/api/github/webhooks", baseUrl), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/fake",
      "x-github-event": event,
      "x-github-delivery": id,
      "x-github-hook-id": "1",
      "x-github-hook-installation-target-type": "integration",
      "x-github-hook-installation-target-id": "4242",
      "x-hub-signature-256": signature,
    },
    body,
  });
  const text = await response.text();
  return { id, status: response.status, body: text, ms: performance.now() - started };
}
