// Inline review comments: one review (event COMMENT) per run with the new comments, edits for the old ones.
import type { Context, Logger } from "probot";
import { planInline, readMark, type ExistingComment, type InlinePlan, type Signer } from "../checklist/inline.js";
import type { Config } from "../config/schema.js";
import type { Finding } from "../engine/types.js";
import type { AppIdentity } from "./comment.js";
import type { RepoRef } from "./files.js";

type Octokit = Context["octokit"];

interface ReviewCommentLike {
  id: number;
  body: string;
  user: { login: string; type: string } | null;
}

/** A review comment written by this app (a Bot, this app's login when known) with a verified marker. */
export function ourInline(c: ReviewCommentLike, app: AppIdentity, sign: Signer): ExistingComment | undefined {
  if (c.user?.type !== "Bot" || (app.slug && c.user.login !== `${app.slug}[bot]`)) return undefined;
  const mark = readMark(c.body, sign);
  return mark ? { id: c.id, body: c.body, mark } : undefined;
}

export async function listInlineComments(octokit: Octokit, ref: RepoRef, pullNumber: number, app: AppIdentity, sign: Signer): Promise<ExistingComment[]> {
  const all = await octokit.paginate(octokit.rest.pulls.listReviewComments, { ...ref, pull_number: pullNumber, per_page: 100 });
  return all.flatMap((c) => ourInline(c, app, sign) ?? []);
}

export interface InlineResult {
  created: number;
  updated: number;
  /** The app's inline comment ids by finding fingerprint, after posting. */
  comments?: Map<string, number>;
}

/**
 * Posts the plan: the new comments in one review (all-or-nothing at GitHub; the plan only uses lines the
 * diff shows, so a 422 means the diff moved under us: logged, and the findings stay in the check run).
 */
export async function postInline(
  octokit: Octokit,
  ref: RepoRef,
  pullNumber: number,
  headSha: string,
  plan: InlinePlan,
  log: Logger,
): Promise<InlineResult> {
  let created = 0;
  if (plan.create.length) {
    try {
      await octokit.rest.pulls.createReview({
        ...ref,
        pull_number: pullNumber,
        commit_id: headSha,
        event: "COMMENT",
        body: `ai-gaps: ${plan.create.length} finding(s) that need a person's review. Fix each, or dismiss it with a reason on its comment.`,
        comments: plan.create.map((c) => ({ path: c.path, line: c.line, side: c.side, body: c.body })),
      });
      created = plan.create.length;
    } catch (error) {
      if ((error as { status?: number }).status !== 422) throw error;
      log.warn({ err: error, comments: plan.create.length }, "review rejected (diff moved?); findings stay in the check run");
    }
  }
  for (const u of plan.update) await updateInline(octokit, ref, u.id, u.body);
  return { created, updated: plan.update.length };
}

export async function updateInline(octokit: Octokit, ref: RepoRef, commentId: number, body: string): Promise<void> {
  await octokit.rest.pulls.updateReviewComment({ ...ref, comment_id: commentId, body });
}

export interface InlineInput {
  octokit: Octokit;
  ref: RepoRef;
  pullNumber: number;
  headSha: string;
  app: AppIdentity;
  findings: Finding[];
  /** Patch text by path (from the PR's changed files). */
  patches: ReadonlyMap<string, string | undefined>;
  config: Config;
  sign: Signer;
  log: Logger;
}

/** Lists the app's inline comments, plans new ones and updates, and posts them; lists again when it added some. */
export async function reviewInline(i: InlineInput): Promise<InlineResult> {
  const existing = await listInlineComments(i.octokit, i.ref, i.pullNumber, i.app, i.sign);
  const plan = planInline(i.findings, i.patches, existing, i.config, i.sign, i.headSha);
  const result = await postInline(i.octokit, i.ref, i.pullNumber, i.headSha, plan, i.log);
  i.log.info({ ...result, existing: existing.length }, "inline review comments");
  const all = result.created ? await listInlineComments(i.octokit, i.ref, i.pullNumber, i.app, i.sign) : existing;
  return { ...result, comments: new Map(all.map((c) => [c.mark.fp, c.id])) };
}
