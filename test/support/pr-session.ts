// The end-to-end tests' common moves on one repository: start the app and the fake for each test (and check
// every request against the API description after it), open a PR, read its check run and checklist, tick
// items, tick dismissal boxes, push. Each move delivers the webhook GitHub would send and waits for the app.
import { afterEach, beforeEach, expect } from "@jest/globals";
import { clearPermissionCache } from "../../src/github/permissions.js";
import { E2E, type E2EOptions } from "./e2e.js";
import type { CheckRun, FakeGitHub, IssueComment, Permission, PullRequest, ReviewComment } from "./fake-github.js";
import { issueCommentEvent, pullRequestEvent, reviewCommentEvent } from "./payloads.js";

export const REPO = "acme/shop";

/** The repository every session starts with. */
const FILES = { "README.md": "# shop\n", "src/util.ts": "export const id = (x: string) => x;\n" };

export interface SessionOptions extends E2EOptions {
  /** Collaborators and their permission, set before each PR is opened. */
  people?: Record<string, Permission>;
}

export interface Session {
  /** The rig of the running test, and its fake GitHub. */
  readonly e2e: E2E;
  readonly fake: FakeGitHub;
  open(files: Record<string, string | Buffer | null>, options?: { title?: string; author?: string }): Promise<PullRequest>;
  /** Pushes a commit to the PR and delivers `synchronize`. */
  push(pr: PullRequest, files: Record<string, string | Buffer | null>): Promise<string>;
  /** Delivers `synchronize` for the PR's head as it is now (after a push made on the fake). */
  synchronize(pr: PullRequest): Promise<void>;
  /** The latest completed ai-gaps run on the PR's head. */
  run(pr: PullRequest): CheckRun;
  /** The app's checklist comment (there is exactly one). */
  checklist(pr: PullRequest): IssueComment;
  /** Edits the checklist as `sender` would in the UI (`base`: the body the edit starts from), then delivers it. */
  editChecklist(pr: PullRequest, edit: (body: string) => string, sender: string, options?: { id?: string; base?: string }): Promise<Record<string, unknown>>;
  /** Ticks the items `ids` ("all": every item) as `sender`. */
  tick(pr: PullRequest, ids: string[] | "all", sender: string, base?: string): Promise<void>;
  /** Ticks one dismissal reason on an inline comment as `sender`; returns the comment as the app left it. */
  dismissInline(pr: PullRequest, comment: ReviewComment, sender: string, label?: string): Promise<ReviewComment>;
  /** The app's inline comments on failure findings that are still found. */
  failureComments(pr: PullRequest): ReviewComment[];
  /** "N failure findings open" from the check run's summary (0 when it says none). */
  openFailures(pr: PullRequest): number;
}

/** Ticks the boxes of the items `ids` in a checklist body. */
export function tickItems(body: string, ids: string[] | "all"): string {
  return body
    .split("\n")
    .map((l) => {
      const m = /<!-- ai-gaps:item id=([a-z0-9.-]+)/.exec(l);
      return m && (ids === "all" || ids.includes(m[1])) ? l.replace("- [ ]", "- [x]") : l;
    })
    .join("\n");
}

/** Ids of the ticked items of a checklist body. */
export const tickedItems = (body: string) => [...body.matchAll(/- \[x\] .*<!-- ai-gaps:item id=([a-z0-9.-]+)/g)].map((m) => m[1]);

/** A fresh app and fake GitHub per test (jest hooks), with `acme/shop` and the people of `options`. */
export function prSession(options: SessionOptions = {}): Session {
  let e2e: E2E;
  beforeEach(async () => {
    clearPermissionCache();
    e2e = await E2E.start(options);
    e2e.fake.addRepo({ owner: "acme", name: "shop", files: FILES });
  });
  afterEach(async () => {
    const violations = e2e.fake.violations;
    await e2e.stop();
    expect(violations).toEqual([]);
  });

  const deliver = async (event: string, payload: Record<string, unknown>, id?: string) => {
    const delivery = await e2e.deliver(event, payload, { id });
    expect(delivery.status).toBeLessThan(300);
    await e2e.idle();
  };

  const session: Session = {
    get e2e() {
      return e2e;
    },
    get fake() {
      return e2e.fake;
    },
    async open(files, { title = "A change", author } = {}) {
      const pr = e2e.fake.openPullRequest(REPO, { title, files, ...(author ? { author } : {}) });
      for (const [login, permission] of Object.entries(options.people ?? {})) e2e.fake.setPermission(REPO, login, permission);
      await deliver("pull_request", pullRequestEvent(e2e.fake, pr, "opened"));
      return pr;
    },
    async push(pr, files) {
      const sha = e2e.fake.push(REPO, pr.number, files);
      await session.synchronize(pr);
      return sha;
    },
    async synchronize(pr) {
      await deliver("pull_request", pullRequestEvent(e2e.fake, pr, "synchronize"));
    },
    run(pr) {
      const runs = e2e.fake.checkRunsFor(REPO, { headSha: pr.headSha }).filter((r) => r.status === "completed");
      return runs[runs.length - 1];
    },
    checklist(pr) {
      const comments = e2e.fake.commentsOn(REPO, pr.number);
      expect(comments).toHaveLength(1);
      return comments[0];
    },
    async editChecklist(pr, edit, sender, { id, base } = {}) {
      const comment = session.checklist(pr);
      const from = e2e.fake.editIssueComment(comment.id, edit(base ?? comment.body));
      const payload = issueCommentEvent(e2e.fake, comment, "edited", { sender, from });
      await deliver("issue_comment", payload, id);
      return payload;
    },
    async tick(pr, ids, sender, base) {
      await session.editChecklist(pr, (b) => tickItems(b, ids), sender, { base });
    },
    async dismissInline(pr, comment, sender, label = "accepted risk") {
      const from = e2e.fake.editReviewComment(comment.id, comment.body.replace(`- [ ] Dismiss: ${label}`, `- [x] Dismiss: ${label}`));
      await deliver("pull_request_review_comment", reviewCommentEvent(e2e.fake, comment, "edited", { sender, from }));
      return e2e.fake.reviewCommentsOn(REPO, pr.number).find((c) => c.id === comment.id)!;
    },
    failureComments(pr) {
      return e2e.fake.reviewCommentsOn(REPO, pr.number).filter((c) => c.body.includes("severity=failure") && !c.body.startsWith("**No longer found"));
    },
    openFailures(pr) {
      return Number(/(\d+) failure findings? open/.exec(session.run(pr).output.summary!)?.[1] ?? 0);
    },
  };
  return session;
}
