// Reviews whole checkouts of real repositories as if every file were changed, to read the findings as a
// reviewer would. The repositories are not part of this project: fetch them yourself (any git directory,
// bare or not) and pass their paths.
// Run: npx tsx bench/real.ts [--json out.json] [--min notice|warning|failure] [--verdicts verdicts.json] <git-dir>...
// --verdicts: a reviewer's reading of the findings, `{ "<repo>/<path>:<line> <rule>": "true" | "false" | "debatable" }`;
// prints true/false/debatable per rule and false positives per KLOC (findings not in the file count as unread).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { parseArgs } from "node:util";
import { bundledDefaults } from "../src/config/files.js";
import { SEVERITY_RANK } from "../src/engine/categories.js";
import { planFiles, review } from "../src/engine/index.js";
import type { ChangedFile, Finding, Severity } from "../src/engine/types.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { json: { type: "string" }, min: { type: "string", default: "notice" }, verdicts: { type: "string" } },
});
const min = SEVERITY_RANK[values.min as Severity];

function benchConfig() {
  const config = bundledDefaults();
  config.review.filter = "file";
  config.limits.max_files = Number.MAX_SAFE_INTEGER;
  config.limits.file_seconds = 600;
  config.limits.review_seconds = 3600;
  return config;
}

/** Every file at HEAD, read in one `git cat-file --batch` pass. */
function checkout(gitDir: string): ChangedFile[] {
  const git = (args: string[], input?: string) =>
    execFileSync("git", ["--git-dir", gitDir, ...args], { input, maxBuffer: 1 << 30 });
  const paths = git(["ls-tree", "-r", "--name-only", "HEAD"]).toString("utf8").split("\n").filter(Boolean);
  const manifests = paths.filter((p) => /(^|\/)package\.json$/.test(p) && !/node_modules\//.test(p));
  const wanted = [...planFiles(paths.map((path) => ({ path, status: "added" })), benchConfig()).read.map((f) => f.path), ...manifests];
  const out = git(["cat-file", "--batch"], wanted.map((p) => `HEAD:${p}\n`).join(""));
  const files: ChangedFile[] = [];
  let at = 0;
  for (const path of wanted) {
    const header = out.subarray(at, out.indexOf(10, at)).toString("utf8");
    const size = Number(header.split(" ")[2]);
    at += header.length + 1;
    files.push({ path, status: "added", content: out.subarray(at, at + size).toString("utf8") });
    at += size + 1;
  }
  return files;
}

const name = (dir: string) => (basename(dir) === "repo" || basename(dir) === ".git" ? basename(dirname(dir)) : basename(dir));
const all: (Finding & { repo: string })[] = [];
let totalLines = 0;
console.log("repository                                  files   KLOC  notice warning failure    gaps  seconds");
for (const dir of positionals) {
  const files = checkout(dir);
  const config = benchConfig();
  const started = performance.now();
  const result = await review({ files: files.filter((f) => !f.path.endsWith("package.json")), repoFiles: files.filter((f) => f.path.endsWith("package.json")).map((f) => ({ path: f.path, content: f.content! })), pr: { title: "", body: "", commitMessages: [] }, config });
  const seconds = (performance.now() - started) / 1000;
  const reviewed = new Set(result.files.map((f) => f.path));
  const lines = files.filter((f) => reviewed.has(f.path)).reduce((n, f) => n + f.content!.split("\n").length, 0);
  totalLines += lines;
  const count = (s: Severity) => result.findings.filter((f) => f.severity === s).length;
  console.log(
    `${name(dir).padEnd(42)} ${String(reviewed.size).padStart(6)} ${(lines / 1000).toFixed(1).padStart(6)}` +
      `  ${String(count("notice")).padStart(6)} ${String(count("warning")).padStart(7)} ${String(count("failure")).padStart(7)}` +
      `  ${String(result.coverage.length).padStart(6)}  ${seconds.toFixed(1).padStart(7)}`,
  );
  for (const e of result.coverage) console.log(`  not analysed ${e.ruleId ?? ""} ${e.path}: ${e.reason}`);
  all.push(...result.findings.filter((f) => SEVERITY_RANK[f.severity] >= min).map((f) => ({ ...f, repo: name(dir) })));
}
console.log(`total ${(totalLines / 1000).toFixed(1)} KLOC, ${all.length} finding(s) at or above ${values.min}`);
const byRule = new Map<string, number>();
for (const f of all) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
for (const [rule, n] of [...byRule].sort((a, b) => b[1] - a[1])) console.log(`  ${rule.padEnd(36)} ${n}`);
if (values.json) writeFileSync(values.json, JSON.stringify(all, null, 1));
else for (const f of all) console.log(`${f.repo}/${f.path}:${f.line} ${f.severity} ${f.ruleId}: ${f.message}`);

if (values.verdicts) {
  const verdicts = JSON.parse(readFileSync(values.verdicts, "utf8")) as Record<string, "true" | "false" | "debatable">;
  const tally = new Map<string, Record<"true" | "false" | "debatable" | "unread", number>>();
  for (const f of all) {
    const v = verdicts[`${f.repo}/${f.path}:${f.line} ${f.ruleId}`] ?? "unread";
    const t = tally.get(f.ruleId) ?? { true: 0, false: 0, debatable: 0, unread: 0 };
    t[v]++;
    tally.set(f.ruleId, t);
  }
  const sum = (k: "true" | "false" | "debatable" | "unread") => [...tally.values()].reduce((n, t) => n + t[k], 0);
  console.log("rule                                   true  false  debatable  unread");
  for (const [rule, t] of [...tally].sort((a, b) => b[1].false - a[1].false)) {
    console.log(`  ${rule.padEnd(36)} ${String(t.true).padStart(5)} ${String(t.false).padStart(6)} ${String(t.debatable).padStart(10)} ${String(t.unread).padStart(7)}`);
  }
  console.log(`false positives: ${sum("false")} in ${(totalLines / 1000).toFixed(1)} KLOC = ${(sum("false") / (totalLines / 1000)).toFixed(2)} per KLOC (true ${sum("true")}, debatable ${sum("debatable")}, unread ${sum("unread")})`);
}
