// pull_request_review_comment.edited on one of the app's inline comments: the `Reviewed` box, ticked under
// the checklist's rules; the record goes into the checklist's signed state and counts toward the gate.
import type { Context } from "probot";
import { renderBody } from "../checklist/index.js";
import { boxTicked, findingSigner, readMark, withReviewed, type Signer } from "../checklist/inline.js";
import { applyReviewed } from "../checklist/workflow.js";
import { findChecklistComment, updateComment } from "../github/comment.js";
import { loadConfig } from "../github/config.js";
import { updateInline } from "../github/review.js";
import { editorFor, refreshGate, runTickTask, trustedState, type ChecklistDeps } from "./checklist-common.js";

type EditContext = Context<"pull_request_review_comment.edited">;

export function onReviewCommentEdit(deps: ChecklistDeps) {
  return async (context: EditContext): Promise<void> => {
    const { payload } = context;
    const { comment, sender, repository, pull_request: pr } = payload;
    const log = context.log.child({ delivery: context.id, repository: repository.full_name, pr: pr.number, sha: pr.head.sha });
    if (sender.type === "Bot" || comment.user?.type !== "Bot") return;
    const app = await deps.identity();
    if (app.slug && comment.user.login !== `${app.slug}[bot]`) return;
    const sign = findingSigner(deps.checklistKey, repository.full_name, pr.number);
    const from = payload.changes.body?.from ?? "";
    const mark = readMark(comment.body, sign) ?? readMark(from, sign);
    if (!mark) return log.debug("no verified ai-gaps marker: ignored");
    const edited = { from, fp: mark.fp, category: mark.category, ruleId: mark.ruleId, sign };
    runTickTask(deps, context.id, `${repository.full_name}#${pr.number}`, log, () => handleEdit(context, deps, edited, log));
  };
}

interface Edited {
  from: string;
  fp: string;
  category: Parameters<typeof applyReviewed>[1]["category"];
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
    log.warn({ checklist: !!checklist, config: loaded.ok }, "cannot record a Reviewed tick now; box restored");
    const restored = withReviewed(base, undefined);
    if (restored !== comment.body) await updateInline(octokit, ref, comment.id, restored);
    return;
  }
  const was = boxTicked(e.from) ?? false;
  const now = boxTicked(comment.body);
  let next = state;
  if (now !== undefined && now !== was) {
    const editor = await editorFor(octokit, ref, sender.login, pr.user?.login)();
    const label = `\`${e.ruleId}\` in \`${comment.path}\``;
    const r = await applyReviewed(state, { fp: e.fp, category: e.category, label }, now, editor, loaded.config, deps.now?.() ?? new Date(), pr.head.sha);
    next = r.state;
    log.info({ editor: sender.login, permission: editor.permission, fp: e.fp, outcome: r.outcome, why: r.why }, "inline Reviewed edit");
  }
  if (next !== state) await updateComment(octokit, ref, checklist.id, renderBody(next, deps.checklistKey));
  const body = withReviewed(base, next.reviewed[e.fp]);
  if (body !== comment.body) await updateInline(octokit, ref, comment.id, body);
  if (next !== state) await refreshGate(octokit, ref, pr.head.sha, app, next, loaded.config, log);
}
