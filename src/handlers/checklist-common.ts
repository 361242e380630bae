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
import type { ReviewQueue } from "../queue.js";

type Octokit = Context["octokit"];

export interface ChecklistDeps {
  identity: () => Promise<AppIdentity>;
  /** Runs tick handling after the webhook is answered (deduplicated by delivery, awaited by idle()). */
  queue: ReviewQueue;
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

/** Handles one tick edit in the background, one writer per PR at a time; failures are logged, not lost silently. */
export function runTickTask(deps: ChecklistDeps, deliveryId: string, prKey: string, log: Logger, work: () => Promise<void>): void {
  const result = deps.queue.runTask(deliveryId, () => withPrLock(prKey, work), (err) => log.error({ err }, "checklist edit failed"));
  if (result === "duplicate") log.info("duplicate delivery: ignored");
}
