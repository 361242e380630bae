// The Probot app: routes events to handlers, nothing else.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApplicationFunctionOptions, Probot } from "probot";
import { onRerun, RERUN_EVENTS } from "./handlers/check-run.js";
import { onChecklistEdit } from "./handlers/checklist-edit.js";
import { CONVERGENCE_EVENTS, onOtherCheckCompleted } from "./handlers/convergence.js";
import { onMergeGroup } from "./handlers/merge-group.js";
import { keyFromEnv } from "./checklist/state.js";
import { appIdentity } from "./github/app.js";
import { onPullRequest, PULL_REQUEST_EVENTS } from "./handlers/pull-request.js";
import { onReviewCommentEdit } from "./handlers/review-comment-edit.js";
import { createQueue, type ReviewQueue } from "./queue.js";
import { appVersion } from "./version.js";

export interface AppDeps {
  /** The review queue (tests pass their own to wait for it). */
  queue?: ReviewQueue;
  /** Environment to read secrets from (default process.env). */
  env?: Record<string, string | undefined>;
}

export function createApp(deps: AppDeps = {}) {
  return (app: Probot, options?: Partial<ApplicationFunctionOptions>): void => {
    const queue = deps.queue ?? createQueue(app.log, deps.env);
    addHealthz(app, options);
    const env = deps.env ?? process.env;
    const handlerDeps = { queue, identity: appIdentity(app, env), checklistKey: keyFromEnv(env) };
    app.on([...PULL_REQUEST_EVENTS], onPullRequest(handlerDeps));
    app.on("issue_comment.edited", onChecklistEdit(handlerDeps));
    app.on("pull_request_review_comment.edited", onReviewCommentEdit(handlerDeps));
    app.on([...RERUN_EVENTS], onRerun(handlerDeps));
    app.on("merge_group.checks_requested", onMergeGroup(handlerDeps));
    app.on([...CONVERGENCE_EVENTS], onOtherCheckCompleted({ ...handlerDeps, debounceMs: debounceMs(env) }));
  };
}

/** AI_GAPS_CONVERGENCE_DEBOUNCE_MS: quiet time after other checks complete before the monitor re-evaluates. */
function debounceMs(env: Record<string, string | undefined>): number {
  const n = Number(env.AI_GAPS_CONVERGENCE_DEBOUNCE_MS);
  return env.AI_GAPS_CONVERGENCE_DEBOUNCE_MS && Number.isFinite(n) && n >= 0 ? n : 20_000;
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
