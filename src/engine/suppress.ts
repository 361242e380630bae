// `ai-gaps-ignore <rule-id>: <reason>` in a comment on the finding's line or the line above. Only comments
// count (the parser's comment tokens/nodes): the same text in a string literal suppresses nothing. A marker
// the PR adds to a failure-level finding of a `checklist.independent` category does not close it alone: the
// finding stays open, noted as suppressed, until someone allowed to attest that category dismisses it.
import { createHash } from "node:crypto";
import { ts } from "ts-morph";
import type { Node as TreeNode } from "web-tree-sitter";
import type { Config } from "../config/schema.js";
import { parsePatch } from "./diff.js";
import type { ParsedFile } from "./rule.js";
import type { ChangedFile, Finding, Suppression } from "./types.js";

const MARK = /ai-gaps-ignore\s+([a-z0-9-]+)\s*(?::\s*(.*?))?\s*(?:\*\/|-->)?\s*$/;

export interface IgnoreComment {
  ruleId: string;
  line: number;
  reason: string;
}

/** Markers in comments of a parsed file; `lines` alone (no parse) reads every line, for callers without a tree. */
export function findIgnores(file: ParsedFile | string[]): IgnoreComment[] {
  const found: IgnoreComment[] = [];
  const texts = Array.isArray(file) ? file.map((text, i) => ({ line: i + 1, text })) : commentLines(file);
  for (const { line, text } of texts) {
    const m = MARK.exec(text);
    if (m) found.push({ ruleId: m[1], line, reason: (m[2] ?? "").trim() });
  }
  return found;
}

/** The ignore comment that covers a finding on `line`, if any. */
export function ignoreFor(ignores: IgnoreComment[], ruleId: string, line: number): IgnoreComment | undefined {
  return ignores.find((c) => c.ruleId === ruleId && (c.line === line || c.line === line - 1));
}

/** Each line of each comment of the file, with its 1-based line number. */
export function commentLines(file: ParsedFile): { line: number; text: string }[] {
  const ranges = file.ts ? tsComments(file.ts.compilerNode) : file.tree ? treeComments(file.tree.rootNode) : [];
  const out: { line: number; text: string }[] = [];
  const starts = lineStarts(file.text);
  for (const [start, end] of ranges) {
    let line = lineOf(starts, start);
    for (const text of file.text.slice(start, end).split("\n")) out.push({ line: line++, text });
  }
  return out;
}

/**
 * Comments sit in the trivia before a token; scanning the trivia at the start and the end of every node finds
 * those after a node or before one (a comment between two bare punctuation tokens is missed: that only fails
 * to suppress). forEachChild with an explicit stack: no token objects are made, deep code is fine.
 */
function tsComments(source: ts.SourceFile): [number, number][] {
  const text = source.getFullText();
  const out = new Map<number, number>();
  const scan = (pos: number) => {
    for (const c of ts.getTrailingCommentRanges(text, pos) ?? []) out.set(c.pos, c.end);
    for (const c of ts.getLeadingCommentRanges(text, pos) ?? []) out.set(c.pos, c.end);
  };
  const stack: ts.Node[] = [source];
  while (stack.length) {
    const node = stack.pop()!;
    // JSX text is text, not trivia: `<p>// x</p>` holds no comment, so nothing is scanned where it may start.
    const inJsx = !!node.parent && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent));
    if (!ts.isJsxText(node)) scan(node.pos);
    if (!inJsx && !ts.isJsxOpeningElement(node) && !ts.isJsxOpeningFragment(node)) scan(node.end);
    node.forEachChild((child) => void stack.push(child));
  }
  return [...out].sort((a, b) => a[0] - b[0]);
}

function treeComments(root: TreeNode): [number, number][] {
  const out: [number, number][] = [];
  const cursor = root.walk();
  for (;;) {
    if (cursor.nodeType.includes("comment")) out.push([cursor.startIndex, cursor.endIndex]);
    else if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        return out;
      }
    }
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Whether the PR wrote the marker's line (an added line; a whole new file; a change with no patch counts too). */
function addedByPr(file: ChangedFile | undefined, line: number): boolean {
  if (!file || file.status === "added" || !file.patch) return true;
  return parsePatch(file.patch).added.has(line);
}

/** Splits findings into kept and suppressed; warns about markers with no reason. */
export function applySuppressions(findings: Finding[], parsed: ParsedFile[], retired: Map<string, string>, changed: ChangedFile[], config: Config) {
  const kept: Finding[] = [];
  const suppressions: Suppression[] = [];
  const byPath = new Map(changed.map((f) => [f.path, f]));
  const ignores = new Map(
    parsed.filter((f) => f.changed).map((f) => [f.path, findIgnores(f).map((i) => ({ ...i, ruleId: retired.get(i.ruleId) ?? i.ruleId }))]),
  );
  for (const f of findings) {
    const ignore = ignoreFor(ignores.get(f.path) ?? [], f.ruleId, f.line);
    if (!ignore?.reason) {
      kept.push(f);
      continue;
    }
    const pending = f.severity === "failure" && config.checklist.independent.includes(f.category) && addedByPr(byPath.get(f.path), ignore.line);
    suppressions.push({ ruleId: f.ruleId, path: f.path, line: ignore.line, reason: ignore.reason, ...(pending ? { pending: true } : {}) });
    if (pending) {
      const message = `${f.message} Suppressed by this PR (“${ignore.reason}”), which does not close it alone: someone allowed to attest this category has to dismiss it.`;
      kept.push({ ...f, message, pendingSuppression: ignore.reason });
    }
  }
  for (const [path, list] of ignores) {
    for (const ig of list.filter((i) => !i.reason)) {
      kept.push({
        ruleId: "suppression-without-reason",
        category: "resilience",
        path,
        line: ig.line,
        endLine: ig.line,
        severity: "warning",
        message: `\`ai-gaps-ignore ${ig.ruleId}\` has no reason, so it suppresses nothing.`,
        remediation: `Write the reason after a colon: \`ai-gaps-ignore ${ig.ruleId}: <why this is safe>\`.`,
        fingerprint: createHash("sha1").update(`ignore\0${path}\0${ig.ruleId}`).digest("hex").slice(0, 16),
      });
    }
  }
  return { findings: kept, suppressions };
}
