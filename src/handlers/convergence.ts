// The cascade convergence monitor in the app. At review time the section is computed from what CI has
// reported so far; when another app's check run or suite completes, a debounced queue task re-evaluates the
// PR and rewrites only the convergence section, the stop-and-batch checklist item and the gate.
import type { Context, Logger } from "probot";
import type { KeyRing } from "../checklist/index.js";
import { withPrLock } from "../checklist/lock.js";
import { decideGate, progressOf, readState, renderBody } from "../checklist/index.js";
import { bump } from "../checklist/state.js";
import type { Config } from "../config/schema.js";
import { compilePatterns, judge, readSectionData, replaceSection, silencingSigns, withStopItem, type Judgement, type SectionData } from "../convergence/index.js";
import type { ChangedFile } from "../engine/types.js";
import { CHECK_NAME, completeRun, type Conclusion } from "../github/checks.js";
import { findChecklistComment, upsertChecklistComment, type AppIdentity } from "../github/comment.js";
import { loadConfig } from "../github/config.js";
import { countCache, countSeries, listPullCommits, type CountCache, type PullCommit } from "../github/convergence.js";
import type { RepoRef } from "../github/files.js";
import { findGateRun, updateGateRun } from "../github/gate.js";
import { getPull, openPullsWithHead } from "../github/pulls.js";
import type { TaskDefinition, WorkQueue } from "../queue.js";
import { contextFor, eventData, type TaskEnv } from "./tasks.js";

type Octokit = Context["octokit"];

export const CONVERGENCE_EVENTS = ["check_suite.completed", "check_run.completed"] as const;
type CompletedContext = Context<"check_suite.completed" | "check_run.completed">;

export interface MonitorInput {
  octokit: Octokit;
  ref: RepoRef;
  number: number;
  config: Config;
  app: AppIdentity;
  known: SectionData;
  /** The PR's commits when the caller has them already (the review lists them). */
  commits?: PullCommit[];
  cache?: CountCache;
}

/** Counts the series and judges it; undefined when the monitor is off. */
export async function monitorPull(input: MonitorInput): Promise<Judgement | undefined> {
  const m = input.config.cascade.monitor;
  if (!m.enabled) return undefined;
  const commits = (input.commits ?? (await listPullCommits(input.octokit, input.ref, input.number, m.max_commits))).slice(-m.max_commits);
  const options = { cap: m.annotation_cap, extra: compilePatterns(m.error_patterns), ourAppId: input.app.id };
  const series = await countSeries(input.octokit, input.ref, commits, options, input.cache ?? countCache);
  return judge(series, input.config, commits, input.known);
}

/** Silencing casts added by the PR, from the changed files' patches. */
export function silencingIn(files: ChangedFile[]) {
  return files.flatMap((f) => silencingSigns(f.path, f.patch));
}

export interface ConvergenceDeps {
  queue: WorkQueue;
  identity: () => Promise<AppIdentity>;
  checklistKey: KeyRing;
  /** Quiet time after the last completion before re-evaluating (AI_GAPS_CONVERGENCE_DEBOUNCE_MS, default 20 s). */
  debounceMs?: number;
  cache?: CountCache;
}

interface Completed {
  appId?: number;
  appSlug?: string;
  name?: string;
  sha: string;
  prs: number[];
}

function completed(payload: CompletedContext["payload"]): Completed {
  if ("check_run" in payload) {
    const r = payload.check_run;
    return { appId: r.app?.id ?? undefined, appSlug: r.app?.slug ?? undefined, name: r.name, sha: r.head_sha, prs: r.pull_requests.map((p) => p.number) };
  }
  const s = payload.check_suite;
  return { appId: s.app?.id ?? undefined, appSlug: s.app?.slug ?? undefined, sha: s.head_sha, prs: s.pull_requests.map((p) => p.number) };
}

function isOurs(c: Completed, app: AppIdentity): boolean {
  if (app.id && c.appId) return c.appId === app.id;
  if (app.slug && c.appSlug) return c.appSlug === app.slug;
  return c.name === CHECK_NAME;
}

/** The queue task that re-evaluates the PRs of a completed check (debounced per PR set). */
export const CONVERGENCE_TASK = "convergence";

export function onOtherCheckCompleted(deps: ConvergenceDeps) {
  const ms = deps.debounceMs ?? 20_000;
  return async (context: CompletedContext): Promise<void> => {
    const { payload } = context;
    const log = context.log.child({ delivery: context.id, repository: payload.repository.full_name });
    if (!("installation" in payload) || !payload.installation) return log.debug("no installation: ignored");
    const c = completed(payload);
    const app = await deps.identity();
    if (isOurs(c, app)) return log.debug(`${context.name}: our own check: ignored`);
    const key = `${payload.repository.full_name}#${c.prs.length ? c.prs.join(",") : c.sha}`;
    const task = { name: CONVERGENCE_TASK, data: eventData(context), debounce: { key: `convergence:${key}`, ms } };
    const started = await deps.queue.runTask(`convergence:${context.id}`, task, (err) => log.error({ err }, "convergence re-evaluation failed"));
    log.info({ key, queue: started }, `${context.name}: convergence re-evaluation ${started}`);
  };
}

/** The task: the PRs of the (last) completed check, each re-evaluated. */
export function convergenceTask(deps: ConvergenceDeps & TaskEnv): TaskDefinition {
  return {
    run: async (data) => {
      const context = await contextFor<CompletedContext>(deps, data);
      const { payload, octokit } = context;
      const c = completed(payload);
      const app = await deps.identity();
      const log = context.log.child({ delivery: context.id, repository: payload.repository.full_name });
      const ref = { owner: payload.repository.owner.login, repo: payload.repository.name };
      const numbers = c.prs.length ? c.prs : await openPullsWithHead(octokit, ref, c.sha);
      for (const number of numbers) {
        const r = { octokit, ref, number, app, key: deps.checklistKey, cache: deps.cache, log: log.child({ pr: number }) };
        // CI can finish while the review of the same push is still running: wait for it (bounded).
        for (let attempt = 1; (await reevaluate(r)) === "review running" && attempt < REVIEW_WAITS; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, Math.max(deps.debounceMs ?? 20_000, 500)));
        }
      }
    },
  };
}

interface Reevaluate {
  octokit: Octokit;
  ref: RepoRef;
  number: number;
  app: AppIdentity;
  key: KeyRing;
  cache?: CountCache;
  log: Logger;
}

export type ReevaluateResult = "updated" | "unchanged" | "no review yet" | "review running" | "closed" | "off" | "config error";

/** Times a re-evaluation waits for a running review of the head to finish before giving up (the review then shows the section). */
const REVIEW_WAITS = 10;

/** Re-evaluates one PR: the section, the stop-and-batch item and the gate of the head's run; nothing else. */
export async function reevaluate(r: Reevaluate): Promise<ReevaluateResult> {
  const pr = await getPull(r.octokit, r.ref, r.number);
  if (pr.state !== "open") return "closed";
  const head = pr.head.sha;
  const loaded = await loadConfig(r.octokit, r.ref.owner, r.ref.repo);
  if (!loaded.ok) return "config error";
  const config = loaded.config;
  if (!config.cascade.monitor.enabled) return "off";
  const run = await findGateRun(r.octokit, r.ref, head, r.app.id);
  if (!run) return "no review yet";
  if (run.status !== "completed") return "review running";
  const judgement = await monitorPull({ octokit: r.octokit, ref: r.ref, number: r.number, config, app: r.app, known: readSectionData(run.text), cache: r.cache });
  if (!judgement) return "off";
  const critical = judgement.verdict.level === "critical";
  const text = (old: string | undefined) => replaceSection(old, judgement.section);
  const result = await withPrLock(`${r.ref.owner}/${r.ref.repo}#${r.number}`, async () => {
    const comment = await findChecklistComment(r.octokit, r.ref, r.number, r.app);
    const read = readState(comment?.body, r.key, `${r.ref.owner}/${r.ref.repo}`, r.number);
    if (read.status !== "ok" || read.state.head !== head) {
      // No checklist for this head (yet): the section alone.
      const newText = text(run.text);
      if (newText === run.text) return "unchanged";
      await completeRun(r.octokit, r.ref, run.id, (run.conclusion ?? "neutral") as Conclusion, { title: run.title, summary: run.summary, text: newText });
      return "updated";
    }
    const state = read.state;
    const lines = withStopItem(state.lines, critical);
    const ids = new Set(lines.flatMap((l) => (l.kind === "item" ? [l.item.id] : [])));
    const keep = <T>(rec: Record<string, T>) => Object.fromEntries(Object.entries(rec).filter(([id]) => ids.has(id)));
    const next = bump(state, { ...state, lines, ticks: keep(state.ticks), na: keep(state.na) });
    if (next !== state) await upsertChecklistComment(r.octokit, r.ref, r.number, renderBody(next, r.key), comment);
    const progress = progressOf(next);
    return updateGateRun(r.octokit, r.ref, head, r.app.id, progress, decideGate(progress, config), next, text, run);
  });
  r.log.info({ verdict: judgement.verdict.level, result }, `convergence: ${judgement.verdict.sentence}`);
  return result === "no review yet" ? "no review yet" : result;
}
