// Webhook payloads from @octokit/webhooks-examples (GitHub's real payload shapes), with the repository,
// pull request, comment and check run replaced by the fake GitHub's state and an `installation` added
// where the example has none.
import { createRequire } from "node:module";
import type { CheckRun, FakeGitHub, IssueComment, PullRequest, Repo, ReviewComment } from "./fake-github.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface ExampleGroup {
  name: string;
  examples: Json[];
}

const require = createRequire(import.meta.url);
const groups = require("@octokit/webhooks-examples") as ExampleGroup[];

/** A deep copy of the first example of `event` with `action` (or the first example of the event). */
export function example(event: string, action?: string): Json {
  const group = groups.find((g) => g.name === event);
  if (!group) throw new Error(`no webhook examples for ${event}`);
  const found = (action && group.examples.find((e) => e.action === action)) || group.examples[0];
  return structuredClone(found);
}

function installation(repo: Repo): Json {
  return { id: repo.installationId, node_id: `MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u${repo.installationId}` };
}

function common(fake: FakeGitHub, repo: Repo, sender: string): Json {
  return {
    repository: fake.repoJson(repo),
    organization: undefined,
    installation: installation(repo),
    sender: fake.userJson(fake.user(sender)),
  };
}

/** `pull_request` event for the fake's PR as it is now. `before` is for synchronize. */
export function pullRequestEvent(
  fake: FakeGitHub,
  pr: PullRequest,
  action: "opened" | "synchronize" | "reopened" | "ready_for_review" | "edited" | "closed" | "converted_to_draft",
  options: { sender?: string; before?: string; changes?: Json } = {},
): Json {
  const payload = example("pull_request", action);
  payload.action = action;
  payload.number = pr.number;
  payload.pull_request = { ...payload.pull_request, ...fake.pullJson(pr) };
  Object.assign(payload, common(fake, pr.repo, options.sender ?? pr.user.login));
  delete payload.organization;
  if (action === "synchronize") {
    payload.before = options.before ?? pr.commits[pr.commits.length - 2] ?? pr.baseSha;
    payload.after = pr.headSha;
  }
  if (action === "edited") payload.changes = options.changes ?? { body: { from: "" } };
  return payload;
}

/** `issue_comment` event on a PR's conversation; for `edited`, `from` is the body before the edit. */
export function issueCommentEvent(
  fake: FakeGitHub,
  comment: IssueComment,
  action: "created" | "edited" | "deleted",
  options: { sender?: string; from?: string } = {},
): Json {
  const payload = example("issue_comment", action);
  const pr = fake.getPull(comment.repo.fullName, comment.issueNumber);
  const prJson = fake.pullJson(pr);
  payload.action = action;
  payload.issue = {
    ...payload.issue,
    url: `${fake.baseUrl}/repos/${pr.repo.fullName}/issues/${pr.number}`,
    id: pr.id,
    number: pr.number,
    title: pr.title,
    body: pr.body,
    user: prJson.user,
    state: pr.state,
    draft: pr.draft,
    pull_request: { url: prJson.url, html_url: prJson.html_url },
  };
  payload.comment = fake.issueCommentJson(comment);
  Object.assign(payload, common(fake, pr.repo, options.sender ?? comment.user.login));
  delete payload.organization;
  if (action === "edited") payload.changes = { body: { from: options.from ?? "" } };
  else delete payload.changes;
  return payload;
}

/** `pull_request_review_comment` event; for `edited`, `from` is the body before the edit. */
export function reviewCommentEvent(
  fake: FakeGitHub,
  comment: ReviewComment,
  action: "created" | "edited" | "deleted",
  options: { sender?: string; from?: string } = {},
): Json {
  const payload = example("pull_request_review_comment", action);
  const pr = fake.getPull(comment.repo.fullName, comment.pullNumber);
  payload.action = action;
  payload.comment = fake.reviewCommentJson(comment);
  payload.pull_request = { ...payload.pull_request, ...fake.pullJson(pr) };
  Object.assign(payload, common(fake, pr.repo, options.sender ?? comment.user.login));
  delete payload.organization;
  if (action === "edited") payload.changes = { body: { from: options.from ?? "" } };
  else delete payload.changes;
  return payload;
}

/** `check_run` event (`requested_action` with an identifier, or `rerequested`). */
export function checkRunEvent(
  fake: FakeGitHub,
  run: CheckRun,
  action: "requested_action" | "rerequested" | "created" | "completed",
  options: { sender?: string; identifier?: string } = {},
): Json {
  const payload = example("check_run", action);
  payload.action = action;
  payload.check_run = { ...payload.check_run, ...fake.checkRunJson(run) };
  payload.check_run.check_suite = { ...payload.check_run.check_suite, id: run.checkSuiteId, head_sha: run.headSha, pull_requests: payload.check_run.pull_requests };
  Object.assign(payload, common(fake, run.repo, options.sender ?? run.repo.owner));
  delete payload.organization;
  if (action === "requested_action") payload.requested_action = { identifier: options.identifier ?? "rerun" };
  else delete payload.requested_action;
  return payload;
}

/** `check_suite` event for the suite of `headSha`. */
export function checkSuiteEvent(
  fake: FakeGitHub,
  pr: PullRequest,
  action: "rerequested" | "requested" | "completed",
  options: { sender?: string } = {},
): Json {
  const payload = example("check_suite", action);
  const prJson = fake.pullJson(pr);
  payload.action = action;
  payload.check_suite = {
    ...payload.check_suite,
    head_sha: pr.headSha,
    head_branch: pr.headRef,
    before: pr.baseSha,
    after: pr.headSha,
    pull_requests: [{ id: pr.id, number: pr.number, url: prJson.url, head: { ref: pr.headRef, sha: pr.headSha }, base: { ref: pr.baseRef, sha: pr.baseSha } }],
    app: { ...(payload.check_suite?.app ?? {}), id: fake.appId, slug: fake.appSlug },
  };
  Object.assign(payload, common(fake, pr.repo, options.sender ?? pr.user.login));
  delete payload.organization;
  return payload;
}

/**
 * `merge_group.checks_requested` for a queue entry holding `prs` (the merge group's head commit is made
 * in the fake on a gh-readonly-queue branch with the PRs' head files merged in).
 */
export function mergeGroupEvent(fake: FakeGitHub, prs: PullRequest[], options: { sender?: string } = {}): Json {
  const repo = prs[0].repo;
  const payload = example("merge_group", "checks_requested");
  const baseSha = repo.branches.get(repo.defaultBranch)!;
  const files: Record<string, Buffer | null> = {};
  for (const pr of prs) {
    const base = fake.filesAt(pr.baseSha);
    const head = fake.filesAt(pr.headSha);
    for (const [path, content] of head) if (!base.get(path)?.equals(content)) files[path] = content;
    for (const path of base.keys()) if (!head.has(path)) files[path] = null;
  }
  const last = prs[prs.length - 1];
  const headRef = `gh-readonly-queue/${repo.defaultBranch}/pr-${last.number}-${last.headSha}`;
  repo.branches.set(headRef, baseSha);
  const headSha = fake.commit(repo.fullName, headRef, files, `Merge pull request #${last.number}`);
  payload.action = "checks_requested";
  payload.merge_group = {
    ...payload.merge_group,
    head_sha: headSha,
    head_ref: `refs/heads/${headRef}`,
    base_sha: baseSha,
    base_ref: `refs/heads/${repo.defaultBranch}`,
    head_commit: { ...payload.merge_group.head_commit, id: headSha, message: `Merge pull request #${last.number}` },
  };
  Object.assign(payload, common(fake, repo, options.sender ?? repo.owner));
  delete payload.organization;
  return payload;
}
