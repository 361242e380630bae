// The local review CLI: the same engine as the app, over a git diff or over files you name.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { checkConfigText, finishConfig } from "../config/load.js";
import { bundledDefaults } from "../config/files.js";
import { categoryInfo } from "../engine/categories.js";
import { enginePool, holdEnginePool } from "../engine/pool.js";
import type { ChangedFile, EngineResult } from "../engine/types.js";
import type { Config } from "../config/schema.js";

const USAGE = `Usage: ai-gaps review [options] [files...]

Reviews the changes between --base and the working tree (default), or the whole of the files named.

Options:
  --base <ref>      git ref to diff against (default: origin/HEAD, else main, else HEAD~1)
  --config <path>   config file (default: .github/ai-gaps.yml when present)
  --title <text>    PR title, for classification by PR text
  --body <text>     PR body
  --format <fmt>    text (default) or json
  -h, --help        this help

Exit codes: 0 no failure-level findings, 1 failure-level findings, 2 usage or configuration error.`;

function git(args: string[]): string {
  return execFileSync("git", args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "ignore"] });
}

function tryGit(args: string[]): string | undefined {
  try {
    return git(args);
  } catch {
    return undefined;
  }
}

function defaultBase(): string {
  for (const ref of ["origin/HEAD", "main", "master", "HEAD~1"]) if (tryGit(["rev-parse", "--verify", "-q", ref])) return ref;
  return "HEAD";
}

/** Changed files with their patches, from `git diff <base>` (working tree included). */
export function filesFromGit(base: string): ChangedFile[] {
  const mergeBase = tryGit(["merge-base", base, "HEAD"])?.trim() ?? base;
  const status = git(["diff", "--name-status", "-M", mergeBase]).trim().split("\n").filter(Boolean);
  return status.map((row) => {
    const [code, ...paths] = row.split("\t");
    const path = paths[paths.length - 1];
    const removed = code.startsWith("D");
    return {
      path,
      status: removed ? "removed" : code.startsWith("A") ? "added" : code.startsWith("R") ? "renamed" : "modified",
      previousPath: code.startsWith("R") ? paths[0] : undefined,
      patch: git(["diff", mergeBase, "--", path]).split("\n").slice(4).join("\n"),
      content: removed || !existsSync(path) ? undefined : readFileSync(path, "utf8"),
      baseContent: code.startsWith("M") ? tryGit(["show", `${mergeBase}:${path}`]) : undefined,
    } satisfies ChangedFile;
  });
}

function loadLocalConfig(path: string | undefined): Config {
  const file = path ?? ".github/ai-gaps.yml";
  if (!existsSync(file)) {
    if (path) throw new UsageError(`config file not found: ${path}`);
    return bundledDefaults();
  }
  const { value, problems } = checkConfigText(readFileSync(file, "utf8"), file);
  if (problems.length) {
    throw new UsageError(problems.map((p) => `${file}:${p.line ?? 1}:${p.column ?? 1}: ${p.path ? `${p.path}: ` : ""}${p.message}`).join("\n"));
  }
  return finishConfig([value!]);
}

class UsageError extends Error {}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

export function formatText(result: EngineResult): string {
  const out: string[] = [];
  for (const f of result.findings) {
    const where = f.path ? `${f.path}:${f.line}` : "(pull request)";
    out.push(`${where}  ${f.severity}  ${f.ruleId} [${categoryInfo(f.category).name}]`, `  ${f.message}`, `  fix: ${f.remediation}`, "");
  }
  for (const p of result.pipelines ?? []) {
    const steps = p.steps.map((s) => `${s.label}${s.change ? ` (${s.change})` : ""}${s.unmet.length ? " !" : ""}`);
    const handler = p.steps.at(-1)?.kind === "handler" ? [] : ["handler"];
    out.push(`pipeline ${p.framework} ${p.name} (${p.path}:${p.line}), in execution order: ${[...steps, ...handler].join(" -> ")}`);
    for (const s of p.steps) for (const u of s.unmet) out.push(`  ! ${s.label} ${u}`);
    if (p.removed.length) out.push(`  removed: ${p.removed.join(", ")}`);
  }
  for (const c of result.pr) out.push(`category ${categoryInfo(c.category).name}: ${c.reasons.join("; ")}`);
  for (const s of result.suppressions) out.push(`suppressed ${s.ruleId} at ${s.path}:${s.line}: ${s.reason}`);
  for (const s of result.skipped) out.push(`skipped ${s.path}: ${s.reason}`);
  for (const g of result.coverage) out.push(`not analysed ${g.path || "(pull request)"}${g.ruleId ? ` by ${g.ruleId}` : ""}: ${g.reason}`);
  out.push(`${result.findings.length} finding(s) in ${result.files.length} file(s)`);
  return out.join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      base: { type: "string" },
      config: { type: "string" },
      title: { type: "string", default: "" },
      body: { type: "string", default: "" },
      format: { type: "string", default: "text" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, ...paths] = positionals;
  if (values.help || command !== "review") {
    print(USAGE);
    return values.help ? 0 : 2;
  }
  try {
    const config = loadLocalConfig(values.config);
    let files: ChangedFile[];
    let commitMessages: string[] = [];
    if (paths.length) {
      config.review.filter = "file";
      files = paths.map((path) => ({ path, status: "added", content: readFileSync(path, "utf8") }));
    } else {
      const base = values.base ?? defaultBase();
      files = filesFromGit(base);
      commitMessages = (tryGit(["log", "--format=%B%x00", `${base}..HEAD`]) ?? "").split("\0").map((m) => m.trim()).filter(Boolean);
    }
    const release = holdEnginePool();
    const result = await enginePool()
      .review({ files, pr: { title: values.title!, body: values.body!, commitMessages }, config })
      .finally(release);
    print(values.format === "json" ? JSON.stringify(result, null, 2) : formatText(result));
    return result.findings.some((f) => f.severity === "failure") ? 1 : 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
}
