// pull_request_review_comment.edited on one of the app's inline comments: the dismissal boxes, ticked under
// the checklist's rules; the dismissal goes into the checklist's signed state and closes the finding for the gate.
import type { Context } from "probot";
import { renderBody } from "../checklist/index.js";
import { dismiss, type FindingRef } from "../checklist/dismiss.js";
import { dismissalChange, findingSigner, readMark, withDismissal, type Signer } from "../checklist/inline.js";
import { findChecklistComment, updateComment } from "../github/comment.js";
import { loadConfig } from "../github/config.js";
import { updateInline } from "../github/review.js";
import { editorFor, refreshGate, runTickTask, tickTask, trustedState, type ChecklistDeps } from "./checklist-common.js";
import type { TaskEnv } from "./tasks.js";

type EditContext = Context<"pull_request_review_comment.edited">;

/** The queue task that handles a Reviewed box edit. */
export const REVIEW_COMMENT_EDIT_TASK = "review-comment-edit";

export function onReviewCommentEdit(deps: ChecklistDeps) {
  return async (context: EditContext): Promise<void> => {
    const { payload } = context;
    const { comment, sender } = payload;
    if (sender.type === "Bot" || comment.user?.type !== "Bot") return;
    const app = await deps.identity();
    if (app.slug && comment.user.login !== `${app.slug}[bot]`) return;
    if (!edited(context, deps)) return logFor(context).debug("no verified ai-gaps marker: ignored");
    await runTickTask(deps, context, REVIEW_COMMENT_EDIT_TASK, logFor(context));
  };
}

export function reviewCommentEditTask(deps: ChecklistDeps & TaskEnv) {
  const prKey = (c: EditContext) => `${c.payload.repository.full_name}#${c.payload.pull_request.number}`;
  return tickTask<EditContext>(deps, prKey, (context) => handleEdit(context, deps, edited(context, deps)!, logFor(context)));
}

function logFor(context: EditContext) {
  const { repository, pull_request: pr } = context.payload;
  return context.log.child({ delivery: context.id, repository: repository.full_name, pr: pr.number, sha: pr.head.sha });
}

/** The box's finding, from a verified marker in the comment (as edited, or before the edit). */
function edited(context: EditContext, deps: ChecklistDeps): Edited | undefined {
  const { comment, repository, pull_request: pr } = context.payload;
  const sign = findingSigner(deps.checklistKey, repository.full_name, pr.number);
  const from = context.payload.changes.body?.from ?? "";
  const mark = readMark(comment.body, sign) ?? readMark(from, sign);
  return mark && { from, fp: mark.fp, category: mark.category, ruleId: mark.ruleId, sign };
}

interface Edited {
  from: string;
  fp: string;
  category: FindingRef["category"];
  ruleId: string;
  sign: Signer;
}

async function handleEdit(context: EditContext, deps: ChecklistDeps, e: Edited, log: EditContext["log"]): Promise<void> {
  const { payload, octokit } = context;
  const { comment, sender, repository, pull_request: pr } = payload;
  const ref = { owner: repository.owner.login, repo: repository.name };
  const app = await deps.identity();
  const checklist = await findChecklistComment(octokit, ref, pr.number, app);
  const state = checklist && trustedState([checklist.body], deps.checklistKey, repository.full_name, pr.number, log);
  const loaded = await loadConfig(octokit, ref.owner, ref.repo);
  const base = readMark(comment.body, e.sign) ? comment.body : e.from;
  if (!checklist || !state || !loaded.ok) {
    log.warn({ checklist: !!checklist, config: loaded.ok }, "cannot record a dismissal now; boxes restored");
    const restored = withDismissal(base, state ? state.dismissed[e.fp] : undefined);
    if (restored !== comment.body) await updateInline(octokit, ref, comment.id, restored);
    return;
  }
  const change = dismissalChange(e.from, comment.body, state.dismissed[e.fp]?.reason);
  let next = state;
  if (change !== undefined) {
    const editor = await editorFor(octokit, ref, sender.login, pr.user?.login)();
    const finding = { fp: e.fp, category: e.category, ruleId: e.ruleId, path: comment.path };
    const r = await dismiss(state, finding, change ?? undefined, editor, loaded.config, deps.now?.() ?? new Date(), state.head);
    next = r.state;
    log.info({ editor: sender.login, permission: editor.permission, fp: e.fp, reason: change, outcome: r.outcome, why: r.why }, "inline dismissal edit");
  }
  if (next !== state) await updateComment(octokit, ref, checklist.id, renderBody(next, deps.checklistKey));
  const body = withDismissal(base, next.dismissed[e.fp]);
  if (body !== comment.body) await updateInline(octokit, ref, comment.id, body);
  if (next !== state) await refreshGate(octokit, ref, next.head, app, next, loaded.config, log);
}
