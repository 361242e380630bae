// The ai-gaps check run: one per head SHA, in_progress while working, annotations 50 a request.
import type { Context } from "probot";
import { pages, type Annotation } from "../report/annotations.js";
import { MAX_OUTPUT_CHARS, MAX_TITLE_CHARS, truncate } from "../report/text.js";
import type { RepoRef } from "./files.js";

type Octokit = Context["octokit"];

export const CHECK_NAME = "ai-gaps";

/** The "Re-run" button on completed runs (check_run.requested_action, handled in src/handlers/check-run.ts). */
export const RERUN_ACTION = { label: "Re-run", description: "Run the ai-gaps review again", identifier: "rerun" };

export type Conclusion = "success" | "failure" | "neutral" | "cancelled" | "skipped" | "action_required";

export interface Output {
  title: string;
  summary: string;
  text?: string;
}

function output(o: Output, annotations?: Annotation[]) {
  return {
    title: truncate(o.title, MAX_TITLE_CHARS, "…"),
    summary: truncate(o.summary, MAX_OUTPUT_CHARS),
    ...(o.text ? { text: truncate(o.text, MAX_OUTPUT_CHARS) } : {}),
    ...(annotations?.length ? { annotations } : {}),
  };
}

/**
 * Marks the run for this head SHA in_progress. Reuses this app's run when it has no annotations yet
 * (a duplicate delivery, a crashed job, a draft or config-error run), so annotations never double.
 */
export async function startRun(octokit: Octokit, ref: RepoRef, headSha: string, appId: number | undefined, o: Output): Promise<number> {
  const existing = await findRun(octokit, ref, headSha, appId);
  if (existing) {
    await octokit.rest.checks.update({ ...ref, check_run_id: existing, status: "in_progress", output: output(o) });
    return existing;
  }
  const { data } = await octokit.rest.checks.create({
    ...ref,
    name: CHECK_NAME,
    head_sha: headSha,
    status: "in_progress",
    started_at: new Date().toISOString(),
    output: output(o),
  });
  return data.id;
}

/** This app's ai-gaps runs on a SHA, newest first. */
export async function ourRuns(octokit: Octokit, ref: RepoRef, sha: string, appId: number | undefined) {
  const { data } = await octokit.rest.checks.listForRef({
    ...ref,
    ref: sha,
    check_name: CHECK_NAME,
    filter: "latest",
    per_page: 100,
    ...(appId ? { app_id: appId } : {}),
  });
  return data.check_runs.filter((r) => r.name === CHECK_NAME && (!appId || r.app?.id === appId));
}

/**
 * This app's run on the head that a new review can take over: one without annotations. A run still in progress
 * with annotations was left by a worker that died while posting them: taking it over would post them twice
 * (GitHub appends annotations), so it is completed as cancelled and a fresh run replaces it.
 */
async function findRun(octokit: Octokit, ref: RepoRef, headSha: string, appId: number | undefined): Promise<number | undefined> {
  const runs = await ourRuns(octokit, ref, headSha, appId);
  for (const run of runs.filter((r) => r.status !== "completed" && r.output.annotations_count)) {
    await octokit.rest.checks.update({ ...ref, check_run_id: run.id, status: "completed", conclusion: "cancelled", completed_at: new Date().toISOString(), output: output(INTERRUPTED) });
  }
  return runs.find((r) => !r.output.annotations_count)?.id;
}

const INTERRUPTED: Output = {
  title: "Interrupted while posting its findings",
  summary: "The review stopped while it was posting this run's annotations; a new run on the same commit replaces this one.",
};

/**
 * Completes the run. Annotations go 50 a request: every page but the last is an update of the
 * in_progress run (GitHub appends them); the last page completes it. Returns the number of requests.
 */
export async function completeRun(
  octokit: Octokit,
  ref: RepoRef,
  runId: number,
  conclusion: Conclusion,
  o: Output,
  annotations: Annotation[] = [],
): Promise<number> {
  const chunks = pages(annotations);
  const last = chunks.pop();
  for (const chunk of chunks) {
    await octokit.rest.checks.update({ ...ref, check_run_id: runId, output: output(o, chunk) });
  }
  await octokit.rest.checks.update({
    ...ref,
    check_run_id: runId,
    status: "completed",
    conclusion,
    completed_at: new Date().toISOString(),
    output: output(o, last),
    actions: [RERUN_ACTION],
  });
  return chunks.length + 1;
}

/** Creates a run that is complete at once (draft waiting, configuration error). */
export async function postCompletedRun(
  octokit: Octokit,
  ref: RepoRef,
  headSha: string,
  appId: number | undefined,
  conclusion: Conclusion,
  o: Output,
): Promise<number> {
  const existing = await findRun(octokit, ref, headSha, appId);
  if (existing) {
    await completeRun(octokit, ref, existing, conclusion, o);
    return existing;
  }
  const { data } = await octokit.rest.checks.create({
    ...ref,
    name: CHECK_NAME,
    head_sha: headSha,
    status: "completed",
    conclusion,
    completed_at: new Date().toISOString(),
    output: output(o),
    actions: [RERUN_ACTION],
  });
  return data.id;
}
