// The Probot app: routes events to handlers, nothing else.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApplicationFunctionOptions, Probot } from "probot";
import { appIdentity, checklistKeyFrom, onPullRequest, PULL_REQUEST_EVENTS } from "./handlers/pull-request.js";
import { queueOptionsFromEnv, ReviewQueue } from "./queue.js";
import { appVersion } from "./version.js";

export interface AppDeps {
  /** The review queue (tests pass their own to wait for it). */
  queue?: ReviewQueue;
  /** Environment to read secrets from (default process.env). */
  env?: Record<string, string | undefined>;
}

export function createApp(deps: AppDeps = {}) {
  return (app: Probot, options?: Partial<ApplicationFunctionOptions>): void => {
    const queue =
      deps.queue ??
      new ReviewQueue({
        ...queueOptionsFromEnv(),
        onError: (err, job) => app.log.error({ err, delivery: job.deliveryId, pr: job.key, sha: job.sha }, "review job failed"),
        onDrop: (job, reason) => app.log.warn({ delivery: job.deliveryId, pr: job.key, sha: job.sha }, `review job dropped: ${reason}`),
      });
    addHealthz(app, options);
    app.on([...PULL_REQUEST_EVENTS], onPullRequest({ queue, identity: appIdentity(app), checklistKey: checklistKeyFrom(deps.env ?? process.env) }));
  };
}

/** Registers /healthz when there is an HTTP server (probot.load without one throws). */
function addHealthz(app: Probot, options?: Partial<ApplicationFunctionOptions>): void {
  try {
    options?.addHandler?.(healthz);
  } catch {
    app.log.debug("no HTTP server: /healthz not registered");
  }
}

/** GET /healthz -> 200 { status: "ok", version }. */
export function healthz(req: IncomingMessage, res: ServerResponse): boolean {
  const path = req.url?.split("?")[0];
  if (req.method !== "GET" || path !== "/healthz") return false;
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok", version: appVersion() }));
  return true;
}

export default createApp();
