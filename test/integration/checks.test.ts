// The check run a review takes over: a run without annotations is reused; one left in progress with annotations
// (its worker died while posting them) is completed as cancelled and replaced, so no annotation is posted twice.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { completeRun, startRun } from "../../src/github/checks.js";
import { TestOctokit } from "../../src/github/octokit.js";
import { renderStarted } from "../../src/report/index.js";
import { FakeGitHub } from "../support/fake-github.js";

const ref = { owner: "acme", repo: "shop" };
let fake: FakeGitHub;
let octokit: InstanceType<typeof TestOctokit>;

beforeAll(async () => {
  fake = await FakeGitHub.start();
  fake.addRepo({ owner: "acme", name: "shop", installationId: 1 });
  octokit = new TestOctokit({ auth: { token: fake.issueToken(1) }, baseUrl: fake.baseUrl });
});

afterAll(async () => {
  await fake.close();
});

function annotation(line: number) {
  return { path: "src/a.ts", start_line: line, end_line: line, annotation_level: "warning" as const, title: "gap", message: `finding ${line}` };
}

describe("startRun", () => {
  it("reuses this app's run in progress without annotations", async () => {
    const sha = fake.commit("acme/shop", "main", { "src/a.ts": "export const a = 1;\n" });
    const first = await startRun(octokit, ref, sha, fake.appId, renderStarted());
    expect(await startRun(octokit, ref, sha, fake.appId, renderStarted())).toBe(first);
    expect(fake.checkRunsFor("acme/shop", { headSha: sha })).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });

  it("replaces a run left in progress with annotations, completing it as cancelled", async () => {
    const sha = fake.commit("acme/shop", "main", { "src/a.ts": "export const a = 2;\n" });
    const first = await startRun(octokit, ref, sha, fake.appId, renderStarted());
    // The first page of a review's annotations went out; then its worker died.
    await octokit.rest.checks.update({ ...ref, check_run_id: first, output: { ...renderStarted(), annotations: Array.from({ length: 50 }, (_, i) => annotation(i + 1)) } });

    const second = await startRun(octokit, ref, sha, fake.appId, renderStarted());
    expect(second).not.toBe(first);
    await completeRun(octokit, ref, second, "success", { title: "done", summary: "done" }, [annotation(1), annotation(2)]);
    const runs = fake.checkRunsFor("acme/shop", { headSha: sha });
    expect(runs.map((r) => [r.id, r.status, r.conclusion, r.annotations.length])).toEqual(
      expect.arrayContaining([
        [first, "completed", "cancelled", 50],
        [second, "completed", "success", 2],
      ]),
    );
    expect(runs).toHaveLength(2);
    expect(fake.violations).toEqual([]);
  });
});
