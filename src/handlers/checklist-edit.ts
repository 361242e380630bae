// issue_comment.edited on the app's checklist comment: find the ticks the edit changed, authorize each,
// record the accepted ones, revert the rest, restore deleted items, and update the gate at once.
import type { Context } from "probot";
import { CHECKLIST_MARKER, readState, renderBody } from "../checklist/index.js";
import { bump, withNotes } from "../checklist/state.js";
import { closeHereChanges } from "../checklist/close-here.js";
import { dismiss } from "../checklist/dismiss.js";
import { diffMarks, readMarks } from "../checklist/ticks.js";
import { applyEdit, stateItems } from "../checklist/workflow.js";
import { commentBody, isOurComment, updateComment } from "../github/comment.js";
import { getPull } from "../github/pulls.js";
import { loadConfig } from "../github/config.js";
import { editorFor, refreshGate, runTickTask, tickTask, trustedState, type ChecklistDeps } from "./checklist-common.js";
import type { TaskEnv } from "./tasks.js";

type EditContext = Context<"issue_comment.edited">;

/** The queue task that handles a checklist edit. */
export const CHECKLIST_EDIT_TASK = "checklist-edit";

export function onChecklistEdit(deps: ChecklistDeps) {
  return async (context: EditContext): Promise<void> => {
    const { payload } = context;
    const { comment, issue, sender, repository } = payload;
    const log = context.log.child({ delivery: context.id, repository: repository.full_name, pr: issue.number });
    if (!issue.pull_request || !comment.body?.includes(CHECKLIST_MARKER) && !payload.changes.body?.from.includes(CHECKLIST_MARKER)) return;
    const app = await deps.identity();
    // Our own edits come back as events: ignored. Another bot's edit (a workflow token) is no tick, but it is still
    // undone below, or an older signed block it pasted back would become the record the next review trusts.
    if (sender.type === "Bot" && (!app.slug || sender.login === `${app.slug}[bot]`)) return log.debug({ sender: sender.login }, "our own edit: ignored");
    const author = { login: comment.user?.login ?? "", type: comment.user?.type ?? "" };
    const ours = isOurComment({ id: comment.id, body: CHECKLIST_MARKER, user: author, performed_via_github_app: comment.performed_via_github_app }, app);
    if (!ours) return log.debug("checklist marker in a comment not written by ai-gaps: ignored");
    await runTickTask(deps, context, CHECKLIST_EDIT_TASK, log);
  };
}

export function checklistEditTask(deps: ChecklistDeps & TaskEnv) {
  const prKey = (c: EditContext) => `${c.payload.repository.full_name}#${c.payload.issue.number}`;
  return tickTask<EditContext>(deps, prKey, (context) => handleEdit(context, deps));
}

async function handleEdit(context: EditContext, deps: ChecklistDeps): Promise<void> {
  const { payload, octokit } = context;
  let log = context.log.child({ delivery: context.id, repository: payload.repository.full_name, pr: payload.issue.number });
  const { comment, issue, sender, repository } = payload;
  const ref = { owner: repository.owner.login, repo: repository.name };
  const from = payload.changes.body?.from ?? "";
  const current = await commentBody(octokit, ref, comment.id);
  const state = trustedState([current, comment.body, from], deps.checklistKey, repository.full_name, issue.number, log);
  if (!state) return log.warn("no trusted checklist state on the comment; the next review rebuilds it");
  const pr = await getPull(octokit, ref, issue.number);
  log = log.child({ sha: pr.head.sha });
  const texts = new Map(stateItems(state).map((i) => [i.id, i.text]));
  const bot = sender.type === "Bot";
  if (bot) log.warn({ sender: sender.login }, "checklist edited by another bot: not a tick; the comment is restored");
  // A tick attests what the ticked checklist showed: the head its signed state was rendered for.
  const shown = readState(comment.body, deps.checklistKey, repository.full_name, issue.number);
  const shownHead = shown.status === "ok" ? shown.state.head : state.head;
  // An edit made on a page older than the comment (another tick recorded since) changes only what its editor
  // changed on that page: a box others ticked since, shown unticked there, is no untick by this editor.
  const base = shown.status === "ok" && shown.state.seq < state.seq ? renderBody(shown.state, deps.checklistKey) : from;
  const changes = bot ? [] : diffMarks(readMarks(base, texts), readMarks(comment.body, texts));
  const dismissals = bot ? [] : closeHereChanges(base, comment.body, state);
  const edited = changes.length + dismissals.length > 0;
  const loaded = await loadConfig(octokit, ref.owner, ref.repo);
  let next = state;
  if (edited && !loaded.ok) {
    log.warn({ problems: loaded.problems.length }, "configuration error: ticks not accepted");
    next = bump(state, withNotes(state, [`@${sender.login}'s edit was not recorded: .github/ai-gaps.yml has errors (see the check run). Reverted.`]));
  } else if (edited && shownHead !== state.head) {
    log.warn({ shownHead, head: state.head }, "edit made on an older rendering of the checklist: not accepted");
    const why = `it was made on the checklist for ${shownHead.slice(0, 7)}, which now shows ${state.head.slice(0, 7)} (reload the page and tick again)`;
    next = bump(state, withNotes(state, [`@${sender.login}'s edit was not recorded: ${why}. Reverted.`]));
  } else if (edited && loaded.ok) {
    const editor = await editorFor(octokit, ref, sender.login, pr.user?.login)();
    const now = deps.now?.() ?? new Date();
    // Dismissals first: an edit may close a category's last open finding and tick its item at once.
    for (const { finding, reason } of dismissals) {
      const r = await dismiss(next, finding, reason ?? undefined, editor, loaded.config, now, state.head);
      next = r.state;
      log.info({ editor: sender.login, permission: editor.permission, fp: finding.fp, reason, outcome: r.outcome, why: r.why }, "checklist dismissal edit");
    }
    const outcome = await applyEdit(next, changes, editor, loaded.config, now, state.head);
    next = outcome.state;
    log.info(
      { editor: sender.login, permission: editor.permission, accepted: outcome.accepted.map((c) => c.id), rejected: outcome.rejected.map((r) => r.change.id), sha: pr.head.sha },
      "checklist edit",
    );
  }
  const body = renderBody(next, deps.checklistKey);
  if (body !== current) await updateComment(octokit, ref, comment.id, body);
  if (edited && loaded.ok) await refreshGate(octokit, ref, next.head, await deps.identity(), next, loaded.config, log);
}
