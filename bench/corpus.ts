// Loads bench/corpus/: one folder per pull request (see bench/corpus/README.md).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChangedFile, PullRequestText, RepoFile } from "../src/engine/types.js";


export interface Expectation {
  ruleId: string;
  path: string;
  line: number;
}

export interface CorpusPr {
  name: string;
  files: ChangedFile[];
  repoFiles: RepoFile[];
  pr: PullRequestText;
  expected: Expectation[];
}

const MARK = /(?:\/\/|#)\s*expect:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)\s*$/;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

function corpusDir(): string {
  // Works from bench/ (tsx) and from dist/bench/ (compiled).
  const here = fileURLToPath(new URL(".", import.meta.url));
  for (const dir of [join(here, "corpus"), join(here, "../../bench/corpus")]) if (existsSync(dir)) return dir;
  throw new Error("bench/corpus not found");
}

export function loadCorpus(): CorpusPr[] {
  const root = corpusDir();
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory())
    .sort()
    .map((name) => loadPr(join(root, name), name));
}

function loadPr(dir: string, name: string): CorpusPr {
  const meta = existsSync(join(dir, "pr.json")) ? JSON.parse(readFileSync(join(dir, "pr.json"), "utf8")) : {};
  const paths = walk(dir).map((p) => relative(dir, p)).filter((p) => p !== "pr.json" && !p.endsWith(".base"));
  const files: ChangedFile[] = [];
  const repoFiles: RepoFile[] = [];
  const expected: Expectation[] = (meta.expect ?? []).map((ruleId: string) => ({ ruleId, path: "", line: 0 }));
  for (const rel of paths) {
    const content = readFileSync(join(dir, rel), "utf8");
    const path = rel.startsWith("repo/") ? rel.slice(5) : rel;
    content.split("\n").forEach((text, i) => {
      const m = MARK.exec(text);
      for (const ruleId of m?.[1].split(/\s*,\s*/) ?? []) expected.push({ ruleId, path, line: i + 1 });
    });
    if (rel.startsWith("repo/")) repoFiles.push({ path, content });
    else {
      const base = existsSync(join(dir, `${rel}.base`)) ? readFileSync(join(dir, `${rel}.base`), "utf8") : undefined;
      files.push({ path, status: base === undefined ? "added" : "modified", content, baseContent: base });
    }
  }
  return { name, files, repoFiles, pr: { title: meta.title ?? "", body: meta.body ?? "", commitMessages: [] }, expected };
}
