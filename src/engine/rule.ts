// What a rule module under checks/ looks like, ESLint-style: metadata, detectors, test cases.
import type { SourceFile } from "ts-morph";
import type { Tree } from "web-tree-sitter";
import type { CategoryId, ContractChange, Language, PullRequestText, Severity } from "./types.js";
import type { Config } from "../config/schema.js";

export interface RuleMeta {
  id: string;
  category: CategoryId;
  /** Languages the rule reads; "pr" for rules over the PR as a whole. */
  languages: (Language | "pr")[];
  severity: Severity;
  /** One line: what the rule finds. */
  description: string;
  /** Why this fails in production. */
  why: string;
  /** How to fix it. */
  fix: string;
  /** Framework documentation the rule relies on. */
  docs?: string[];
  /** Ids of retired rules this one took over (their suppressions, config levels and corpus marks still apply). */
  replaces?: string[];
  /**
   * Which code the rule reads (checks/_lib/context.ts decides): "service" only long-running service code, never
   * tests, scripts or browser code; "code" (the default) everything but test code; "all" tests too (cascade rules).
   */
  scope?: "service" | "code" | "all";
}

/** A file parsed once and shared by every rule. */
export interface ParsedFile {
  path: string;
  language: Language;
  text: string;
  lines: string[];
  /** True for files the PR changed; false for repository files read for context. */
  changed: boolean;
  /** Content at the base SHA, when the PR modified the file. */
  baseText?: string;
  /** The package.json script that runs this file (`seed` for `"seed": "tsx scripts/seed.ts"`): a script, not a service. */
  runBy?: string;
  /** TypeScript/JavaScript files: a ts-morph SourceFile (no type-checking). */
  ts?: SourceFile;
  /** Rust/Python files: a tree-sitter tree. */
  tree?: Tree;
}

/** A problem a detector reports; the engine adds rule id, category, severity and remediation. */
export interface Report {
  /** Defaults to the file being checked; PR-level reports with no path appear in the summary only. */
  path?: string;
  line: number;
  endLine?: number;
  message: string;
  /** Keep the finding even off the diff (the cause is in the diff; the breakage is here). */
  anywhere?: boolean;
  /** One severity below the rule's level: the conclusion rests on code the review could not read. */
  lower?: boolean;
  /** Other lines of the same file the problem rests on (the other registration of a pair in the wrong order). */
  alsoAt?: number[];
  /** Cascade rules: the breaking change this report stands for (see Finding.change). */
  change?: ContractChange;
}

export interface ReviewFacts {
  /** Every parsed file: changed ones and repository context files. */
  files: ParsedFile[];
  pr: PullRequestText;
  config: Config;
}

export interface RuleContext<F> extends ReviewFacts {
  /** What this rule's collect() gathered across all files (undefined without collect). */
  facts: F;
}

export interface CaseFile {
  path: string;
  code: string;
  /** Content before the PR (cascade rules compare it). */
  base?: string;
  /** false: a repository file the PR did not touch. Default true. */
  changed?: boolean;
}

export interface RuleCase {
  name: string;
  /** Single-file form: the code and its language (path defaults by language). */
  language?: Language;
  code?: string;
  path?: string;
  /** Multi-file form. */
  files?: CaseFile[];
  pr?: Partial<PullRequestText>;
  /**
   * Expected findings. Numbers are lines of the single file; "path:line" for multi-file cases;
   * "pr" for a PR-level finding. An empty list is a clean case.
   */
  expect: (number | string)[];
}

export interface Rule<F = unknown> {
  meta: RuleMeta;
  /** One pass over every parsed file for cross-file facts (what middleware inserts what, exports, ...). */
  collect?: (review: ReviewFacts) => F;
  /** Per-file detectors, by language. Called for changed files only. */
  detect?: Partial<Record<Language, (file: ParsedFile, ctx: RuleContext<F>) => Report[]>>;
  /** PR-level detector (PR text, several files, repository files). */
  detectPr?: (ctx: RuleContext<F>) => Report[];
  cases: RuleCase[];
}

export function defineRule<F = undefined>(rule: Rule<F>): Rule<F> {
  return rule;
}
