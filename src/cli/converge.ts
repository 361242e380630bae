// `ai-gaps converge`: the convergence monitor on a local branch. Each commit of <base>..HEAD is checked out
// in a temporary git worktree (the user's working tree is never touched), the command runs there, its error
// lines are counted, and the paper's verdict is printed. The worktree is removed even on Ctrl-C.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bundledDefaults } from "../config/files.js";
import { checkConfigText, finishConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { compilePatterns, countErrorLines, evaluate, messageSigns, renderText, silencingSigns, type CommitCount, type Verdict } from "../convergence/index.js";

const USAGE = `Usage: ai-gaps converge --base <ref> --run "<command>" [--format text|json] [--pattern <regex>]...

Checks out each commit of <base>..HEAD in a temporary git worktree, runs the command there, counts the
error lines it prints (tsc, rustc/cargo, mypy, pyright, eslint, go vet), and says whether the fix series
converges (the paper's thresholds: cascade.monitor in .github/ai-gaps.yml).

Options:
  --base <ref>       where the series starts (its commits are <ref>..HEAD)
  --run <command>    shell command run at each commit, e.g. "npx tsc --noEmit" or "cargo check"
  --format <fmt>     text (default) or json
  --pattern <regex>  count only lines matching this (repeatable) instead of the compiler patterns
  -h, --help         this help

Exit codes: 0 healthy or warning, 1 critical (stop and migrate in one batch), 2 usage error.`;

class UsageError extends Error {}

interface Options {
  base: string;
  run: string;
  format: "text" | "json";
  patterns: RegExp[];
  /** cascade.monitor.error_patterns of the repository's config. */
  extra: RegExp[];
}

function options(argv: string[]): Options | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        base: { type: "string" },
        run: { type: "string" },
        format: { type: "string", default: "text" },
        pattern: { type: "string", multiple: true, default: [] },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return "help";
  if (!v.base) throw new UsageError("--base <ref> is required");
  if (!v.run) throw new UsageError('--run "<command>" is required');
  if (v.format !== "text" && v.format !== "json") throw new UsageError(`--format must be text or json, not ${v.format}`);
  try {
    return { base: v.base, run: v.run, format: v.format, patterns: compilePatterns(v.pattern ?? []), extra: [] };
  } catch (error) {
    throw new UsageError(`--pattern: ${(error as Error).message}`);
  }
}

function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
}

function repoRoot(cwd: string): string {
  try {
    return git(cwd, ["rev-parse", "--show-toplevel"]).trim();
  } catch {
    throw new UsageError("not a git repository (run ai-gaps converge inside one)");
  }
}

function commitsSince(root: string, base: string): { sha: string; message: string }[] {
  try {
    git(root, ["rev-parse", "--verify", "-q", `${base}^{commit}`]);
  } catch {
    throw new UsageError(`--base: unknown git ref ${base}`);
  }
  const out = git(root, ["log", "--reverse", "--format=%H%x00%s%x1e", `${base}..HEAD`]);
  return out
    .split("\x1e")
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => {
      const [sha, message] = r.split("\0");
      return { sha, message };
    });
}

/** The repository's .github/ai-gaps.yml (for cascade.monitor), else the defaults. */
function repoConfig(root: string): Config {
  const file = join(root, ".github/ai-gaps.yml");
  if (!existsSync(file)) return bundledDefaults();
  const { value, problems } = checkConfigText(readFileSync(file, "utf8"), file);
  if (problems.length) throw new UsageError(problems.map((p) => `${file}:${p.line ?? 1}:${p.column ?? 1}: ${p.path ? `${p.path}: ` : ""}${p.message}`).join("\n"));
  return finishConfig([value!]);
}

/** Silencing casts added since the base, from one diff. */
function silencing(root: string, base: string) {
  const diff = git(root, ["diff", "--unified=0", "--no-color", `${base}...HEAD`]);
  return diff.split(/^diff --git /m).flatMap((chunk) => {
    const path = /^\+\+\+ b\/(.+)$/m.exec(chunk)?.[1];
    return path ? silencingSigns(path, chunk.slice(chunk.search(/^@@/m))) : [];
  });
}

/** The temporary worktree and the command running in it, torn down once however the run ends. */
class Sandbox {
  readonly dir: string;
  child?: ChildProcess;
  #removed = false;

  constructor(readonly root: string) {
    this.dir = join(mkdtempSync(join(tmpdir(), "ai-gaps-converge-")), "tree");
  }

  add(sha: string): void {
    git(this.root, ["worktree", "add", "--detach", "--quiet", this.dir, sha]);
    // Dependencies are not in git: let the command use the project's installed ones.
    const modules = join(this.root, "node_modules");
    if (existsSync(modules) && !existsSync(join(this.dir, "node_modules"))) symlinkSync(modules, join(this.dir, "node_modules"), "dir");
  }

  checkout(sha: string): void {
    git(this.dir, ["checkout", "--detach", "--quiet", "--force", sha]);
  }

  remove(): void {
    if (this.#removed) return;
    this.#removed = true;
    if (this.child && this.child.exitCode === null) {
      try {
        process.kill(-this.child.pid!, "SIGKILL");
      } catch {
        this.child.kill("SIGKILL");
      }
    }
    try {
      git(this.root, ["worktree", "remove", "--force", this.dir]);
    } catch {
      // Already gone, or git is locked: remove the files and let git forget it.
    }
    rmSync(join(this.dir, ".."), { recursive: true, force: true });
    try {
      git(this.root, ["worktree", "prune"]);
    } catch {
      /* nothing to prune */
    }
  }
}

/** Runs the command in the worktree; its combined output and exit code. */
function runIn(box: Sandbox, command: string): Promise<{ output: string; code: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { cwd: box.dir, shell: true, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" } });
    box.child = child;
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString("utf8")));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ output, code: code ?? 1 }));
  });
}

async function series(box: Sandbox, commits: { sha: string; message: string }[], o: Options): Promise<CommitCount[]> {
  const out: CommitCount[] = [];
  for (const [i, c] of commits.entries()) {
    if (i === 0) box.add(c.sha);
    else box.checkout(c.sha);
    const { output, code } = await runIn(box, o.run);
    if (code === 127 && i === 0) throw new UsageError(`--run: command not found: ${o.run}\n${output.trim().split("\n").slice(-3).join("\n")}`);
    const lines = countErrorLines(output, o.extra, o.patterns);
    // A failing command with no recognisable error line still failed: count it as one.
    const errors = lines || (code !== 0 ? 1 : 0);
    const source = lines ? "command output" : code !== 0 ? `exit code ${code}, no error lines (counted as 1)` : "command passed";
    out.push({ sha: c.sha, message: c.message, status: "counted", errors, source });
    process.stderr.write(`[${i + 1}/${commits.length}] ${c.sha.slice(0, 7)} ${String(errors).padStart(5)} error${errors === 1 ? " " : "s"}  ${c.message.slice(0, 60)}\n`);
  }
  return out;
}

/** The three verdicts the CLI reports: "no verdict yet" with errors left is a warning, without any healthy. */
function cliLevel(v: Verdict): "healthy" | "warning" | "critical" {
  if (v.level === "healthy" || v.level === "warning" || v.level === "critical") return v.level;
  const last = v.rows[v.rows.length - 1];
  return last?.errors ? "warning" : "healthy";
}

export function toJson(v: Verdict) {
  return {
    commits: v.rows.map((r) => ({ sha: r.sha, message: r.message, errors: r.errors ?? null, resolved: r.resolved ?? null })),
    verdict: cliLevel(v),
    reasons: [v.sentence, ...v.reasons],
  };
}

export async function main(argv: string[], cwd = process.cwd()): Promise<number> {
  let box: Sandbox | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    box?.remove();
    process.stderr.write(`\nstopped (${signal}); the temporary worktree was removed\n`);
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  try {
    const o = options(argv);
    if (o === "help") {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const root = repoRoot(cwd);
    const config = repoConfig(root);
    o.extra = compilePatterns(config.cascade.monitor.error_patterns);
    const commits = commitsSince(root, o.base);
    if (!commits.length) throw new UsageError(`no commits in ${o.base}..HEAD`);
    const signs = [...messageSigns(commits), ...silencing(root, o.base)];
    box = new Sandbox(root);
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    const counts = await series(box, commits, o);
    const verdict = evaluate(counts, config.cascade.monitor, signs);
    process.stdout.write(`${o.format === "json" ? JSON.stringify(toJson(verdict), null, 2) : renderText(verdict)}\n`);
    return cliLevel(verdict) === "critical" ? 1 : 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`ai-gaps converge: ${error.message}\nRun \`ai-gaps converge --help\` for usage.\n`);
    return 2;
  } finally {
    box?.remove();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
