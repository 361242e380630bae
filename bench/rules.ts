// Rule-engine throughput per language, and ESLint (recommended rules) on the same TypeScript/JavaScript
// files in the same run, printed as a ratio.   Run: npm run bench:rules
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import js from "@eslint/js";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { bundledDefaults } from "../src/config/files.js";
import { review } from "../src/engine/index.js";
import { languageOf } from "../src/engine/languages.js";
import type { ChangedFile, Language } from "../src/engine/types.js";
import { loadCorpus } from "./corpus.js";

const ROUNDS = 5;
const require = createRequire(import.meta.url);

interface Source {
  path: string;
  content: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

/** Real-world JavaScript shipped in node_modules: Probot's own sources. */
function realJavaScript(): Source[] {
  const lib = dirname(require.resolve("probot"));
  return walk(lib)
    .filter((p) => p.endsWith(".js"))
    .map((p) => ({ path: `probot/lib/${p.slice(lib.length + 1)}`, content: readFileSync(p, "utf8") }));
}

function corpusSources(): Source[] {
  return loadCorpus().flatMap((pr) => [...pr.files, ...pr.repoFiles].map((f) => ({ path: `${pr.name}/${f.path}`, content: f.content! })));
}

const lines = (sources: Source[]) => sources.reduce((n, s) => n + s.content.split("\n").length, 0);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up
  const runs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    await fn();
    runs.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return median(runs);
}

async function engineSeconds(sources: Source[]): Promise<number> {
  const config = bundledDefaults();
  config.review.filter = "file";
  config.limits.max_files = 3000;
  config.limits.max_file_bytes = 5_000_000;
  const files: ChangedFile[] = sources.map((s) => ({ path: s.path, status: "added", content: s.content }));
  return time(() => review({ files, pr: { title: "", body: "", commitMessages: [] }, config }));
}

async function eslintSeconds(sources: Source[]): Promise<number> {
  const eslint = new ESLint({
    overrideConfigFile: true,
    overrideConfig: [js.configs.recommended, ...tseslint.configs.recommended] as never,
  });
  return time(async () => {
    for (const s of sources) await eslint.lintText(s.content, { filePath: s.path.replace(/\.js$/, ".ts") });
  });
}

const MIN_LINES = 5000;

/** Repeats a language's files under new paths until it has MIN_LINES lines, so timings are not noise. */
function padded(sources: Source[]): Source[] {
  const out = [...sources];
  for (let copy = 1; lines(out) < MIN_LINES; copy++) out.push(...sources.map((s) => ({ ...s, path: `copy${copy}/${s.path}` })));
  return out;
}

const byLanguage = new Map<Language, Source[]>();
for (const s of [...corpusSources(), ...realJavaScript()]) {
  const lang = languageOf(s.path);
  if (lang) byLanguage.set(lang, [...(byLanguage.get(lang) ?? []), s]);
}
for (const [lang, sources] of byLanguage) byLanguage.set(lang, padded(sources));

console.log(`ai-gaps rule engine, ${ROUNDS} rounds, median (node ${process.version})`);
console.log("language     files   lines   seconds   lines/s");
for (const [lang, sources] of byLanguage) {
  const s = await engineSeconds(sources);
  console.log(`${lang.padEnd(11)} ${String(sources.length).padStart(6)} ${String(lines(sources)).padStart(7)} ${s.toFixed(3).padStart(9)} ${Math.round(lines(sources) / s).toString().padStart(9)}`);
}

const tsSources = byLanguage.get("typescript") ?? [];
const ours = await engineSeconds(tsSources);
const theirs = await eslintSeconds(tsSources);
const n = lines(tsSources);
console.log(`\nSame ${tsSources.length} TypeScript/JavaScript files (${n} lines):`);
console.log(`  ai-gaps (all rules)            ${Math.round(n / ours)} lines/s`);
console.log(`  ESLint (js + typescript-eslint recommended) ${Math.round(n / theirs)} lines/s`);
console.log(`  ratio ai-gaps / ESLint: ${(theirs / ours).toFixed(2)}x`);
