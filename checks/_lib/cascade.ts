// Helpers for the cascade rules: exported API of a module (TS and Rust), import resolution, line/token diffs.
import { posix } from "node:path";
import { Node as TsNode, Project, SyntaxKind, type SourceFile } from "ts-morph";
import { Parser, type Node, type Tree } from "web-tree-sitter";

export interface Arity {
  min: number;
  max: number;
}

export interface Export {
  name: string;
  kind: "function" | "value" | "type" | "macro" | "method";
  line: number;
  arity?: Arity;
  /** Macros: the arity of each rule. */
  rules?: Arity[];
  /** Methods: the impl's type. */
  owner?: string;
  /** Functions: the written type of each parameter ("" when untyped), and the return type. */
  params?: string[];
  returns?: string;
}

// --- TypeScript ---

let project: Project | undefined;

/** Parses a TS/JS text outside the engine's project (base versions of changed files). */
export function parseTs(path: string, text: string): SourceFile {
  project ??= new Project({ useInMemoryFileSystem: true, compilerOptions: { allowJs: true } });
  return project.createSourceFile(`/__base__/${path}`, text, { overwrite: true });
}

export function releaseTs(sf: SourceFile): void {
  sf.forget();
}

const squash = (t: string | undefined) => (t ?? "").replace(/\s+/g, "");

/** Written parameter and return types of a TS function-like node. */
function tsSignature(fn: TsNode): { params?: string[]; returns?: string } {
  if (!(TsNode.isFunctionDeclaration(fn) || TsNode.isArrowFunction(fn) || TsNode.isFunctionExpression(fn))) return {};
  const params = fn.getParameters().filter((p) => p.getName() !== "this");
  return { params: params.map((p) => squash(p.getTypeNode()?.getText())), returns: squash(fn.getReturnTypeNode()?.getText()) };
}

function tsArity(fn: TsNode): Arity | undefined {
  if (!(TsNode.isFunctionDeclaration(fn) || TsNode.isArrowFunction(fn) || TsNode.isFunctionExpression(fn))) return undefined;
  const params = fn.getParameters().filter((p) => p.getName() !== "this");
  const min = params.filter((p) => !p.isOptional() && !p.hasInitializer() && !p.isRestParameter()).length;
  return { min, max: params.some((p) => p.isRestParameter()) ? Infinity : params.length };
}

/** Exported names of a TS module; `star` when it re-exports everything from somewhere (removals are then unknowable). */
export function tsExports(sf: SourceFile): { exports: Map<string, Export>; star: boolean } {
  const exports = new Map<string, Export>();
  let star = false;
  const add = (e: Export) => {
    const prev = exports.get(e.name);
    if (prev?.arity && e.arity) e.arity = { min: Math.min(prev.arity.min, e.arity.min), max: Math.max(prev.arity.max, e.arity.max) };
    exports.set(e.name, e);
  };
  for (const st of sf.getStatements()) {
    if (TsNode.isExportDeclaration(st)) {
      if (!st.getNamedExports().length && !st.getNamespaceExport()) star = true;
      for (const ne of st.getNamedExports()) add({ name: (ne.getAliasNode() ?? ne.getNameNode()).getText(), kind: "value", line: ne.getStartLineNumber() });
      continue;
    }
    if (TsNode.isExportAssignment(st)) {
      add({ name: "default", kind: "value", line: st.getStartLineNumber() });
      continue;
    }
    if (!TsNode.isExportable(st) || !st.hasExportKeyword()) continue;
    const isDefault = st.hasDefaultKeyword();
    if (TsNode.isFunctionDeclaration(st)) {
      add({ name: isDefault ? "default" : st.getName() ?? "default", kind: "function", line: st.getStartLineNumber(), arity: tsArity(st), ...tsSignature(st) });
    } else if (TsNode.isVariableStatement(st)) {
      for (const d of st.getDeclarations()) {
        const init = d.getInitializer();
        const arity = init ? tsArity(init) : undefined;
        add({ name: d.getName(), kind: arity ? "function" : "value", line: d.getStartLineNumber(), arity, ...(init && arity ? tsSignature(init) : {}) });
      }
    } else if (TsNode.isClassDeclaration(st) || TsNode.isInterfaceDeclaration(st) || TsNode.isTypeAliasDeclaration(st) || TsNode.isEnumDeclaration(st)) {
      add({ name: isDefault ? "default" : st.getName() ?? "default", kind: "type", line: st.getStartLineNumber() });
    }
  }
  return { exports, star };
}

/** Public methods of exported classes, keyed `Class.method` (kind "method", owner = the class). */
export function tsClassMethods(sf: SourceFile): Map<string, Export> {
  const out = new Map<string, Export>();
  for (const cls of sf.getClasses()) {
    if (!cls.isExported()) continue;
    const owner = cls.getName() ?? "default";
    for (const m of cls.getMethods()) {
      if (m.hasModifier(SyntaxKind.PrivateKeyword) || m.hasModifier(SyntaxKind.ProtectedKeyword) || m.getName().startsWith("#")) continue;
      const params = m.getParameters();
      const min = params.filter((p) => !p.isOptional() && !p.hasInitializer() && !p.isRestParameter()).length;
      const arity = { min, max: params.some((p) => p.isRestParameter()) ? Infinity : params.length };
      const key = `${owner}.${m.getName()}`;
      const prev = out.get(key);
      // Overloads: the widest range.
      out.set(key, { name: m.getName(), kind: "method", owner, line: m.getStartLineNumber(), arity: prev?.arity ? { min: Math.min(prev.arity.min, min), max: Math.max(prev.arity.max, arity.max) } : arity });
    }
  }
  return out;
}

const TS_EXT = /\.(d\.ts|ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/** Module id of a file path: extension and trailing /index removed. */
export function tsModuleId(path: string): string {
  return path.replace(TS_EXT, "").replace(/\/index$/, "");
}

/** Module id a relative specifier in `fromPath` points at, or undefined for packages. */
export function resolveTsSpecifier(fromPath: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  return tsModuleId(posix.normalize(posix.join(posix.dirname(fromPath), spec)));
}

// --- Rust ---

/** `crates/billing-core/src/invoice/mod.rs` -> { crate: "billing_core", path: ["invoice"] }. */
export function rustModule(path: string): { crate: string; root: string; path: string[] } | undefined {
  const i = path.lastIndexOf("src/");
  if (i < 0 || (i > 0 && path[i - 1] !== "/")) return undefined;
  const root = path.slice(0, i);
  const crate = (root.replace(/\/$/, "").split("/").pop() || "crate").replace(/-/g, "_");
  const segs = path.slice(i + 4).replace(/\.rs$/, "").split("/");
  const last = segs[segs.length - 1];
  if (last === "mod" || ((last === "lib" || last === "main") && segs.length === 1)) segs.pop();
  return { crate, root, path: segs };
}

export function reparse(tree: Tree, text: string): Tree | undefined {
  const parser = new Parser();
  try {
    parser.setLanguage(tree.language);
    return parser.parse(text) ?? undefined;
  } finally {
    parser.delete();
  }
}

function isPub(item: Node): boolean {
  return item.namedChildren.some((c) => c?.type === "visibility_modifier" && /^pub\b/.test(c.text));
}

/** Comma-separated top-level segments of a token tree, and whether a repetition makes it open-ended. */
export function tokenArity(tt: Node): Arity {
  let segments = 0;
  let current = false;
  let variadic = false;
  for (let i = 0; i < tt.childCount; i++) {
    const c = tt.child(i)!;
    if (i === 0 || i === tt.childCount - 1) if (/^[([{)\]}]$/.test(c.type)) continue;
    if (c.type === ",") {
      if (current) segments++;
      current = false;
    } else {
      current = true;
      if (c.type === "token_repetition_pattern" || c.type === "token_repetition") variadic = true;
    }
  }
  if (current) segments++;
  return variadic ? { min: Math.max(0, segments - 1), max: Infinity } : { min: segments, max: segments };
}

function rustSignature(fn: Node): { params: string[]; returns: string } {
  const params = (fn.childForFieldName("parameters")?.namedChildren ?? []).filter((p) => p?.type === "parameter");
  return { params: params.map((p) => squash(p!.childForFieldName("type")?.text)), returns: squash(fn.childForFieldName("return_type")?.text) };
}

function rustParams(fn: Node): number {
  return (fn.childForFieldName("parameters")?.namedChildren ?? []).filter((p) => p?.type === "parameter").length;
}

/** Public items of a Rust file (top level), public methods of its impl blocks, and its macros. */
export function rustExports(root: Node): Map<string, Export> {
  const out = new Map<string, Export>();
  const line = (n: Node) => n.startPosition.row + 1;
  for (const item of root.namedChildren) {
    if (!item) continue;
    const name = item.childForFieldName("name")?.text;
    if (item.type === "macro_definition" && name) {
      const rules = item.namedChildren.filter((c) => c?.type === "macro_rule").map((r) => tokenArity(r!.childForFieldName("left")!));
      out.set(`${name}!`, { name, kind: "macro", line: line(item), rules });
    } else if (item.type === "function_item" && name && isPub(item)) {
      const n = rustParams(item);
      out.set(name, { name, kind: "function", line: line(item), arity: { min: n, max: n }, ...rustSignature(item) });
    } else if (/^(struct|enum|trait|type|union)_item$/.test(item.type) && name && isPub(item)) {
      out.set(name, { name, kind: "type", line: line(item) });
    } else if (/^(const|static)_item$/.test(item.type) && name && isPub(item)) {
      out.set(name, { name, kind: "value", line: line(item) });
    } else if (item.type === "use_declaration" && isPub(item)) {
      for (const u of expandUse(item.childForFieldName("argument"))) out.set(u.local, { name: u.local, kind: "value", line: line(item) });
    } else if (item.type === "impl_item") {
      const owner = item.childForFieldName("type")?.text.replace(/<.*$/, "") ?? "";
      const isTrait = Boolean(item.childForFieldName("trait"));
      for (const fn of item.childForFieldName("body")?.namedChildren ?? []) {
        if (fn?.type !== "function_item" || (!isTrait && !isPub(fn))) continue;
        const m = fn.childForFieldName("name")!.text;
        const n = rustParams(fn);
        out.set(`${owner}::${m}`, { name: m, kind: "method", owner, line: line(fn), arity: { min: n, max: n } });
      }
    }
  }
  return out;
}

export interface UseItem {
  /** Full path segments as written (`crate`, `super`, `self`, crate names, ...). */
  path: string[];
  /** Name it is bound to locally (`*` for glob imports). */
  local: string;
  node: Node;
}

/** Flattens a use tree: `crate::a::{b as c, d::*}` -> [crate::a::b as c, crate::a::d::*]. */
export function expandUse(arg: Node | null, prefix: string[] = []): UseItem[] {
  if (!arg) return [];
  const segs = (n: Node) => n.text.replace(/\s+/g, "").split("::").filter(Boolean);
  switch (arg.type) {
    case "identifier":
    case "scoped_identifier":
    case "crate":
    case "self":
    case "super": {
      const path = [...prefix, ...segs(arg)];
      const last = path[path.length - 1];
      return [{ path: last === "self" ? path.slice(0, -1) : path, local: last === "self" ? path[path.length - 2] : last, node: arg }];
    }
    case "use_as_clause":
      return [{ path: [...prefix, ...segs(arg.childForFieldName("path")!)], local: arg.childForFieldName("alias")!.text, node: arg }];
    case "use_wildcard": {
      const inner = arg.namedChildren[0];
      return [{ path: [...prefix, ...(inner ? segs(inner) : [])], local: "*", node: arg }];
    }
    case "scoped_use_list": {
      const p = arg.childForFieldName("path");
      return expandUse(arg.childForFieldName("list"), [...prefix, ...(p ? segs(p) : [])]);
    }
    case "use_list":
      return arg.namedChildren.flatMap((c) => (c ? expandUse(c, prefix) : []));
    default:
      return [];
  }
}

/** Resolves a written path to (crate, module segments...) from the file at `from`. */
export function resolveRustPath(path: string[], from: { crate: string; path: string[] }, crates: Set<string>): { crate: string; segs: string[] } | undefined {
  const [head, ...rest] = path;
  if (head === "crate") return { crate: from.crate, segs: rest };
  if (head === "self") return { crate: from.crate, segs: [...from.path, ...rest] };
  if (head === "super") {
    let base = from.path.slice(0, -1);
    let r = rest;
    while (r[0] === "super") {
      base = base.slice(0, -1);
      r = r.slice(1);
    }
    return { crate: from.crate, segs: [...base, ...r] };
  }
  if (head && crates.has(head) && head !== from.crate) return { crate: head, segs: rest };
  return undefined;
}

// --- diffs ---

/** Longest common subsequence pairs of two sequences (Myers-free DP, bounded). */
export function lcsPairs<T>(a: T[], b: T[], limit = 4_000_000): [number, number][] | undefined {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  if (n * m > limit) return undefined;
  const dp: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      dp[i][j] = a[start + i] === b[start + j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
    }
  }
  const pairs: [number, number][] = [];
  for (let k = 0; k < start; k++) pairs.push([k, k]);
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[start + i] === b[start + j]) {
      pairs.push([start + i, start + j]);
      i++;
      j++;
    } else if (dp[i + 1][j] >= dp[i][j + 1]) i++;
    else j++;
  }
  for (let k = 0; k < a.length - endA; k++) pairs.push([endA + k, endB + k]);
  return pairs;
}

export function tokens(line: string): string[] {
  return line.match(/[A-Za-z_$][\w$]*|\d+|\S/g) ?? [];
}

/**
 * The token substitutions that turn base into head, read from changed lines that pair one-to-one (hunks that add
 * or remove lines are not substitutions and are skipped); undefined when the diff is too large to compare.
 */
export function substitutions(base: string, head: string): Set<string> | undefined {
  const a = base.split("\n");
  const b = head.split("\n");
  const pairs = lcsPairs(a, b);
  if (!pairs) return undefined;
  const subs = new Set<string>();
  let [pi, pj] = [-1, -1];
  for (const [i, j] of [...pairs, [a.length, b.length] as [number, number]]) {
    const gapA = a.slice(pi + 1, i);
    const gapB = b.slice(pj + 1, j);
    for (let k = 0; gapA.length === gapB.length && k < gapA.length; k++) {
      const lineSubs = tokenSubstitutions(gapA[k], gapB[k]);
      if (!lineSubs) return undefined;
      for (const s of lineSubs) subs.add(s);
    }
    [pi, pj] = [i, j];
  }
  return subs;
}

function tokenSubstitutions(oldLine: string, newLine: string): string[] | undefined {
  const a = tokens(oldLine);
  const b = tokens(newLine);
  const pairs = lcsPairs(a, b, 40_000);
  if (!pairs) return undefined;
  const out: string[] = [];
  let [pi, pj] = [-1, -1];
  for (const [i, j] of [...pairs, [a.length, b.length] as [number, number]]) {
    let from = a.slice(pi + 1, i).join(" ");
    let to = b.slice(pj + 1, j).join(" ");
    // A pure insertion or deletion keeps the token before it as context (`client` -> `client ( )`).
    if (!from && !to) {
      [pi, pj] = [i, j];
      continue;
    }
    if ((!from || !to) && pi >= 0) [from, to] = [`${a[pi]} ${from}`.trim(), `${a[pi]} ${to}`.trim()];
    if (from !== to) out.push(`${from}\u0000${to}`);
    [pi, pj] = [i, j];
  }
  return out;
}
