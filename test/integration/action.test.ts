// The GitHub Action as the runner runs it: the bundled entry point from a folder with no node_modules,
// the event payload in GITHUB_EVENT_PATH, inputs as INPUT_* (their action.yml defaults), a real git checkout.
import { execFile, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { buildAction } from "../../scripts/build-action.js";
import { makeRepo, type Repo } from "../support/git-repo.js";
import { example } from "../support/payloads.js";

const run = promisify(execFile);
const ROOT = new URL("../../", import.meta.url).pathname;
const manifest = parse(readFileSync(join(ROOT, "action.yml"), "utf8"));
let actionDir: string;

beforeAll(async () => {
  // What a `uses:` checkout of the release branch holds and the bundle reads: nothing from node_modules.
  actionDir = mkdtempSync(join(tmpdir(), "ai-gaps-action-"));
  for (const file of ["action.yml", "package.json", "config"]) cpSync(join(ROOT, file), join(actionDir, file), { recursive: true });
  await buildAction(join(actionDir, "dist-action"));
}, 120_000);

const BASE = "import axios from 'axios';\nexport async function load(ids: string[]) {\n  return ids;\n}\n";
const HEAD = "import axios from 'axios';\nexport async function load(ids: string[]) {\n  for (const id of ids) {\n    await axios.get(`/items/${id}`);\n  }\n  return ids;\n}\n";
const STRICT = "rules:\n  network-call-in-loop: failure\n";

interface Pr {
  repo: Repo;
  base: string;
  head: string;
}

/** A repository with a base commit on main and a pull request branch on top of it, checked out at the head. */
function pullRequest(config = STRICT, headFiles: Record<string, string> = { "src/load.ts": HEAD }): Pr {
  const repo = makeRepo();
  const base = repo.commit("base", { "src/load.ts": BASE, ".github/ai-gaps.yml": config });
  repo.git("checkout", "-qb", "feature");
  const head = repo.commit("Load the items", headFiles);
  return { repo, base, head };
}

interface ActionRun {
  code: number;
  stdout: string;
  summary: string;
  outputs: string;
  workspace: string;
}

async function runAction(pr: Pr, inputs: Record<string, string> = {}, event?: object, from = actionDir): Promise<ActionRun> {
  const runner = mkdtempSync(join(tmpdir(), "ai-gaps-runner-"));
  const payload = event ?? example("pull_request", "opened");
  if (!event) {
    const p = (payload as any).pull_request;
    p.base.sha = pr.base;
    p.head.sha = pr.head;
    p.title = "Load the items";
  }
  const files = { event: join(runner, "event.json"), summary: join(runner, "summary.md"), output: join(runner, "output") };
  writeFileSync(files.event, JSON.stringify(payload));
  writeFileSync(files.summary, "");
  writeFileSync(files.output, "");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: files.event,
    GITHUB_WORKSPACE: pr.repo.dir,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.output,
  };
  // The runner sets every declared input, with its default when the workflow gives none.
  for (const [name, spec] of Object.entries<any>(manifest.inputs)) {
    env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = inputs[name] ?? spec.default ?? "";
  }
  const main = join(from, manifest.runs.main);
  try {
    const { stdout } = await run(process.execPath, [main], { cwd: pr.repo.dir, env });
    return { code: 0, stdout, summary: readFileSync(files.summary, "utf8"), outputs: readFileSync(files.output, "utf8"), workspace: pr.repo.dir };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    if (typeof e.code !== "number") throw error;
    return { code: e.code, stdout: e.stdout, summary: readFileSync(files.summary, "utf8"), outputs: readFileSync(files.output, "utf8"), workspace: pr.repo.dir };
  }
}

test("action.yml runs a node20 entry point with the inputs the docs name", () => {
  expect(manifest.runs).toEqual({ using: "node20", main: "dist-action/index.js" });
  expect(Object.keys(manifest.inputs)).toEqual(["advisory", "sarif-file", "config"]);
  expect(Object.keys(manifest.outputs)).toEqual(["findings", "failures", "sarif-file"]);
});

test("a failure-level finding: annotation, job summary, SARIF file, outputs, failed step", async () => {
  const result = await runAction(pullRequest());
  expect(result.code).toBe(1);
  const annotations = result.stdout.split("\n").filter((l) => l.startsWith("::"));
  expect(annotations).toContainEqual(expect.stringMatching(/^::error file=src\/load\.ts,line=4,endLine=4,title=Uncached external calls%3A network-call-in-loop::.*axios\.get.*%0A%0AWhy: /));
  expect(result.summary).toContain("## ai-gaps: ");
  expect(result.summary).toContain("**Gate: failure**");
  // The app's category table: a row per category in the change, the rest named in one line.
  const rows = result.summary.split("\n").filter((l) => /^\| \*\*[A-Z]/.test(l));
  expect(rows).toContainEqual(expect.stringMatching(/^\| \*\*Uncached external calls\*\* \| 1 \| 1 failure \| /));
  const rest = /^Not in this change: (.+)\.$/m.exec(result.summary)![1].split(", ");
  expect(rows.length + rest.length).toBe(7);
  expect(result.summary).toContain(".github/ai-gaps.yml at the base commit");
  expect(result.summary).toMatch(/## Findings by file \(\d+\)\n+### `src\/load\.ts`\n+- 🛑 \*\*failure\*\* · line 4 · `network-call-in-loop`/);
  const sarif = JSON.parse(readFileSync(join(result.workspace, "ai-gaps.sarif"), "utf8"));
  expect(sarif.runs[0].results.map((r: any) => [r.ruleId, r.level])).toContainEqual(["network-call-in-loop", "error"]);
  expect(result.outputs).toMatch(/^findings=\d+\nfailures=1\nsarif-file=ai-gaps\.sarif\n$/);
});

test("advisory: the same findings, reported, and the step passes", async () => {
  const result = await runAction(pullRequest(), { advisory: "true", "sarif-file": "out/review.sarif" });
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^::error file=src\/load\.ts,line=4/m);
  expect(result.summary).toContain("**Gate: neutral**");
  expect(existsSync(join(result.workspace, "out/review.sarif"))).toBe(true);
  expect(result.outputs).toContain("sarif-file=out/review.sarif\n");
});

test("the config comes from the base commit: a pull request cannot switch its own rules off", async () => {
  const pr = pullRequest(STRICT, { "src/load.ts": HEAD, ".github/ai-gaps.yml": "rules:\n  network-call-in-loop: off\n" });
  const result = await runAction(pr);
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/^::error file=src\/load\.ts,line=4/m);
});

test("gate.mode: advisory in the config makes the step advisory unless the input says otherwise", async () => {
  const pr = pullRequest(`${STRICT}gate:\n  mode: advisory\n`);
  expect((await runAction(pr)).code).toBe(0);
  expect((await runAction(pr, { advisory: "false" })).code).toBe(1);
});

test("a malformed config exits 2 with an annotation at its line and column", async () => {
  const result = await runAction(pullRequest("gate:\n  mood: block\n"));
  expect(result.code).toBe(2);
  expect(result.stdout).toContain('::error file=.github/ai-gaps.yml,line=2,col=3,title=ai-gaps configuration::gate.mood: unknown key "mood" under "gate"');
  expect(result.summary).toContain("Configuration error");
});

test("a checkout without the base commit says how to fix the workflow", async () => {
  const pr = pullRequest();
  const result = await runAction({ ...pr, base: "1".repeat(40) });
  expect(result.code).toBe(2);
  expect(result.stdout.trim()).toMatch(/^::error title=ai-gaps::the base commit 1{40} is not in the checkout at .+: check out with actions\/checkout and "fetch-depth: 0"/);
});

test("scripts/release-action.sh commits the bundle on the release branch; its archive runs as the action", async () => {
  // A clone holds the committed files only, like the checkout a release is made from.
  const clone = mkdtempSync(join(tmpdir(), "ai-gaps-release-"));
  execFileSync("git", ["clone", "-q", ROOT, clone]);
  symlinkSync(join(ROOT, "node_modules"), join(clone, "node_modules"));
  const source = execFileSync("git", ["rev-parse", "HEAD"], { cwd: clone, encoding: "utf8" }).trim();
  execFileSync("bash", ["scripts/release-action.sh", "v1"], { cwd: clone, stdio: "ignore" });
  const git = (...args: string[]) => execFileSync("git", args, { cwd: clone, encoding: "utf8" });
  expect(git("log", "-1", "--format=%P", "v1").trim()).toBe(source); // a first release: this commit is its parent
  const released = git("ls-tree", "-r", "--name-only", "v1", "dist-action").split("\n").filter(Boolean);
  for (const file of ["index.js", "worker.js", "tree-sitter-python.wasm", "tree-sitter-rust.wasm", "web-tree-sitter.wasm"]) {
    expect(released).toContain(`dist-action/${file}`);
  }
  expect(released).toContainEqual(expect.stringMatching(/^dist-action\/chunk-\w+\.js$/));
  expect(git("status", "--porcelain", "--untracked-files=no")).toBe("");
  // What the runner downloads for `uses: owner/ai-gaps@v1`: the tree of that commit, nothing installed.
  const downloaded = mkdtempSync(join(tmpdir(), "ai-gaps-uses-"));
  execFileSync("sh", ["-c", `git archive v1 | tar -x -C "${downloaded}"`], { cwd: clone });
  const result = await runAction(pullRequest(), {}, undefined, downloaded);
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/^::error file=src\/load\.ts,line=4/m);
}, 120_000);

test("a change in no category: one line in the summary, the step passes", async () => {
  const result = await runAction(pullRequest(STRICT, { "README.md": "# Notes\n" }));
  expect(result.code).toBe(0);
  expect(result.summary).toContain("## ai-gaps: No category touched: nothing to review");
  expect(result.summary).not.toContain("| Category |");
});
