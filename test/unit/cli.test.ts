import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../support/cli-io.js";
import { makeRepo } from "../support/git-repo.js";

const HANDLER = "export function h(req) {\n  console.log('old');\n}\n";

function repo() {
  const r = makeRepo();
  r.commit("base", { "src/h.ts": HANDLER });
  return r;
}

const findingsOf = (out: string) => JSON.parse(out).findings.map((f: { ruleId: string; path: string; line: number }) => [f.ruleId, f.path, f.line]);

test("reviews only the lines changed since the base", async () => {
  const { dir, write } = repo();
  write({ "src/h.ts": "export function h(req) {\n  console.log('old');\n  console.log('new');\n}\n" });
  const { code, out } = await runCli(dir, ["review", "--base", "main", "--format", "json"]);
  expect(code).toBe(0);
  expect(findingsOf(out)).toEqual([["unstructured-logging", "src/h.ts", 3]]);
});

test("works from a subdirectory: paths from the repository root, contents read", async () => {
  const { dir, write } = repo();
  write({ "src/h.ts": "export function h(req) {\n  console.log('old');\n  console.log('new');\n}\n" });
  const { code, out } = await runCli(join(dir, "src"), ["review", "--format", "json"]);
  expect(code).toBe(0);
  const result = JSON.parse(out);
  expect(result.skipped).toEqual([]);
  expect(findingsOf(out)).toEqual([["unstructured-logging", "src/h.ts", 3]]);
});

test("reviews new files git does not track yet, and skips ignored ones", async () => {
  const { dir, write } = repo();
  write({ ".gitignore": "build/\n", "src/new.py": "def f():\n    print('hi')\n", "build/out.py": "print('x')\n" });
  const { out } = await runCli(dir, ["review", "--format", "json"]);
  expect(findingsOf(out)).toEqual([["unstructured-logging", "src/new.py", 2]]);
});

test("reviews a repository with no commit yet", async () => {
  const { dir, write } = makeRepo();
  write({ "app.py": "def f():\n    print('hi')\n" });
  const { code, out } = await runCli(dir, ["review", "--format", "json"]);
  expect(code).toBe(0);
  expect(findingsOf(out)).toEqual([["unstructured-logging", "app.py", 2]]);
});

test("text output groups findings by file, with why and fix", async () => {
  const { dir } = repo();
  const { out } = await runCli(dir, ["review", "src/h.ts"]);
  const lines = out.split("\n");
  expect(lines[0]).toBe("src/h.ts");
  expect(lines[1]).toMatch(/^ {2}2 +notice +unstructured-logging {2}\[Operational resilience\]$/);
  expect(lines[2]).toContain("console.log");
  expect(lines[3]).toMatch(/^ {4}why: \S/);
  expect(lines[4]).toMatch(/^ {4}fix: \S/);
  expect(out).not.toContain("\x1b[");
  expect(lines.at(-2)).toBe("1 finding (0 failures) in 1 file, 1 category");
});

test("colour on a terminal, none with NO_COLOR or when piped", async () => {
  const { dir } = repo();
  expect((await runCli(dir, ["review", "src/h.ts"], { tty: true })).out).toContain("\x1b[36mnotice");
  expect((await runCli(dir, ["review", "src/h.ts"], { tty: true, env: { NO_COLOR: "1" } })).out).not.toContain("\x1b[");
  expect((await runCli(dir, ["review", "src/h.ts"], { tty: false })).out).not.toContain("\x1b[");
});

test("--output writes the report to a file", async () => {
  const { dir } = repo();
  const { code, out } = await runCli(dir, ["review", "src/h.ts", "--format", "json", "--output", "report.json"]);
  expect([code, out]).toEqual([0, ""]);
  expect(JSON.parse(readFileSync(join(dir, "report.json"), "utf8")).findings).toHaveLength(1);
});

test("a failure-level finding exits 1", async () => {
  const { dir, write } = repo();
  write({ ".github/ai-gaps.yml": "rules:\n  unstructured-logging: failure\n" });
  expect((await runCli(dir, ["review", "src/h.ts"])).code).toBe(1);
});

describe("configuration problems exit 2 with the line and column", () => {
  const cases: [string, string, RegExp][] = [
    ["an unknown key", "gate:\n  mood: block\n", /^ai-gaps: \.github\/ai-gaps\.yml:2:3: gate\.mood: unknown key "mood" under "gate"$/],
    ["a YAML syntax error", "gate:\n  mode: [block\n", /^ai-gaps: \.github\/ai-gaps\.yml:\d+:\d+: .+$/],
    ["a wrong type", "annotations:\n  max: lots\n", /^ai-gaps: \.github\/ai-gaps\.yml:2:8: annotations\.max: .+$/],
    [
      "a billion-laughs alias bomb",
      'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n',
      /^ai-gaps: \.github\/ai-gaps\.yml:2:8: the YAML aliases expand too far/,
    ],
  ];
  test.each(cases)("%s", async (_name, text, expected) => {
    const { dir, write } = repo();
    write({ ".github/ai-gaps.yml": text });
    const { code, err, out } = await runCli(dir, ["review", "src/h.ts"]);
    expect([code, out]).toEqual([2, ""]);
    expect(err.trimEnd()).toMatch(expected);
  });

  test("--config names the file as given, from the current directory", async () => {
    const { dir, write } = repo();
    write({ "src/ai-gaps.yml": "gate:\n  mood: block\n" });
    const { code, err } = await runCli(join(dir, "src"), ["review", "--config", "ai-gaps.yml"]);
    expect(code).toBe(2);
    expect(err).toMatch(/^ai-gaps: ai-gaps\.yml:2:3: /);
  });
});

describe("usage problems: one line, exit 2", () => {
  const outside = mkdtempSync(join(tmpdir(), "ai-gaps-nogit-"));
  const cases: [string, string[], RegExp][] = [
    ["an unknown flag", ["review", "--bsae", "main"], /^ai-gaps: Unknown option '--bsae'.* \(see ai-gaps --help\)$/],
    ["a bad --base", ["review", "--base", "no-such-branch"], /^ai-gaps: unknown git base "no-such-branch": name a branch, tag or commit of /],
    ["an unknown format", ["review", "--format", "xml"], /^ai-gaps: unknown format "xml": use text, json, sarif$/],
    ["an unknown command", ["reveiw"], /^ai-gaps: unknown command "reveiw"/],
    ["no command", [], /^ai-gaps: missing command/],
    ["a missing file", ["review", "nope.ts"], /^ai-gaps: no such file: nope\.ts$/],
    ["a missing --config", ["review", "--config", "nope.yml"], /^ai-gaps: config file not found: nope\.yml$/],
    ["outside a git repository", ["review"], /^ai-gaps: not inside a git repository \(.+\): run it in your repository, or name the files to review$/],
  ];
  test.each(cases)("%s", async (name, args, expected) => {
    const { code, out, err } = await runCli(name.startsWith("outside") ? outside : repo().dir, args);
    expect([code, out]).toEqual([2, ""]);
    expect(err.trimEnd().split("\n")).toHaveLength(1);
    expect(err.trimEnd()).toMatch(expected);
  });

  test("--help and --version answer 0", async () => {
    const dir = repo().dir;
    expect(await runCli(dir, ["--help"])).toMatchObject({ code: 0, out: expect.stringContaining("Usage: ai-gaps review") });
    expect(await runCli(dir, ["--version"])).toMatchObject({ code: 0, out: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
  });
});

test("a reordered Express app is printed in execution order, with the unmet requirement", async () => {
  const { dir, commit, write } = repo();
  const app = (order: string) => `import express from "express";\nimport passport from "passport";\n\nconst app = express();\n${order}\napp.get("/api/orders", listOrders);\n`;
  const tenant = `app.use((req, res, next) => { req.tenant = tenants.of(req.user.tenantId); next(); });`;
  const auth = `app.use(passport.authenticate("jwt", { session: false }));`;
  commit("app", { "src/app.ts": app(`${auth}\n${tenant}`) });
  write({ "src/app.ts": app(`${tenant}\n${auth}`) });
  const { out } = await runCli(dir, ["review", "--base", "HEAD"]);
  expect(out).toContain('pipeline Express app (src/app.ts:5), in execution order: app.use((req, res, next) => { req.tenant = tenants.of(req... (moved) ! -> app.use(passport.authenticate("jwt", { session: false })) -> handler');
  // Only the passport line shows as added in the diff; the finding on the tenant middleware still counts.
  expect(out).toMatch(/^src\/app\.ts\n {2}5 +failure +pipeline-order/m);
  expect(out).toMatch(/ {2}! app\.use\(\(req, res, next\).* needs `req\.user` \(provided by `app\.use\(passport\.authenticate/);
});
