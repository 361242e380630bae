// The one source of truth for .github/ai-gaps.yml: types, defaults and the JSON Schema all come from here.
import { z } from "zod";

const level = z.enum(["off", "notice", "warning", "failure"]);
const severity = z.enum(["notice", "warning", "failure"]);
const globs = z.array(z.string().min(1));

const category = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Classify files into this category and run its rules."),
    paths: globs.default([]).describe("Extra globs whose files always belong to this category, prose and assets included (the built-in globs skip Markdown, text, images and fonts)."),
    severity: severity.optional().describe("Severity for every rule of this category (a per-rule level still wins)."),
  })
  .prefault({});

const checklistItem = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, "ids are lower-case letters, digits, dots and dashes"),
  text: z.string().min(1),
  category: z
    .enum(["always", "novel", "framework", "performance", "security", "resilience", "business", "cascade"])
    .default("always")
    .describe("Show the item always, or only when the PR falls in this category."),
  required: z.boolean().default(true),
});

function compiles(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** The cascade convergence monitor (paper section 4.3 and recommendation 3): its defaults are the paper's numbers. */
const monitor = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Count each commit's errors from the other CI checks and judge whether the fix series converges."),
    max_commits: z.number().int().min(2).max(100).default(30).describe("Newest commits of the PR whose errors are counted."),
    healthy_resolved: z.number().min(0).default(5).describe("Errors resolved per commit (mean over the window) at or above which the series is healthy."),
    critical_resolved: z.number().min(0).default(2).describe("Errors resolved per commit below which the series is critical (warning in between)."),
    stall_below: z.number().min(0).default(3).describe("A commit that resolves fewer errors than this (while errors remain) is stalled."),
    stalled_warning: z.number().int().min(1).default(1).describe("Consecutive stalled commits that make a warning."),
    stalled_critical: z.number().int().min(1).default(3).describe("Consecutive stalled commits that make the series critical: stop and migrate in one batch."),
    window: z.number().int().min(2).max(30).default(3).describe("Latest commits over which the rate and the trend are taken."),
    annotation_cap: z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe("Failure annotations per run at which GitHub Actions may have cut the list: the job's log is counted instead."),
    error_patterns: z
      .array(z.string().min(1).refine(compiles, "not a valid regular expression"))
      .default([])
      .describe("Extra regular expressions for error lines in CI logs, besides tsc, rustc/cargo, mypy, pyright, eslint and go vet."),
  })
  .prefault({});

export const configSchema = z
  .strictObject({
    paths: z
      .strictObject({
        include: globs.default(["**"]).describe("Only files matching one of these globs are reviewed."),
        exclude: globs.default([]).describe("Files matching one of these globs are skipped."),
      })
      .prefault({}),
    categories: z
      .strictObject({
        novel: category,
        framework: category,
        performance: category,
        security: category,
        resilience: category,
        business: category,
        cascade: category,
      })
      .prefault({}),
    rules: z.record(z.string(), level).default({}).describe("Per-rule level: off, notice, warning or failure."),
    checklist: z
      .strictObject({
        general: z
          .enum(["service_code", "always", "never"])
          .default("service_code")
          .describe(
            "When the general production-readiness questions are asked: service_code (the change touches source files that are not tests, scripts, examples or fixtures), always, or never.",
          ),
        template: z
          .string()
          .optional()
          .describe("Path of a Markdown template in the repository (default branch); the bundled one when unset."),
        items: z.array(checklistItem).default([]).describe("Extra items added to the checklist."),
        required: z.record(z.string(), z.boolean()).default({}).describe("Mark template items required (true) or optional (false) by id."),
        independent: z
          .array(z.enum(["novel", "framework", "performance", "security", "resilience", "business", "cascade"]))
          .default(["security", "business"])
          .describe("Items of these categories cannot be ticked by the PR author."),
        approvers: z
          .record(z.string(), z.string().regex(/^[^/\s]+\/[^/\s]+$/, "use org/team-slug"))
          .default({})
          .describe("Category -> team (org/team-slug) whose members alone may tick that category's items."),
      })
      .prefault({}),
    gate: z
      .strictObject({
        mode: z.enum(["block", "advisory"]).default("block").describe("block: failure until the checklist is done; advisory: neutral."),
        no_category: z
          .enum(["pass", "checklist"])
          .default("pass")
          .describe("A change in none of the seven categories (docs, tests, assets): pass concludes success in one line with no checklist; checklist still asks the general questions."),
      })
      .prefault({}),
    review: z
      .strictObject({
        skip_drafts: z.boolean().default(true).describe("Wait for 'ready for review' before reviewing a draft PR."),
        filter: z
          .enum(["added", "diff_context", "file"])
          .default("added")
          .describe("Report findings on added lines only, on any line shown in the diff, or anywhere in a changed file."),
        comments: z
          .strictObject({
            min_severity: severity.default("warning").describe("Findings at or above this severity get an inline review comment."),
            max: z.number().int().min(0).max(50).default(10).describe("Most inline review comments per PR, most severe first."),
          })
          .prefault({}),
      })
      .prefault({}),
    annotations: z
      .strictObject({
        max: z.number().int().min(0).max(1000).default(200).describe("Most annotations posted on the check run."),
      })
      .prefault({}),
    limits: z
      .strictObject({
        max_file_bytes: z.number().int().positive().default(512_000).describe("Files larger than this are skipped."),
        max_files: z.number().int().positive().max(3000).default(300).describe("Most changed files read; the rest are listed as skipped."),
        max_repo_files: z
          .number()
          .int()
          .min(0)
          .max(5000)
          .default(500)
          .describe("Most unchanged repository files read to find stale dependents and the middleware a pipeline registers (0 turns the scan off)."),
        file_seconds: z
          .number()
          .positive()
          .max(600)
          .default(10)
          .describe("Time the rules together may spend on one file; a rule still running then is stopped for that file, which is listed as not analysed."),
        review_seconds: z
          .number()
          .positive()
          .max(3600)
          .default(180)
          .describe("Time one review's engine may take; rules not finished by then are stopped and their files listed as not analysed."),
        memory_mb: z
          .number()
          .int()
          .min(128)
          .max(16384)
          .default(2048)
          .describe("Memory ceiling of the worker running a review, for its JS heap and for tree-sitter's WASM memory; a file that takes either over is listed as not analysed."),
        skip_generated: z
          .boolean()
          .default(true)
          .describe("Skip files whose content is generated or data (literal tables, minified bundles, lockfiles, snapshots), with the reason."),
      })
      .prefault({}),
    cascade: z
      .strictObject({
        wide_change_files: z.number().int().min(2).default(10).describe("Files changed by one substitution before a batch migration is advised."),
        monitor: monitor,
      })
      .prefault({}),
  })
  .describe("ai-gaps configuration (.github/ai-gaps.yml)");

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

export function defaultConfig(): Config {
  return configSchema.parse({});
}

export function jsonSchema(): object {
  return z.toJSONSchema(configSchema, { io: "input" });
}
