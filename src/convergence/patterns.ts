// Error lines of the usual compilers and linters, and the signs of a local fix loop (commit messages,
// casts that silence the compiler). Pure text matching; no I/O.

/** Error lines of tsc, rustc/cargo, mypy, pyright, eslint and go vet / go build, as they print them. */
export const ERROR_PATTERNS: { tool: string; pattern: RegExp }[] = [
  { tool: "tsc", pattern: /\berror TS\d+:/ },
  { tool: "rustc", pattern: /^error(\[E\d+\])?: (?!aborting due to|could not compile|Recipe|process didn't exit)/ },
  { tool: "mypy", pattern: /^\S+?:\d+(:\d+)?: error: / },
  { tool: "pyright", pattern: /^\s*\S+?:\d+:\d+ - error: / },
  { tool: "eslint", pattern: /^\s+\d+:\d+\s+error\s+/ },
  { tool: "go", pattern: /^(vet: )?\S+\.go:\d+:\d+: / },
];

// GitHub Actions prefixes each log line with a timestamp; terminals add colours.
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z ?/;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** Compiles the extra patterns from config or the CLI; a bad one is a clear error naming it. */
export function compilePatterns(sources: string[]): RegExp[] {
  return sources.map((source) => {
    try {
      return new RegExp(source);
    } catch (error) {
      throw new Error(`not a valid regular expression: ${source} (${(error as Error).message})`);
    }
  });
}

/**
 * Error lines in a log. With `only`, just those patterns count (the CLI's --pattern); otherwise the built-in
 * compiler patterns plus `extra` (cascade.monitor.error_patterns).
 */
export function countErrorLines(log: string, extra: RegExp[] = [], only?: RegExp[]): number {
  const patterns = only?.length ? only : [...ERROR_PATTERNS.map((p) => p.pattern), ...extra];
  let n = 0;
  for (const raw of log.split(/\r?\n/)) {
    const line = raw.replace(ANSI, "").replace(TIMESTAMP, "");
    if (patterns.some((p) => p.test(line))) n++;
  }
  return n;
}

/** Annotations GitHub Actions adds to any failed step: they say a step failed, not what the compiler found. */
const GENERIC_ANNOTATION = /^(Process completed with exit code \d+\.?|The (job|operation) was canceled\.?|The job running on runner .* has exceeded the maximum execution time.*)$/;

export function isCompilerAnnotation(message: string | null | undefined): boolean {
  return !GENERIC_ANNOTATION.test((message ?? "").trim());
}

export interface LoopSign {
  kind: "message" | "silencing";
  /** A short SHA (message) or path:line (silencing cast). */
  where: string;
  /** What was found: the word in the message, or the cast. */
  what: string;
}

const LOOP_WORDS = /\b(partial(ly)? fix(es|ed)?|wip|try(ing)?|tried|attempt(s|ed)? to fix|revert(s|ed)?|another fix|fix (more|some|remaining) errors?)\b/i;

/** Commit messages that read like one more round of a local fix loop. */
export function messageSigns(commits: { sha: string; message: string }[]): LoopSign[] {
  const out: LoopSign[] = [];
  for (const c of commits) {
    const m = LOOP_WORDS.exec(c.message.split("\n")[0]);
    if (m) out.push({ kind: "message", where: c.sha.slice(0, 7), what: m[0] });
  }
  return out;
}

const SILENCERS: { what: string; pattern: RegExp }[] = [
  { what: "as any", pattern: /\bas any\b/ },
  { what: "as unknown as", pattern: /\bas unknown as\b/ },
  { what: "@ts-ignore", pattern: /@ts-ignore\b/ },
  { what: "@ts-expect-error", pattern: /@ts-expect-error\b/ },
  { what: "#[allow(...)]", pattern: /#!?\[allow\(/ },
  { what: "# type: ignore", pattern: /#\s*type:\s*ignore\b/ },
  { what: "# pyright: ignore", pattern: /#\s*pyright:\s*ignore\b/ },
];

/** Casts and pragmas added to silence the compiler, from a unified diff's added lines. */
export function silencingSigns(path: string, patch: string | undefined): LoopSign[] {
  if (!patch) return [];
  const out: LoopSign[] = [];
  let line = 0;
  for (const raw of patch.split("\n")) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(raw);
    if (hunk) {
      line = Number(hunk[1]);
      continue;
    }
    if (raw.startsWith("-") || raw.startsWith("\\")) continue;
    if (raw.startsWith("+")) {
      const s = SILENCERS.find((x) => x.pattern.test(raw.slice(1)));
      if (s) out.push({ kind: "silencing", where: `${path}:${line}`, what: s.what });
    }
    line++;
  }
  return out;
}
