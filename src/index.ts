// The Probot app: routes events to handlers, nothing else.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApplicationFunctionOptions, Probot } from "probot";
import { onRerun, RERUN_EVENTS, RERUN_TASK, rerunTask } from "./handlers/check-run.js";
import { CHECKLIST_EDIT_TASK, checklistEditTask, onChecklistEdit } from "./handlers/checklist-edit.js";
import { CONVERGENCE_EVENTS, CONVERGENCE_TASK, convergenceTask, onOtherCheckCompleted } from "./handlers/convergence.js";
import { MERGE_GROUP_TASK, mergeGroupTask, onMergeGroup } from "./handlers/merge-group.js";
import { keyFromEnv } from "./checklist/state.js";
import { appIdentity } from "./github/app.js";
import { onPullRequest, PULL_REQUEST_EVENTS, REVIEW_TASK, reviewTask } from "./handlers/pull-request.js";
import { onReviewCommentEdit, REVIEW_COMMENT_EDIT_TASK, reviewCommentEditTask } from "./handlers/review-comment-edit.js";
import { metered, metricsHandler } from "./metrics.js";
import { createQueue, type WorkQueue } from "./queue.js";
import { appVersion } from "./version.js";

export interface AppDeps {
  /** The work queue (tests pass their own to wait for it). */
  queue?: WorkQueue;
  /** Environment to read secrets from (default process.env). */
  env?: Record<string, string | undefined>;
}

export function createApp(deps: AppDeps = {}) {
  return (app: Probot, options?: Partial<ApplicationFunctionOptions>): void => {
    const queue = deps.queue ?? createQueue(app.log, deps.env);
    addRoutes(app, queue, options);
    const env = deps.env ?? process.env;
    const handlerDeps = { queue, identity: appIdentity(app, env), checklistKey: keyFromEnv(env) };
    // The work a worker (this process or another, with Redis) runs from what the handlers queue.
    const taskDeps = { ...handlerDeps, auth: (id: number) => app.auth(id), log: app.log };
    queue.define(REVIEW_TASK, reviewTask(taskDeps));
    queue.define(RERUN_TASK, rerunTask(taskDeps));
    queue.define(CHECKLIST_EDIT_TASK, checklistEditTask(taskDeps));
    queue.define(REVIEW_COMMENT_EDIT_TASK, reviewCommentEditTask(taskDeps));
    queue.define(MERGE_GROUP_TASK, mergeGroupTask(taskDeps));
    queue.define(CONVERGENCE_TASK, convergenceTask(taskDeps));
    app.on([...PULL_REQUEST_EVENTS], metered(onPullRequest(handlerDeps)));
    app.on("issue_comment.edited", metered(onChecklistEdit(handlerDeps)));
    app.on("pull_request_review_comment.edited", metered(onReviewCommentEdit(handlerDeps)));
    app.on([...RERUN_EVENTS], metered(onRerun(handlerDeps)));
    app.on("merge_group.checks_requested", metered(onMergeGroup(handlerDeps)));
    app.on([...CONVERGENCE_EVENTS], metered(onOtherCheckCompleted({ ...handlerDeps, debounceMs: debounceMs(env) })));
  };
}

/** AI_GAPS_CONVERGENCE_DEBOUNCE_MS: quiet time after other checks complete before the monitor re-evaluates. */
function debounceMs(env: Record<string, string | undefined>): number {
  const n = Number(env.AI_GAPS_CONVERGENCE_DEBOUNCE_MS);
  return env.AI_GAPS_CONVERGENCE_DEBOUNCE_MS && Number.isFinite(n) && n >= 0 ? n : 20_000;
}

/** Registers /healthz, /readyz and /metrics when there is an HTTP server (probot.load without one throws). */
function addRoutes(app: Probot, queue: WorkQueue, options?: Partial<ApplicationFunctionOptions>): void {
  try {
    options?.addHandler?.(healthz);
    options?.addHandler?.(readyz(queue));
    options?.addHandler?.(metricsHandler);
  } catch {
    app.log.debug("no HTTP server: /healthz, /readyz and /metrics not registered");
  }
}

/** GET /readyz -> 200 while the queue can take work, 503 while it cannot (Redis away). */
export function readyz(queue: WorkQueue) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = req.url?.split("?")[0];
    if (req.method !== "GET" || path !== "/readyz") return false;
    void queue.ready().then((ok) => {
      const body = ok ? { status: "ready" } : { status: "not ready", reason: "the queue's Redis is not reachable" };
      res.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    return true;
  };
}

/** GET /healthz -> 200 { status: "ok", version }. */
export function healthz(req: IncomingMessage, res: ServerResponse): boolean {
  const path = req.url?.split("?")[0];
  if (req.method !== "GET" || path !== "/healthz") return false;
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok", version: appVersion() }));
  return true;
}

export default createApp();
