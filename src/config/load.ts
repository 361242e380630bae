// Validate .github/ai-gaps.yml files and point at the line and column of each problem.
// Loading from GitHub (default branch, .github fallback, _extends) is in src/github/config.ts: loadConfig().
import deepmerge from "deepmerge";
import { isAlias, isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from "yaml";
import type { z } from "zod";
import { bundledDefaults } from "./files.js";
import { configSchema, type Config } from "./schema.js";
import { semanticProblems } from "./semantics.js";

/** A config file larger than this is refused before it is parsed. */
export const MAX_CONFIG_BYTES = 100_000;
/** Most keys (mapping entries, at every depth) in one config file. */
export const MAX_CONFIG_KEYS = 2_000;
/** Most aliases (`*anchor`) expanded while reading one file: a few anchors are fine, "billion laughs" is not. */
export const MAX_CONFIG_ALIASES = 100;

/** Thrown by loadConfigText: every problem, each with its file, line and column. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ConfigError";
  }
}

/** `file:line:column: key: message`, as compilers print it. */
export function formatProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line ?? 1}:${p.column ?? 1}: ${p.path ? `${p.path}: ` : ""}${p.message}`;
}

/** One local config file (no `_extends` to follow) over the defaults; throws ConfigError on any problem. */
export function loadConfigText(text: string, file: string): Config {
  const { value, problems, extendsAt } = checkConfigText(text, file);
  if (!problems.length && extendsAt) {
    problems.push({ file, path: "_extends", ...extendsAt, message: "_extends is followed only on GitHub (the app); merge the extended file into this one for local use" });
  }
  if (problems.length) throw new ConfigError(problems);
  return finishConfig([value!]);
}

export interface ConfigProblem {
  /** Which file: "owner/repo:.github/ai-gaps.yml". */
  file: string;
  /** Dotted key path, "" for the whole file. */
  path: string;
  line?: number;
  column?: number;
  message: string;
}

export type ConfigResult =
  | { ok: true; config: Config; source: string[] }
  | { ok: false; problems: ConfigProblem[]; source: string[] };

/** Later files win; arrays replace instead of concatenating. */
export function mergeConfigs(objects: object[]): Record<string, unknown> {
  return deepmerge.all([{}, ...objects], { arrayMerge: (_target, source) => source }) as Record<string, unknown>;
}

export interface CheckedConfig {
  value?: Record<string, unknown>;
  problems: ConfigProblem[];
  /** The `_extends` value, when the file has a supported one, and where it stands. */
  extends?: string;
  extendsAt?: { line: number; column: number };
}

/** Parses one YAML text and checks it against the schema; problems carry lines and columns. Never throws. */
export function checkConfigText(text: string, file: string): CheckedConfig {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_CONFIG_BYTES) {
    return { problems: [{ file, path: "", line: 1, column: 1, message: `the file is ${bytes} bytes; the most is ${MAX_CONFIG_BYTES}` }] };
  }
  const lineCounter = new LineCounter();
  // yaml's own unique-key check compares every pair of keys (quadratic); keys() below does it with a Set.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const problem = (node: Node | undefined, path: string, message: string): ConfigProblem => ({ file, path, ...(at(node, lineCounter) ?? { line: 1, column: 1 }), message });
  if (doc.errors.length) {
    return {
      problems: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { file, path: "", line: pos.line, column: pos.col, message: firstLine(e.message) };
      }),
    };
  }
  const structural = keys(doc, problem);
  if (structural.length) return { problems: structural };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_CONFIG_ALIASES }) ?? {};
  } catch (error) {
    return { problems: [problem(firstAlias(doc), "", `the YAML aliases expand too far (${error instanceof Error ? error.message : String(error)})`)] };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { problems: [{ file, path: "", line: 1, column: 1, message: "the file must be a mapping of keys to values" }] };
  }
  const { _extends: extendsValue, ...rest } = value as Record<string, unknown>;
  const extendsNode = walk(doc.contents, ["_extends"]);
  const extendsAt = extendsValue === undefined ? undefined : at(extendsNode?.key, lineCounter);
  const problems: ConfigProblem[] = [];
  if (extendsValue !== undefined && !isSupportedExtends(extendsValue)) {
    problems.push(problem(extendsNode?.value, "_extends", `unsupported _extends ${JSON.stringify(extendsValue)}: use repo, owner/repo or owner/repo:path.yml (a repository on this GitHub, not a URL)`));
  }
  const parsed = configSchema.safeParse(rest);
  if (!parsed.success) problems.push(...parsed.error.issues.flatMap((issue) => locate(issue, doc.contents, lineCounter, file)));
  for (const p of semanticProblems(rest)) problems.push(problem(walk(doc.contents, p.path)?.key, p.path.join("."), p.message));
  if (!problems.length) return { value: value as Record<string, unknown>, problems, extends: extendsValue as string | undefined, extendsAt };
  return { problems: problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)) };
}

/** `repo`, `owner/repo`, `repo:path.yml` or `owner/repo:path.yml`, as Probot's config plugin reads them. */
export const EXTENDS_FORM = /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([-_.\w]+)(?::([-_.\w][-_./\w]*\.ya?ml))?$/i;

function isSupportedExtends(value: unknown): value is string {
  return typeof value === "string" && EXTENDS_FORM.test(value) && !/(^|\/)\.\.?($|\/)|:\/|\/\//.test(value);
}

/** Counts keys and finds duplicates in one pass (a Set per mapping). */
function keys(doc: Document, problem: (node: Node | undefined, path: string, message: string) => ConfigProblem): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  let count = 0;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        count++;
        if (count > MAX_CONFIG_KEYS) {
          out.push(problem(pair.key as Node, "", `more than ${MAX_CONFIG_KEYS} keys in one file`));
          return visit.BREAK;
        }
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key === undefined) continue;
        if (seen.has(key)) out.push(problem(pair.key as Node, key, `duplicate key "${key}"`));
        seen.add(key);
      }
      return undefined;
    },
  });
  return out;
}

function firstAlias(doc: Document): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Alias(_, node) {
      found = node;
      return visit.BREAK;
    },
  });
  return isAlias(found) ? found : undefined;
}

/** Merges the files over config/default.yml and validates the result (each file was already checked on its own). */
export function finishConfig(objects: object[]): Config {
  const merged = mergeConfigs([bundledDefaults(), ...objects]);
  delete merged._extends;
  return configSchema.parse(merged);
}

function locate(issue: z.core.$ZodIssue, root: unknown, lines: LineCounter, file: string): ConfigProblem[] {
  const path = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => {
      const pos = keyPosition(root, [...path, key], lines);
      return { file, path: [...path, key].join("."), ...pos, message: `unknown key "${key}"${suggest(path)}` };
    });
  }
  const pos = valuePosition(root, path, lines) ?? keyPosition(root, path, lines);
  return [{ file, path: path.join("."), ...pos, message: issue.message }];
}

function suggest(path: string[]): string {
  return path.length ? ` under "${path.join(".")}"` : " at the top level";
}

function walk(root: unknown, path: string[]): { key?: Node; value?: Node } | undefined {
  let node = root;
  let found: { key?: Node; value?: Node } | undefined = { value: root as Node };
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === part);
      if (!pair) return found && { key: found.key ?? found.value };
      found = { key: pair.key as Node, value: pair.value as Node };
      node = pair.value;
    } else if (node && typeof node === "object" && "items" in node) {
      const item = (node as { items: Node[] }).items[Number(part)];
      if (!item) return found;
      found = { value: item };
      node = item;
    } else return found;
  }
  return found;
}

function at(node: Node | undefined, lines: LineCounter): { line: number; column: number } | undefined {
  if (!node?.range) return undefined;
  const pos = lines.linePos(node.range[0]);
  return { line: pos.line, column: pos.col };
}

function keyPosition(root: unknown, path: string[], lines: LineCounter) {
  const found = walk(root, path);
  return at(found?.key ?? found?.value, lines) ?? { line: 1, column: 1 };
}

function valuePosition(root: unknown, path: string[], lines: LineCounter) {
  return at(walk(root, path)?.value, lines);
}

function firstLine(message: string): string {
  return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}
