// Unchanged repository files read for cross-file rules, over the loopback fake GitHub: Python too, so a Django
// MIDDLEWARE entry or a FastAPI add_middleware resolves to the class defined elsewhere in the repository.
import { afterEach, beforeEach, expect, it } from "@jest/globals";
import { ProbotOctokit } from "probot";
import { defaultConfig } from "../../src/config/schema.js";
import { review } from "../../src/engine/index.js";
import { fetchRepoFiles } from "../../src/github/files.js";
import { FakeGitHub } from "../support/fake-github.js";
import { appKeys } from "../support/keys.js";

const TENANT = `class TenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant = request.user.profile.tenant
        return self.get_response(request)
`;
const SETTINGS = `MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shop.tenancy.middleware.TenantMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
`;

let fake: FakeGitHub;

beforeEach(async () => {
  fake = await FakeGitHub.start({ appPublicKey: appKeys().publicKey });
  fake.addRepo({
    owner: "acme",
    name: "shop",
    files: { "shop/tenancy/middleware.py": TENANT, "shop/settings.py": SETTINGS, "shop/api.ts": "export const a = 1;\n", "docs/notes.md": "# notes\n" },
  });
});

afterEach(async () => {
  await fake.close();
});

it("reads unchanged Python files too, and the pipeline rule resolves the middleware through them", async () => {
  const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } }));
  const octokit = new Octokit({ auth: { token: fake.issueToken(1) }, baseUrl: fake.baseUrl });
  const changed = [{ path: "shop/settings.py", status: "modified" as const, content: SETTINGS }];
  const repoFiles = await fetchRepoFiles(octokit, { owner: "acme", repo: "shop" }, "main", changed, defaultConfig());
  expect(repoFiles.map((f) => f.path).sort()).toEqual(["shop/api.ts", "shop/tenancy/middleware.py"]);

  const config = defaultConfig();
  config.review.filter = "file";
  const result = await review({ files: changed, repoFiles, pr: { title: "", body: "", commitMessages: [] }, config });
  expect(result.findings.map((f) => [f.ruleId, f.line, f.severity])).toEqual([["pipeline-order", 3, "failure"]]);
  expect(result.findings[0].message).toMatch(/`request\.user`.*`AuthenticationMiddleware` \(line 4\)/);
});

it("reads the package.json above a changed file in the same batch, and a file its scripts run is a script", async () => {
  const seed = "import { prisma } from '../src/db';\nexport async function seed() {\n  console.log(`seeding`);\n}\nseed();\n";
  fake.addRepo({
    owner: "acme",
    name: "api",
    files: {
      "package.json": JSON.stringify({ scripts: { start: "node dist/main.js", seed: "tsx prisma/populate.ts" } }),
      "prisma/populate.ts": seed,
      "other/package.json": "{}",
    },
  });
  const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } }));
  const octokit = new Octokit({ auth: { token: fake.issueToken(1) }, baseUrl: fake.baseUrl });
  const changed = [{ path: "prisma/populate.ts", status: "modified" as const, content: seed }];
  const repoFiles = await fetchRepoFiles(octokit, { owner: "acme", repo: "api" }, "main", changed, defaultConfig());
  expect(repoFiles.map((f) => f.path)).toEqual(["package.json"]);

  const config = defaultConfig();
  config.review.filter = "file";
  const seen = await review({ files: changed, repoFiles, pr: { title: "", body: "", commitMessages: [] }, config });
  const unseen = await review({ files: changed, pr: { title: "", body: "", commitMessages: [] }, config });
  expect(seen.findings.filter((f) => f.ruleId === "unstructured-logging")).toEqual([]);
  expect(unseen.findings.filter((f) => f.ruleId === "unstructured-logging").map((f) => f.line)).toEqual([3]);
});

it("reads at most 100 package.json files, the shallowest first, however many packages the PR touches", async () => {
  const files: Record<string, string> = { "package.json": "{}" };
  const changed = [];
  for (let i = 0; i < 150; i++) {
    files[`packages/p${i}/package.json`] = "{}";
    files[`packages/p${i}/deep/package.json`] = "{}";
    files[`packages/p${i}/deep/x.md`] = "x\n";
    changed.push({ path: `packages/p${i}/deep/x.md`, status: "modified" as const, content: "y\n" });
  }
  fake.addRepo({ owner: "acme", name: "mono", files });
  const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } }));
  const octokit = new Octokit({ auth: { token: fake.issueToken(1) }, baseUrl: fake.baseUrl });
  const read = (await fetchRepoFiles(octokit, { owner: "acme", repo: "mono" }, "main", changed, defaultConfig())).map((f) => f.path);
  expect(read).toHaveLength(100);
  expect(read[0]).toBe("package.json");
  expect(read.filter((p) => p.includes("/deep/"))).toEqual([]);
});
