// Validate .github/ai-gaps.yml files and point at the line and column of each problem.
// Loading from GitHub (default branch, .github fallback, _extends) is in src/github/config.ts: loadConfig().
import deepmerge from "deepmerge";
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Node } from "yaml";
import type { z } from "zod";
import { bundledDefaults } from "./files.js";
import { configSchema, type Config } from "./schema.js";

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

/** Parses one YAML text and checks it against the schema; problems carry lines and columns. */
export function checkConfigText(text: string, file: string): { value?: Record<string, unknown>; problems: ConfigProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    return {
      problems: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { file, path: "", line: pos.line, column: pos.col, message: firstLine(e.message) };
      }),
    };
  }
  const value = (doc.toJS() ?? {}) as unknown;
  if (typeof value !== "object" || Array.isArray(value)) {
    return { problems: [{ file, path: "", line: 1, column: 1, message: "the file must be a mapping of keys to values" }] };
  }
  const { _extends: _, ...rest } = value as Record<string, unknown>;
  const parsed = configSchema.safeParse(rest);
  if (parsed.success) return { value: value as Record<string, unknown>, problems: [] };
  const problems = parsed.error.issues.flatMap((issue) => locate(issue, doc.contents, lineCounter, file));
  return { problems: problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)) };
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
