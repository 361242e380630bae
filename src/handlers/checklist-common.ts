// Shared by the tick handlers: dependencies, the trusted state of a comment, the editor's rights, the gate.
import type { Context, Logger } from "probot";
import type { KeyRing } from "../checklist/index.js";
import type { Editor } from "../checklist/authorize.js";
import { decideGate, progressOf, readState, type ChecklistState } from "../checklist/index.js";
import type { Config } from "../config/schema.js";
import type { AppIdentity } from "../github/comment.js";
import type { RepoRef } from "../github/files.js";
import { updateGateRun } from "../github/gate.js";
import { collaboratorPermission, isTeamMember } from "../github/permissions.js";
import { withPrLock } from "../checklist/lock.js";
import type { TaskDefinition, WorkQueue } from "../queue.js";
import { contextFor, eventData, type TaskEnv } from "./tasks.js";

type Octokit = Context["octokit"];

export interface ChecklistDeps {
  identity: () => Promise<AppIdentity>;
  /** Runs tick handling after the webhook is answered (deduplicated by delivery, awaited by idle()). */
  queue: WorkQueue;
  /** Signs the checklist state and inline markers (see stateKey). */
  checklistKey: KeyRing;
  now?: () => Date;
}

/**
 * The trusted state among the comment as it is now on GitHub, the edited body and the body before the edit:
 * of the blocks that verify, the one with the highest sequence number (so a pasted older block loses).
 * A block that fails verification is logged and ignored.
 */
export function trustedState(bodies: (string | null | undefined)[], key: KeyRing, repo: string, pr: number, log: Logger): ChecklistState | undefined {
  let best: ChecklistState | undefined;
  const seen = new Set<string>();
  for (const body of bodies) {
    if (!body || seen.has(body)) continue;
    seen.add(body);
    const read = readState(body, key, repo, pr);
    if (read.status === "invalid") log.warn({ reason: read.reason }, "checklist state block failed verification: ignored (possible tampering)");
    if (read.status === "ok" && (!best || (read.state.seq ?? 0) > (best.seq ?? 0))) best = read.state;
  }
  return best;
}

export function editorFor(octokit: Octokit, ref: RepoRef, login: string, prAuthor: string | undefined) {
  return async (): Promise<Editor> => ({
    login,
    permission: await collaboratorPermission(octokit, ref.owner, ref.repo, login),
    isAuthor: !!prAuthor && prAuthor.toLowerCase() === login.toLowerCase(),
    inTeam: (team) => isTeamMember(octokit, team, login),
  });
}

/** Rewrites the gate of the head SHA's check run from the state. */
export async function refreshGate(octokit: Octokit, ref: RepoRef, headSha: string, app: AppIdentity, state: ChecklistState, config: Config, log: Logger) {
  const progress = progressOf(state);
  const gate = decideGate(progress, config);
  const result = await updateGateRun(octokit, ref, headSha, app.id, progress, gate, state);
  log.info({ progress, conclusion: gate.conclusion, run: result }, "gate refreshed");
}

/** Queues one tick edit (the event itself) to be handled after the webhook is answered; failures are logged. */
export async function runTickTask(deps: ChecklistDeps, context: Context, task: string, log: Logger): Promise<void> {
  const result = await deps.queue.runTask(context.id, { name: task, data: eventData(context) }, (err) => log.error({ err }, "checklist edit failed"));
  if (result === "duplicate") log.info("duplicate delivery: ignored");
}

/** The queue task for a tick edit: the stored event handled as the one checklist writer of its PR at a time. */
export function tickTask<C extends Context>(env: TaskEnv, prKey: (context: C) => string, handle: (context: C) => Promise<void>): TaskDefinition {
  return {
    run: async (data) => {
      const context = await contextFor<C>(env, data);
      await withPrLock(prKey(context), () => handle(context));
    },
  };
}
