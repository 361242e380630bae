// Run the review again: the "Re-run" button on the check run (requested_action), check_run.rerequested and
// check_suite.rerequested. Each enqueues the same job the pull_request handler uses.
import type { Context, Logger } from "probot";
import { CHECK_NAME, RERUN_ACTION } from "../github/checks.js";
import type { RepoRef } from "../github/files.js";
import { getPull, openPullsWithHead } from "../github/pulls.js";
import { REVIEW_TASK, type PullRequestDeps, type ReviewData } from "./pull-request.js";
import { contextFor, eventData, type TaskEnv } from "./tasks.js";
import type { TaskDefinition } from "../queue.js";

export const RERUN_EVENTS = ["check_run.requested_action", "check_run.rerequested", "check_suite.rerequested"] as const;

type RerunContext = Context<"check_run.requested_action" | "check_run.rerequested" | "check_suite.rerequested">;
type Octokit = Context["octokit"];

interface Target {
  appId?: number;
  sha: string;
  prs: number[];
}

/** The run or suite the event is about, or undefined when it is not ours to re-run. */
function target(payload: RerunContext["payload"]): Target | undefined {
  if ("check_run" in payload) {
    if (payload.check_run.name !== CHECK_NAME) return undefined;
    if (payload.action === "requested_action" && payload.requested_action?.identifier !== RERUN_ACTION.identifier) return undefined;
    return { appId: payload.check_run.app?.id ?? undefined, sha: payload.check_run.head_sha, prs: payload.check_run.pull_requests.map((p) => p.number) };
  }
  const suite = payload.check_suite;
  return { appId: suite.app?.id ?? undefined, sha: suite.head_sha, prs: suite.pull_requests.map((p) => p.number) };
}

/** The webhook handler: checks the payload, then looks the PRs up and queues their reviews after answering. */
export function onRerun(deps: PullRequestDeps) {
  return async (context: RerunContext): Promise<void> => {
    const { payload } = context;
    const log = context.log.child({ delivery: context.id, repository: payload.repository.full_name });
    const t = target(payload);
    if (!t) return log.debug({ event: context.name }, "not an ai-gaps run: ignored");
    const started = await deps.queue.runTask(context.id, { name: RERUN_TASK, data: eventData(context) }, (err) => log.error({ err }, "re-run failed"));
    log.info({ event: `${context.name}.${payload.action}`, queue: started }, `re-run requested: ${started}`);
  };
}

/** The queue task that looks the PRs up and queues their reviews. */
export const RERUN_TASK = "rerun";

export function rerunTask(deps: PullRequestDeps & TaskEnv): TaskDefinition {
  return {
    run: async (data) => {
      const context = await contextFor<RerunContext>(deps, data);
      const log = context.log.child({ delivery: context.id, repository: context.payload.repository.full_name });
      await requeue(context, deps, target(context.payload)!, log);
    },
  };
}

async function requeue(context: RerunContext, deps: PullRequestDeps, t: Target, log: Logger): Promise<void> {
  const { payload, octokit } = context;
  const app = await deps.identity();
  if (app.id && t.appId && t.appId !== app.id) return log.debug("another app's run: ignored");
  const ref = { owner: payload.repository.owner.login, repo: payload.repository.name };
  const numbers = t.prs.length ? t.prs : await openPullsWithHead(octokit, ref, t.sha);
  for (const number of numbers) {
    const found = await pullForReview(octokit, ref, number, `${context.id}:${number}`, payload.installation!.id);
    if (!found) continue;
    const result = await deps.queue.enqueue({
      key: `${payload.repository.full_name}#${number}`,
      sha: found.data.headSha,
      deliveryId: found.data.deliveryId,
      at: found.at,
      task: { name: REVIEW_TASK, data: found.data },
    });
    log.info({ pr: number, sha: found.data.headSha, queue: result }, `re-run queued: ${result}`);
  }
}

/** A review of the PR as it is now (its current head SHA), and when it last changed; undefined when it is closed. */
export async function pullForReview(
  octokit: Octokit,
  ref: RepoRef,
  number: number,
  deliveryId: string,
  installationId: number,
): Promise<{ data: ReviewData; at: number | undefined } | undefined> {
  const pr = await getPull(octokit, ref, number);
  if (pr.state !== "open") return undefined;
  const data: ReviewData = {
    installationId,
    ref,
    number,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    defaultBranch: pr.base.repo.default_branch,
    title: pr.title,
    body: pr.body ?? "",
    draft: Boolean(pr.draft),
    deliveryId,
    prUrl: pr.html_url,
  };
  return { data, at: Date.parse(pr.updated_at) || undefined };
}
