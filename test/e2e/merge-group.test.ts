// merge_group.checks_requested through the real server: answered at once, the group reported afterwards.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { E2E } from "../support/e2e.js";
import { mergeGroupEvent } from "../support/payloads.js";

const REPO = "acme/queue";
let e2e: E2E;

beforeAll(async () => {
  e2e = await E2E.start();
  e2e.fake.addRepo({ owner: "acme", name: "queue" });
});

afterAll(async () => {
  await e2e.stop();
});

describe("merge group", () => {
  it("answers the webhook before reading the group's PRs from a slow GitHub, then reports", async () => {
    const pr = e2e.fake.openPullRequest(REPO, { files: { "src/q.ts": "export const q = 1;\n" } });
    const group = mergeGroupEvent(e2e.fake, [pr]);
    e2e.fake.latency("pulls/get", 1500);
    const res = await e2e.deliver("merge_group", group);
    expect(res.status).toBeLessThan(300);
    expect(res.ms).toBeLessThan(500);
    await e2e.idle();
    const [run] = e2e.fake.checkRunsFor(REPO, { headSha: group.merge_group.head_sha });
    expect(run).toMatchObject({ name: "ai-gaps", status: "completed", conclusion: "failure" });
    expect(run.output.summary).toMatch(new RegExp(`#${pr.number} \\| missing`));
    expect(e2e.fake.violations).toEqual([]);
  });
});
