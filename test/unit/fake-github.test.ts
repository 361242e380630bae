// The loopback fake GitHub behaves like GitHub where the app depends on it, and refuses what GitHub would.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createSign } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { verify } from "@octokit/webhooks-methods";
import { ProbotOctokit } from "probot";
import { FakeGitHub } from "../support/fake-github.js";
import { appKeys } from "../support/keys.js";
import { checkRunEvent, issueCommentEvent, pullRequestEvent } from "../support/payloads.js";
import { deliver } from "../support/webhooks.js";
import { parsePatch, unifiedPatch } from "../support/diff.js";

const REPO = "acme/shop";

function octokitFor(fake: FakeGitHub): InstanceType<typeof ProbotOctokit> {
  const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } }));
  return new Octokit({ auth: { token: fake.issueToken(1) }, baseUrl: fake.baseUrl });
}

async function status(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

function jwt(appId: number, privateKey: string): string {
  const seconds = Math.floor(Date.now() / 1000);
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");
  const unsigned = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat: seconds - 30, exp: seconds + 540, iss: appId })}`;
  return `${unsigned}.${createSign("RSA-SHA256").update(unsigned).sign(privateKey).toString("base64url")}`;
}

describe("diff helpers", () => {
  it("produces GitHub-style hunks and the lines a review comment may use", () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
    const after = before.replace("line 10\n", "line ten\nline 10.5\n");
    const { patch, additions, deletions } = unifiedPatch(before, after);
    expect(patch.split("\n")[0]).toBe("@@ -7,7 +7,8 @@");
    expect([additions, deletions]).toEqual([2, 1]);
    const [hunk] = parsePatch(patch);
    expect([...hunk.right]).toEqual([7, 8, 9, 10, 11, 12, 13, 14]);
    expect(hunk.left.has(10)).toBe(true);
    expect(unifiedPatch("", "a\nb\n").patch).toBe("@@ -0,0 +1,2 @@\n+a\n+b");
  });
});

describe("FakeGitHub", () => {
  let fake: FakeGitHub;

  beforeEach(async () => {
    fake = await FakeGitHub.start({ appPublicKey: appKeys().publicKey });
    fake.addRepo({ owner: "acme", name: "shop", files: { "src/a.ts": "export const a = 1;\n", "README.md": "# shop\n" } });
  });

  afterEach(async () => {
    await fake.close();
  });

  it("lists a PR's files with patches, 100 a page, and follows Link pagination", async () => {
    const files: Record<string, string> = { "src/a.ts": "export const a = 2;\n", "README.md": null as unknown as string };
    for (let i = 0; i < 149; i++) files[`src/gen/f${i}.ts`] = `export const v${i} = ${i};\n`;
    const pr = fake.openPullRequest(REPO, { files, title: "Many files" });
    const octokit = octokitFor(fake);
    const listed = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: "acme", repo: "shop", pull_number: pr.number, per_page: 100 });
    expect(listed).toHaveLength(151);
    expect(fake.requestsTo("pulls/list-files")).toHaveLength(2);
    const a = listed.find((f) => f.filename === "src/a.ts")!;
    expect(a.status).toBe("modified");
    expect(a.patch).toBe("@@ -1 +1 @@\n-export const a = 1;\n+export const a = 2;".replace("@@ -1 +1 @@", "@@ -1,1 +1,1 @@"));
    expect(listed.find((f) => f.filename === "README.md")!.status).toBe("removed");
    const { data: prJson } = await octokit.rest.pulls.get({ owner: "acme", repo: "shop", pull_number: pr.number });
    expect(prJson.head.sha).toBe(pr.headSha);
    expect(prJson.changed_files).toBe(151);
    expect(fake.violations).toEqual([]);
  });

  it("records an unknown route and a body that breaks GitHub's schema as violations", async () => {
    const octokit = octokitFor(fake);
    expect(await status(octokit.request("GET /repos/{owner}/{repo}/no-such-thing", { owner: "acme", repo: "shop" }))).toBe(404);
    expect(
      await status(octokit.request("POST /repos/{owner}/{repo}/check-runs", { owner: "acme", repo: "shop", name: "x", head_sha: "abc", conclusion: "great" as "success" })),
    ).toBe(422);
    expect(fake.violations.map((v) => v.kind)).toEqual(["unknown-route", "schema"]);
    expect(fake.violations[1].message).toMatch(/conclusion/);
  });

  it("keeps check runs: annotations append across updates, 50 per request at most, completed needs a conclusion", async () => {
    const pr = fake.openPullRequest(REPO, { files: { "src/b.ts": "b\n" } });
    const octokit = octokitFor(fake);
    const annotation = (i: number) => ({ path: "src/b.ts", start_line: 1, end_line: 1, annotation_level: "warning" as const, message: `m${i}` });
    const { data: run } = await octokit.rest.checks.create({
      owner: "acme",
      repo: "shop",
      name: "ai-gaps",
      head_sha: pr.headSha,
      status: "in_progress",
      output: { title: "t", summary: "s", annotations: Array.from({ length: 50 }, (_, i) => annotation(i)) },
    });
    await octokit.rest.checks.update({
      owner: "acme",
      repo: "shop",
      check_run_id: run.id,
      output: { title: "t", summary: "s", annotations: Array.from({ length: 10 }, (_, i) => annotation(50 + i)) },
    });
    await octokit.rest.checks.update({ owner: "acme", repo: "shop", check_run_id: run.id, status: "completed", conclusion: "neutral" });
    const [stored] = fake.checkRunsFor(REPO, { headSha: pr.headSha });
    expect(stored.annotations).toHaveLength(60);
    expect(stored.conclusion).toBe("neutral");
    const { data: listed } = await octokit.rest.checks.listForRef({ owner: "acme", repo: "shop", ref: pr.headSha, check_name: "ai-gaps" });
    expect(listed.check_runs.map((r) => r.id)).toEqual([run.id]);
    expect(listed.check_runs[0].output.annotations_count).toBe(60);
    expect(fake.violations).toEqual([]);

    expect(
      await status(
        octokit.rest.checks.update({
          owner: "acme",
          repo: "shop",
          check_run_id: run.id,
          output: { title: "t", summary: "s", annotations: Array.from({ length: 51 }, (_, i) => annotation(i)) },
        }),
      ),
    ).toBe(422);
    expect(
      await status(octokit.rest.checks.update({ owner: "acme", repo: "shop", check_run_id: run.id, status: "completed" })),
    ).toBe(422);
    expect(fake.violations).toHaveLength(2);
    expect(fake.violations[0].message).toMatch(/maxItems|50/);
    expect(fake.violations[1].message).toMatch(/conclusion/);
  });

  it("refuses review comments outside the diff, all or nothing, and accepts ranges inside a hunk", async () => {
    const before = Array.from({ length: 30 }, (_, i) => `const x${i} = ${i};`).join("\n") + "\n";
    fake.commit(REPO, "main", { "src/long.ts": before });
    const pr = fake.openPullRequest(REPO, { files: { "src/long.ts": before.replace("const x15 = 15;", "const x15 = fifteen();") } });
    const octokit = octokitFor(fake);
    const review = (comments: { path: string; line: number; side?: "RIGHT" | "LEFT"; start_line?: number; body: string }[]) =>
      octokit.rest.pulls.createReview({ owner: "acme", repo: "shop", pull_number: pr.number, commit_id: pr.headSha, event: "COMMENT", comments });
    const error = await review([
      { path: "src/long.ts", line: 16, body: "in the diff" },
      { path: "src/long.ts", line: 2, body: "outside" },
    ]).catch((e: { status: number; response: { data: { errors: string[] } } }) => e);
    expect((error as { status: number }).status).toBe(422);
    expect(JSON.stringify((error as { response: { data: unknown } }).response.data)).toContain("Pull request review thread line must be part of the diff");
    expect(fake.reviewCommentsOn(REPO, pr.number)).toHaveLength(0);

    await review([
      { path: "src/long.ts", line: 16, side: "RIGHT", body: "in the diff" },
      { path: "src/long.ts", start_line: 13, line: 19, body: "range in the hunk" },
    ]);
    const comments = fake.reviewCommentsOn(REPO, pr.number);
    expect(comments.map((c) => [c.line, c.startLine])).toEqual([
      [16, null],
      [19, 13],
    ]);
    const { data: listed } = await octokit.rest.pulls.listReviewComments({ owner: "acme", repo: "shop", pull_number: pr.number });
    expect(listed).toHaveLength(2);
    await octokit.rest.pulls.updateReviewComment({ owner: "acme", repo: "shop", comment_id: comments[0].id, body: "resolved" });
    expect(fake.reviewCommentsOn(REPO, pr.number)[0].history).toEqual(["in the diff", "resolved"]);
    expect(fake.violations).toEqual([]);
  });

  it("serves issue comments as the app's bot and refuses edits of other users' comments", async () => {
    const pr = fake.openPullRequest(REPO, { files: { "src/b.ts": "b\n" } });
    const octokit = octokitFor(fake);
    const { data: created } = await octokit.rest.issues.createComment({ owner: "acme", repo: "shop", issue_number: pr.number, body: "<!-- ai-gaps -->\nhello" });
    expect(created.user!.login).toBe("ai-gaps[bot]");
    expect(created.user!.type).toBe("Bot");
    await octokit.rest.issues.updateComment({ owner: "acme", repo: "shop", comment_id: created.id, body: "<!-- ai-gaps -->\nupdated" });
    const { data: listed } = await octokit.rest.issues.listComments({ owner: "acme", repo: "shop", issue_number: pr.number });
    expect(listed.map((c) => c.body)).toEqual(["<!-- ai-gaps -->\nupdated"]);

    const from = fake.editIssueComment(created.id, "<!-- ai-gaps -->\n- [x] ticked");
    const payload = issueCommentEvent(fake, fake.commentsOn(REPO, pr.number)[0], "edited", { sender: "reviewer", from });
    expect(payload.changes.body.from).toBe("<!-- ai-gaps -->\nupdated");
    expect(payload.comment.body).toBe("<!-- ai-gaps -->\n- [x] ticked");
    expect(payload.issue.pull_request.url).toContain(`/pulls/${pr.number}`);
    expect(payload.installation.id).toBe(1);
    expect(fake.violations).toEqual([]);
  });

  it("serves blobs by <sha>:<path> over GraphQL aliases, with binary and truncated blobs flagged", async () => {
    await fake.close();
    fake = await FakeGitHub.start({ graphqlTruncateBytes: 10 });
    fake.addRepo({ owner: "acme", name: "shop" });
    const pr = fake.openPullRequest(REPO, { files: { "a.ts": "short\n", "big.ts": "0123456789abcdef\n", "img.png": Buffer.from([137, 80, 0, 1]) } });
    const octokit = octokitFor(fake);
    const result = await octokit.graphql<{ repository: Record<string, { text: string | null; isBinary: boolean; isTruncated: boolean; byteSize: number } | null> }>(
      `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) {
        f0: object(expression: "${pr.headSha}:a.ts") { ... on Blob { text isBinary isTruncated byteSize } }
        f1: object(expression: "${pr.headSha}:big.ts") { ... on Blob { text isBinary isTruncated byteSize } }
        f2: object(expression: "${pr.headSha}:img.png") { ... on Blob { text isBinary isTruncated byteSize } }
        f3: object(expression: "${pr.headSha}:missing.ts") { ... on Blob { text } }
      } }`,
      { owner: "acme", name: "shop" },
    );
    expect(result.repository.f0).toMatchObject({ text: "short\n", isBinary: false, isTruncated: false, byteSize: 6 });
    expect(result.repository.f1).toMatchObject({ text: "0123456789", isTruncated: true, byteSize: 17 });
    expect(result.repository.f2).toMatchObject({ text: null, isBinary: true });
    expect(result.repository.f3).toBeNull();
    expect(fake.requests.map((r) => r.route)).toEqual(["POST /graphql"]);
    // The REST fallback for a truncated blob.
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: "acme", repo: "shop", pull_number: pr.number });
    const big = files.find((f) => f.filename === "big.ts")!;
    const { data: blob } = await octokit.rest.git.getBlob({ owner: "acme", repo: "shop", file_sha: big.sha! });
    expect(Buffer.from(blob.content, "base64").toString()).toBe("0123456789abcdef\n");
    expect(files.find((f) => f.filename === "img.png")!.patch).toBeUndefined();
    expect(fake.violations).toEqual([]);
  });

  it("serves contents raw and as JSON, and Probot's config plugin falls back to the owner's .github repository", async () => {
    fake.addRepo({ owner: "acme", name: ".github", files: { ".github/ai-gaps.yml": "gate:\n  mode: advisory\n" } });
    const octokit = octokitFor(fake);
    const fromOrg = await octokit.config.get({ owner: "acme", repo: "shop", path: ".github/ai-gaps.yml" });
    expect(fromOrg.config).toEqual({ gate: { mode: "advisory" } });
    expect(fromOrg.files.map((f) => `${f.owner}/${f.repo}`)).toEqual(["acme/shop", "acme/.github"]);

    fake.setConfig(REPO, "_extends: .github\nannotations:\n  max: 5\n");
    const own = await octokit.config.get({ owner: "acme", repo: "shop", path: ".github/ai-gaps.yml" });
    expect(own.config).toEqual({ gate: { mode: "advisory" }, annotations: { max: 5 } });

    const { data } = await octokit.rest.repos.getContent({ owner: "acme", repo: "shop", path: "src/a.ts" });
    expect(Buffer.from((data as { content: string }).content, "base64").toString()).toBe("export const a = 1;\n");
    const { data: tree } = await octokit.rest.git.getTree({ owner: "acme", repo: "shop", tree_sha: "main", recursive: "1" });
    expect(tree.tree.filter((e) => e.type === "blob").map((e) => e.path)).toEqual([".github/ai-gaps.yml", "README.md", "src/a.ts"]);
    expect(fake.violations).toEqual([]);
  });

  it("answers permissions and team membership", async () => {
    fake.setPermission(REPO, "reader", "read");
    fake.setPermission(REPO, "maintainer", "maintain");
    fake.addTeamMember("acme", "security", "alice");
    const octokit = octokitFor(fake);
    const perm = async (username: string) =>
      (await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: "acme", repo: "shop", username })).data.permission;
    expect(await perm("reader")).toBe("read");
    expect(await perm("maintainer")).toBe("write");
    expect(await perm("acme")).toBe("admin");
    fake.user("stranger");
    expect(await perm("stranger")).toBe("none");
    expect(await status(octokit.rest.teams.getMembershipForUserInOrg({ org: "acme", team_slug: "security", username: "alice" }))).toBe(200);
    expect(await status(octokit.rest.teams.getMembershipForUserInOrg({ org: "acme", team_slug: "security", username: "bob" }))).toBe(404);
    expect(fake.violations).toEqual([]);
  });

  it("injects N x 502, secondary rate limits with retry-after, and latency per route", async () => {
    const octokit = octokitFor(fake);
    fake.fail("repos/get", { times: 2 });
    expect(await status(octokit.rest.repos.get({ owner: "acme", repo: "shop" }))).toBe(502);
    expect(await status(octokit.rest.repos.get({ owner: "acme", repo: "shop" }))).toBe(502);
    expect(await status(octokit.rest.repos.get({ owner: "acme", repo: "shop" }))).toBe(200);

    fake.secondaryRateLimit("GET /repos/{owner}/{repo}", { retryAfter: 3 });
    const error = (await octokit.rest.repos.get({ owner: "acme", repo: "shop" }).catch((e: unknown) => e)) as {
      status: number;
      response: { headers: Record<string, string>; data: { message: string } };
    };
    expect(error.status).toBe(403);
    expect(error.response.headers["retry-after"]).toBe("3");
    expect(error.response.data.message).toMatch(/secondary rate limit/);

    fake.latency("repos/get", 50);
    await octokit.rest.repos.get({ owner: "acme", repo: "shop" });
    const last = fake.requests[fake.requests.length - 1];
    expect(last.answeredAt - last.receivedAt).toBeGreaterThanOrEqual(45);
    expect(fake.requestsTo("repos/get")).toHaveLength(5);
    expect(fake.countByRoute()).toEqual({ "GET /repos/{owner}/{repo}": 5 });
    expect(fake.violations).toEqual([]);
  });

  it("issues installation tokens for a valid app JWT only, and requires a token elsewhere", async () => {
    const { privateKey } = appKeys();
    const res = await fetch(`${fake.baseUrl}/app/installations/1/access_tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${jwt(fake.appId, privateKey)}`, accept: "application/vnd.github+json" },
    });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    const ok = await fetch(`${fake.baseUrl}/repos/acme/shop`, { headers: { authorization: `token ${token}` } });
    expect(ok.status).toBe(200);
    expect(fake.violations).toEqual([]);

    const forged = await fetch(`${fake.baseUrl}/app/installations/1/access_tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${jwt(fake.appId + 1, privateKey)}` },
    });
    expect(forged.status).toBe(401);
    const anonymous = await fetch(`${fake.baseUrl}/repos/acme/shop`);
    expect(anonymous.status).toBe(401);
    expect(fake.violations.map((v) => v.kind)).toEqual(["auth", "auth"]);
  });

  it("builds webhook payloads from GitHub's examples around the fake's state, and signs deliveries", async () => {
    const pr = fake.openPullRequest(REPO, { files: { "src/b.ts": "b\n" }, title: "Add b", author: "dev" });
    const before = pr.headSha;
    fake.push(REPO, pr.number, { "src/b.ts": "bb\n" });
    const sync = pullRequestEvent(fake, pr, "synchronize");
    expect(sync).toMatchObject({ action: "synchronize", number: pr.number, before, after: pr.headSha, installation: { id: 1 } });
    expect(sync.pull_request.head.sha).toBe(pr.headSha);
    expect(sync.repository.full_name).toBe(REPO);
    expect(sync.sender.login).toBe("dev");

    const octokit = octokitFor(fake);
    const { data: run } = await octokit.rest.checks.create({ owner: "acme", repo: "shop", name: "ai-gaps", head_sha: pr.headSha });
    const action = checkRunEvent(fake, fake.checkRunsFor(REPO)[0], "requested_action", { identifier: "rerun" });
    expect(action.check_run.id).toBe(run.id);
    expect(action.requested_action).toEqual({ identifier: "rerun" });

    const received: { signature: string; body: string; event: string }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c));
      req.on("end", () => {
        received.push({ signature: String(req.headers["x-hub-signature-256"]), body, event: String(req.headers["x-github-event"]) });
        res.writeHead(202).end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const delivery = await deliver(url, "s3cret", "pull_request", sync);
      expect(delivery.status).toBe(202);
      await deliver(url, "s3cret", "pull_request", sync, { secret: "wrong" });
      expect(await verify("s3cret", received[0].body, received[0].signature)).toBe(true);
      expect(await verify("s3cret", received[1].body, received[1].signature)).toBe(false);
      expect(received[0].event).toBe("pull_request");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("lets a test replace or add a route handler", async () => {
    const pr = fake.openPullRequest(REPO, { files: { "src/b.ts": "b\n" } });
    fake.route("pulls/list", () => ({ status: 200, body: [{ number: 999 }] }));
    const octokit = octokitFor(fake);
    const { data } = await octokit.rest.pulls.list({ owner: "acme", repo: "shop" });
    expect(data.map((p) => p.number)).toEqual([999]);
    expect(pr.number).toBe(1);
    expect(() => fake.route("GET /nope", () => ({ status: 200 }))).toThrow(/OpenAPI fixture/);
  });
});
