// Carry-over compares an attestation's SHA with the new head; GitHub's comparison lists at most 300 files.
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { ProbotOctokit } from "probot";
import { changedSince, type PullRequestJob } from "../../src/handlers/pull-request.js";
import { TestOctokit } from "../../src/github/octokit.js";
import { FakeGitHub } from "../support/fake-github.js";
import { appKeys } from "../support/keys.js";

let fake: FakeGitHub;

beforeAll(async () => {
  fake = await FakeGitHub.start({ appPublicKey: appKeys().publicKey });
  fake.addRepo({ owner: "acme", name: "shop" });
});

afterAll(async () => {
  await fake.close();
});

function jobAt(headSha: string): PullRequestJob {
  const octokit = new TestOctokit({ auth: { token: fake.issueToken(1) }, baseUrl: fake.baseUrl }) as InstanceType<typeof ProbotOctokit>;
  return { octokit, ref: { owner: "acme", repo: "shop" }, headSha } as PullRequestJob;
}

describe("changedSince", () => {
  test("lists the files changed since an earlier head", async () => {
    const pr = fake.openPullRequest("acme/shop", { files: { "src/a.ts": "a\n" } });
    const ticked = pr.headSha;
    const head = fake.push("acme/shop", pr.number, { "src/b.ts": "b\n" });
    expect(await changedSince(jobAt(head), ticked)).toEqual({ files: ["src/b.ts"] });
    expect(fake.violations).toEqual([]);
  });

  test("cannot compare when GitHub cut the list at 300 files (a covered file may be missing)", async () => {
    const pr = fake.openPullRequest("acme/shop", { files: { "src/c.ts": "c\n" } });
    const ticked = pr.headSha;
    const many = Object.fromEntries(Array.from({ length: 301 }, (_, i) => [`gen/f${String(i).padStart(3, "0")}.ts`, `${i}\n`]));
    const head = fake.push("acme/shop", pr.number, { ...many, "src/zz-security.ts": "changed\n" });
    expect(await changedSince(jobAt(head), ticked)).toBeNull();
  });
});
