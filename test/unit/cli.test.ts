import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jest } from "@jest/globals";
import { main } from "../../src/cli/review.js";

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), "ai-gaps-cli-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "t@example.com");
  git("config", "user.name", "t");
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src/h.ts"), "export function h(req) {\n  console.log('old');\n}\n");
  git("add", ".");
  git("commit", "-qm", "base");
  return dir;
}

async function run(dir: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const lines: string[] = [];
  const errors: string[] = [];
  const capture = (into: string[]) => (chunk: unknown) => (into.push(String(chunk).replace(/\n$/, "")), true);
  const log = jest.spyOn(process.stdout, "write").mockImplementation(capture(lines));
  const err = jest.spyOn(process.stderr, "write").mockImplementation(capture(errors));
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return { code: await main(args), out: lines.join("\n"), err: errors.join("\n") };
  } finally {
    process.chdir(cwd);
    log.mockRestore();
    err.mockRestore();
  }
}

test("reviews only the lines changed since the base", async () => {
  const dir = repo();
  writeFileSync(join(dir, "src/h.ts"), "export function h(req) {\n  console.log('old');\n  console.log('new');\n}\n");
  const { code, out } = await run(dir, ["review", "--base", "main", "--format", "json"]);
  expect(code).toBe(0);
  const result = JSON.parse(out);
  expect(result.findings.map((f: { line: number; ruleId: string }) => [f.ruleId, f.line])).toEqual([["unstructured-logging", 3]]);
});

test("reviews whole files when they are named", async () => {
  const dir = repo();
  const { out } = await run(dir, ["review", "src/h.ts"]);
  expect(out).toMatch(/src\/h\.ts:2 {2}notice {2}unstructured-logging \[Operational resilience\]/);
});

test("a failure-level finding exits 1", async () => {
  const dir = repo();
  mkdirSync(join(dir, ".github"));
  writeFileSync(join(dir, ".github/ai-gaps.yml"), "rules:\n  unstructured-logging: failure\n");
  expect((await run(dir, ["review", "src/h.ts"])).code).toBe(1);
});

test("a malformed config exits 2 and names the line and column", async () => {
  const dir = repo();
  mkdirSync(join(dir, ".github"));
  writeFileSync(join(dir, ".github/ai-gaps.yml"), "gate:\n  mood: block\n");
  const { code, err } = await run(dir, ["review", "src/h.ts"]);
  expect(code).toBe(2);
  expect(err).toContain('.github/ai-gaps.yml:2:3: gate.mood: unknown key "mood" under "gate"');
});

test("a reordered Express app is printed in execution order, with the unmet requirement", async () => {
  const dir = repo();
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  const app = (order: string) => `import express from "express";\nimport passport from "passport";\n\nconst app = express();\n${order}\napp.get("/api/orders", listOrders);\n`;
  const tenant = `app.use((req, res, next) => { req.tenant = tenants.of(req.user.tenantId); next(); });`;
  const auth = `app.use(passport.authenticate("jwt", { session: false }));`;
  writeFileSync(join(dir, "src/app.ts"), app(`${auth}\n${tenant}`));
  git("add", ".");
  git("commit", "-qm", "app");
  writeFileSync(join(dir, "src/app.ts"), app(`${tenant}\n${auth}`));
  const { out } = await run(dir, ["review", "--base", "HEAD"]);
  expect(out).toContain('pipeline Express app (src/app.ts:5), in execution order: app.use((req, res, next) => { req.tenant = tenants.of(req... (moved) ! -> app.use(passport.authenticate("jwt", { session: false })) -> handler');
  // Only the passport line shows as added in the diff; the finding on the tenant middleware still counts.
  expect(out).toMatch(/^src\/app\.ts:5 {2}failure {2}pipeline-order/m);
  expect(out).toMatch(/ {2}! app\.use\(\(req, res, next\).* needs `req\.user` \(provided by `app\.use\(passport\.authenticate/);
});
