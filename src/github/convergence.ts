// The convergence monitor's GitHub reads: the PR's commits, then each commit's error count from the other
// apps' completed check runs (failure annotations; the GitHub Actions job log when the annotations were
// capped). Bounded: one check-runs listing per commit, annotations or a log only for failed runs, and a
// commit's count cached by SHA once its CI has finished (it never changes after that).
import type { Context } from "probot";
import type { CommitCount } from "../convergence/verdict.js";
import { countErrorLines, isCompilerAnnotation } from "../convergence/patterns.js";
import { CHECK_NAME } from "./checks.js";
import type { RepoRef } from "./files.js";

type Octokit = Context["octokit"];

export interface CountOptions {
  /** Failure annotations per run at which GitHub Actions may have cut them (cascade.monitor.annotation_cap). */
  cap: number;
  /** Extra error-line patterns (cascade.monitor.error_patterns). */
  extra: RegExp[];
  /** This app's id: its own runs are not CI. */
  ourAppId?: number;
}

/** Runs whose conclusion says the build found errors. */
const FAILED = new Set(["failure", "timed_out", "startup_failure", "action_required"]);
/** Runs that measured nothing (cancelled by a newer push, skipped). */
const UNMEASURED = new Set(["cancelled", "skipped", "stale"]);
/** GitHub Actions keeps at most 50 annotations per job. */
const JOB_ANNOTATION_CAP = 50;
const MAX_ANNOTATION_PAGES = 3;

/** Finished counts by repository, SHA and counting settings; bounded, oldest dropped first. */
export class CountCache {
  readonly #entries = new Map<string, CommitCount>();
  constructor(readonly max = 20_000) {}
  get(key: string): CommitCount | undefined {
    return this.#entries.get(key);
  }
  set(key: string, value: CommitCount): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.max) this.#entries.delete(this.#entries.keys().next().value!);
  }
  get size(): number {
    return this.#entries.size;
  }
  clear(): void {
    this.#entries.clear();
  }
}

export const countCache = new CountCache();

export interface PullCommit {
  sha: string;
  message: string;
}

/** The PR's newest `max` commits, oldest first (GitHub lists up to 250). */
export async function listPullCommits(octokit: Octokit, ref: RepoRef, pullNumber: number, max: number): Promise<PullCommit[]> {
  const all: PullCommit[] = [];
  for (let page = 1; page <= 3; page++) {
    const { data } = await octokit.rest.pulls.listCommits({ ...ref, pull_number: pullNumber, per_page: 100, page });
    all.push(...data.map((c) => ({ sha: c.sha, message: c.commit.message })));
    if (data.length < 100) break;
  }
  return all.slice(-max);
}

type CheckRun = Awaited<ReturnType<Octokit["rest"]["checks"]["listForRef"]>>["data"]["check_runs"][number];

interface RunCount {
  name: string;
  errors: number;
  source: "annotations" | "log" | "failed";
}

/** One commit's error count from the other apps' check runs. */
export async function countCommit(
  octokit: Octokit,
  ref: RepoRef,
  commit: PullCommit,
  options: CountOptions,
  isHead: boolean,
  cache: CountCache = countCache,
): Promise<CommitCount> {
  const key = `${ref.owner}/${ref.repo}@${commit.sha}|${options.cap}|${options.extra.map((p) => p.source).join("\n")}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const message = commit.message.split("\n")[0];
  const { data } = await octokit.rest.checks.listForRef({ ...ref, ref: commit.sha, filter: "latest", per_page: 100 });
  const runs = data.check_runs.filter((r) => !isOurs(r, options.ourAppId));
  if (runs.some((r) => r.status !== "completed")) return { sha: commit.sha, message, status: "pending", source: "CI running" };
  const measured = runs.filter((r) => !UNMEASURED.has(r.conclusion ?? ""));
  if (!measured.length) {
    const result: CommitCount = { sha: commit.sha, message, status: isHead ? "pending" : "no-ci", source: runs.length ? "checks cancelled or skipped" : "no checks ran" };
    // A commit below the head with no CI keeps none (CI runs on pushed heads); the head may still get it.
    if (!isHead) cache.set(key, result);
    return result;
  }
  const counts: RunCount[] = [];
  for (const run of measured.filter((r) => FAILED.has(r.conclusion ?? ""))) counts.push(await countRun(octokit, ref, run, options));
  const result: CommitCount = { sha: commit.sha, message, status: "counted", errors: counts.reduce((s, c) => s + c.errors, 0), source: describe(counts, measured.length) };
  cache.set(key, result);
  return result;
}

function isOurs(run: CheckRun, ourAppId: number | undefined): boolean {
  return ourAppId !== undefined && run.app?.id !== undefined ? run.app.id === ourAppId : run.name === CHECK_NAME;
}

function describe(counts: RunCount[], measured: number): string {
  if (!counts.length) return `${measured} check${measured === 1 ? "" : "s"} passed`;
  const by = (s: RunCount["source"]) => counts.filter((c) => c.source === s).map((c) => c.name);
  const parts = [
    by("annotations").length ? `annotations (${by("annotations").join(", ")})` : "",
    by("log").length ? `job log (${by("log").join(", ")})` : "",
    by("failed").length ? `failed, no error lines (${by("failed").join(", ")}: counted as 1)` : "",
  ];
  return parts.filter(Boolean).join("; ");
}

/** A failed run's errors: its failure annotations, or its job log when Actions may have cut them. */
async function countRun(octokit: Octokit, ref: RepoRef, run: CheckRun, options: CountOptions): Promise<RunCount> {
  const total = run.output.annotations_count ?? 0;
  const failures = total ? await failureAnnotations(octokit, ref, run.id, total) : 0;
  const actions = run.app?.slug === "github-actions";
  if (actions && (failures >= options.cap || total >= JOB_ANNOTATION_CAP || failures === 0)) {
    const fromLog = await logErrors(octokit, ref, run.id, options.extra);
    if (fromLog !== undefined && fromLog >= Math.max(1, failures)) return { name: run.name, errors: fromLog, source: "log" };
  }
  return failures ? { name: run.name, errors: failures, source: "annotations" } : { name: run.name, errors: 1, source: "failed" };
}

async function failureAnnotations(octokit: Octokit, ref: RepoRef, runId: number, total: number): Promise<number> {
  let n = 0;
  const pages = Math.min(MAX_ANNOTATION_PAGES, Math.ceil(total / 100));
  for (let page = 1; page <= pages; page++) {
    const { data } = await octokit.rest.checks.listAnnotations({ ...ref, check_run_id: runId, per_page: 100, page });
    n += data.filter((a) => a.annotation_level === "failure" && isCompilerAnnotation(a.message)).length;
    if (data.length < 100) break;
  }
  return n;
}

/** Error lines in an Actions job's log (the check run id is the job id); undefined when the log is gone. */
async function logErrors(octokit: Octokit, ref: RepoRef, jobId: number, extra: RegExp[]): Promise<number | undefined> {
  try {
    const { data } = await octokit.rest.actions.downloadJobLogsForWorkflowRun({ ...ref, job_id: jobId });
    const text = typeof data === "string" ? data : Buffer.from(data as ArrayBuffer).toString("utf8");
    return countErrorLines(text, extra);
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404 || status === 410 || status === 403) return undefined;
    throw error;
  }
}

/** Counts for the PR's newest commits, oldest first (a few at a time). */
export async function countSeries(
  octokit: Octokit,
  ref: RepoRef,
  commits: PullCommit[],
  options: CountOptions,
  cache: CountCache = countCache,
): Promise<CommitCount[]> {
  const out: CommitCount[] = new Array(commits.length);
  const head = commits.length - 1;
  for (let i = 0; i < commits.length; i += 4) {
    const chunk = commits.slice(i, i + 4);
    const counts = await Promise.all(chunk.map((c, j) => countCommit(octokit, ref, c, options, i + j === head, cache)));
    counts.forEach((c, j) => (out[i + j] = c));
  }
  return out;
}
