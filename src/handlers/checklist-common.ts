// Shared by the tick handlers: dependencies, the trusted state of a comment, the editor's rights, the gate.
import type { Context, Logger } from "probot";
import type { Editor } from "../checklist/authorize.js";
import { decideGate, progressOf, readState, type ChecklistState } from "../checklist/index.js";
import type { Config } from "../config/schema.js";
import type { AppIdentity } from "../github/comment.js";
import type { RepoRef } from "../github/files.js";
import { updateGateRun } from "../github/gate.js";
import { collaboratorPermission, isTeamMember } from "../github/permissions.js";

type Octokit = Context["octokit"];

export interface ChecklistDeps {
  identity: () => Promise<AppIdentity>;
  /** Signs the checklist state and inline markers (see stateKey). */
  checklistKey: Buffer;
  now?: () => Date;
}

/**
 * The first body whose state block verifies, in order of trust: the comment as it is now on GitHub, then
 * the edited body, then the body before the edit. A block that fails verification is logged and ignored.
 */
export function trustedState(bodies: (string | null | undefined)[], key: Buffer, repo: string, pr: number, log: Logger): ChecklistState | undefined {
  for (const body of bodies) {
    const read = readState(body, key, repo, pr);
    if (read.status === "ok") return read.state;
    if (read.status === "invalid") log.warn({ reason: read.reason }, "checklist state block failed verification: ignored (possible tampering)");
  }
  return undefined;
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
  const result = await updateGateRun(octokit, ref, headSha, app.id, progress, gate);
  log.info({ progress, conclusion: gate.conclusion, run: result }, "gate refreshed");
}
