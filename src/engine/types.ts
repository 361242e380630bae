// The engine's contract: what goes in, what comes out. No network, no Probot.

/** Rule id of the failure finding on a changed file the engine could not analyse (see engine/index.ts). */
export const NOT_ANALYSED = "not-analysed";

export type CategoryId =
  | "novel"
  | "framework"
  | "performance"
  | "security"
  | "resilience"
  | "business"
  | "cascade";

export type Severity = "notice" | "warning" | "failure";
export type RuleLevel = Severity | "off";
export type Language = "typescript" | "rust" | "python";

/** A file changed by the pull request, as the engine sees it. */
export interface ChangedFile {
  path: string;
  status: "added" | "modified" | "removed" | "renamed" | "copied" | "changed" | "unchanged";
  /** Unified diff hunk text from GitHub; missing for binary or very large diffs. */
  patch?: string;
  /** Content at the head SHA; missing when the file was skipped. */
  content?: string;
  previousPath?: string;
  /** Content at the base SHA, when known (used by cascade rules to compare exports). */
  baseContent?: string;
  /** Why the file is not analysed (binary, too large, ...); `content` may still be there, for classification. */
  skipReason?: string;
  /** Set when the default branch declares the file generated (.gitattributes): classified, not analysed. */
  generated?: string;
}

/** A file of the repository at the head SHA that the PR did not change (for cascade rules). */
export interface RepoFile {
  path: string;
  content: string;
}

export interface PullRequestText {
  title: string;
  body: string;
  commitMessages: string[];
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface Finding {
  ruleId: string;
  category: CategoryId;
  path: string;
  line: number;
  endLine: number;
  severity: Severity;
  message: string;
  remediation: string;
  /** Stable fingerprint of one finding instance (rule + path + normalised line text + which identical copy). */
  fingerprint: string;
  /** True when the finding sits outside the PR's diff (cascade rules may point at untouched files). */
  outsideDiff?: boolean;
  /** Other lines of the same file the finding rests on: a change to any of them puts it in the diff. */
  alsoAt?: number[];
  /** A breaking change a cascade rule detected at its definition (what a batch migration is built from). */
  change?: ContractChange;
  /** Suppressed by a marker this PR added, which needs an approval: the marker's reason (PR text). */
  pendingSuppression?: string;
}

/** A changed contract (export, method, macro) and the files still on its old form, as a cascade rule found it. */
export interface ContractChange {
  kind: "renamed" | "removed" | "arity" | "signature";
  language: Language;
  symbol: "function" | "value" | "type" | "macro" | "method";
  /** The old name (a method's or macro's own name). */
  name: string;
  /** The new name, when the rule matched the removed name to a replacement. */
  newName?: string;
  owner?: string;
  definedIn: string;
  /** Files still using the old form. */
  files: string[];
}

export interface Suppression {
  ruleId: string;
  path: string;
  line: number;
  reason: string;
  /** Added by this PR to a failure-level finding of an independent category: the finding stays open until dismissed. */
  pending?: boolean;
}

export interface FileClassification {
  path: string;
  categories: { category: CategoryId; reasons: string[] }[];
}

export interface EngineResult {
  files: FileClassification[];
  /** Categories the PR as a whole falls in, with reasons (includes PR-text signals). */
  pr: { category: CategoryId; reasons: string[] }[];
  findings: Finding[];
  suppressions: Suppression[];
  skipped: SkippedFile[];
  /** Extra lines for the summary (for example the dependents a cascade rule found). */
  notes: string[];
  /**
   * What the engine could not do: a rule that threw, ran over its time budget or was stopped, a file that could
   * not be parsed. Each changed file named here also gets a failure-level "not-analysed" finding (fail closed).
   */
  coverage: CoverageGap[];
  /** Milliseconds each rule took (collect, detect and detectPr), by rule id. */
  ruleMs?: Record<string, number>;
  /** Request pipelines whose steps the PR added, removed or reordered, in execution order. */
  pipelines?: PipelineView[];
}

/** One request pipeline (app, router, scope) as it executes, with what the PR changed in it. */
export interface PipelineView {
  framework: string;
  name: string;
  path: string;
  line: number;
  /** In execution order; the last is the handler when the framework names one (Nest, FastAPI). */
  steps: { label: string; kind: string; change?: "added" | "moved"; unmet: string[] }[];
  /** Labels of steps the PR removed. */
  removed: string[];
}

export interface CoverageGap {
  /** The file; "" for the PR as a whole. */
  path: string;
  /** The rule that did not finish; absent when no rule ran on the file (parse error, memory, review stopped). */
  ruleId?: string;
  reason: string;
}
