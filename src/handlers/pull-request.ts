// pull_request events: validate and enqueue at once; the job reviews the PR and posts the results.
import type { Context, Logger } from "probot";
import type { KeyRing } from "../checklist/index.js";
import { prepareChecklist, type ChecklistOutput } from "../checklist/index.js";
import { bundledTemplate } from "../checklist/template.js";
import type { Config } from "../config/schema.js";
import { markGenerated } from "../engine/attributes.js";
import { enginePool } from "../engine/pool.js";
import type { ChangedFile, EngineResult, RepoFile } from "../engine/types.js";
import { completeRun, ourRuns, postCompletedRun, startRun, type Conclusion } from "../github/checks.js";
import { findChecklistComment, upsertChecklistComment, type AppIdentity, type ChecklistComment } from "../github/comment.js";
import { loadConfig } from "../github/config.js";
import { reviewInline } from "../github/review.js";
import { withPrLock } from "../checklist/lock.js";
import { findingSigner } from "../checklist/inline.js";
import { fetchContents, fetchRepoFiles, filesChangedBetween, listChangedFiles, MAX_ATTRIBUTE_DIRS, readAttributes, type RepoRef } from "../github/files.js";
import { currentHeadSha, readBranchFile } from "../github/pulls.js";
import { listPullCommits, type PullCommit } from "../github/convergence.js";
import { changesOf, withStopItem } from "../convergence/index.js";
import type { ChecklistLine } from "../checklist/template.js";
import { monitorPull, silencingIn } from "./convergence.js";
import { observeRules } from "../metrics.js";
import type { JobControl, TaskDefinition, WorkQueue } from "../queue.js";
import { withLog, type TaskEnv } from "./tasks.js";
import {
  planAnnotations,
  renderConfigError,
  renderDraft,
  renderFailure,
  renderStarted,
  renderSummary,
  renderSuperseded,
  renderText,
  renderTitle,
  type ReviewReport,
} from "../report/index.js";

export const PULL_REQUEST_EVENTS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
  "pull_request.edited",
] as const;

type PullRequestContext = Context<"pull_request">;
type Octokit = Context["octokit"];

/** Everything a review job needs, taken from the webhook when it arrived. */
export interface PullRequestJob {
  octokit: Octokit;
  log: Logger;
  ref: RepoRef;
  number: number;
  headSha: string;
  baseSha: string;
  defaultBranch: string;
  title: string;
  body: string;
  draft: boolean;
  deliveryId: string;
  app: AppIdentity;
  /** Signs the checklist comment's state block. */
  checklistKey: KeyRing;
  /** The PR's page (html_url), for links between the comment, the check run and the findings. */
  prUrl?: string;
}

/** What a review job stores in the queue (JSON): the PR as the webhook or a lookup saw it. */
export type ReviewData = Omit<PullRequestJob, "octokit" | "log" | "app" | "checklistKey"> & { installationId: number };

/** The queue task that runs reviews. */
export const REVIEW_TASK = "review";

export interface PullRequestDeps {
  queue: WorkQueue;
  /** This app's id and slug (for finding its own check run and comment). */
  identity: () => Promise<AppIdentity>;
  /** Signs the checklist comment's state block (see stateKey). */
  checklistKey: KeyRing;
}

/** Whether an event should start a review; a reason when it should not. */
export function ignoreReason(payload: PullRequestContext["payload"]): string | undefined {
  if (!("installation" in payload) || !payload.installation) return "no installation in the payload";
  if (payload.pull_request.state !== "open") return "pull request is not open";
  if (payload.action === "edited") {
    const changes = (payload as { changes?: { title?: unknown; body?: unknown } }).changes;
    if (!changes?.title && !changes?.body) return "edit changed neither title nor body";
  }
  return undefined;
}

/** The webhook handler: validates, enqueues, returns. No GitHub call here. */
export function onPullRequest(deps: PullRequestDeps) {
  return async (context: PullRequestContext): Promise<void> => {
    const { payload } = context;
    const pr = payload.pull_request;
    const key = `${payload.repository.full_name}#${pr.number}`;
    const log = context.log.child({ delivery: context.id, repository: payload.repository.full_name, pr: pr.number, sha: pr.head.sha });
    const skip = ignoreReason(payload);
    if (skip) {
      log.debug({ action: payload.action }, `ignored: ${skip}`);
      return;
    }
    const result = await deps.queue.enqueue({
      key,
      sha: pr.head.sha,
      deliveryId: context.id,
      at: Date.parse(pr.updated_at) || undefined,
      task: { name: REVIEW_TASK, data: reviewData(context) },
    });
    log.info({ action: payload.action, queue: result }, `pull_request.${payload.action}: ${result}`);
  };
}

function reviewData(context: PullRequestContext): ReviewData {
  const { payload } = context;
  const pr = payload.pull_request;
  return {
    installationId: (payload as { installation?: { id: number } }).installation!.id,
    ref: { owner: payload.repository.owner.login, repo: payload.repository.name },
    number: pr.number,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    defaultBranch: payload.repository.default_branch,
    title: pr.title,
    body: pr.body ?? "",
    draft: Boolean(pr.draft),
    deliveryId: context.id,
    prUrl: pr.html_url,
  };
}

/** The review task: the stored PR turned back into a job (installation token, logger, identity), then reviewed. */
export function reviewTask(deps: PullRequestDeps & TaskEnv): TaskDefinition {
  const jobFor = async (data: ReviewData): Promise<PullRequestJob> => {
    const { installationId, ...pr } = data;
    const log = deps.log.child({ delivery: pr.deliveryId, repository: `${pr.ref.owner}/${pr.ref.repo}`, pr: pr.number, sha: pr.headSha });
    return { ...pr, octokit: withLog(await deps.auth(installationId), log), log, app: await deps.identity(), checklistKey: deps.checklistKey };
  };
  return {
    run: async (data: ReviewData, control) => reviewPullRequest(await jobFor(data), control),
    abandon: async (data: ReviewData, error) => abandonReview(await jobFor(data), error),
  };
}

/** The job: config, draft check, run start, inputs, engine, checklist, then results (unless superseded). */
export async function reviewPullRequest(job: PullRequestJob, control: JobControl): Promise<void> {
  const started = Date.now();
  const loaded = await loadReviewConfig(job, control);
  if (!loaded) return;
  if (!loaded.ok) {
    job.log.warn({ problems: loaded.problems }, "configuration error");
    await postCompletedRun(job.octokit, job.ref, job.headSha, job.app.id, "failure", renderConfigError(loaded.problems, loaded.source));
    return;
  }
  const { config, source } = loaded;
  if (job.draft && config.review.skip_drafts) {
    await postCompletedRun(job.octokit, job.ref, job.headSha, job.app.id, "neutral", renderDraft());
    job.log.info("draft: waiting for ready for review");
    return;
  }
  const runId = await startRun(job.octokit, job.ref, job.headSha, job.app.id, renderStarted());
  try {
    const inputs = await gatherInputs(job, config);
    if (control.supersededBy) return await finishSuperseded(job, runId, control.supersededBy);
    const result = await runEngine(inputs, config);
    const convergence = await convergenceOf(job, config, inputs, result);
    if (convergence?.finding) result.findings.push(convergence.finding);
    const critical = convergence?.verdict.level === "critical";
    // One checklist writer per PR: tick handlers wait while the review rewrites the comment.
    await withPrLock(`${job.ref.owner}/${job.ref.repo}#${job.number}`, async () => {
      const existing = await findChecklistComment(job.octokit, job.ref, job.number, job.app);
      const newer = await newerHead(job, control);
      if (newer) return await finishSuperseded(job, runId, newer);
      const comments = await postInlineReview(job, result, inputs.files, config);
      const checklist = await buildChecklist(job, inputs.template, result, config, existing, { prUrl: job.prUrl, runUrl: runUrl(job, runId) }, comments, (lines) => withStopItem(lines, critical));
      await postResults(job, runId, { result, checklist, existing, config, source, comments, convergence: convergence?.section });
      job.log.info({ findings: result.findings.length, conclusion: checklist.gate.conclusion, ms: Date.now() - started }, "review posted");
    });
  } catch (error) {
    // A job the queue runs again keeps its run in progress; the next attempt takes it over.
    if (!control.willRetry?.(error)) await failRun(job, runId, config, error);
    throw error;
  }
}

/** Loads the config; when that fails outright (GitHub down after retries), says so on a check run. */
async function loadReviewConfig(job: PullRequestJob, control: JobControl): Promise<Awaited<ReturnType<typeof loadConfig>> | undefined> {
  try {
    return await loadConfig(job.octokit, job.ref.owner, job.ref.repo);
  } catch (error) {
    if (control.willRetry?.(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    job.log.error({ err: error }, "could not load the configuration");
    await postCompletedRun(job.octokit, job.ref, job.headSha, job.app.id, "failure", renderFailure(`loading .github/ai-gaps.yml: ${message}`));
    return undefined;
  }
}

export interface ReviewInputs {
  files: ChangedFile[];
  repoFiles: RepoFile[];
  commits: PullCommit[];
  commitMessages: string[];
  template: string;
  templateNote?: string;
  title: string;
  body: string;
}

export async function gatherInputs(job: PullRequestJob, config: Config): Promise<ReviewInputs> {
  const listed = await listChangedFiles(job.octokit, job.ref, job.number);
  const attributes = await readAttributes(job.octokit, job.ref, job.defaultBranch, listed.map((f) => f.path));
  if (attributes.capped) job.log.info({ max: MAX_ATTRIBUTE_DIRS }, "changed files span more directories than .gitattributes are read for; files below the unread ones are analysed");
  const changed = markGenerated(listed, attributes.files, new Set(attributes.dirs));
  const { files } = await fetchContents(job.octokit, job.ref, changed, { head: job.headSha, base: job.baseSha }, config);
  const repoFiles = await fetchRepoFiles(job.octokit, job.ref, job.headSha, changed, config);
  const commits = await listPullCommits(job.octokit, job.ref, job.number, 250);
  const { template, note } = await readTemplate(job, config);
  job.log.debug({ files: files.length, repoFiles: repoFiles.length }, "inputs gathered");
  return { files, repoFiles, commits, commitMessages: commits.map((c) => c.message), template, templateNote: note, title: job.title, body: job.body };
}

/**
 * The convergence monitor over what CI has reported so far (the section is rewritten when other checks
 * complete). It never fails the review: an error leaves the section out and is logged.
 */
async function convergenceOf(job: PullRequestJob, config: Config, inputs: ReviewInputs, result: EngineResult) {
  try {
    const known = { changes: changesOf(result.findings), silencing: silencingIn(inputs.files) };
    return await monitorPull({ octokit: job.octokit, ref: job.ref, number: job.number, config, app: job.app, known, commits: inputs.commits });
  } catch (error) {
    job.log.warn({ err: error }, "convergence monitor failed; the review goes on without it");
    return undefined;
  }
}

export async function runEngine(inputs: ReviewInputs, config: Config): Promise<EngineResult> {
  const result = await enginePool().review({
    files: inputs.files,
    repoFiles: inputs.repoFiles,
    pr: { title: inputs.title, body: inputs.body, commitMessages: inputs.commitMessages },
    config,
  });
  if (inputs.templateNote) result.notes.push(inputs.templateNote);
  observeRules(result.ruleMs);
  return result;
}

/** `checklist.template` from the default branch, else the bundled template (with a note saying so). */
export async function readTemplate(job: PullRequestJob, config: Config): Promise<{ template: string; note?: string }> {
  const path = config.checklist.template;
  if (!path) return { template: bundledTemplate() };
  const text = await readBranchFile(job.octokit, job.ref, path, job.defaultBranch);
  if (text !== undefined) return { template: text };
  job.log.warn({ path }, "checklist template not found; using the bundled one");
  return { template: bundledTemplate(), note: `\`checklist.template\` (${path}) is not on ${job.defaultBranch}; the bundled checklist was used.` };
}

/** The check run's page: the repository's page + /runs/<id> (as GitHub's html_url for runs). */
function runUrl(job: PullRequestJob, runId: number): string | undefined {
  return job.prUrl ? `${job.prUrl.replace(/\/pull\/\d+$/, "")}/runs/${runId}` : undefined;
}

export async function buildChecklist(
  job: PullRequestJob,
  template: string,
  result: EngineResult,
  config: Config,
  existing: ChecklistComment | undefined,
  links?: { prUrl?: string; runUrl?: string },
  comments?: ReadonlyMap<string, number>,
  adjust?: (lines: ChecklistLine[]) => ChecklistLine[],
): Promise<ChecklistOutput> {
  return prepareChecklist({
    adjust,
    template,
    result,
    config,
    repo: `${job.ref.owner}/${job.ref.repo}`,
    pr: job.number,
    headSha: job.headSha,
    key: job.checklistKey,
    existingBody: existing?.body,
    compare: (base) => changedSince(job, base),
    onTampered: (reason) => job.log.warn({ reason }, "checklist state block failed verification; starting afresh"),
    links,
    comments,
  });
}

/** Files changed between `base` and the head SHA; null when GitHub cannot compare them (fully). */
export function changedSince(job: PullRequestJob, base: string): Promise<{ files: string[] } | null> {
  return filesChangedBetween(job.octokit, job.ref, base, job.headSha);
}

/** The newer head SHA when the PR moved on (queue signal first, then GitHub itself). */
export async function newerHead(job: PullRequestJob, control: JobControl): Promise<string | undefined> {
  if (control.supersededBy) return control.supersededBy;
  const head = await currentHeadSha(job.octokit, job.ref, job.number);
  return head !== job.headSha ? head : undefined;
}

async function finishSuperseded(job: PullRequestJob, runId: number, newer: string): Promise<void> {
  job.log.info({ newer }, "superseded: posting no result");
  await completeRun(job.octokit, job.ref, runId, "cancelled", renderSuperseded(job.headSha, newer));
}

export interface Results {
  result: EngineResult;
  checklist: ChecklistOutput;
  existing: ChecklistComment | undefined;
  config: Config;
  source: string[];
  /** The check run's Convergence section (text), when the monitor ran. */
  convergence?: string;
  /** Inline comment ids by finding fingerprint. */
  comments?: ReadonlyMap<string, number>;
}

export async function postResults(job: PullRequestJob, runId: number, r: Results): Promise<void> {
  const comment = r.checklist.post ? await upsertChecklistComment(job.octokit, job.ref, job.number, r.checklist.body, r.existing) : undefined;
  const { annotations, overflow } = planAnnotations(r.result.findings, r.config.annotations.max);
  r.result.notes.push(...r.checklist.alerts);
  const report: ReviewReport = {
    result: r.result,
    progress: r.checklist.progress,
    gate: r.checklist.gate,
    overflow,
    annotationsMax: r.config.annotations.max,
    configSource: r.source,
    dismissed: Object.values(r.checklist.state.dismissed),
    history: { log: r.checklist.state.log, trimmed: r.checklist.state.logTrimmed },
    links: { prUrl: job.prUrl, commentUrl: comment && job.prUrl ? `${job.prUrl}#issuecomment-${comment.id}` : undefined, head: job.headSha, comments: r.comments },
    noCategory: !!r.checklist.state.view?.noCategory,
    convergence: r.convergence,
  };
  const output = { title: renderTitle(report), summary: renderSummary(report), text: renderText(report) };
  const requests = await completeRun(job.octokit, job.ref, runId, r.checklist.gate.conclusion, output, annotations);
  job.log.debug({ comment: comment?.upsert ?? "none", annotations: annotations.length, requests }, "results posted");
}

/**
 * Inline review comments for the findings on diff lines (see src/github/review.ts), posted first so the
 * checklist and the check run can link to them. A failure here is logged rather than failing the review (the
 * findings are in the check run too); the next run retries.
 */
async function postInlineReview(job: PullRequestJob, result: EngineResult, files: ChangedFile[], config: Config): Promise<Map<string, number>> {
  const posted = await reviewInline({
    octokit: job.octokit,
    ref: job.ref,
    pullNumber: job.number,
    headSha: job.headSha,
    app: job.app,
    findings: result.findings,
    patches: new Map(files.map((f) => [f.path, f.patch])),
    config,
    sign: findingSigner(job.checklistKey, `${job.ref.owner}/${job.ref.repo}`, job.number),
    log: job.log,
  }).catch((error: unknown) => job.log.error({ err: error }, "inline review comments failed; the check run and checklist still go out"));
  return posted?.comments ?? new Map();
}

/**
 * After the job failed for good (GitHub kept failing past the last retry, or its workers kept dying): the head's
 * run in progress is completed saying why, with the Re-run button, as failRun does; a head that is still the PR's
 * and has no run gets one, so a required check never waits for a review that will not come.
 */
async function abandonReview(job: PullRequestJob, error: unknown): Promise<void> {
  const runs = await ourRuns(job.octokit, job.ref, job.headSha, job.app.id);
  const open = runs.filter((r) => r.status !== "completed");
  if (runs.length && !open.length) return job.log.info("review abandoned: its check run was already completed");
  if (!runs.length && (await currentHeadSha(job.octokit, job.ref, job.number)) !== job.headSha) return job.log.info("review abandoned: the PR has a newer head");
  const loaded = await loadConfig(job.octokit, job.ref.owner, job.ref.repo).catch(() => undefined);
  // Unknown gate (the configuration could not be read): failure, so a blocking gate is never opened by an outage.
  const conclusion: Conclusion = loaded?.ok && loaded.config.gate.mode !== "block" ? "neutral" : "failure";
  const output = renderFailure(error instanceof Error ? error.message : String(error));
  if (!open.length) await postCompletedRun(job.octokit, job.ref, job.headSha, job.app.id, conclusion, output);
  for (const run of open) await completeRun(job.octokit, job.ref, run.id, conclusion, output);
  job.log.warn({ runs: open.length, conclusion, reason: output.summary }, "review abandoned: check run completed");
}

async function failRun(job: PullRequestJob, runId: number, config: Config, error: unknown): Promise<void> {
  const conclusion: Conclusion = config.gate.mode === "block" ? "failure" : "neutral";
  const message = error instanceof Error ? error.message : String(error);
  try {
    await completeRun(job.octokit, job.ref, runId, conclusion, renderFailure(message));
  } catch (inner) {
    job.log.error({ err: inner }, "could not complete the check run after a failure");
  }
}
