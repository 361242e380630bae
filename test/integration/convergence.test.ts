// The convergence monitor through probot.receive against the loopback fake GitHub: error counts per commit
// from other apps' check runs (annotations, the job log past the Actions cap), the verdict in the check run,
// the stop-and-batch item, and the debounced re-evaluation when other CI completes.
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { pino } from "pino";
import { Probot } from "probot";
import { CHECKLIST_MARKER } from "../../src/checklist/index.js";
import { CountCache } from "../../src/github/convergence.js";
import { TestOctokit } from "../../src/github/octokit.js";
import { createApp } from "../../src/index.js";
import { ReviewQueue } from "../../src/queue.js";
import { FakeGitHub, type PullRequest } from "../support/fake-github.js";
import { appKeys } from "../support/keys.js";
import { checkRunEvent, checkSuiteEvent, pullRequestEvent } from "../support/payloads.js";

const REPO = "acme/ledger";
const BUILDKITE = { id: 777, slug: "buildkite" };
const PRICING = "export interface Price { cents: number }\n\nexport function computeTotal(items: Price[]): number {\n  return items.reduce((s, i) => s + i.cents, 0);\n}\n";

let fake: FakeGitHub;
let queue: ReviewQueue;
let probot: Probot;
let delivery = 0;

beforeEach(async () => {
  fake = await FakeGitHub.start({ appPublicKey: appKeys().publicKey });
  fake.addRepo({
    owner: "acme",
    name: "ledger",
    files: {
      "src/billing/pricing.ts": PRICING,
      "src/billing/invoice.ts": 'import { computeTotal, type Price } from "./pricing.js";\nexport const invoice = (i: Price[]) => computeTotal(i);\n',
      "src/api/cart.ts": 'import { computeTotal } from "../billing/pricing.js";\nexport const cart = (i: never[]) => computeTotal(i);\n',
    },
  });
  probot = new Probot({ appId: fake.appId, privateKey: appKeys().privateKey, secret: "test", baseUrl: fake.baseUrl, Octokit: TestOctokit, log: pino({ level: process.env.LOG_LEVEL ?? "silent" }) });
  queue = new ReviewQueue();
  void probot.load(createApp({ queue, env: { WEBHOOK_SECRET: "test", AI_GAPS_CONVERGENCE_DEBOUNCE_MS: "150" } }));
});

afterEach(async () => {
  await queue.idle();
  expect(fake.violations).toEqual([]);
  await fake.close();
});

/** A PR whose first commit renames computeTotal (breaking two dependents), then fix commits, each with CI. */
function fixSeries(counts: (number | "pending")[], messages: string[] = []): PullRequest {
  const pr = fake.openPullRequest(REPO, { files: { "src/billing/pricing.ts": PRICING.replace("computeTotal", "calculateTotal") }, title: "Rename computeTotal", message: "Rename computeTotal" });
  counts.forEach((count, i) => {
    if (i > 0) fake.push(REPO, pr.number, { [`src/fix${i}.ts`]: `export const fix${i} = ${i};\n` }, messages[i] ?? `Fix errors ${i}`);
    if (count === "pending") fake.addCiRun(REPO, pr.headSha, { name: "tsc", app: BUILDKITE, status: "in_progress" });
    else ciWithErrors(pr.headSha, count);
  });
  return pr;
}

/** Buildkite-style CI: one failure annotation per error (no cap), plus a notice. */
function ciWithErrors(sha: string, count: number) {
  const annotations = Array.from({ length: count }, (_, i) => ({ annotation_level: "failure", message: `TS2304: Cannot find name 'computeTotal' (${i})` }));
  annotations.push({ annotation_level: "notice", message: "build took 40s" });
  return fake.addCiRun(REPO, sha, { name: "tsc", app: BUILDKITE, conclusion: count ? "failure" : "success", annotations: count ? annotations : [] });
}

async function open(pr: PullRequest) {
  await probot.receive({ id: `d-${++delivery}`, name: "pull_request", payload: pullRequestEvent(fake, pr, "opened") } as never);
  await queue.idle();
}

const ourRun = (pr: PullRequest) => fake.checkRunsFor(REPO, { name: "ai-gaps", headSha: pr.headSha })[0];
const checklist = (pr: PullRequest) => fake.commentsOn(REPO, pr.number).find((c) => c.body.includes(CHECKLIST_MARKER))!;

// The paper's incident, shortened to 12 commits: down, up and sideways, then stalled.
const INCIDENT = [214, 161, 122, 97, 91, 94, 84, 86, 79, 78, 77, 76];

describe("convergence monitor (app)", () => {
  test("an incident-shaped series is critical: section, finding, stop-and-batch item, generated migration", async () => {
    const messages: string[] = [];
    messages[5] = "partial fix for totals";
    messages[7] = "try another import";
    const pr = fixSeries(INCIDENT, messages);
    await open(pr);
    const run = ourRun(pr);
    const text = run.output.text!;
    expect(text).toContain("## Convergence");
    expect(text).toContain("🛑 Critical: Not converging: 3 commits in a row resolved fewer than 3 errors.");
    expect(text).toContain("line [214, 161, 122, 97, 91, 94, 84, 86, 79, 78, 77, 76]");
    expect(text).toContain("| 76 | +1 | annotations (tsc) |");
    expect(text).toContain('commit ' + pr.commits[5].slice(0, 7) + ' says "partial fix"');
    // The batch migration, only from what stale-dependents detected, with the check to run after it.
    expect(text).toContain("rg -l '\\bcomputeTotal\\b' 'src/api/cart.ts' 'src/billing/invoice.ts' | xargs sd '\\bcomputeTotal\\b' 'calculateTotal'");
    expect(text).toContain("npx tsc --noEmit");
    expect(run.output.summary).toContain("`cascade-not-converging`");
    expect(checklist(pr).body).toContain("**Stop fixing error by error:** inventory every breaking change, then migrate in one batch");
    expect(run.conclusion).toBe("failure");
    // Bounded: one check-runs listing per commit (and ours), annotations only for the failed runs.
    const annotationReads = fake.requestsTo("GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations");
    expect(new Set(annotationReads.map((r) => r.params.check_run_id)).size).toBe(INCIDENT.length);
    expect(annotationReads).toHaveLength(INCIDENT.length + 4); // 214, 161 and 122 annotations take 3, 2 and 2 pages
    expect(fake.requestsTo("GET /repos/{owner}/{repo}/commits/{ref}/check-runs").length).toBeLessThanOrEqual(INCIDENT.length + 2);
    expect(fake.requestsTo("GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs")).toHaveLength(0);
  });

  test("a steadily falling series is healthy, said in one line", async () => {
    const pr = fixSeries([40, 31, 22, 14, 6, 0]);
    await open(pr);
    const text = ourRun(pr).output.text!;
    expect(text).toContain("✅ Healthy: Converging: 40 → 0 errors over 6 commits.");
    expect(text).toContain("<details>");
    expect(text).not.toContain("Batch migration");
    expect(checklist(pr).body).not.toContain("Stop fixing error by error");
  });

  test("pending CI on the head gives no verdict; the completed suite brings it (debounced, section and gate only)", async () => {
    const pr = fixSeries([60, 50, 40, 39, 38, "pending"]);
    await open(pr);
    expect(ourRun(pr).output.text).toContain("⏳ Pending: Waiting for CI on " + pr.headSha.slice(0, 7));
    expect(ourRun(pr).output.text).not.toContain("Critical");
    const summaryBefore = ourRun(pr).output.summary!;

    // CI finishes: 37 errors, a third stalled commit in a row.
    const running = fake.checkRunsFor(REPO, { name: "tsc", headSha: pr.headSha })[0];
    running.status = "completed";
    running.conclusion = "failure";
    running.annotations = Array.from({ length: 37 }, (_, i) => ({ path: "src/a.ts", start_line: i + 1, end_line: i + 1, annotation_level: "failure", message: `error ${i}` }));
    const requestsBefore = fake.requests.length;
    const suite = checkSuiteEvent(fake, pr, "completed");
    suite.check_suite.app = { ...suite.check_suite.app, id: BUILDKITE.id, slug: BUILDKITE.slug };
    const runEvent = checkRunEvent(fake, running, "completed");
    await Promise.all([
      probot.receive({ id: `d-${++delivery}`, name: "check_run", payload: runEvent } as never),
      probot.receive({ id: `d-${++delivery}`, name: "check_suite", payload: suite } as never),
    ]);
    await queue.idle();

    const run = ourRun(pr);
    expect(run.output.text).toContain("🛑 Critical: Not converging: 3 commits in a row resolved fewer than 3 errors.");
    const gateLine = /\*\*Gate: [a-z]+\*\*: [^\n]*/;
    expect(run.output.summary).toBe(summaryBefore.replace(gateLine, run.output.summary!.match(gateLine)![0]));
    expect(run.output.summary).toContain("required items not ticked");
    expect(run.conclusion).toBe("failure");
    expect(checklist(pr).body).toContain("Stop fixing error by error");
    // One re-evaluation for the two events: one PR lookup, and only the new head's CI was read again.
    const after = fake.requests.slice(requestsBefore);
    expect(after.filter((r) => r.route === "GET /repos/{owner}/{repo}/pulls/{pull_number}")).toHaveLength(1);
    expect(after.filter((r) => r.route === "GET /repos/{owner}/{repo}/commits/{ref}/check-runs" && r.params.ref !== pr.headSha)).toHaveLength(0);
    // Not a re-review: no changed files read, no new check run.
    expect(after.filter((r) => r.route === "GET /repos/{owner}/{repo}/pulls/{pull_number}/files")).toHaveLength(0);
    expect(after.filter((r) => r.route === "POST /repos/{owner}/{repo}/check-runs")).toHaveLength(0);
  });

  test("CI finishing while the review of the same push still runs: the re-evaluation waits for the review", async () => {
    const pr = fixSeries([60, 50, 40, 39, 38, "pending"]);
    await open(pr);
    const ours = ourRun(pr);
    ours.status = "in_progress"; // as while a review of this head is running
    const running = fake.checkRunsFor(REPO, { name: "tsc", headSha: pr.headSha })[0];
    running.status = "completed";
    running.conclusion = "failure";
    running.annotations = Array.from({ length: 37 }, (_, i) => ({ path: "src/a.ts", start_line: i + 1, end_line: i + 1, annotation_level: "failure", message: `error ${i}` }));
    const suite = checkSuiteEvent(fake, pr, "completed");
    suite.check_suite.app = { ...suite.check_suite.app, id: BUILDKITE.id, slug: BUILDKITE.slug };
    await probot.receive({ id: `d-${++delivery}`, name: "check_suite", payload: suite } as never);
    await new Promise((r) => setTimeout(r, 400));
    expect(ourRun(pr).output.text).toContain("⏳ Pending");
    ours.status = "completed"; // the review finished
    await queue.idle();
    expect(ourRun(pr).output.text).toContain("🛑 Critical: Not converging");
  });

  test("our own check completing is ignored", async () => {
    const pr = fixSeries([10]);
    await open(pr);
    const before = fake.requests.length;
    await probot.receive({ id: `d-${++delivery}`, name: "check_run", payload: checkRunEvent(fake, ourRun(pr), "completed") } as never);
    await probot.receive({ id: `d-${++delivery}`, name: "check_suite", payload: checkSuiteEvent(fake, pr, "completed") } as never);
    await queue.idle();
    expect(fake.requests.slice(before).filter((r) => !r.route?.startsWith("POST /app/installations"))).toEqual([]);
  });

  test("at the Actions annotation cap the job log is counted instead, and the source says so", async () => {
    const pr = fake.openPullRequest(REPO, { files: { "src/billing/pricing.ts": PRICING.replace("computeTotal", "calculateTotal") }, message: "Rename" });
    const tscLine = (i: number) => `2026-01-01T10:00:0${i % 10}.0000000Z src/f${i}.ts(1,1): error TS2304: Cannot find name 'computeTotal'.`;
    const capped = Array.from({ length: 10 }, (_, i) => ({ annotation_level: "failure", message: `Cannot find name 'computeTotal'. (${i})` }));
    capped.push({ annotation_level: "failure", message: "Process completed with exit code 2." });
    fake.addCiRun(REPO, pr.headSha, { name: "build", conclusion: "failure", annotations: capped, log: ["##[group]Run npx tsc", ...Array.from({ length: 37 }, (_, i) => tscLine(i)), "Found 37 errors."].join("\n") });
    const second = fake.push(REPO, pr.number, { "src/x.ts": "export const x = 1;\n" }, "Fix some");
    fake.addCiRun(REPO, second, { name: "build", conclusion: "failure", annotations: capped.slice(0, 3), log: tscLine(1) });
    await open(pr);
    const text = ourRun(pr).output.text!;
    expect(text).toContain(`| \`${pr.commits[0].slice(0, 7)}\` | Rename | 37 | — | job log (build) |`);
    expect(text).toContain(`| \`${second.slice(0, 7)}\` | Fix some | 3 | +34 | annotations (build) |`);
    // The log was read for the capped run only.
    expect(fake.requestsTo("GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs").map((r) => r.params.job_id)).toHaveLength(1);
  });

  test("a commit's finished count is cached by SHA: a push reads CI for the new commit only", async () => {
    const cache = new CountCache();
    const { monitorPull } = await import("../../src/handlers/convergence.js");
    const { defaultConfig } = await import("../../src/config/schema.js");
    const pr = fixSeries([30, 20, 10]);
    const octokit = await probot.auth(1);
    const input = { octokit, ref: { owner: "acme", repo: "ledger" }, number: pr.number, config: defaultConfig(), app: { id: fake.appId }, known: { changes: [], silencing: [] }, cache };
    const listings = () => fake.requestsTo("GET /repos/{owner}/{repo}/commits/{ref}/check-runs").length;
    await monitorPull(input);
    expect(listings()).toBe(3);
    fake.push(REPO, pr.number, { "src/y.ts": "export const y = 1;\n" }, "Fix the rest");
    ciWithErrors(pr.headSha, 0);
    const j = await monitorPull(input);
    expect(listings()).toBe(4);
    expect(j?.verdict.sentence).toBe("converging: 30 → 0 errors over 4 commits");
  });
});
