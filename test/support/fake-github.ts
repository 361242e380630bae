// A loopback fake of the GitHub REST and GraphQL APIs, for end-to-end tests and the benchmark.
//
// - Every request is checked against GitHub's OpenAPI request schemas (test/fixtures/openapi-requests.json,
//   extracted by scripts/extract-openapi.ts): an unknown route is 404, a parameter or body that does not
//   match is 422, and both are recorded in `violations`, which every test asserts is empty.
// - It keeps state the way GitHub does: repositories with commits and branches, pull requests whose files
//   and patches are computed from the commits, blobs, trees, contents (raw and JSON), check runs with
//   annotations appended across updates (50 per request), issue comments, reviews and review comments
//   (422 for a line outside the diff), collaborator permissions, team memberships, installation tokens,
//   and GraphQL's aliased `object(expression: "<sha>:<path>")` blob queries.
// - Faults can be injected per route: N x 5xx, secondary rate limits (403 + retry-after), latency.
// - Every request is recorded (method, route, params, body, status, time).
//
// Serve it as the GitHub Enterprise host of the app: GHE_HOST=127.0.0.1:<port>, GHE_PROTOCOL=http
// (REST under /api/v3, GraphQL at /api/graphql). Extend it with `route()` for new endpoints.
import { createHash, createPublicKey, randomBytes, verify as verifySignature, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { parsePatch, unifiedPatch } from "./diff.js";

// ajv-formats is CommonJS; its default export arrives wrapped under ESM interop in some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

// ---------------------------------------------------------------------------------------------------
// Types

export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface User {
  login: string;
  id: number;
  type: "User" | "Bot";
}

export interface Commit {
  sha: string;
  treeSha: string;
  message: string;
  parents: string[];
  author: User;
  date: string;
  /** path -> blob sha */
  files: Map<string, string>;
}

export interface Repo {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  defaultBranch: string;
  private: boolean;
  installationId: number;
  branches: Map<string, string>;
  permissions: Map<string, Permission>;
}

export interface PullRequest {
  repo: Repo;
  id: number;
  number: number;
  title: string;
  body: string | null;
  draft: boolean;
  state: "open" | "closed";
  user: User;
  headRef: string;
  headSha: string;
  baseRef: string;
  /** The merge base the files are diffed against. */
  baseSha: string;
  /** Commits of the PR, oldest first. */
  commits: string[];
  createdAt: string;
  updatedAt: string;
}

export interface CheckRun {
  id: number;
  repo: Repo;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  startedAt: string | null;
  completedAt: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: Record<string, unknown>[];
  actions: Record<string, unknown>[];
  /** Every create/update body, in order. */
  history: Record<string, unknown>[];
  checkSuiteId: number;
  /** The app that owns the run; this app when unset. Other CI (GitHub Actions, ...) is added by addCiRun. */
  app?: { id: number; slug: string };
  /** The job log GitHub Actions serves for the run (its check run id is the job id). */
  log?: string;
}

export interface IssueComment {
  id: number;
  repo: Repo;
  issueNumber: number;
  body: string;
  user: User;
  createdAt: string;
  updatedAt: string;
  /** Every body the comment had, oldest first (the current one last). */
  history: string[];
}

export interface Review {
  id: number;
  repo: Repo;
  pullNumber: number;
  body: string;
  state: string;
  commitId: string;
  user: User;
  submittedAt: string;
}

export interface ReviewComment {
  id: number;
  repo: Repo;
  pullNumber: number;
  reviewId: number | null;
  path: string;
  line: number | null;
  side: string;
  startLine: number | null;
  startSide: string | null;
  body: string;
  commitId: string;
  user: User;
  createdAt: string;
  updatedAt: string;
  history: string[];
}

export interface RecordedRequest {
  method: string;
  /** The path as requested, without the /api/v3 prefix, with the query string. */
  url: string;
  /** "METHOD /template" of the matched operation, or "POST /graphql", or undefined for unknown routes. */
  route?: string;
  operationId?: string;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  status: number;
  /** performance.now() when the request arrived and when it was answered. */
  receivedAt: number;
  answeredAt: number;
}

export interface Violation {
  kind: "unknown-route" | "unimplemented" | "schema" | "auth" | "graphql";
  method: string;
  url: string;
  route?: string;
  message: string;
}

export interface FakeRequest {
  method: string;
  route: string;
  operationId?: string;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The repository named by {owner}/{repo}, when the route has them and it exists. */
  repo?: Repo;
  /** The installation the request's token belongs to, if any. */
  installationId?: number;
  /** Base URL for links in responses (http://127.0.0.1:port/api/v3). */
  baseUrl: string;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: FakeRequest, fake: FakeGitHub) => FakeResponse | Promise<FakeResponse>;

/** Thrown by handlers for a GitHub-style error response. */
export class GitHubError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: unknown[],
  ) {
    super(message);
  }
}

interface Fault {
  route: string;
  remaining: number;
  respond: () => FakeResponse;
}

interface Delay {
  route: string;
  ms: number;
}

interface CompiledOperation {
  operationId: string;
  method: string;
  template: string;
  route: string;
  regex: RegExp;
  names: string[];
  validateParams: ValidateFunction;
  validateQuery: ValidateFunction;
  validateBody?: ValidateFunction;
  bodyRequired: boolean;
}

interface Fixture {
  source: { package: string; version: string };
  operations: {
    operationId: string;
    method: string;
    path: string;
    pathParams: Record<string, unknown>;
    queryParams: Record<string, { required: boolean; schema: unknown }>;
    body: { required: boolean; contentType: string; schema: unknown } | null;
  }[];
  graphql: { body: unknown };
}

export interface FakeGitHubOptions {
  /** The app's slug: comments, reviews and check runs it creates are by `<slug>[bot]`. Default "ai-gaps". */
  appSlug?: string;
  appId?: number;
  /** PEM public key of the app: when given, JWTs on /app routes are verified with it. */
  appPublicKey?: string | KeyObject;
  /** GraphQL `Blob.text` is truncated (and `isTruncated` set) past this many bytes. Default 512 KiB. */
  graphqlTruncateBytes?: number;
  /** `patch` is left out of a file's entry when it is longer than this (GitHub does so). Default 1 MB. */
  maxPatchBytes?: number;
}

const FIXTURE_URL = new URL("../fixtures/openapi-requests.json", import.meta.url);
const SECONDARY_RATE_LIMIT_MESSAGE =
  "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
  "If you reach out to GitHub Support for help, please include the request ID.";

// ---------------------------------------------------------------------------------------------------
// Helpers

export function gitBlobSha(content: Buffer): string {
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}

function toBuffer(content: string | Buffer): Buffer {
  return typeof content === "string" ? Buffer.from(content, "utf8") : content;
}

function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

function compileTemplate(template: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  let source = "";
  let rest = template;
  while (rest.length) {
    const m = /^\{(\w+)\}/.exec(rest);
    if (m) {
      names.push(m[1]);
      // {path} and {ref} may contain slashes; {base}...{head} are separated by dots.
      source += m[1] === "path" || m[1] === "ref" ? "(.+)" : m[1] === "base" ? "(.+?)" : "([^/]+)";
      rest = rest.slice(m[0].length);
    } else {
      source += rest[0].replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      rest = rest.slice(1);
    }
  }
  return { regex: new RegExp(`^${source}$`), names };
}

// ---------------------------------------------------------------------------------------------------

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly violations: Violation[] = [];
  readonly repos = new Map<string, Repo>();
  readonly commits = new Map<string, Commit>();
  readonly blobs = new Map<string, Buffer>();
  readonly pulls: PullRequest[] = [];
  readonly checkRuns: CheckRun[] = [];
  readonly issueComments: IssueComment[] = [];
  readonly reviews: Review[] = [];
  readonly reviewComments: ReviewComment[] = [];
  /** "org/team-slug" -> logins */
  readonly teams = new Map<string, Set<string>>();
  /** Installation tokens issued: token -> installation id. */
  readonly tokens = new Map<string, number>();
  readonly users = new Map<string, User>();
  readonly bot: User;
  readonly appSlug: string;
  readonly appId: number;
  readonly fixtureVersion: string;

  private server?: Server;
  private port = 0;
  private nextId = 1000;
  private readonly operations: CompiledOperation[] = [];
  private readonly validateGraphql: ValidateFunction;
  private readonly handlers = new Map<string, Handler>();
  private readonly faults: Fault[] = [];
  private readonly delays: Delay[] = [];
  private readonly publicKey?: KeyObject;
  private readonly truncateBytes: number;
  private readonly maxPatchBytes: number;

  constructor(options: FakeGitHubOptions = {}) {
    this.appSlug = options.appSlug ?? "ai-gaps";
    this.appId = options.appId ?? 4242;
    this.truncateBytes = options.graphqlTruncateBytes ?? 512 * 1024;
    this.maxPatchBytes = options.maxPatchBytes ?? 1024 * 1024;
    if (options.appPublicKey) {
      this.publicKey = typeof options.appPublicKey === "string" ? createPublicKey(options.appPublicKey) : options.appPublicKey;
    }
    this.bot = { login: `${this.appSlug}[bot]`, id: 9_000_001, type: "Bot" };
    this.users.set(this.bot.login, this.bot);

    const fixture = JSON.parse(readFileSync(FIXTURE_URL, "utf8")) as Fixture;
    this.fixtureVersion = `${fixture.source.package}@${fixture.source.version}`;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const coercing = new Ajv({ strict: false, allErrors: true, coerceTypes: true });
    addFormats(coercing);
    for (const op of fixture.operations) {
      const { regex, names } = compileTemplate(op.path);
      const queryRequired = Object.entries(op.queryParams).filter(([, p]) => p.required).map(([n]) => n);
      this.operations.push({
        operationId: op.operationId,
        method: op.method,
        template: op.path,
        route: `${op.method} ${op.path}`,
        regex,
        names,
        validateParams: coercing.compile({ type: "object", properties: op.pathParams, required: Object.keys(op.pathParams) }),
        validateQuery: coercing.compile({
          type: "object",
          properties: Object.fromEntries(Object.entries(op.queryParams).map(([n, p]) => [n, p.schema])),
          required: queryRequired,
        }),
        validateBody: op.body ? ajv.compile(op.body.schema as object) : undefined,
        bodyRequired: !!op.body?.required,
      });
    }
    // Most specific first: /commits/{ref}/check-runs before /commits/{ref} (whose {ref} may hold slashes).
    const literal = (template: string): number => template.replace(/\{\w+\}/g, "").length;
    this.operations.sort((a, b) => literal(b.template) - literal(a.template));
    this.validateGraphql = ajv.compile(fixture.graphql.body as object);
    this.registerBuiltins();
  }

  // -------------------------------------------------------------------------------------------------
  // Lifecycle

  static async start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    const fake = new FakeGitHub(options);
    await fake.listen();
    return fake;
  }

  async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify({ message: `fake GitHub crashed: ${String((error as Error)?.stack ?? error)}` }));
      });
    });
    // Past undici's 1 s threshold: a keep-alive hint of timeout=1 makes fetch close every connection after one request.
    this.server.keepAliveTimeout = 10_000;
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** "127.0.0.1:<port>": Probot's GHE_HOST. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** REST base URL, as Octokit sees it under GHE. */
  get baseUrl(): string {
    return `http://${this.host}/api/v3`;
  }

  /** The environment that points Probot at this fake. */
  env(): Record<string, string> {
    return { GHE_HOST: this.host, GHE_PROTOCOL: "http" };
  }

  // -------------------------------------------------------------------------------------------------
  // Extension and fault injection

  /**
   * Handle a route with your own code (replacing the built-in handler, if any). `route` is an operation id
   * from the fixture ("pulls/list") or "METHOD /template" ("GET /repos/{owner}/{repo}/pulls"). The request
   * is still validated against the fixture first; the route must be in it (add it to
   * scripts/extract-openapi.ts and re-run the script).
   */
  route(route: string, handler: Handler): void {
    this.handlers.set(this.routeKey(route), handler);
  }

  /** The next `times` requests to `route` (or "*") answer `status` (default 502). */
  fail(route: string, options: { times?: number; status?: number; message?: string } = {}): void {
    const status = options.status ?? 502;
    this.faults.push({
      route: route === "*" ? "*" : this.routeKey(route),
      remaining: options.times ?? 1,
      respond: () => ({ status, body: { message: options.message ?? (status === 502 ? "Server Error" : `fault ${status}`) } }),
    });
  }

  /** The next `times` requests to `route` hit a secondary rate limit: 403 with `retry-after`. */
  secondaryRateLimit(route: string, options: { times?: number; retryAfter?: number } = {}): void {
    this.faults.push({
      route: route === "*" ? "*" : this.routeKey(route),
      remaining: options.times ?? 1,
      respond: () => ({
        status: 403,
        headers: { "retry-after": String(options.retryAfter ?? 1), "x-ratelimit-remaining": "4000" },
        body: {
          message: SECONDARY_RATE_LIMIT_MESSAGE,
          documentation_url:
            "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
        },
      }),
    });
  }

  /** Add `ms` of latency to every request to `route` (or "*"). */
  latency(route: string, ms: number): void {
    this.delays.push({ route: route === "*" ? "*" : this.routeKey(route), ms });
  }

  /** Remove all faults and latency. */
  clearFaults(): void {
    this.faults.length = 0;
    this.delays.length = 0;
  }

  private routeKey(route: string): string {
    if (route === "POST /graphql") return route;
    const op = this.operations.find((o) => o.operationId === route || o.route === route);
    if (!op) throw new Error(`fake GitHub: no operation ${route} in the OpenAPI fixture (see scripts/extract-openapi.ts)`);
    return op.route;
  }

  // -------------------------------------------------------------------------------------------------
  // Assertions

  /** Requests to a route (operation id or "METHOD /template"), optionally filtered. */
  requestsTo(route: string, filter?: (r: RecordedRequest) => boolean): RecordedRequest[] {
    const key = this.routeKey(route);
    return this.requests.filter((r) => r.route === key && (!filter || filter(r)));
  }

  /** Request counts by route, most frequent first. */
  countByRoute(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.requests) counts[r.route ?? `${r.method} ${r.url}`] = (counts[r.route ?? `${r.method} ${r.url}`] ?? 0) + 1;
    return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]));
  }

  /** Wait until `predicate` holds (polling), or throw after `timeoutMs`. */
  async waitFor<T>(predicate: () => T | undefined | false | null, timeoutMs = 20_000, what = "condition"): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`fake GitHub: timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Wait until no request has arrived for `quietMs` (the app has gone idle). */
  async settle(quietMs = 300, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const last = this.requests.length ? this.requests[this.requests.length - 1].answeredAt : 0;
      const pending = this.inFlight;
      if (!pending && performance.now() - last >= quietMs) return;
      if (Date.now() > deadline) throw new Error("fake GitHub: the app did not go idle");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private inFlight = 0;

  // -------------------------------------------------------------------------------------------------
  // State setup

  user(login: string, type: "User" | "Bot" = "User"): User {
    let user = this.users.get(login);
    if (!user) {
      user = { login, id: this.id(), type };
      this.users.set(login, user);
    }
    return user;
  }

  /** Create a repository with an initial commit of `files` on the default branch. */
  addRepo(spec: {
    owner: string;
    name: string;
    defaultBranch?: string;
    files?: Record<string, string | Buffer>;
    private?: boolean;
    installationId?: number;
  }): Repo {
    const repo: Repo = {
      id: this.id(),
      owner: spec.owner,
      name: spec.name,
      fullName: `${spec.owner}/${spec.name}`,
      defaultBranch: spec.defaultBranch ?? "main",
      private: spec.private ?? false,
      installationId: spec.installationId ?? 1,
      branches: new Map(),
      permissions: new Map(),
    };
    this.repos.set(repo.fullName.toLowerCase(), repo);
    this.user(spec.owner);
    const sha = this.createCommit({ parent: undefined, files: spec.files ?? { "README.md": `# ${spec.name}\n` }, message: "Initial commit" });
    repo.branches.set(repo.defaultBranch, sha);
    return repo;
  }

  getRepo(fullName: string): Repo {
    const repo = this.repos.get(fullName.toLowerCase());
    if (!repo) throw new Error(`fake GitHub: no repository ${fullName}`);
    return repo;
  }

  /** Commit `files` (null deletes a file) on top of `branch`; returns the new head SHA. */
  commit(fullName: string, branch: string, files: Record<string, string | Buffer | null>, message = "Update files", author?: string): string {
    const repo = this.getRepo(fullName);
    const parent = repo.branches.get(branch);
    const sha = this.createCommit({ parent, files, message, author: author ? this.user(author) : undefined });
    repo.branches.set(branch, sha);
    return sha;
  }

  /** Write `.github/ai-gaps.yml` (or another path) on the default branch. */
  setConfig(fullName: string, yamlText: string | null, path = ".github/ai-gaps.yml"): string {
    const repo = this.getRepo(fullName);
    return this.commit(fullName, repo.defaultBranch, { [path]: yamlText }, "Configure ai-gaps");
  }

  /** Open a pull request from a new branch `head` whose single commit applies `files` to the base. */
  openPullRequest(
    fullName: string,
    spec: {
      files: Record<string, string | Buffer | null>;
      title?: string;
      body?: string | null;
      draft?: boolean;
      author?: string;
      head?: string;
      base?: string;
      message?: string;
      number?: number;
    },
  ): PullRequest {
    const repo = this.getRepo(fullName);
    const baseRef = spec.base ?? repo.defaultBranch;
    const baseSha = repo.branches.get(baseRef);
    if (!baseSha) throw new Error(`fake GitHub: no branch ${baseRef}`);
    const number = spec.number ?? Math.max(0, ...this.pulls.filter((p) => p.repo === repo).map((p) => p.number), ...this.issueComments.filter((c) => c.repo === repo).map((c) => c.issueNumber)) + 1;
    const headRef = spec.head ?? `feature-${number}`;
    const author = this.user(spec.author ?? "octocat");
    repo.branches.set(headRef, baseSha);
    const headSha = this.commit(fullName, headRef, spec.files, spec.message ?? spec.title ?? "Change", author.login);
    const pr: PullRequest = {
      repo,
      id: this.id(),
      number,
      title: spec.title ?? "A change",
      body: spec.body === undefined ? "" : spec.body,
      draft: spec.draft ?? false,
      state: "open",
      user: author,
      headRef,
      headSha,
      baseRef,
      baseSha,
      commits: [headSha],
      createdAt: now(),
      updatedAt: now(),
    };
    this.pulls.push(pr);
    if (!repo.permissions.has(author.login)) repo.permissions.set(author.login, "write");
    return pr;
  }

  getPull(fullName: string, number: number): PullRequest {
    const repo = this.getRepo(fullName);
    const pr = this.pulls.find((p) => p.repo === repo && p.number === number);
    if (!pr) throw new Error(`fake GitHub: no pull request ${fullName}#${number}`);
    return pr;
  }

  /** Push a commit to the PR's head branch; returns the new head SHA. */
  push(fullName: string, number: number, files: Record<string, string | Buffer | null>, message = "Follow-up"): string {
    const pr = this.getPull(fullName, number);
    const sha = this.commit(fullName, pr.headRef, files, message, pr.user.login);
    pr.headSha = sha;
    pr.commits.push(sha);
    pr.updatedAt = now();
    return sha;
  }

  /**
   * Force-push: the PR's head becomes a new commit on `onto` (default: the base branch as it is now) with the
   * PR's files and `files` applied, dropping the old head's history; returns the new head SHA.
   */
  forcePush(fullName: string, number: number, files: Record<string, string | Buffer | null>, options: { onto?: string; message?: string } = {}): string {
    const pr = this.getPull(fullName, number);
    const repo = this.getRepo(fullName);
    const onto = options.onto ?? repo.branches.get(pr.baseRef)!;
    const old = this.resolveCommit(pr.headSha);
    const base = this.resolveCommit(pr.baseSha);
    const carried: Record<string, string | Buffer | null> = {};
    for (const [path, blob] of old.files) if (base.files.get(path) !== blob) carried[path] = this.blobs.get(blob)!;
    const sha = this.createCommit({ parent: onto, files: { ...carried, ...files }, message: options.message ?? "Rewritten", author: pr.user });
    repo.branches.set(pr.headRef, sha);
    pr.baseSha = onto;
    pr.headSha = sha;
    pr.commits = [sha];
    pr.updatedAt = now();
    return sha;
  }

  setPermission(fullName: string, login: string, permission: Permission): void {
    this.user(login);
    this.getRepo(fullName).permissions.set(login, permission);
  }

  addTeamMember(org: string, teamSlug: string, login: string): void {
    const key = `${org}/${teamSlug}`.toLowerCase();
    if (!this.teams.has(key)) this.teams.set(key, new Set());
    this.teams.get(key)!.add(login);
  }

  /** Issue an installation token directly (tests that talk to the fake without the app's JWT flow). */
  issueToken(installationId = 1): string {
    const token = `ghs_${randomBytes(18).toString("hex")}`;
    this.tokens.set(token, installationId);
    return token;
  }

  /** Change a comment as a user would in the UI; returns the previous body (for `changes.body.from`). */
  editIssueComment(id: number, body: string): string {
    const comment = this.issueComments.find((c) => c.id === id);
    if (!comment) throw new Error(`fake GitHub: no issue comment ${id}`);
    const from = comment.body;
    comment.body = body;
    comment.history.push(body);
    comment.updatedAt = now();
    return from;
  }

  editReviewComment(id: number, body: string): string {
    const comment = this.reviewComments.find((c) => c.id === id);
    if (!comment) throw new Error(`fake GitHub: no review comment ${id}`);
    const from = comment.body;
    comment.body = body;
    comment.history.push(body);
    comment.updatedAt = now();
    return from;
  }

  /** The file contents of a commit (path -> text). */
  filesAt(sha: string): Map<string, Buffer> {
    const commit = this.resolveCommit(sha);
    return new Map([...commit.files].map(([path, blob]) => [path, this.blobs.get(blob)!]));
  }

  // -------------------------------------------------------------------------------------------------
  // State queries for assertions

  /**
   * A check run of another app on a commit (CI): GitHub Actions by default. `annotations` are stored as given
   * (level, message); `log` is what the job's log download serves.
   */
  addCiRun(
    fullName: string,
    headSha: string,
    spec: {
      name?: string;
      app?: { id: number; slug: string };
      status?: string;
      conclusion?: string | null;
      annotations?: { annotation_level: string; message: string; path?: string; start_line?: number }[];
      log?: string;
    } = {},
  ): CheckRun {
    const repo = this.getRepo(fullName);
    const app = spec.app ?? { id: 15368, slug: "github-actions" };
    const status = spec.status ?? "completed";
    const run: CheckRun = {
      id: this.id(),
      repo,
      name: spec.name ?? "build",
      headSha,
      status,
      conclusion: status === "completed" ? (spec.conclusion ?? "success") : null,
      externalId: null,
      detailsUrl: null,
      startedAt: now(),
      completedAt: status === "completed" ? now() : null,
      output: { title: null, summary: null, text: null },
      annotations: (spec.annotations ?? []).map((a, i) => ({ path: a.path ?? "src/index.ts", start_line: a.start_line ?? i + 1, end_line: a.start_line ?? i + 1, title: null, raw_details: null, ...a })),
      actions: [],
      history: [],
      checkSuiteId: this.suiteId(repo, headSha, app.id),
      app,
      log: spec.log,
    };
    this.checkRuns.push(run);
    return run;
  }

  checkRunsFor(fullName: string, filter: { headSha?: string; name?: string } = {}): CheckRun[] {
    const repo = this.getRepo(fullName);
    return this.checkRuns.filter(
      (run) => run.repo === repo && (!filter.headSha || run.headSha === filter.headSha) && (!filter.name || run.name === filter.name),
    );
  }

  commentsOn(fullName: string, issueNumber: number): IssueComment[] {
    const repo = this.getRepo(fullName);
    return this.issueComments.filter((c) => c.repo === repo && c.issueNumber === issueNumber);
  }

  reviewCommentsOn(fullName: string, pullNumber: number): ReviewComment[] {
    const repo = this.getRepo(fullName);
    return this.reviewComments.filter((c) => c.repo === repo && c.pullNumber === pullNumber);
  }

  // -------------------------------------------------------------------------------------------------
  // JSON shapes (as the REST API returns them; the webhook payload helpers reuse them)

  userJson(user: User): Record<string, unknown> {
    return {
      login: user.login,
      id: user.id,
      node_id: `U_${user.id}`,
      avatar_url: `https://avatars.example.test/u/${user.id}`,
      url: `${this.baseUrl}/users/${encodeURIComponent(user.login)}`,
      html_url: `http://${this.host}/${user.login}`,
      type: user.type,
      site_admin: false,
    };
  }

  repoJson(repo: Repo): Record<string, unknown> {
    const owner = this.user(repo.owner);
    return {
      id: repo.id,
      node_id: `R_${repo.id}`,
      name: repo.name,
      full_name: repo.fullName,
      private: repo.private,
      owner: this.userJson(owner),
      html_url: `http://${this.host}/${repo.fullName}`,
      url: `${this.baseUrl}/repos/${repo.fullName}`,
      default_branch: repo.defaultBranch,
      visibility: repo.private ? "private" : "public",
      fork: false,
      archived: false,
      disabled: false,
    };
  }

  pullJson(pr: PullRequest): Record<string, unknown> {
    const repoJson = this.repoJson(pr.repo);
    const files = this.pullFiles(pr);
    return {
      url: `${this.baseUrl}/repos/${pr.repo.fullName}/pulls/${pr.number}`,
      id: pr.id,
      node_id: `PR_${pr.id}`,
      html_url: `http://${this.host}/${pr.repo.fullName}/pull/${pr.number}`,
      number: pr.number,
      state: pr.state,
      locked: false,
      title: pr.title,
      user: this.userJson(pr.user),
      body: pr.body,
      labels: [],
      draft: pr.draft,
      created_at: pr.createdAt,
      updated_at: pr.updatedAt,
      closed_at: null,
      merged_at: null,
      merge_commit_sha: null,
      head: { label: `${pr.repo.owner}:${pr.headRef}`, ref: pr.headRef, sha: pr.headSha, user: repoJson.owner, repo: repoJson },
      base: { label: `${pr.repo.owner}:${pr.baseRef}`, ref: pr.baseRef, sha: pr.baseSha, user: repoJson.owner, repo: repoJson },
      author_association: "CONTRIBUTOR",
      merged: false,
      mergeable: null,
      comments: this.issueComments.filter((c) => c.repo === pr.repo && c.issueNumber === pr.number).length,
      review_comments: this.reviewComments.filter((c) => c.repo === pr.repo && c.pullNumber === pr.number).length,
      commits: pr.commits.length,
      additions: files.reduce((n, f) => n + (f.additions as number), 0),
      deletions: files.reduce((n, f) => n + (f.deletions as number), 0),
      changed_files: files.length,
    };
  }

  checkRunJson(run: CheckRun): Record<string, unknown> {
    return {
      id: run.id,
      node_id: `CR_${run.id}`,
      head_sha: run.headSha,
      external_id: run.externalId,
      url: `${this.baseUrl}/repos/${run.repo.fullName}/check-runs/${run.id}`,
      html_url: `http://${this.host}/${run.repo.fullName}/runs/${run.id}`,
      details_url: run.detailsUrl,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.startedAt,
      completed_at: run.completedAt,
      output: { ...run.output, annotations_count: run.annotations.length, annotations_url: `${this.baseUrl}/repos/${run.repo.fullName}/check-runs/${run.id}/annotations` },
      name: run.name,
      check_suite: { id: run.checkSuiteId },
      app: { id: run.app?.id ?? this.appId, slug: run.app?.slug ?? this.appSlug, name: run.app?.slug ?? this.appSlug, owner: this.userJson(this.user(run.repo.owner)) },
      pull_requests: this.pulls
        .filter((p) => p.repo === run.repo && p.headSha === run.headSha)
        .map((p) => ({ id: p.id, number: p.number, url: `${this.baseUrl}/repos/${p.repo.fullName}/pulls/${p.number}`, head: { ref: p.headRef, sha: p.headSha }, base: { ref: p.baseRef, sha: p.baseSha } })),
    };
  }

  issueCommentJson(c: IssueComment): Record<string, unknown> {
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${this.baseUrl}/repos/${c.repo.fullName}/issues/comments/${c.id}`,
      html_url: `http://${this.host}/${c.repo.fullName}/pull/${c.issueNumber}#issuecomment-${c.id}`,
      issue_url: `${this.baseUrl}/repos/${c.repo.fullName}/issues/${c.issueNumber}`,
      body: c.body,
      user: this.userJson(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: c.user.type === "Bot" ? "NONE" : "MEMBER",
      performed_via_github_app: c.user === this.bot ? { id: this.appId, slug: this.appSlug } : null,
    };
  }

  reviewCommentJson(c: ReviewComment): Record<string, unknown> {
    return {
      id: c.id,
      node_id: `PRRC_${c.id}`,
      url: `${this.baseUrl}/repos/${c.repo.fullName}/pulls/comments/${c.id}`,
      pull_request_review_id: c.reviewId,
      path: c.path,
      line: c.line,
      side: c.side,
      start_line: c.startLine,
      start_side: c.startSide,
      original_line: c.line,
      commit_id: c.commitId,
      original_commit_id: c.commitId,
      body: c.body,
      user: this.userJson(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      html_url: `http://${this.host}/${c.repo.fullName}/pull/${c.pullNumber}#discussion_r${c.id}`,
      pull_request_url: `${this.baseUrl}/repos/${c.repo.fullName}/pulls/${c.pullNumber}`,
      author_association: "NONE",
    };
  }

  reviewJson(r: Review): Record<string, unknown> {
    return {
      id: r.id,
      node_id: `PRR_${r.id}`,
      user: this.userJson(r.user),
      body: r.body,
      state: r.state,
      commit_id: r.commitId,
      submitted_at: r.submittedAt,
      html_url: `http://${this.host}/${r.repo.fullName}/pull/${r.pullNumber}#pullrequestreview-${r.id}`,
      pull_request_url: `${this.baseUrl}/repos/${r.repo.fullName}/pulls/${r.pullNumber}`,
      author_association: "NONE",
    };
  }

  /** The PR's changed files as `GET /pulls/{n}/files` returns them (up to GitHub's 3,000). */
  pullFiles(pr: PullRequest): Record<string, unknown>[] {
    return this.compareFiles(pr.repo, pr.baseSha, pr.headSha).slice(0, 3000);
  }

  compareFiles(repo: Repo, baseSha: string, headSha: string): Record<string, unknown>[] {
    const base = this.resolveCommit(baseSha).files;
    const head = this.resolveCommit(headSha).files;
    const paths = [...new Set([...base.keys(), ...head.keys()])].sort();
    const files: Record<string, unknown>[] = [];
    for (const path of paths) {
      const before = base.get(path);
      const after = head.get(path);
      if (before === after) continue;
      const status = !before ? "added" : !after ? "removed" : "modified";
      const oldContent = before ? this.blobs.get(before)! : Buffer.alloc(0);
      const newContent = after ? this.blobs.get(after)! : Buffer.alloc(0);
      const binary = isBinary(oldContent) || isBinary(newContent);
      const diff = binary ? { patch: "", additions: 0, deletions: 0 } : unifiedPatch(oldContent.toString("utf8"), newContent.toString("utf8"));
      const sha = after ?? before!;
      const entry: Record<string, unknown> = {
        sha,
        filename: path,
        status,
        additions: diff.additions,
        deletions: diff.deletions,
        changes: diff.additions + diff.deletions,
        blob_url: `http://${this.host}/${repo.fullName}/blob/${headSha}/${path}`,
        raw_url: `http://${this.host}/${repo.fullName}/raw/${headSha}/${path}`,
        contents_url: `${this.baseUrl}/repos/${repo.fullName}/contents/${path}?ref=${headSha}`,
      };
      if (!binary && diff.patch && Buffer.byteLength(diff.patch) <= this.maxPatchBytes) entry.patch = diff.patch;
      files.push(entry);
    }
    return files;
  }

  // -------------------------------------------------------------------------------------------------
  // Internals

  private id(): number {
    return this.nextId++;
  }

  private createCommit(spec: { parent?: string; files: Record<string, string | Buffer | null>; message: string; author?: User }): string {
    const files = new Map(spec.parent ? this.resolveCommit(spec.parent).files : []);
    for (const [path, content] of Object.entries(spec.files)) {
      if (content === null) {
        files.delete(path);
        continue;
      }
      const buffer = toBuffer(content);
      const sha = gitBlobSha(buffer);
      this.blobs.set(sha, buffer);
      files.set(path, sha);
    }
    const treeSha = createHash("sha1").update(JSON.stringify([...files].sort())).digest("hex");
    const sha = createHash("sha1")
      .update(`${treeSha}\n${spec.parent ?? ""}\n${spec.message}\n${this.nextId}\n${randomBytes(4).toString("hex")}`)
      .digest("hex");
    this.id();
    this.commits.set(sha, {
      sha,
      treeSha,
      message: spec.message,
      parents: spec.parent ? [spec.parent] : [],
      author: spec.author ?? this.user("octocat"),
      date: now(),
      files,
    });
    return sha;
  }

  /** The nearest common ancestor of two commits (first parents suffice: the fake makes no merge commits). */
  private mergeBase(a: Commit, b: Commit): Commit | undefined {
    const ancestors = new Set<string>();
    for (let c: Commit | undefined = a; c; c = c.parents[0] ? this.commits.get(c.parents[0]) : undefined) ancestors.add(c.sha);
    for (let c: Commit | undefined = b; c; c = c.parents[0] ? this.commits.get(c.parents[0]) : undefined) if (ancestors.has(c.sha)) return c;
    return undefined;
  }

  /** Commits after `stop` up to `from`, oldest first. */
  private firstParentChain(from: Commit, stop: Commit | undefined): Commit[] {
    const chain: Commit[] = [];
    for (let c: Commit | undefined = from; c && c.sha !== stop?.sha; c = c.parents[0] ? this.commits.get(c.parents[0]) : undefined) chain.unshift(c);
    return chain;
  }

  /** A commit by SHA (full or abbreviated), by tree SHA, or by branch name of any repository. */
  resolveCommit(ref: string, repo?: Repo): Commit {
    const found = this.tryResolveCommit(ref, repo);
    if (!found) throw new GitHubError(404, "No commit found for SHA: " + ref);
    return found;
  }

  private tryResolveCommit(ref: string, repo?: Repo): Commit | undefined {
    const clean = ref.replace(/^refs\/heads\//, "").replace(/^heads\//, "");
    if (repo?.branches.has(clean)) return this.commits.get(repo.branches.get(clean)!);
    const direct = this.commits.get(ref);
    if (direct) return direct;
    for (const commit of this.commits.values()) {
      if (commit.treeSha === ref || (ref.length >= 7 && commit.sha.startsWith(ref))) return commit;
    }
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    const receivedAt = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const method = (req.method ?? "GET").toUpperCase();
    const full = new URL(req.url ?? "/", `http://${this.host}`);
    let body: unknown = undefined;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const record: RecordedRequest = {
      method,
      url: full.pathname.replace(/^\/api\/v3/, "") + full.search,
      params: {},
      query: Object.fromEntries(full.searchParams),
      headers: req.headers,
      body,
      status: 0,
      receivedAt,
      answeredAt: 0,
    };
    this.requests.push(record);

    let response: FakeResponse;
    try {
      response = await this.dispatch(method, full, req, body, record);
    } catch (error) {
      if (error instanceof GitHubError) {
        response = { status: error.status, body: { message: error.message, ...(error.errors ? { errors: error.errors } : {}), documentation_url: "https://docs.github.com/rest" } };
      } else {
        throw error;
      }
    }
    const headers: Record<string, string> = {
      "x-github-request-id": randomBytes(8).toString("hex").toUpperCase(),
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      "x-ratelimit-used": "1",
      "x-ratelimit-resource": record.route === "POST /graphql" ? "graphql" : "core",
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      ...response.headers,
    };
    let payload = "";
    if (response.body !== undefined) {
      if (typeof response.body === "string" && headers["content-type"]) payload = response.body;
      else {
        headers["content-type"] ??= "application/json; charset=utf-8";
        payload = JSON.stringify(response.body);
      }
    }
    record.status = response.status;
    record.answeredAt = performance.now();
    this.inFlight--;
    res.writeHead(response.status, headers);
    res.end(payload);
  }

  private async dispatch(method: string, full: URL, req: IncomingMessage, body: unknown, record: RecordedRequest): Promise<FakeResponse> {
    const violation = (kind: Violation["kind"], message: string): void => {
      this.violations.push({ kind, method, url: record.url, route: record.route, message });
    };
    let op: CompiledOperation | undefined;
    let params: Record<string, string> = {};
    let route: string;

    if (method === "POST" && full.pathname === "/api/graphql") {
      route = "POST /graphql";
      record.route = route;
      if (!this.validateGraphql(body)) {
        violation("schema", `GraphQL body: ${JSON.stringify(this.validateGraphql.errors)}`);
        return { status: 422, body: { message: "Invalid GraphQL request body" } };
      }
    } else {
      const path = full.pathname.startsWith("/api/v3/") ? full.pathname.slice("/api/v3".length) : undefined;
      if (path) {
        for (const candidate of this.operations) {
          if (candidate.method !== method) continue;
          const m = candidate.regex.exec(path);
          if (!m) continue;
          op = candidate;
          params = Object.fromEntries(candidate.names.map((name, i) => [name, decodeURIComponent(m[i + 1])]));
          break;
        }
      }
      if (!op) {
        violation("unknown-route", `no operation in the OpenAPI fixture matches ${method} ${full.pathname}`);
        return { status: 404, body: { message: "Not Found" } };
      }
      route = op.route;
      record.route = route;
      record.operationId = op.operationId;
      record.params = params;
      const problems: string[] = [];
      if (!op.validateParams({ ...params })) problems.push(`path: ${JSON.stringify(op.validateParams.errors)}`);
      if (!op.validateQuery({ ...record.query })) problems.push(`query: ${JSON.stringify(op.validateQuery.errors)}`);
      if (op.validateBody) {
        if (body === undefined) {
          if (op.bodyRequired) problems.push("body: required but missing");
        } else if (!op.validateBody(body)) {
          problems.push(`body: ${JSON.stringify(op.validateBody.errors)}`);
        }
      } else if (body !== undefined && method !== "GET") {
        problems.push("body: this operation takes no body");
      }
      if (problems.length) {
        violation("schema", problems.join("; "));
        return { status: 422, body: { message: "Invalid request.", errors: problems, documentation_url: "https://docs.github.com/rest" } };
      }
    }

    // Authentication: app routes need the app's JWT, the rest an installation token the fake issued.
    const authorization = String(req.headers.authorization ?? "");
    let installationId: number | undefined;
    if (route.startsWith("POST /app/") || route.startsWith("GET /app") || route === "GET /repos/{owner}/{repo}/installation") {
      const problem = this.checkJwt(authorization);
      if (problem) {
        violation("auth", problem);
        return { status: 401, body: { message: "A JSON web token could not be decoded" } };
      }
    } else {
      const token = /^(?:token|bearer) (\S+)$/i.exec(authorization)?.[1];
      installationId = token ? this.tokens.get(token) : undefined;
      if (installationId === undefined) {
        violation("auth", `no installation token on ${route} (authorization: ${authorization ? authorization.slice(0, 12) + "..." : "none"})`);
        return { status: 401, body: { message: "Bad credentials" } };
      }
    }

    // Faults and latency.
    for (const delay of this.delays) if (delay.route === "*" || delay.route === route) await new Promise((r) => setTimeout(r, delay.ms));
    const fault = this.faults.find((f) => f.remaining > 0 && (f.route === "*" || f.route === route));
    if (fault) {
      fault.remaining--;
      return fault.respond();
    }

    const repo = params.owner && params.repo ? this.repos.get(`${params.owner}/${params.repo}`.toLowerCase()) : undefined;
    if (params.owner && params.repo && route !== "GET /repos/{owner}/{repo}/installation") {
      if (!repo) return { status: 404, body: { message: "Not Found" } };
      if (installationId !== undefined && repo.installationId !== installationId) {
        violation("auth", `installation ${installationId} used on ${repo.fullName} (installation ${repo.installationId})`);
        return { status: 404, body: { message: "Not Found" } };
      }
    }
    const request: FakeRequest = {
      method,
      route,
      operationId: op?.operationId,
      params,
      query: record.query,
      headers: req.headers,
      body,
      repo,
      installationId,
      baseUrl: this.baseUrl,
    };
    const handler = this.handlers.get(route);
    if (!handler) {
      violation("unimplemented", `the fake has no handler for ${route}; add one with fake.route()`);
      return { status: 501, body: { message: `fake GitHub: ${route} is not implemented` } };
    }
    return handler(request, this);
  }

  private checkJwt(authorization: string): string | undefined {
    const jwt = /^bearer (\S+)$/i.exec(authorization)?.[1];
    if (!jwt) return "app route without a JWT";
    const parts = jwt.split(".");
    if (parts.length !== 3) return "malformed JWT";
    let claims: { iss?: unknown; exp?: number; iat?: number };
    try {
      claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    } catch {
      return "JWT payload is not JSON";
    }
    if (this.publicKey) {
      const ok = verifySignature("RSA-SHA256", Buffer.from(`${parts[0]}.${parts[1]}`), this.publicKey, Buffer.from(parts[2], "base64url"));
      if (!ok) return "JWT signature does not verify with the app's public key";
      if (String(claims.iss) !== String(this.appId)) return `JWT issuer ${String(claims.iss)} is not app ${this.appId}`;
    }
    const seconds = Date.now() / 1000;
    if (typeof claims.exp !== "number" || claims.exp < seconds) return "JWT expired";
    if (typeof claims.iat !== "number" || claims.iat > seconds + 60) return "JWT issued in the future";
    return undefined;
  }

  /** Slice `items` into GitHub's pages (per_page, page) with a Link header. */
  paginate<T>(req: FakeRequest, items: T[], maxPerPage = 100): { items: T[]; headers: Record<string, string> } {
    const perPage = Math.min(Number(req.query.per_page ?? 30) || 30, maxPerPage);
    const page = Math.max(Number(req.query.page ?? 1) || 1, 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const links: string[] = [];
    const url = (p: number): string => {
      const u = new URL(`http://${this.host}/api/v3/placeholder`);
      u.pathname = "/api/v3" + this.expand(req);
      for (const [k, v] of Object.entries(req.query)) u.searchParams.set(k, v);
      u.searchParams.set("per_page", String(perPage));
      u.searchParams.set("page", String(p));
      return u.toString();
    };
    if (page < last) links.push(`<${url(page + 1)}>; rel="next"`, `<${url(last)}>; rel="last"`);
    if (page > 1) links.push(`<${url(1)}>; rel="first"`, `<${url(page - 1)}>; rel="prev"`);
    return { items: slice, headers: links.length ? { link: links.join(", ") } : {} };
  }

  private expand(req: FakeRequest): string {
    const template = req.route.slice(req.route.indexOf(" ") + 1);
    return template.replace(/\{(\w+)\}/g, (_, name: string) => (name === "path" ? req.params[name] : encodeURIComponent(req.params[name])));
  }

  private pullOf(req: FakeRequest): PullRequest {
    const pr = this.pulls.find((p) => p.repo === req.repo && p.number === Number(req.params.pull_number ?? req.params.issue_number));
    if (!pr) throw new GitHubError(404, "Not Found");
    return pr;
  }

  // -------------------------------------------------------------------------------------------------
  // Built-in handlers

  private registerBuiltins(): void {
    const on = (route: string, handler: Handler): void => this.route(route, handler);
    const json = (status: number, body: unknown, headers?: Record<string, string>): FakeResponse => ({ status, body, headers });

    // --- apps
    on("apps/create-installation-access-token", (req) => {
      const id = Number(req.params.installation_id);
      if (![...this.repos.values()].some((r) => r.installationId === id)) throw new GitHubError(404, "Not Found");
      const token = this.issueToken(id);
      return json(201, {
        token,
        expires_at: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
        permissions: { checks: "write", pull_requests: "write", issues: "write", contents: "read", metadata: "read", members: "read" },
        repository_selection: "all",
      });
    });
    on("apps/get-authenticated", () =>
      json(200, { id: this.appId, slug: this.appSlug, name: this.appSlug, owner: this.userJson(this.user("octocat")), events: [], permissions: {} }),
    );
    on("apps/get-repo-installation", (req) => {
      const repo = this.repos.get(`${req.params.owner}/${req.params.repo}`.toLowerCase());
      if (!repo) throw new GitHubError(404, "Not Found");
      return json(200, { id: repo.installationId, app_id: this.appId, app_slug: this.appSlug, account: this.userJson(this.user(repo.owner)) });
    });

    // --- repository, contents, git data
    on("repos/get", (req) => json(200, this.repoJson(req.repo!)));
    on("repos/get-content", (req) => {
      const repo = req.repo!;
      const commit = this.resolveCommit(req.query.ref ?? repo.defaultBranch, repo);
      const path = req.params.path.replace(/^\/+|\/+$/g, "");
      const blobSha = commit.files.get(path);
      if (!blobSha) {
        const prefix = path ? `${path}/` : "";
        const entries = [...commit.files.keys()].filter((p) => p.startsWith(prefix));
        if (!entries.length) throw new GitHubError(404, "Not Found");
        const names = [...new Set(entries.map((p) => p.slice(prefix.length).split("/")[0]))].sort();
        return json(
          200,
          names.map((name) => {
            const p = prefix + name;
            const isFile = commit.files.has(p);
            return { type: isFile ? "file" : "dir", name, path: p, sha: commit.files.get(p) ?? commit.treeSha, size: isFile ? this.blobs.get(commit.files.get(p)!)!.length : 0 };
          }),
        );
      }
      const content = this.blobs.get(blobSha)!;
      const accept = String(req.headers.accept ?? "");
      if (/\.raw\b|\+raw\b|vnd\.github\.raw/.test(accept)) {
        return { status: 200, body: content.toString("utf8"), headers: { "content-type": "text/plain; charset=utf-8" } };
      }
      return json(200, {
        type: "file",
        encoding: "base64",
        size: content.length,
        name: path.split("/").pop(),
        path,
        content: content.toString("base64"),
        sha: blobSha,
        url: `${this.baseUrl}/repos/${repo.fullName}/contents/${path}?ref=${commit.sha}`,
      });
    });
    on("repos/get-commit", (req) => {
      const commit = this.resolveCommit(req.params.ref, req.repo);
      const parent = commit.parents[0];
      return json(200, {
        sha: commit.sha,
        commit: { message: commit.message, tree: { sha: commit.treeSha }, author: { name: commit.author.login, date: commit.date } },
        author: this.userJson(commit.author),
        parents: commit.parents.map((sha) => ({ sha })),
        files: parent ? this.compareFiles(req.repo!, parent, commit.sha) : [],
      });
    });
    on("repos/compare-commits", (req) => {
      const base = this.resolveCommit(req.params.base, req.repo);
      const head = this.resolveCommit(req.params.head, req.repo);
      // Three-dot, as GitHub: commits and files from the merge base to the head.
      const mergeBase = this.mergeBase(base, head);
      const chain = this.firstParentChain(head, mergeBase);
      const behind = this.firstParentChain(base, mergeBase);
      const status = !chain.length && !behind.length ? "identical" : !behind.length ? "ahead" : !chain.length ? "behind" : "diverged";
      return json(200, {
        status,
        ahead_by: chain.length,
        behind_by: behind.length,
        total_commits: chain.length,
        base_commit: { sha: base.sha },
        merge_base_commit: { sha: mergeBase?.sha ?? base.sha },
        commits: chain.map((c) => ({ sha: c.sha, commit: { message: c.message }, author: this.userJson(c.author) })),
        // GitHub lists at most 300 changed files in a comparison, with no way to page through more.
        files: (mergeBase ? this.compareFiles(req.repo!, mergeBase.sha, head.sha) : []).slice(0, 300),
      });
    });
    on("repos/list-pull-requests-associated-with-commit", (req) => {
      const sha = req.params.commit_sha;
      const prs = this.pulls.filter((p) => p.repo === req.repo && p.commits.includes(sha));
      const page = this.paginate(req, prs.map((p) => this.pullJson(p)));
      return json(200, page.items, page.headers);
    });
    on("repos/get-collaborator-permission-level", (req) => {
      const login = req.params.username;
      const user = this.users.get(login);
      if (!user) throw new GitHubError(404, `${login} is not a user`);
      let permission: Permission = req.repo!.permissions.get(login) ?? "none";
      if (login.toLowerCase() === req.repo!.owner.toLowerCase()) permission = "admin";
      const legacy = permission === "maintain" ? "write" : permission === "triage" ? "read" : permission;
      return json(200, { permission: legacy, role_name: permission, user: { ...this.userJson(user), permissions: {} } });
    });
    on("git/get-tree", (req) => {
      const commit = this.resolveCommit(req.params.tree_sha, req.repo);
      const recursive = req.query.recursive !== undefined && req.query.recursive !== "0" && req.query.recursive !== "false";
      const entries: Record<string, unknown>[] = [];
      const dirs = new Set<string>();
      for (const [path, sha] of [...commit.files].sort()) {
        const parts = path.split("/");
        if (!recursive && parts.length > 1) {
          dirs.add(parts[0]);
          continue;
        }
        for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
        entries.push({ path, mode: "100644", type: "blob", sha, size: this.blobs.get(sha)!.length, url: `${this.baseUrl}/repos/${req.repo!.fullName}/git/blobs/${sha}` });
      }
      for (const dir of dirs) entries.push({ path: dir, mode: "040000", type: "tree", sha: createHash("sha1").update(commit.treeSha + dir).digest("hex") });
      entries.sort((a, b) => String(a.path).localeCompare(String(b.path)));
      return json(200, { sha: commit.treeSha, url: `${this.baseUrl}/repos/${req.repo!.fullName}/git/trees/${commit.treeSha}`, tree: entries, truncated: false });
    });
    on("git/get-blob", (req) => {
      const content = this.blobs.get(req.params.file_sha);
      if (!content) throw new GitHubError(404, "Not Found");
      return json(200, {
        sha: req.params.file_sha,
        node_id: `B_${req.params.file_sha}`,
        size: content.length,
        url: `${this.baseUrl}/repos/${req.repo!.fullName}/git/blobs/${req.params.file_sha}`,
        content: content.toString("base64"),
        encoding: "base64",
      });
    });
    on("git/get-ref", (req) => {
      const name = req.params.ref.replace(/^heads\//, "");
      const sha = req.repo!.branches.get(name);
      if (!sha) throw new GitHubError(404, "Not Found");
      return json(200, { ref: `refs/heads/${name}`, object: { type: "commit", sha } });
    });

    // --- pull requests
    on("pulls/list", (req) => {
      const state = req.query.state ?? "open";
      const prs = this.pulls.filter(
        (p) =>
          p.repo === req.repo &&
          (state === "all" || p.state === state) &&
          (!req.query.head || req.query.head === `${p.repo.owner}:${p.headRef}`) &&
          (!req.query.base || req.query.base === p.baseRef),
      );
      const page = this.paginate(req, prs.map((p) => this.pullJson(p)));
      return json(200, page.items, page.headers);
    });
    on("pulls/get", (req) => json(200, this.pullJson(this.pullOf(req))));
    on("pulls/list-files", (req) => {
      const page = this.paginate(req, this.pullFiles(this.pullOf(req)));
      return json(200, page.items, page.headers);
    });
    on("pulls/list-commits", (req) => {
      const pr = this.pullOf(req);
      const commits = pr.commits.map((sha) => {
        const c = this.commits.get(sha)!;
        return {
          sha,
          commit: { message: c.message, author: { name: c.author.login, date: c.date }, committer: { name: c.author.login, date: c.date }, tree: { sha: c.treeSha } },
          author: this.userJson(c.author),
          parents: c.parents.map((p) => ({ sha: p })),
        };
      });
      const page = this.paginate(req, commits.slice(0, 250));
      return json(200, page.items, page.headers);
    });
    on("pulls/list-reviews", (req) => {
      const pr = this.pullOf(req);
      const page = this.paginate(req, this.reviews.filter((r) => r.repo === pr.repo && r.pullNumber === pr.number).map((r) => this.reviewJson(r)));
      return json(200, page.items, page.headers);
    });
    on("pulls/get-review", (req) => {
      const review = this.reviews.find((r) => r.repo === req.repo && r.id === Number(req.params.review_id));
      if (!review) throw new GitHubError(404, "Not Found");
      return json(200, this.reviewJson(review));
    });
    on("pulls/update-review", (req) => {
      const review = this.reviews.find((r) => r.repo === req.repo && r.id === Number(req.params.review_id));
      if (!review) throw new GitHubError(404, "Not Found");
      review.body = req.body.body;
      return json(200, this.reviewJson(review));
    });
    on("pulls/create-review", (req) => {
      const pr = this.pullOf(req);
      const commitId: string = req.body?.commit_id ?? pr.headSha;
      const comments: Record<string, unknown>[] = req.body?.comments ?? [];
      for (const c of comments) this.checkReviewCommentPlacement(pr, commitId, c);
      const event: string | undefined = req.body?.event;
      if ((event === "REQUEST_CHANGES" || event === "COMMENT") && !req.body?.body && !comments.length) {
        throw new GitHubError(422, "Unprocessable Entity", [`Review Can not ${event === "COMMENT" ? "comment" : "request changes"} without a body`]);
      }
      const review: Review = {
        id: this.id(),
        repo: pr.repo,
        pullNumber: pr.number,
        body: req.body?.body ?? "",
        state: event === "APPROVE" ? "APPROVED" : event === "REQUEST_CHANGES" ? "CHANGES_REQUESTED" : event === "COMMENT" ? "COMMENTED" : "PENDING",
        commitId,
        user: this.bot,
        submittedAt: now(),
      };
      this.reviews.push(review);
      for (const c of comments) this.addReviewComment(pr, review.id, commitId, c);
      return json(200, this.reviewJson(review));
    });
    on("pulls/list-review-comments", (req) => {
      const pr = this.pullOf(req);
      const page = this.paginate(req, this.reviewComments.filter((c) => c.repo === pr.repo && c.pullNumber === pr.number).map((c) => this.reviewCommentJson(c)));
      return json(200, page.items, page.headers);
    });
    on("pulls/create-review-comment", (req) => {
      const pr = this.pullOf(req);
      if (!req.body.commit_id) throw new GitHubError(422, "Unprocessable Entity", ["commit_id is required"]);
      this.checkReviewCommentPlacement(pr, req.body.commit_id, req.body);
      return json(201, this.reviewCommentJson(this.addReviewComment(pr, null, req.body.commit_id, req.body)));
    });
    on("pulls/get-review-comment", (req) => {
      const comment = this.reviewComments.find((c) => c.repo === req.repo && c.id === Number(req.params.comment_id));
      if (!comment) throw new GitHubError(404, "Not Found");
      return json(200, this.reviewCommentJson(comment));
    });
    on("pulls/update-review-comment", (req) => {
      const comment = this.reviewComments.find((c) => c.repo === req.repo && c.id === Number(req.params.comment_id));
      if (!comment) throw new GitHubError(404, "Not Found");
      comment.body = req.body.body;
      comment.history.push(comment.body);
      comment.updatedAt = now();
      return json(200, this.reviewCommentJson(comment));
    });

    // --- issue comments
    on("issues/list-comments", (req) => {
      const number = Number(req.params.issue_number);
      const comments = this.issueComments.filter((c) => c.repo === req.repo && c.issueNumber === number && (!req.query.since || c.updatedAt >= req.query.since));
      const page = this.paginate(req, comments.map((c) => this.issueCommentJson(c)));
      return json(200, page.items, page.headers);
    });
    on("issues/create-comment", (req) => {
      const number = Number(req.params.issue_number);
      if (!this.pulls.some((p) => p.repo === req.repo && p.number === number)) throw new GitHubError(404, "Not Found");
      const comment: IssueComment = {
        id: this.id(),
        repo: req.repo!,
        issueNumber: number,
        body: req.body.body,
        user: this.bot,
        createdAt: now(),
        updatedAt: now(),
        history: [req.body.body],
      };
      this.issueComments.push(comment);
      return json(201, this.issueCommentJson(comment));
    });
    on("issues/get-comment", (req) => {
      const comment = this.issueComments.find((c) => c.repo === req.repo && c.id === Number(req.params.comment_id));
      if (!comment) throw new GitHubError(404, "Not Found");
      return json(200, this.issueCommentJson(comment));
    });
    on("issues/update-comment", (req) => {
      const comment = this.issueComments.find((c) => c.repo === req.repo && c.id === Number(req.params.comment_id));
      if (!comment) throw new GitHubError(404, "Not Found");
      if (comment.user !== this.bot) throw new GitHubError(403, "Resource not accessible by integration");
      comment.body = req.body.body;
      comment.history.push(comment.body);
      comment.updatedAt = now();
      return json(200, this.issueCommentJson(comment));
    });

    // --- checks
    on("checks/create", (req) => {
      const b = req.body;
      const repo = req.repo!;
      if (!this.tryResolveCommit(b.head_sha, repo)) throw new GitHubError(422, "No commit found for SHA: " + b.head_sha);
      this.checkCheckRunBody(b);
      const run: CheckRun = {
        id: this.id(),
        repo,
        name: b.name,
        headSha: b.head_sha,
        status: b.conclusion ? "completed" : (b.status ?? "queued"),
        conclusion: b.conclusion ?? null,
        externalId: b.external_id ?? null,
        detailsUrl: b.details_url ?? null,
        startedAt: b.started_at ?? now(),
        completedAt: b.conclusion ? (b.completed_at ?? now()) : null,
        output: { title: b.output?.title ?? null, summary: b.output?.summary ?? null, text: b.output?.text ?? null },
        annotations: [...(b.output?.annotations ?? [])],
        actions: b.actions ?? [],
        history: [b],
        checkSuiteId: this.suiteId(repo, b.head_sha),
      };
      this.checkRuns.push(run);
      return json(201, this.checkRunJson(run));
    });
    on("checks/update", (req) => {
      const b = req.body;
      const run = this.checkRuns.find((r) => r.repo === req.repo && r.id === Number(req.params.check_run_id));
      if (!run) throw new GitHubError(404, "Not Found");
      this.checkCheckRunBody(b);
      if (b.name !== undefined) run.name = b.name;
      if (b.details_url !== undefined) run.detailsUrl = b.details_url;
      if (b.external_id !== undefined) run.externalId = b.external_id;
      if (b.started_at !== undefined) run.startedAt = b.started_at;
      if (b.conclusion !== undefined) {
        run.conclusion = b.conclusion;
        run.status = "completed";
        run.completedAt = b.completed_at ?? now();
      } else if (b.status !== undefined) {
        run.status = b.status;
      }
      if (b.output) {
        run.output = { title: b.output.title ?? run.output.title, summary: b.output.summary ?? run.output.summary, text: b.output.text ?? run.output.text };
        run.annotations.push(...(b.output.annotations ?? []));
      }
      if (b.actions !== undefined) run.actions = b.actions;
      run.history.push(b);
      return json(200, this.checkRunJson(run));
    });
    on("checks/get", (req) => {
      const run = this.checkRuns.find((r) => r.repo === req.repo && r.id === Number(req.params.check_run_id));
      if (!run) throw new GitHubError(404, "Not Found");
      return json(200, this.checkRunJson(run));
    });
    on("checks/list-annotations", (req) => {
      const run = this.checkRuns.find((r) => r.repo === req.repo && r.id === Number(req.params.check_run_id));
      if (!run) throw new GitHubError(404, "Not Found");
      const page = this.paginate(req, run.annotations.map((a) => ({ blob_href: "", ...a })));
      return json(200, page.items, page.headers);
    });
    on("checks/list-for-ref", (req) => {
      const commit = this.resolveCommit(req.params.ref, req.repo);
      let runs = this.checkRuns.filter((r) => r.repo === req.repo && r.headSha === commit.sha);
      if (req.query.check_name) runs = runs.filter((r) => r.name === req.query.check_name);
      if (req.query.status) runs = runs.filter((r) => r.status === req.query.status);
      if (req.query.app_id) runs = runs.filter((r) => Number(req.query.app_id) === (r.app?.id ?? this.appId));
      if ((req.query.filter ?? "latest") === "latest") {
        // The most recent run of each name.
        const latest = new Map<string, CheckRun>();
        for (const r of runs) latest.set(r.name, r);
        runs = [...latest.values()];
      }
      runs = [...runs].reverse();
      const page = this.paginate(req, runs.map((r) => this.checkRunJson(r)));
      return json(200, { total_count: runs.length, check_runs: page.items }, page.headers);
    });
    on("checks/list-suites-for-ref", (req) => {
      const commit = this.resolveCommit(req.params.ref, req.repo);
      const runs = this.checkRuns.filter((r) => r.repo === req.repo && r.headSha === commit.sha);
      const suites = [...new Set(runs.map((r) => r.checkSuiteId))].map((id) => this.suiteJson(req.repo!, id));
      return json(200, { total_count: suites.length, check_suites: suites });
    });
    on("checks/get-suite", (req) => json(200, this.suiteJson(req.repo!, Number(req.params.check_suite_id))));
    on("checks/list-for-suite", (req) => {
      const runs = this.checkRuns.filter((r) => r.repo === req.repo && r.checkSuiteId === Number(req.params.check_suite_id));
      const page = this.paginate(req, runs.map((r) => this.checkRunJson(r)));
      return json(200, { total_count: runs.length, check_runs: page.items }, page.headers);
    });
    on("actions/download-job-logs-for-workflow-run", (req) => {
      const run = this.checkRuns.find((r) => r.repo === req.repo && r.id === Number(req.params.job_id) && r.app?.slug === "github-actions");
      if (!run || run.log === undefined) throw new GitHubError(404, "Not Found");
      // GitHub answers 302 to a short-lived download URL; Octokit follows it to the plain-text log.
      return { status: 200, body: run.log, headers: { "content-type": "text/plain; charset=utf-8" } };
    });
    on("checks/rerequest-run", () => json(201, {}));
    on("checks/rerequest-suite", () => json(201, {}));

    // --- teams
    on("teams/get-membership-for-user-in-org", (req) => {
      const members = this.teams.get(`${req.params.org}/${req.params.team_slug}`.toLowerCase());
      if (!members?.has(req.params.username)) throw new GitHubError(404, "Not Found");
      return json(200, { url: `${this.baseUrl}/teams/1/memberships/${req.params.username}`, role: "member", state: "active" });
    });

    // --- GraphQL
    this.handlers.set("POST /graphql", (req) => this.graphql(req));
  }

  private suiteIds = new Map<string, number>();

  private suiteId(repo: Repo, headSha: string, appId = this.appId): number {
    const key = appId === this.appId ? `${repo.fullName}@${headSha}` : `${repo.fullName}@${appId}@${headSha}`;
    if (!this.suiteIds.has(key)) this.suiteIds.set(key, this.id());
    return this.suiteIds.get(key)!;
  }

  private suiteJson(repo: Repo, id: number): Record<string, unknown> {
    const entry = [...this.suiteIds].find(([, v]) => v === id);
    if (!entry) throw new GitHubError(404, "Not Found");
    const headSha = entry[0].slice(entry[0].lastIndexOf("@") + 1);
    const runs = this.checkRuns.filter((r) => r.checkSuiteId === id);
    const done = runs.every((r) => r.status === "completed");
    const app = runs[0]?.app ?? { id: this.appId, slug: this.appSlug };
    return {
      id,
      head_sha: headSha,
      head_branch: [...repo.branches].find(([, sha]) => sha === headSha)?.[0] ?? null,
      status: done ? "completed" : "in_progress",
      conclusion: done ? (runs.find((r) => r.conclusion !== "success")?.conclusion ?? "success") : null,
      app: { id: app.id, slug: app.slug },
      repository: this.repoJson(repo),
      pull_requests: [],
      latest_check_runs_count: runs.length,
    };
  }

  /** GitHub's rules for a check-run body beyond what the OpenAPI schema says. */
  private checkCheckRunBody(b: Record<string, any>): void { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (b.status === "completed" && !b.conclusion) {
      throw new GitHubError(422, "Invalid request.", ["conclusion is required when status is completed"]);
    }
    for (const a of (b.output?.annotations ?? []) as Record<string, any>[]) { // eslint-disable-line @typescript-eslint/no-explicit-any
      if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) {
        throw new GitHubError(422, "Invalid request.", ["start_column and end_column may only be used when start_line equals end_line"]);
      }
      if (a.end_line < a.start_line) throw new GitHubError(422, "Invalid request.", ["end_line must be at least start_line"]);
      if (a.title !== undefined && String(a.title).length > 255) throw new GitHubError(422, "Invalid request.", ["title is too long (maximum is 255 characters)"]);
      if (Buffer.byteLength(String(a.message)) > 64 * 1024) throw new GitHubError(422, "Invalid request.", ["message is too long (maximum is 64 KB)"]);
    }
  }

  private checkReviewCommentPlacement(pr: PullRequest, commitId: string, c: Record<string, any>): void { // eslint-disable-line @typescript-eslint/no-explicit-any
    const notInDiff = (): never => {
      throw new GitHubError(422, "Unprocessable Entity", ["Pull request review thread line must be part of the diff"]);
    };
    const base = pr.baseSha;
    const head = this.tryResolveCommit(commitId, pr.repo);
    if (!head) throw new GitHubError(422, "Unprocessable Entity", ["commit_id is not part of the pull request"]);
    const file = this.compareFiles(pr.repo, base, head.sha).find((f) => f.filename === c.path);
    if (!file) throw new GitHubError(422, "Unprocessable Entity", ["Path could not be resolved"]);
    const hunks = parsePatch(file.patch as string | undefined);
    if (c.position !== undefined) {
      const lines = String(file.patch ?? "").split("\n").length;
      if (c.position < 1 || c.position > lines) notInDiff();
      return;
    }
    if (typeof c.line !== "number") throw new GitHubError(422, "Unprocessable Entity", ["line or position is required"]);
    const side = (c.side ?? "RIGHT") === "LEFT" ? "left" : "right";
    const hunk = hunks.find((h) => h[side].has(c.line));
    if (!hunk) notInDiff();
    if (c.start_line !== undefined) {
      const startSide = (c.start_side ?? c.side ?? "RIGHT") === "LEFT" ? "left" : "right";
      if (!(c.start_line < c.line) || !hunk![startSide].has(c.start_line)) notInDiff();
    }
  }

  private addReviewComment(pr: PullRequest, reviewId: number | null, commitId: string, c: Record<string, any>): ReviewComment { // eslint-disable-line @typescript-eslint/no-explicit-any
    const comment: ReviewComment = {
      id: this.id(),
      repo: pr.repo,
      pullNumber: pr.number,
      reviewId,
      path: c.path,
      line: c.line ?? null,
      side: c.side ?? "RIGHT",
      startLine: c.start_line ?? null,
      startSide: c.start_line !== undefined ? (c.start_side ?? c.side ?? "RIGHT") : null,
      body: c.body,
      commitId,
      user: this.bot,
      createdAt: now(),
      updatedAt: now(),
      history: [c.body],
    };
    this.reviewComments.push(comment);
    return comment;
  }

  /**
   * The GraphQL this app uses: `repository(owner:, name:) { alias: object(expression: "<sha>:<path>") { ... on
   * Blob { text isBinary isTruncated byteSize oid } } }`, literals or variables. Aliases are read from the
   * query text; anything else is a recorded violation.
   */
  private graphql(req: FakeRequest): FakeResponse {
    const query: string = req.body.query;
    const variables: Record<string, unknown> = req.body.variables ?? {};
    const value = (token: string): string | undefined => {
      token = token.trim();
      if (token.startsWith("$")) {
        const v = variables[token.slice(1)];
        return typeof v === "string" ? v : undefined;
      }
      try {
        return JSON.parse(token) as string;
      } catch {
        return undefined;
      }
    };
    const literal = String.raw`("(?:[^"\\]|\\.)*"|\$\w+)`;
    const repoMatch = new RegExp(String.raw`repository\s*\(\s*(?:owner\s*:\s*${literal}\s*,?\s*name\s*:\s*${literal}|name\s*:\s*${literal}\s*,?\s*owner\s*:\s*${literal})\s*\)`).exec(query);
    if (!repoMatch) {
      this.violations.push({ kind: "graphql", method: "POST", url: "/graphql", route: "POST /graphql", message: `unsupported query: ${query.slice(0, 200)}` });
      return { status: 200, body: { errors: [{ message: "fake GitHub supports repository { object(expression:) } queries only" }] } };
    }
    const owner = value(repoMatch[1] ?? repoMatch[4]);
    const name = value(repoMatch[2] ?? repoMatch[3]);
    const repo = owner && name ? this.repos.get(`${owner}/${name}`.toLowerCase()) : undefined;
    if (!repo) {
      return { status: 200, body: { data: { repository: null }, errors: [{ type: "NOT_FOUND", path: ["repository"], message: `Could not resolve to a Repository with the name '${owner}/${name}'.` }] } };
    }
    if (req.installationId !== undefined && repo.installationId !== req.installationId) {
      this.violations.push({ kind: "auth", method: "POST", url: "/graphql", route: "POST /graphql", message: `installation ${req.installationId} read ${repo.fullName}` });
    }
    const data: Record<string, unknown> = {};
    const aliasRe = new RegExp(String.raw`(\w+)\s*:\s*object\s*\(\s*expression\s*:\s*${literal}\s*\)`, "g");
    let count = 0;
    for (const m of query.matchAll(aliasRe)) {
      count++;
      const expression = value(m[2]) ?? "";
      const colon = expression.indexOf(":");
      const commit = colon > 0 ? this.tryResolveCommit(expression.slice(0, colon), repo) : undefined;
      const blobSha = commit?.files.get(expression.slice(colon + 1));
      if (!blobSha) {
        data[m[1]] = null;
        continue;
      }
      const content = this.blobs.get(blobSha)!;
      const binary = isBinary(content);
      const truncated = !binary && content.length > this.truncateBytes;
      data[m[1]] = {
        __typename: "Blob",
        oid: blobSha,
        abbreviatedOid: blobSha.slice(0, 7),
        byteSize: content.length,
        isBinary: binary,
        isTruncated: truncated,
        text: binary ? null : (truncated ? content.subarray(0, this.truncateBytes) : content).toString("utf8"),
      };
    }
    if (!count) {
      this.violations.push({ kind: "graphql", method: "POST", url: "/graphql", route: "POST /graphql", message: `no aliased object(expression:) in: ${query.slice(0, 200)}` });
    }
    return { status: 200, body: { data: { repository: data } } };
  }
}
