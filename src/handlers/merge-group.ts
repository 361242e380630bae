// merge_group.checks_requested: report, on the merge group's head commit, the gate of the PRs in the group,
// so a required ai-gaps check is enforced in a merge queue rather than left pending or skipped.
import type { Context, Logger } from "probot";
import { postCompletedRun, type Conclusion } from "../github/checks.js";
import type { AppIdentity } from "../github/comment.js";
import type { RepoRef } from "../github/files.js";
import { findGateRun } from "../github/gate.js";
import { commitMessagesBetween, getPull } from "../github/pulls.js";
import type { TaskDefinition, WorkQueue } from "../queue.js";
import { contextFor, eventData, type TaskEnv } from "./tasks.js";

type MergeGroupContext = Context<"merge_group.checks_requested">;
type Octokit = Context["octokit"];

export interface MergeGroupDeps {
  identity: () => Promise<AppIdentity>;
  /** Runs the report after the webhook is answered (deduplicated by delivery, awaited by idle()). */
  queue: WorkQueue;
}

/** `refs/heads/gh-readonly-queue/<base>/pr-<number>-<sha>` names the PR that formed the group. */
export function prFromQueueRef(ref: string): number | undefined {
  const m = /\/pr-(\d+)-[0-9a-f]+$/.exec(ref);
  return m ? Number(m[1]) : undefined;
}

/** PR numbers named by merge commits between the base and the group head ("Merge pull request #12", "(#12)"). */
export function prsFromMessages(messages: string[]): number[] {
  const out: number[] = [];
  for (const m of messages) for (const hit of m.matchAll(/(?:Merge pull request #|\(#)(\d+)/g)) out.push(Number(hit[1]));
  return out;
}

interface PrGate {
  number: number;
  conclusion: string;
  title: string;
}

/** The webhook handler: checks the payload and queues the report; no GitHub call here. */
export function onMergeGroup(deps: MergeGroupDeps) {
  return async (context: MergeGroupContext): Promise<void> => {
    const { payload } = context;
    if (!payload.repository) return;
    const log = logFor(context);
    const started = await deps.queue.runTask(context.id, { name: MERGE_GROUP_TASK, data: eventData(context) }, (err) => log.error({ err }, "merge group report failed"));
    log.info({ queue: started }, `merge_group.checks_requested: ${started}`);
  };
}

/** The queue task that reports a merge group. */
export const MERGE_GROUP_TASK = "merge-group";

export function mergeGroupTask(deps: MergeGroupDeps & TaskEnv): TaskDefinition {
  return { run: async (data) => reportGroup(await contextFor<MergeGroupContext>(deps, data), deps) };
}

function logFor(context: MergeGroupContext): Logger {
  return context.log.child({ delivery: context.id, repository: context.payload.repository!.full_name, sha: context.payload.merge_group.head_sha });
}

async function reportGroup(context: MergeGroupContext, deps: MergeGroupDeps): Promise<void> {
  const { payload, octokit } = context;
  const log = logFor(context);
  const group = payload.merge_group;
  const ref = { owner: payload.repository!.owner.login, repo: payload.repository!.name };
  const app = await deps.identity();
  const numbers = await groupPrs(octokit, ref, group);
  const gates: PrGate[] = [];
  for (const number of numbers) gates.push(await prGate(octokit, ref, number, app));
  const conclusion = combine(gates);
  await postCompletedRun(octokit, ref, group.head_sha, app.id, conclusion, render(gates, conclusion));
  log.info({ prs: gates.map((g) => `${g.number}:${g.conclusion}`), conclusion }, "merge group reported");
}

async function groupPrs(octokit: Octokit, ref: RepoRef, group: MergeGroupContext["payload"]["merge_group"]): Promise<number[]> {
  const numbers = new Set<number>();
  const fromRef = prFromQueueRef(group.head_ref);
  if (fromRef) numbers.add(fromRef);
  for (const n of prsFromMessages(await commitMessagesBetween(octokit, ref, group.base_sha, group.head_sha))) numbers.add(n);
  return [...numbers].sort((a, b) => a - b);
}

async function prGate(octokit: Octokit, ref: RepoRef, number: number, app: AppIdentity): Promise<PrGate> {
  const pr = await getPull(octokit, ref, number);
  const run = await findGateRun(octokit, ref, pr.head.sha, app.id);
  if (!run) return { number, conclusion: "missing", title: `no ai-gaps review of ${pr.head.sha.slice(0, 7)}` };
  if (run.status !== "completed") return { number, conclusion: "pending", title: "review still running" };
  return { number, conclusion: run.conclusion ?? "missing", title: run.title };
}

/** success when every PR passes; neutral when the rest are advisory (neutral); failure otherwise. */
export function combine(gates: { conclusion: string }[]): Conclusion {
  if (!gates.length) return "failure";
  if (gates.every((g) => g.conclusion === "success")) return "success";
  if (gates.every((g) => g.conclusion === "success" || g.conclusion === "neutral")) return "neutral";
  return "failure";
}

function render(gates: PrGate[], conclusion: Conclusion) {
  if (!gates.length) return { title: "merge group: no pull request found", summary: "The merge group's commits name no pull request, so nothing was vouched for." };
  const failing = gates.filter((g) => g.conclusion !== "success");
  const title =
    conclusion === "success" ? `merge group: ${gates.length} PR(s), every ai-gaps gate passes` : `merge group: ${failing.map((g) => `#${g.number}`).join(", ")} not passing`;
  const rows = gates.map((g) => `| #${g.number} | ${g.conclusion} | ${g.title.replace(/\|/g, "\\|")} |`);
  return { title, summary: ["The gate of each pull request in this merge group:", "", "| PR | ai-gaps | Check run |", "| --- | --- | --- |", ...rows].join("\n") };
}
