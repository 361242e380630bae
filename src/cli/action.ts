// The GitHub Action: review the event's base..head in the checkout, then annotations, job summary,
// SARIF file and outputs. It talks to nothing but the runner's files and git.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError, loadConfigText, type ConfigProblem } from "../config/load.js";
import { bundledDefaults } from "../config/files.js";
import type { Config } from "../config/schema.js";
import { enginePool, holdEnginePool } from "../engine/pool.js";
import type { EngineResult } from "../engine/types.js";
import { planAnnotations, type Annotation } from "../report/annotations.js";
import { renderSarif } from "../report/sarif.js";
import { foundCategories, renderConfigError, renderSummary, renderTitle } from "../report/summary.js";
import { plural, renderText } from "../report/text.js";
import { Git } from "./git.js";
import { EXIT_FAILURES, EXIT_OK, EXIT_USAGE, UsageError } from "./usage.js";

const CONFIG_PATH = ".github/ai-gaps.yml";

interface Range {
  base: string;
  head: string;
  title: string;
  body: string;
  /** Which commit the config is read from, and why (shown in the summary). */
  what: string;
}

/** The runner passes input `name` as INPUT_<NAME> (spaces to underscores, upper case). */
function input(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

function readEvent(env: NodeJS.ProcessEnv): Record<string, any> {
  const path = env.GITHUB_EVENT_PATH;
  if (!path || !existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Record<string, any>;
  } catch (error) {
    throw new UsageError(`cannot read the event payload ${path}: ${(error as Error).message}`);
  }
}

const NO_COMMIT = /^0+$/;

/** base..head of the event: a pull request's or merge group's base and head, a push's before and after. */
function eventRange(git: Git, name: string, event: Record<string, any>): Range {
  const pr = event.pull_request;
  if (pr?.base?.sha && pr?.head?.sha) {
    return { base: pr.base.sha, head: pr.head.sha, title: pr.title ?? "", body: pr.body ?? "", what: `pull request #${pr.number}` };
  }
  const group = event.merge_group;
  if (group?.base_sha && group?.head_sha) return { base: group.base_sha, head: group.head_sha, title: "", body: "", what: "merge group" };
  if (name === "push" && event.after && !NO_COMMIT.test(event.after)) {
    const base = event.before && !NO_COMMIT.test(event.before) ? event.before : git.try(["rev-parse", "--verify", "--quiet", `${event.after}~1`])?.trim();
    return { base: base ?? git.defaultBase(), head: event.after, title: "", body: "", what: "push" };
  }
  return { base: git.defaultBase(), head: "HEAD", title: "", body: "", what: name || "run" };
}

function requireCommit(git: Git, sha: string, role: string): string {
  try {
    return git.commit(sha, role);
  } catch {
    throw new UsageError(
      `the ${role} ${sha} is not in the checkout at ${git.root}: check out with actions/checkout and "fetch-depth: 0" before this step`,
    );
  }
}

/**
 * The config from the base commit (so a pull request cannot loosen its own review, as the app reads the
 * default branch), or from the `config` input's path in the workspace.
 */
function configText(git: Git, base: string, path: string): { text?: string; source: string } {
  if (path) {
    const full = resolve(git.root, path);
    if (!existsSync(full)) throw new UsageError(`config file not found: ${path}`);
    return { text: readFileSync(full, "utf8"), source: `${path} (from the workspace)` };
  }
  const text = git.show(base, CONFIG_PATH);
  return text === undefined
    ? { source: `bundled defaults (no ${CONFIG_PATH} at the base commit ${base.slice(0, 7)})` }
    : { text, source: `${CONFIG_PATH} at the base commit ${base.slice(0, 7)}` };
}

/** Workflow commands: `::error file=…,line=…::message`, escaped as the runner expects. */
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

const COMMAND: Record<Annotation["annotation_level"], string> = { failure: "error", warning: "warning", notice: "notice" };

export function workflowCommand(a: Annotation): string {
  const props = [`file=${escapeProperty(a.path)}`, `line=${a.start_line}`, `endLine=${a.end_line}`, `title=${escapeProperty(a.title)}`];
  return `::${COMMAND[a.annotation_level]} ${props.join(",")}::${escapeData(a.message)}`;
}

function problemCommand(p: ConfigProblem): string {
  const where = [`file=${escapeProperty(p.file)}`, `line=${p.line ?? 1}`, `col=${p.column ?? 1}`, "title=ai-gaps configuration"];
  return `::error ${where.join(",")}::${escapeData(`${p.path ? `${p.path}: ` : ""}${p.message}`)}`;
}

export interface ActionIo {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
}

function summary(result: EngineResult, config: Config, failing: boolean, advisory: boolean, overflow: number, source: string[]): string {
  const failures = result.findings.filter((f) => f.severity === "failure").length;
  const gate = failing
    ? { conclusion: "failure", reason: `${plural(failures, "failure-level finding")} to fix or suppress` }
    : failures && advisory
      ? { conclusion: "neutral", reason: `${plural(failures, "failure-level finding")}, reported only (advisory)` }
      : { conclusion: "success", reason: "no failure-level finding" };
  const noCategory = foundCategories(result).length === 0 && config.gate.no_category === "pass";
  const report = { result, progress: { done: 0, required: 0 }, gate, overflow, annotationsMax: config.annotations.max, configSource: source, noCategory };
  const heading = noCategory ? `## ai-gaps: ${renderTitle(report)}` : `## ai-gaps: ${plural(result.findings.length, "finding")}, ${plural(foundCategories(result).length, "category", "categories")}`;
  // The check run's summary, then its text: the findings by file, with why and fix.
  const body = [renderSummary(report), noCategory ? "" : renderText(report)].filter(Boolean).join("\n\n");
  return `${heading}\n\n${body}\n`;
}

function writeOutputs(env: NodeJS.ProcessEnv, values: Record<string, string | number>): void {
  if (!env.GITHUB_OUTPUT) return;
  appendFileSync(env.GITHUB_OUTPUT, Object.entries(values).map(([k, v]) => `${k}=${v}\n`).join(""));
}

export async function runAction(io: ActionIo): Promise<number> {
  const { env } = io;
  const print = (line: string) => io.stdout.write(`${line}\n`);
  try {
    const git = Git.at(env.GITHUB_WORKSPACE || process.cwd());
    const range = eventRange(git, env.GITHUB_EVENT_NAME ?? "", readEvent(env));
    const base = requireCommit(git, range.base, "base commit");
    const head = requireCommit(git, range.head, "head commit");
    const { text, source } = configText(git, base, input(env, "config"));
    let config: Config;
    try {
      config = text === undefined ? bundledDefaults() : loadConfigText(text, input(env, "config") || CONFIG_PATH);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const p of error.problems) print(problemCommand(p));
      if (env.GITHUB_STEP_SUMMARY) {
        const out = renderConfigError(error.problems, [source]);
        appendFileSync(env.GITHUB_STEP_SUMMARY, `## ai-gaps: ${out.title}\n\n${out.summary}\n`);
      }
      return EXIT_USAGE;
    }
    const files = git.changedFiles(base, head);
    const commitMessages = git.messages(git.mergeBase(base, head), head);
    const release = holdEnginePool(env);
    const result = await enginePool(env)
      .review({ files, pr: { title: range.title, body: range.body, commitMessages }, config })
      .finally(release);

    const advisoryInput = input(env, "advisory").toLowerCase();
    if (advisoryInput && !["true", "false"].includes(advisoryInput)) throw new UsageError(`input advisory must be true or false, not "${advisoryInput}"`);
    const advisory = advisoryInput ? advisoryInput === "true" : config.gate.mode === "advisory";
    const failures = result.findings.filter((f) => f.severity === "failure").length;
    const failing = failures > 0 && !advisory;

    const plan = planAnnotations(result.findings, config.annotations.max);
    for (const a of plan.annotations) print(workflowCommand(a));
    const sarifFile = input(env, "sarif-file") || "ai-gaps.sarif";
    const sarifPath = resolve(git.root, sarifFile);
    mkdirSync(dirname(sarifPath), { recursive: true });
    writeFileSync(sarifPath, `${JSON.stringify(renderSarif(result, config), null, 2)}\n`);
    if (env.GITHUB_STEP_SUMMARY) {
      appendFileSync(env.GITHUB_STEP_SUMMARY, summary(result, config, failing, advisory, plan.overflow, [source, `reviewed ${range.what}: ${base.slice(0, 7)}..${head.slice(0, 7)}`]));
    }
    writeOutputs(env, { findings: result.findings.length, failures, "sarif-file": sarifFile });
    print(`ai-gaps: ${plural(result.findings.length, "finding")} (${plural(failures, "failure")}) in ${plural(result.files.length, "file")}; SARIF in ${sarifFile}`);
    return failing ? EXIT_FAILURES : EXIT_OK;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    print(`::error title=ai-gaps::${escapeData(error.message)}`);
    return EXIT_USAGE;
  }
}
