// Closing a finding without changing the code: a dismissal with a reason from a short list (as GitHub's code
// scanning does), by someone allowed to tick the finding's category, kept in the signed state.
//
// API for other modules (the inline-comment handler, approvals built on top):
//   DISMISS_REASONS / reasonLabel   the reasons and their wording
//   dismiss(state, finding, reason | undefined, editor, config, now, head)   record or withdraw one; each accepted
//     act is appended to the state's history (a dismissal of a pending suppression is its approval)
//   isOpen(state, fp) / openFailures(state, category?)   what still holds the gate
import type { Config } from "../config/schema.js";
import { NOT_ANALYSED, type CategoryId } from "../engine/types.js";
import { authorize, type Editor, type Verdict } from "./authorize.js";
import { appendLog, bump, withNotes, type Attestation, type ChecklistState, type GateFinding, type LogEntry } from "./state.js";
import { codeSpan } from "../report/markdown.js";

export const DISMISS_REASONS = ["false-positive", "accepted-risk", "fixed-elsewhere"] as const;
export type DismissReason = (typeof DISMISS_REASONS)[number];

const LABELS: Record<DismissReason, string> = {
  "false-positive": "false positive",
  "accepted-risk": "accepted risk",
  "fixed-elsewhere": "fixed elsewhere",
};

export function reasonLabel(reason: DismissReason): string {
  return LABELS[reason];
}

/** The reason whose label is `text` (case-insensitive), if any. */
export function reasonFromLabel(text: string): DismissReason | undefined {
  const t = text.trim().toLowerCase();
  return DISMISS_REASONS.find((r) => LABELS[r] === t || r === t);
}

/** A recorded dismissal: who, when, at which head, why, and what it closed (kept for the log). */
export interface Dismissal extends Attestation {
  reason: DismissReason;
  ruleId: string;
  category: CategoryId;
  path: string;
}

/** The finding being dismissed, as its inline marker or the state names it. */
export interface FindingRef {
  fp: string;
  ruleId: string;
  category: CategoryId;
  path: string;
  line?: number;
}

export type DismissOutcome = { state: ChecklistState; outcome: "accepted" | "rejected" | "noop"; why?: string };

/**
 * A file the engine could not analyse may belong to more categories than it showed (its rules did not run): its
 * author never clears it alone, whatever its category.
 */
const AUTHOR_UNREAD: Verdict = { ok: false, why: "the PR author cannot dismiss a file ai-gaps could not analyse; someone else must read it" };

/** Records (reason set) or withdraws (reason undefined) the dismissal of one finding. */
export async function dismiss(
  state: ChecklistState,
  finding: FindingRef,
  reason: DismissReason | undefined,
  editor: Editor,
  config: Config,
  now: Date,
  head: string,
): Promise<DismissOutcome> {
  const current = state.dismissed[finding.fp];
  if ((current?.reason ?? undefined) === reason) return { state, outcome: "noop" };
  const verdict = reason && editor.isAuthor && finding.ruleId === NOT_ANALYSED ? AUTHOR_UNREAD : await authorize(finding.category, editor, config);
  const label = `${codeSpan(finding.ruleId)} in ${codeSpan(finding.path)}`;
  if (!verdict.ok) {
    const what = reason ? `dismiss ${label} as ${reasonLabel(reason)}` : `reopen ${label}`;
    return { state: bump(state, withNotes(state, [`@${editor.login} tried to ${what}: ${verdict.why}. Reverted.`])), outcome: "rejected", why: verdict.why };
  }
  const dismissed = { ...state.dismissed };
  const stamp = { by: editor.login, at: now.toISOString(), sha: head };
  if (reason) dismissed[finding.fp] = { ...stamp, reason, ruleId: finding.ruleId, category: finding.category, path: finding.path };
  else delete dismissed[finding.fp];
  const known = state.failures.find((f) => f.fp === finding.fp);
  const act: LogEntry["act"] = !reason ? "reopen" : known?.pending !== undefined ? "approve" : "dismiss";
  const line = finding.line ?? known?.line;
  const entry: LogEntry = { act, ...stamp, ...(reason ? { reason } : {}), fp: finding.fp, ruleId: finding.ruleId, category: finding.category, path: finding.path, ...(line ? { line } : {}) };
  const logged = appendLog({ ...state, dismissed }, entry);
  const next = reason ? logged : withNotes(logged, [`@${editor.login} reopened ${label} (was dismissed as ${reasonLabel(current!.reason)} by @${current!.by}).`]);
  return { state: bump(state, next), outcome: "accepted" };
}

export function isOpen(state: ChecklistState, fp: string): boolean {
  return !state.dismissed[fp];
}

/** Failure-level findings of the last review that are neither fixed nor dismissed (of one category, if given). */
export function openFailures(state: ChecklistState, category?: CategoryId | "always"): GateFinding[] {
  return state.failures.filter((f) => isOpen(state, f.fp) && (!category || category === "always" || f.category === category));
}
