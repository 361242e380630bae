// `ai-gaps converge` on real temporary git repositories, with commands that print compiler-style errors.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, jest, test } from "@jest/globals";
import { main } from "../../src/cli/converge.js";

const tscLines = (n: number) => Array.from({ length: n }, (_, i) => `src/m${i}.ts(${i + 1},5): error TS2304: Cannot find name 'computeTotal'.`).join("\n");

/** A repository with a base commit, then one commit per count whose errors.txt holds that many tsc errors. */
function repo(counts: number[], messages: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), "ai-gaps-converge-test-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "t@example.com");
  git("config", "user.name", "t");
  writeFileSync(join(dir, "errors.txt"), "");
  writeFileSync(join(dir, "src.ts"), "export const a = 1;\n");
  git("add", ".");
  git("commit", "-qm", "base");
  git("checkout", "-q", "-b", "fixes");
  counts.forEach((n, i) => {
    writeFileSync(join(dir, "errors.txt"), `compiling...\n${tscLines(n)}\n${n ? `Found ${n} errors.` : ""}\n`);
    if (i === 1) writeFileSync(join(dir, "src.ts"), "export const a = load() as any;\n");
    git("add", ".");
    git("commit", "-qm", messages[i] ?? `fix ${i}`);
  });
  return dir;
}

async function run(dir: string, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const capture = (into: string[]) => (chunk: unknown) => (into.push(String(chunk)), true);
  const o = jest.spyOn(process.stdout, "write").mockImplementation(capture(out));
  const e = jest.spyOn(process.stderr, "write").mockImplementation(capture(err));
  try {
    return { code: await main(args, dir), out: out.join(""), err: err.join("") };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const worktrees = (dir: string) => execFileSync("git", ["worktree", "list", "--porcelain"], { cwd: dir, encoding: "utf8" }).split("\n").filter((l) => l.startsWith("worktree ")).length;

describe("ai-gaps converge", () => {
  test("a stalled series is critical: JSON as documented, exit 1, progress per commit, the working tree untouched", async () => {
    const dir = repo([31, 22, 14, 13, 12, 11], ["Change the macro", "partial fix"]);
    writeFileSync(join(dir, "errors.txt"), "my uncommitted edit\n");
    const { code, out, err } = await run(dir, ["--base", "main", "--run", "cat errors.txt", "--format", "json"]);
    expect(code).toBe(1);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(["commits", "verdict", "reasons"]);
    expect(json.verdict).toBe("critical");
    expect(json.commits.map((c: { errors: number }) => c.errors)).toEqual([31, 22, 14, 13, 12, 11]);
    expect(json.commits.map((c: { resolved: number | null }) => c.resolved)).toEqual([null, 9, 8, 1, 1, 1]);
    expect(Object.keys(json.commits[0])).toEqual(["sha", "message", "errors", "resolved"]);
    expect(json.commits[1].message).toBe("partial fix");
    expect(json.reasons[0]).toBe("not converging: 3 commits in a row resolved fewer than 3 errors");
    expect(json.reasons).toContain('commit ' + json.commits[1].sha.slice(0, 7) + ' says "partial fix"');
    expect(json.reasons).toContain("`as any` added at src.ts:1 silences the compiler");
    expect(err.split("\n").filter((l) => /^\[\d\/6\] [0-9a-f]{7} +\d+ errors?/.test(l))).toHaveLength(6);
    // The user's checkout: same branch, same uncommitted edit, no worktree or temp dir left behind.
    expect(readFileSync(join(dir, "errors.txt"), "utf8")).toBe("my uncommitted edit\n");
    expect(execFileSync("git", ["rev-parse", "--abbrev-ref", "HEAD"], { cwd: dir, encoding: "utf8" }).trim()).toBe("fixes");
    expect(worktrees(dir)).toBe(1);
  });

  test("a falling series is healthy (exit 0), text output; --pattern counts only its lines", async () => {
    const dir = repo([40, 30, 19, 9, 0]);
    const text = await run(dir, ["--base", "main", "--run", "cat errors.txt"]);
    expect(text.code).toBe(0);
    expect(text.out).toContain("healthy: converging: 40 → 0 errors over 5 commits");
    const only = await run(dir, ["--base", "main", "--run", "cat errors.txt", "--pattern", "^Found \\d+ errors", "--format", "json"]);
    expect(JSON.parse(only.out).commits.map((c: { errors: number }) => c.errors)).toEqual([1, 1, 1, 1, 0]);
  });

  test("usage errors exit 2 with one clear line", async () => {
    const dir = repo([3, 2]);
    const cases: [string[], RegExp][] = [
      [["--base", "main"], /--run "<command>" is required/],
      [["--run", "true"], /--base <ref> is required/],
      [["--base", "nope", "--run", "true"], /unknown git ref nope/],
      [["--base", "main", "--run", "true", "--format", "xml"], /--format must be text or json/],
      [["--base", "main", "--run", "true", "--pattern", "("], /--pattern: not a valid regular expression/],
      [["--base", "main", "--run", "true", "--frobnicate"], /Unknown option '--frobnicate'/],
      [["--base", "fixes", "--run", "true"], /no commits in fixes\.\.HEAD/],
      [["--base", "main", "--run", "no-such-command-xyz"], /command not found/],
    ];
    for (const [args, message] of cases) {
      const r = await run(dir, args);
      expect([args.join(" "), r.code]).toEqual([args.join(" "), 2]);
      expect(r.err).toMatch(message);
    }
    const outside = await run(mkdtempSync(join(tmpdir(), "ai-gaps-not-git-")), ["--base", "main", "--run", "true"]);
    expect(outside).toMatchObject({ code: 2, err: expect.stringMatching(/not a git repository/) });
    expect(worktrees(dir)).toBe(1);
  });

  test("Ctrl-C while the command runs removes the temporary worktree", async () => {
    const dir = repo([5, 4]);
    const cli = new URL("../../src/cli.ts", import.meta.url).pathname;
    const tsx = new URL("../../node_modules/.bin/tsx", import.meta.url).pathname;
    const child = spawn(tsx, [cli, "converge", "--base", "main", "--run", "touch ai-gaps-started; sleep 30"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    // Wait until the worktree exists and the command in it has started (it leaves a marker file), then interrupt.
    const temp = () => execFileSync("git", ["worktree", "list", "--porcelain"], { cwd: dir, encoding: "utf8" }).split("\n").filter((l) => l.startsWith("worktree ")).map((l) => l.slice(9))[1];
    for (let i = 0; i < 1000 && !(worktrees(dir) >= 2 && existsSync(join(temp(), "ai-gaps-started"))); i++) await new Promise((r) => setTimeout(r, 50));
    expect(worktrees(dir)).toBe(2);
    const box = temp();
    expect(existsSync(box)).toBe(true);
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(130);
    expect(stderr).toContain("the temporary worktree was removed");
    expect(worktrees(dir)).toBe(1);
    expect(existsSync(box)).toBe(false);
    expect(existsSync(join(box, ".."))).toBe(false);
    expect(existsSync(join(dir, ".git", "worktrees")) ? readdirSync(join(dir, ".git", "worktrees")) : []).toEqual([]);
  }, 60_000);
});
