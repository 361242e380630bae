// The checklist comment: exactly one per PR, found by its hidden marker and written by this app.
import type { Context } from "probot";
import { CHECKLIST_MARKER } from "../checklist/index.js";
import type { RepoRef } from "./files.js";

type Octokit = Context["octokit"];

export interface AppIdentity {
  id?: number;
  slug?: string;
}

export interface ChecklistComment {
  id: number;
  body: string;
}

interface CommentLike {
  id: number;
  body?: string;
  user: { login: string; type: string } | null;
  performed_via_github_app?: { id: number } | null;
}

/** The app's own comment: a Bot, with the marker, and (when known) this app's id or login. */
export function isOurComment(c: CommentLike, app: AppIdentity): boolean {
  if (!c.body?.includes(CHECKLIST_MARKER) || c.user?.type !== "Bot") return false;
  if (app.id && c.performed_via_github_app) return c.performed_via_github_app.id === app.id;
  if (app.slug) return c.user.login === `${app.slug}[bot]`;
  return true;
}

export async function findChecklistComment(octokit: Octokit, ref: RepoRef, issueNumber: number, app: AppIdentity): Promise<ChecklistComment | undefined> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...ref, issue_number: issueNumber, per_page: 100 });
  const ours = comments.find((c) => isOurComment(c, app));
  return ours ? { id: ours.id, body: ours.body ?? "" } : undefined;
}

export type Upsert = "created" | "updated" | "unchanged";

/** Creates the comment once; later runs edit it in place, and skip the edit when nothing changed. */
export async function upsertChecklistComment(
  octokit: Octokit,
  ref: RepoRef,
  issueNumber: number,
  body: string,
  existing: ChecklistComment | undefined,
): Promise<{ upsert: Upsert; id: number }> {
  if (!existing) {
    const { data } = await octokit.rest.issues.createComment({ ...ref, issue_number: issueNumber, body });
    return { upsert: "created", id: data.id };
  }
  if (existing.body === body) return { upsert: "unchanged", id: existing.id };
  await updateComment(octokit, ref, existing.id, body);
  return { upsert: "updated", id: existing.id };
}

/** One comment's current body (null when it has none). */
export async function commentBody(octokit: Octokit, ref: RepoRef, commentId: number): Promise<string | null | undefined> {
  const { data } = await octokit.rest.issues.getComment({ ...ref, comment_id: commentId });
  return data.body;
}

export async function updateComment(octokit: Octokit, ref: RepoRef, commentId: number, body: string): Promise<void> {
  await octokit.rest.issues.updateComment({ ...ref, comment_id: commentId, body });
}
