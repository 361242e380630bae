// The gate part of this app's check run: after a tick, rewrite the conclusion and the "checklist n/m" title
// of the run on the current head SHA at once (the rest of the output stays as the review wrote it).
import type { Context } from "probot";
import type { ChecklistState, Gate, Progress } from "../checklist/index.js";
import { progressTitle } from "../checklist/index.js";
import { DISMISSED_SECTION, renderDismissed } from "../report/summary.js";
import { completeRun, ourRuns, type Conclusion } from "./checks.js";
import type { RepoRef } from "./files.js";

type Octokit = Context["octokit"];

export interface GateRun {
  id: number;
  status: string;
  conclusion: string | null;
  title: string;
  summary: string;
  text?: string;
}

const PROGRESS = /checklist \d+\/\d+/;
const GATE_LINE = /\*\*Gate: [a-z_]+\*\*: [^\n]*/;

/** This app's latest ai-gaps run on a SHA, if any. */
export async function findGateRun(octokit: Octokit, ref: RepoRef, sha: string, appId: number | undefined): Promise<GateRun | undefined> {
  const [run] = await ourRuns(octokit, ref, sha, appId);
  if (!run) return undefined;
  const o = run.output;
  return { id: run.id, status: run.status, conclusion: run.conclusion, title: o.title ?? "", summary: o.summary ?? "", text: o.text ?? undefined };
}

export type GateUpdate = "updated" | "unchanged" | "no review yet";

export async function updateGateRun(
  octokit: Octokit,
  ref: RepoRef,
  sha: string,
  appId: number | undefined,
  progress: Progress,
  gate: Gate,
  state?: ChecklistState,
  /** Rewrites the run's `text` too (the convergence monitor's section). */
  text?: (old: string | undefined) => string,
  /** The run, when the caller has just read it. */
  known?: GateRun,
): Promise<GateUpdate> {
  const run = known ?? (await findGateRun(octokit, ref, sha, appId));
  if (!run || run.status !== "completed" || !PROGRESS.test(run.title)) return "no review yet";
  const title = run.title.replace(PROGRESS, progressTitle(progress));
  const line = `**Gate: ${gate.conclusion}**: ${gate.reason}`;
  let summary = GATE_LINE.test(run.summary) ? run.summary.replace(GATE_LINE, `${line}.`) : `${line}.\n\n${run.summary}`;
  if (state) summary = summary.replace(DISMISSED_SECTION, () => renderDismissed(Object.values(state.dismissed), { log: state.log, trimmed: state.logTrimmed }));
  const newText = text ? text(run.text) : run.text;
  if (title === run.title && summary === run.summary && run.conclusion === gate.conclusion && newText === run.text) return "unchanged";
  await completeRun(octokit, ref, run.id, gate.conclusion as Conclusion, { title, summary, text: newText });
  return "updated";
}
