// An exported function/type/const (or a macro) renamed, removed or given a new arity while other files of the
// repository still use the old form: the change is in the diff, the breakage is in the dependents.
import { Node as TsNode, SyntaxKind } from "ts-morph";
import type { Node } from "web-tree-sitter";
import { defineRule, type ParsedFile, type Report, type ReviewFacts } from "../src/engine/rule.js";
import type { ContractChange } from "../src/engine/types.js";
import {
  expandUse, parseTs, releaseTs, reparse, resolveRustPath, resolveTsSpecifier, rustExports, rustModule, tokenArity, tsClassMethods,
  tsExports, tsModuleId, type Arity, type Export,
} from "./_lib/cascade.js";
import { missedCallSiteCases } from "./_lib/cascade-cases.js";
import { argumentBreak, parameterType, rustFreeCalls, tsFreeRefs } from "./_lib/cascade-calls.js";
import { ancestorOfKind } from "./_lib/ts.js";
import { compactTreeText } from "./_lib/tree.js";

interface Change {
  name: string;
  kind: "removed" | "arity" | "signature";
  before: Export;
  after?: Export;
  /** Signature changes: the parameter whose type changed incompatibly. */
  param?: number;
}

interface Use {
  path: string;
  line: number;
  change: Change;
  detail: string;
}

const fits = (n: number, a: Arity) => n >= a.min && n <= a.max;
const showArity = (a: Arity) => (a.max === Infinity ? `${a.min}+` : a.min === a.max ? `${a.min}` : `${a.min}-${a.max}`);
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
const label = (e: Export, path = "") => {
  const rust = /\.rs$/.test(path);
  if (e.kind === "macro") return `\`${e.name}!\``;
  if (e.owner) return `\`${e.owner}${rust ? "::" : "."}${e.name}\``;
  return e.name === "default" && !rust ? "the default export" : `\`${e.name}\``;
};
const verb = (n: number, one: string, many: string) => (n === 1 ? one : many);

function diffExports(before: Map<string, Export>, after: Map<string, Export>, unknowable: boolean): Change[] {
  const out: Change[] = [];
  for (const [key, b] of before) {
    const a = after.get(key);
    if (!a) {
      if (!unknowable) out.push({ name: key, kind: "removed", before: b });
    } else if (b.arity && a.arity && (b.arity.min !== a.arity.min || b.arity.max !== a.arity.max)) {
      out.push({ name: key, kind: "arity", before: b, after: a });
    } else if (b.rules && a.rules && JSON.stringify(b.rules) !== JSON.stringify(a.rules)) {
      out.push({ name: key, kind: "arity", before: b, after: a });
    } else if (b.params && a.params && b.params.length === a.params.length) {
      const param = b.params.findIndex((t, i) => incompatible(t, a.params![i]));
      if (param >= 0) out.push({ name: key, kind: "signature", before: b, after: a, param });
    }
  }
  return out;
}

/** Top-level members of a written union type (`A | B<C | D>` -> A, B<C|D>). */
function unionMembers(t: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of t) {
    if ("<([{".includes(ch)) depth++;
    if (">)]}".includes(ch)) depth--;
    if (ch === "|" && depth === 0) {
      if (cur) out.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * A parameter's written type changed so that an argument of the old type no longer fits: both typed, different,
 * and the new type is not a widening (a union that still holds the old type, \`any\`, \`unknown\`, a generic).
 */
function incompatible(before: string, after: string): boolean {
  if (!before || !after || before === after) return false;
  if (/^(any|unknown|object|Object|impl.*|T|U|K|V)$/.test(after) || /^(any|unknown)$/.test(before)) return false;
  const members = unionMembers(after);
  return unionMembers(before).some((m) => !members.includes(m));
}

/** A call with `n` arguments that the old signature accepted and the new one does not. */
function staleArity(change: Change, n: number): boolean {
  const { before, after } = change;
  if (change.kind === "signature") return n > change.param!;
  if (before.rules && after?.rules) return before.rules.some((r) => fits(n, r)) && !after.rules.some((r) => fits(n, r));
  return Boolean(before.arity && after?.arity && fits(n, before.arity) && !fits(n, after.arity));
}

// --- TypeScript ---

function tsArgCount(call: TsNode): number | undefined {
  if (!TsNode.isCallExpression(call)) return undefined;
  const args = call.getArguments();
  return args.some((a) => TsNode.isSpreadElement(a)) ? undefined : args.length;
}

/**
 * Module ids through which `modId`'s exports are reachable: itself, and barrels (`export * from "./x"`,
 * transitively) that do not get the name from another module too. Per changed name, since a barrel that
 * also re-exports a module now defining the name still serves it.
 */
const barrelsByReview = new WeakMap<ParsedFile[], Map<string, Map<string, ParsedFile>>>();

/** The `export *` barrels that re-export a module, transitively; computed once per module and review. */
function tsBarrels(modId: string, files: ParsedFile[]): Map<string, ParsedFile> {
  const known = barrelsByReview.get(files) ?? new Map<string, Map<string, ParsedFile>>();
  barrelsByReview.set(files, known);
  if (!known.has(modId)) known.set(modId, findBarrels(modId, files));
  return known.get(modId)!;
}

function findBarrels(modId: string, files: ParsedFile[]): Map<string, ParsedFile> {
  const barrels = new Map<string, ParsedFile>();
  const queue = [modId];
  while (queue.length) {
    const target = queue.shift()!;
    for (const f of files) {
      if (!f.ts || barrels.has(tsModuleId(f.path)) || tsModuleId(f.path) === modId) continue;
      const star = f.ts.getExportDeclarations().some((e) => {
        const spec = e.getModuleSpecifierValue();
        return spec && !e.getNamedExports().length && !e.getNamespaceExport() && resolveTsSpecifier(f.path, spec) === target;
      });
      if (star) {
        barrels.set(tsModuleId(f.path), f);
        queue.push(tsModuleId(f.path));
      }
    }
  }
  return barrels;
}

/** Whether a barrel still provides `name` from somewhere other than the changed module. */
function barrelStillProvides(barrel: ParsedFile, name: string, modId: string, files: ParsedFile[], depth = 0): boolean {
  if (depth > 3) return false;
  if (tsExports(barrel.ts!).exports.has(name)) return true;
  for (const e of barrel.ts!.getExportDeclarations()) {
    const spec = e.getModuleSpecifierValue();
    if (!spec || e.getNamedExports().length || e.getNamespaceExport()) continue;
    const id = resolveTsSpecifier(barrel.path, spec);
    if (!id || id === modId) continue;
    const src = files.find((f) => f.ts && tsModuleId(f.path) === id);
    if (src && barrelStillProvides(src, name, modId, files, depth + 1)) return true;
  }
  return false;
}

/** Receivers declared as an instance of `cls` in this file: `x: Cls`, `new Cls(...)`, `private readonly x: Cls`. */
function tsInstancesOf(sf: import("ts-morph").SourceFile, cls: string): Set<string> {
  const names = new Set<string>();
  const typed = (t: string | undefined) => t !== undefined && t.replace(/\s+/g, "").replace(/^Readonly<(.*)>$/, "$1") === cls;
  for (const p of sf.getDescendantsOfKind(SyntaxKind.Parameter)) if (typed(p.getTypeNode()?.getText())) names.add(p.getName());
  for (const p of sf.getDescendantsOfKind(SyntaxKind.PropertyDeclaration)) {
    const init = p.getInitializer();
    if (typed(p.getTypeNode()?.getText()) || (init && TsNode.isNewExpression(init) && init.getExpression().getText() === cls)) names.add(p.getName());
  }
  for (const d of sf.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    const init = d.getInitializer();
    if (typed(d.getTypeNode()?.getText()) || (init && TsNode.isNewExpression(init) && init.getExpression().getText() === cls)) names.add(d.getName());
  }
  return names;
}

function tsMethodUses(change: Change, localClass: string, dep: ParsedFile): Use[] {
  const out: Use[] = [];
  const instances = tsInstancesOf(dep.ts!, localClass);
  if (!instances.size) return out;
  for (const call of dep.ts!.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const e = call.getExpression();
    if (!TsNode.isPropertyAccessExpression(e) || e.getName() !== change.before.name) continue;
    const recv = e.getExpression();
    const recvName = TsNode.isPropertyAccessExpression(recv) && recv.getExpression().getKind() === SyntaxKind.ThisKeyword ? recv.getName() : TsNode.isIdentifier(recv) ? recv.getText() : undefined;
    if (!recvName || !instances.has(recvName)) continue;
    const n = tsArgCount(call);
    if (change.kind === "removed") out.push({ path: dep.path, line: call.getStartLineNumber(), change, detail: `calls \`.${change.before.name}()\`` });
    else if (n !== undefined && staleArity(change, n)) out.push({ path: dep.path, line: call.getStartLineNumber(), change, detail: `calls \`.${change.before.name}()\` with ${plural(n, "argument")}` });
  }
  return out;
}

/**
 * Where a removed import breaks: the import itself (where the compiler reports "has no exported member") and each
 * line that refers to the local name (calls, values, types, re-exports), so the annotation sits on the code to migrate.
 */
function tsStaleRefs(sf: import("ts-morph").SourceFile, local: string, imported: TsNode, path: string, change: Change, importDetail: string): Use[] {
  const lines = new Map<number, TsNode>();
  for (const id of sf.getDescendantsOfKind(SyntaxKind.Identifier)) {
    if (id.getText() !== local || ancestorOfKind(id, SyntaxKind.ImportDeclaration)) continue;
    const parent = id.getParent();
    // `x.local`, `{ local: 1 }`, `class { local() {} }`: a property or member named like the import, not a use of it.
    if (TsNode.isPropertyAccessExpression(parent) && parent.getNameNode() === id) continue;
    if (parent && (TsNode.isPropertyAssignment(parent) || TsNode.isPropertySignature(parent) || TsNode.isPropertyDeclaration(parent) || TsNode.isMethodDeclaration(parent) || TsNode.isMethodSignature(parent) || TsNode.isGetAccessorDeclaration(parent) || TsNode.isSetAccessorDeclaration(parent) || TsNode.isEnumMember(parent)) && (parent as any).getNameNode?.() === id) continue;
    if (TsNode.isQualifiedName(parent) && parent.getRight() === id) continue;
    if (!lines.has(id.getStartLineNumber())) lines.set(id.getStartLineNumber(), id);
  }
  const importLine: Use = { path, line: imported.getStartLineNumber(), change, detail: importDetail };
  return [importLine, ...[...lines.entries()].filter(([line]) => line !== importLine.line).map(([line, id]) => {
    const parent = id.getParent();
    const calls = parent && TsNode.isCallExpression(parent) && parent.getExpression() === id;
    return { path, line, change, detail: `${calls ? "calls" : "uses"} \`${local}\` (imported on line ${imported.getStartLineNumber()})` };
  })];
}

function tsUses(changes: Change[], modId: string, dep: ParsedFile, files: ParsedFile[] = []): Use[] {
  const out: Use[] = [];
  const all = new Map(changes.map((c) => [c.name, c]));
  const sf = dep.ts!;
  const barrels = tsBarrels(modId, files);
  const definedIn = files.find((f) => f.ts && tsModuleId(f.path) === modId)?.ts;
  const methodChanges = changes.filter((c) => c.before.kind === "method");
  const outOf = (id: string | undefined) => {
    if (id === modId) return all;
    const barrel = id ? barrels.get(id) : undefined;
    if (!barrel) return undefined;
    return new Map([...all].filter(([, c]) => !barrelStillProvides(barrel, c.before.kind === "method" ? c.before.owner! : c.name, modId, files)));
  };
  const callsOf = (matches: (callee: TsNode) => boolean) =>
    sf.getDescendantsOfKind(SyntaxKind.CallExpression).filter((c) => matches(c.getExpression()));
  const checkCalls = (change: Change, matches: (callee: TsNode) => boolean) => {
    for (const call of callsOf(matches)) {
      const n = tsArgCount(call);
      if (n === undefined || !staleArity(change, n)) continue;
      let detail = change.kind === "signature" ? `passes argument ${change.param! + 1} as the old \`${change.before.params![change.param!]}\`` : `passes ${plural(n, "argument")}`;
      // A changed file's call that differs from the base was migrated with the signature, unless the type
      // checker says the argument still does not fit (a cast to `any` hides it from the compiler, not from us).
      if (change.kind === "signature" && dep.changed && !(dep.baseText ?? "").replace(/\s+/g, "").includes(call.getText().replace(/\s+/g, ""))) {
        const param = definedIn ? parameterType(definedIn, change.name, change.param!) : undefined;
        const broken = param ? argumentBreak(call.getArguments()[change.param!], param) : undefined;
        if (!broken) continue;
        const now = `\`${change.after!.params![change.param!]}\``;
        detail = broken === "cast"
          ? `passes argument ${change.param! + 1} through a cast to \`any\`/\`unknown\` that hides a value the new ${now} does not accept`
          : `passes argument ${change.param! + 1} of a type the new ${now} does not accept`;
      }
      out.push({ path: dep.path, line: call.getStartLineNumber(), change, detail });
    }
  };
  for (const imp of sf.getImportDeclarations()) {
    const byName = outOf(resolveTsSpecifier(dep.path, imp.getModuleSpecifierValue()));
    if (!byName) continue;
    const def = imp.getDefaultImport();
    const defChange = def ? byName.get("default") : undefined;
    if (def && defChange) {
      if (defChange.kind === "removed") out.push(...tsStaleRefs(sf, def.getText(), imp, dep.path, defChange, "imports its default export"));
      else checkCalls(defChange, (e) => TsNode.isIdentifier(e) && e.getText() === def.getText());
    }
    for (const named of imp.getNamedImports()) {
      const local = (named.getAliasNode() ?? named.getNameNode()).getText();
      for (const mc of methodChanges) if (mc.before.owner === named.getName() && byName.has(mc.name)) out.push(...tsMethodUses(mc, local, dep));
      const change = byName.get(named.getName());
      if (!change) continue;
      if (change.kind === "removed") out.push(...tsStaleRefs(sf, local, named, dep.path, change, "imports it"));
      else checkCalls(change, (e) => TsNode.isIdentifier(e) && e.getText() === local);
    }
    const ns = imp.getNamespaceImport()?.getText();
    if (!ns) continue;
    for (const access of sf.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)) {
      const change = access.getExpression().getText() === ns ? byName.get(access.getName()) : undefined;
      if (change?.kind === "removed") out.push({ path: dep.path, line: access.getStartLineNumber(), change, detail: `uses \`${access.getText()}\`` });
    }
    for (const q of sf.getDescendantsOfKind(SyntaxKind.QualifiedName)) {
      const change = q.getLeft().getText() === ns ? byName.get(q.getRight().getText()) : undefined;
      if (change?.kind === "removed") out.push({ path: dep.path, line: q.getStartLineNumber(), change, detail: `uses \`${q.getText()}\`` });
    }
    for (const change of changes.filter((c) => c.kind === "arity")) {
      checkCalls(change, (e) => TsNode.isPropertyAccessExpression(e) && e.getExpression().getText() === ns && e.getName() === change.name);
    }
  }
  for (const exp of sf.getExportDeclarations()) {
    const spec = exp.getModuleSpecifierValue();
    if (!spec || resolveTsSpecifier(dep.path, spec) !== modId) continue;
    for (const ne of exp.getNamedExports()) {
      const change = all.get(ne.getName());
      if (change?.kind === "removed") out.push({ path: dep.path, line: ne.getStartLineNumber(), change, detail: "re-exports it" });
    }
  }
  return out;
}

function tsChanges(file: ParsedFile): { changes: Change[]; before: string[] } {
  const base = parseTs(file.path, file.baseText!);
  try {
    const before = tsExports(base);
    const after = tsExports(file.ts!);
    const changes = diffExports(before.exports, after.exports, after.star);
    // Methods of exported classes that are still exported under the same name.
    const methodsBefore = tsClassMethods(base);
    const methodsAfter = tsClassMethods(file.ts!);
    const kept = new Set([...methodsAfter.values()].map((m) => m.owner));
    const methodChanges = diffExports(new Map([...methodsBefore].filter(([, m]) => kept.has(m.owner))), methodsAfter, false);
    for (const c of methodChanges) {
      // A method inherited or provided another way is unknowable: only report plain class methods.
      const cls = file.ts!.getClass(c.before.owner!);
      if (cls && (cls.getExtends() || cls.getProperty(c.before.name) || cls.getGetAccessor(c.before.name))) continue;
      changes.push(c);
    }
    return { changes, before: [...before.exports.keys(), ...[...methodsBefore.values()].map((m) => `${m.owner}::${m.name}`)] };
  } finally {
    releaseTs(base);
  }
}

/**
 * A removed/renamed name still referenced where nothing declares or imports it any more: the defining file's
 * own call sites, and changed files that import from the module (the import was migrated, one call was not).
 */
function tsMissedRenames(changes: Change[], file: ParsedFile, modId: string, files: ParsedFile[]): Use[] {
  const out: Use[] = [];
  const related = files.filter((f) => f.ts && f.changed && (f === file || f.ts.getImportDeclarations().some((i) => resolveTsSpecifier(f.path, i.getModuleSpecifierValue()) === modId)));
  for (const change of changes) {
    if (change.kind !== "removed" || change.name === "default" || change.before.kind === "method") continue;
    for (const f of related) {
      for (const id of tsFreeRefs(f.ts!, change.name)) {
        const parent = id.getParent();
        const calls = parent && TsNode.isCallExpression(parent) && parent.getExpression() === id;
        out.push({ path: f.path, line: id.getStartLineNumber(), change, detail: `still ${calls ? "calls" : "uses"} \`${change.name}\`, which nothing here declares or imports any more` });
      }
    }
  }
  return out;
}

// --- Rust ---

interface RustCtx {
  files: ParsedFile[];
  crates: Set<string>;
  /** Every function name defined anywhere at head (methods of any type included). */
  fnNames: Set<string>;
}

function rustArgCount(call: Node): number {
  return (call.childForFieldName("arguments")?.namedChildren ?? []).filter((n) => n && n.type !== "comment").length;
}

function hasAncestor(node: Node, type: string): boolean {
  for (let cur = node.parent; cur; cur = cur.parent) if (cur.type === type) return true;
  return false;
}

function inUse(node: Node): boolean {
  for (let cur = node.parent; cur; cur = cur.parent) if (cur.type === "use_declaration") return true;
  return false;
}

function sameSegs(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

const BIN_TARGET = /(^|\/)src\/(main\.rs|bin\/.+\.rs)$/;
const NOT_PACKAGE = new Set(["crate", "self", "super", "std", "core", "alloc"]);

/**
 * Path resolution from `dep`. A binary target (`src/main.rs`, `src/bin/*.rs`) is a crate of its own that reaches
 * its package's library by the package name (`use store::connect_pool;`): with no manifest to name it, a first
 * segment that is no known crate, no module the binary declares and no std crate is taken as that library when
 * the changed module is in it. Its own `crate::` paths are not the library's.
 */
function binResolver(dep: ParsedFile, root: Node, mod: { crate: string; root: string; path: string[] }, rc: RustCtx) {
  const bin = BIN_TARGET.test(dep.path) && rustModule(dep.path)?.root === mod.root && mod.path[0] !== "bin";
  const ownMods = new Set(root.descendantsOfType("mod_item").map((m) => m!.childForFieldName("name")?.text ?? ""));
  return (path: string[], from: { crate: string; path: string[] }) => {
    if (!bin) return resolveRustPath(path, from, rc.crates);
    const [head, ...rest] = path;
    if (!head || NOT_PACKAGE.has(head) || rc.crates.has(head) || ownMods.has(head) || !rest.length) return undefined;
    return { crate: mod.crate, segs: rest };
  };
}

/** A signature change's call in a changed file counts only when the base had it as it is (otherwise it was migrated). */
function unmigrated(change: Change, dep: ParsedFile, callText: string): boolean {
  if (change.kind !== "signature" || !dep.changed) return true;
  return (dep.baseText ?? "").replace(/\s+/g, "").includes(callText.replace(/\s+/g, ""));
}

function rustItemUses(change: Change, mod: { crate: string; root: string; path: string[] }, dep: ParsedFile, rc: RustCtx): Use[] {
  const from = rustModule(dep.path);
  if (!from) return [];
  const root = dep.tree!.rootNode;
  const out: Use[] = [];
  const target = [...mod.path, change.name];
  const report = (node: Node, detail: string) => out.push({ path: dep.path, line: node.startPosition.row + 1, change, detail });
  const checkCalls = (matches: (fnText: string) => boolean) => {
    for (const call of root.descendantsOfType("call_expression")) {
      const fn = compactTreeText(call!.childForFieldName("function"));
      if (!matches(fn)) continue;
      const n = rustArgCount(call!);
      if (change.kind === "removed") report(call!, `calls \`${fn}\``);
      else if (staleArity(change, n) && unmigrated(change, dep, call!.text)) report(call!, `passes ${plural(n, "argument")}`);
    }
  };
  const definesLocally = root.namedChildren.some((c) => c?.childForFieldName("name")?.text === change.name);
  const resolve = binResolver(dep, root, mod, rc);
  for (const use of root.descendantsOfType("use_declaration")) {
    for (const item of expandUse(use!.childForFieldName("argument"))) {
      const resolved = resolve(item.path, from);
      if (!resolved || resolved.crate !== mod.crate) continue;
      if (sameSegs(resolved.segs, target)) {
        if (change.kind === "removed") {
          // Annotate the `use` line (where rustc reports the unresolved import) and each line that uses the name.
          report(item.node, "imports it");
          const seen = new Set<number>([item.node.startPosition.row]);
          for (const id of root.descendantsOfType(["identifier", "type_identifier"])) {
            if (id!.text !== item.local || inUse(id!) || seen.has(id!.startPosition.row)) continue;
            const parent = id!.parent;
            if (parent?.type === "scoped_identifier" || parent?.type === "scoped_type_identifier") {
              if (!parent.childForFieldName("path")?.equals(id!)) continue; // `other::compute_total` is not ours
            }
            if (parent && /^(function_item|struct_item|enum_item|let_declaration|parameter)$/.test(parent.type) && parent.childForFieldName(parent.type === "let_declaration" || parent.type === "parameter" ? "pattern" : "name")?.equals(id!)) continue;
            seen.add(id!.startPosition.row);
            const calls = parent?.type === "call_expression" && parent.childForFieldName("function")?.equals(id!);
            report(id!, `${calls ? "calls" : "uses"} \`${item.local}\` (imported on line ${item.node.startPosition.row + 1})`);
          }
        } else checkCalls((fn) => fn === item.local);
      } else if (sameSegs(resolved.segs, mod.path) && item.local === "*" && !definesLocally) {
        checkCalls((fn) => fn === change.name);
      } else if (sameSegs(resolved.segs, mod.path) && item.local !== "*" && change.kind === "arity") {
        checkCalls((fn) => fn === `${item.local}::${change.name}`);
      } else if (sameSegs(resolved.segs, mod.path) && item.local !== "*") {
        for (const s of root.descendantsOfType(["scoped_identifier", "scoped_type_identifier"])) {
          if (!inUse(s!) && s!.text.replace(/\s+/g, "") === `${item.local}::${change.name}`) report(s!, `uses \`${s!.text}\``);
        }
      }
    }
  }
  for (const s of root.descendantsOfType(["scoped_identifier", "scoped_type_identifier"])) {
    if (inUse(s!) || s!.parent?.type === "scoped_identifier") continue;
    const resolved = resolve(s!.text.replace(/\s+/g, "").split("::"), from);
    if (!resolved || resolved.crate !== mod.crate || !sameSegs(resolved.segs, target)) continue;
    const call = s!.parent?.type === "call_expression" ? s!.parent : undefined;
    if (change.kind === "removed") report(s!, `uses \`${s!.text}\``);
    else if (call && staleArity(change, rustArgCount(call)) && unmigrated(change, dep, call.text)) report(call, `passes ${plural(rustArgCount(call), "argument")}`);
  }
  return out;
}

function rustMacroUses(change: Change, dep: ParsedFile, definesIt = false): Use[] {
  const root = dep.tree!.rootNode;
  if (!definesIt && root.descendantsOfType("macro_definition").some((m) => m?.childForFieldName("name")?.text === change.before.name)) return [];
  const out: Use[] = [];
  for (const inv of root.descendantsOfType("macro_invocation")) {
    const name = inv!.childForFieldName("macro")?.text.split("::").pop();
    if (name !== change.before.name) continue;
    if (definesIt && hasAncestor(inv!, "macro_definition")) continue; // a recursive arm, not a call site
    const tt = inv!.namedChildren.find((c) => c?.type === "token_tree");
    const n = tt ? tokenArity(tt).min : 0;
    if (change.kind === "removed") out.push({ path: dep.path, line: inv!.startPosition.row + 1, change, detail: `invokes \`${name}!\`` });
    else if (staleArity(change, n)) out.push({ path: dep.path, line: inv!.startPosition.row + 1, change, detail: `invokes \`${name}!\` with ${plural(n, "argument")}` });
  }
  return out;
}

/** Method calls `.name(…)` in files that mention the owner type, when no other type defines a method of that name. */
function rustMethodUses(change: Change, dep: ParsedFile, rc: RustCtx): Use[] {
  const { name, owner } = change.before;
  if (change.kind === "removed" && rc.fnNames.has(name)) return [];
  const root = dep.tree!.rootNode;
  if (!owner || !root.descendantsOfType(["type_identifier", "identifier"]).some((n) => n?.text === owner)) return [];
  const out: Use[] = [];
  for (const call of root.descendantsOfType("call_expression")) {
    const fn = call!.childForFieldName("function");
    if (fn?.type !== "field_expression" || fn.childForFieldName("field")?.text !== name) continue;
    const n = rustArgCount(call!);
    if (change.kind === "removed") out.push({ path: dep.path, line: call!.startPosition.row + 1, change, detail: `calls \`.${name}()\`` });
    else if (staleArity(change, n)) out.push({ path: dep.path, line: call!.startPosition.row + 1, change, detail: `calls \`.${name}()\` with ${plural(n, "argument")}` });
  }
  return out;
}

function rustChanges(file: ParsedFile): { changes: Change[]; before: string[] } {
  const base = reparse(file.tree!, file.baseText!);
  if (!base) return { changes: [], before: [] };
  try {
    const before = rustExports(base.rootNode);
    return { changes: diffExports(before, rustExports(file.tree!.rootNode), false), before: [...before.keys()] };
  } finally {
    base.delete();
  }
}

function rustUses(changes: Change[], file: ParsedFile, rc: RustCtx): Use[] {
  const mod = rustModule(file.path);
  const out: Use[] = [];
  for (const change of changes) {
    // The defining file's own old-form invocations, and calls of a renamed fn it no longer defines or imports.
    if (change.before.kind === "macro") out.push(...rustMacroUses(change, file, true));
    else if (change.kind === "removed" && change.before.kind === "function") {
      const related = rc.files.filter((f) => f.tree && f.changed && (f === file || (mod && f.text.includes(`${mod.path.join("::")}::`))));
      for (const f of related) {
        for (const call of rustFreeCalls(f.tree!.rootNode, change.name)) {
          out.push({ path: f.path, line: call.startPosition.row + 1, change, detail: `still calls \`${change.name}\`, which nothing here defines or imports any more` });
        }
      }
    }
  }
  for (const dep of rc.files) {
    if (dep.path === file.path || dep.language !== "rust" || !dep.tree) continue;
    for (const change of changes) {
      if (change.before.kind === "macro") out.push(...rustMacroUses(change, dep));
      else if (change.before.kind === "method") out.push(...rustMethodUses(change, dep, rc));
      else if (mod) out.push(...rustItemUses(change, mod, dep, rc));
    }
  }
  return out;
}

// --- reports ---

function definitionReport(file: ParsedFile, change: Change, uses: Use[], after: Map<string, Export>, before: Set<string>): Report {
  const where = [...new Set(uses.map((u) => u.path))];
  const list = where.slice(0, 5).map((p) => `\`${p}\``).join(", ") + (where.length > 5 ? ` and ${where.length - 5} more` : "");
  const name = label(change.before, file.path).replace(/^the /, "The ");
  if (change.kind === "signature") {
    const i = change.param!;
    return { path: file.path, line: change.after!.line, anywhere: true, change: contractChange(file, change, where), message: `${name} changed the type of parameter ${i + 1} (\`${change.before.params![i]}\` -> \`${change.after!.params![i]}\`); ${plural(uses.length, "use")} in ${list} still ${verb(uses.length, "passes", "pass")} the old type.` };
  }
  if (change.kind === "arity") {
    const a = change.after!;
    const shape = a.rules ? `rules accept ${a.rules.map(showArity).join(" or ")} arguments` : `${showArity(change.before.arity!)} -> ${showArity(a.arity!)} arguments`;
    return { path: file.path, line: a.line, anywhere: true, change: contractChange(file, change, where), message: `${name} changed its arity (${shape}); ${plural(uses.length, "use")} in ${list} still ${verb(uses.length, "uses", "use")} the old form.` };
  }
  const score = (e: Export) => renameScore(change.before, e);
  const renamed = [...after.values()]
    .filter((e) => e.kind === change.before.kind && !before.has(e.owner ? `${e.owner}::${e.name}` : e.kind === "macro" ? `${e.name}!` : e.name))
    .sort((x, y) => score(y) - score(x) || Math.abs(x.line - change.before.line) - Math.abs(y.line - change.before.line))[0];
  const line = renamed?.line ?? Math.max(1, Math.min(change.before.line, file.text.trimEnd().split("\n").length));
  const what = renamed ? `was renamed or replaced (now \`${renamed.name}\`?)` : "was removed";
  const contract = contractChange(file, change, where, renamed && confidentRename(change.before, renamed) ? renamed.name : undefined);
  return { path: file.path, line, anywhere: true, change: contract, message: `${name} ${what}, but ${plural(uses.length, "use")} in ${list} still ${verb(uses.length, "refers", "refer")} to it.` };
}

/** A replacement sure enough to script a rename: it shares a name word, or has the very same signature. */
function confidentRename(old: Export, e: Export): boolean {
  const sameSignature = Boolean(old.params?.length) && JSON.stringify(old.params) === JSON.stringify(e.params) && old.returns === e.returns;
  return [...words(e.name)].some((w) => words(old.name).has(w)) || sameSignature;
}

/** The change as data, for the convergence monitor's batch migration. */
function contractChange(file: ParsedFile, change: Change, files: string[], newName?: string): ContractChange {
  return {
    kind: change.kind === "removed" ? (newName ? "renamed" : "removed") : change.kind,
    language: file.language,
    symbol: change.before.kind,
    name: change.before.name,
    ...(newName ? { newName } : {}),
    ...(change.before.owner ? { owner: change.before.owner } : {}),
    definedIn: file.path,
    files: [...files].sort(),
  };
}

const words = (name: string) => new Set(name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase().split(/[_\W]+/).filter(Boolean));

/**
 * How likely `e` is what `old` became: shared name words (`connect_pool` -> `connect`) count most, then the same
 * owner, return type and parameter types (`toCents(amount: string): number` -> `parseMoney(input: string, …): number`).
 */
function renameScore(old: Export, e: Export): number {
  const ow = words(old.name);
  let s = 4 * [...words(e.name)].filter((w) => ow.has(w)).length;
  if (old.owner && old.owner === e.owner) s += 2;
  if (old.returns && old.returns === e.returns) s += 1;
  const left = [...(e.params ?? [])];
  for (const t of old.params ?? []) {
    const i = t ? left.indexOf(t) : -1;
    if (i >= 0) {
      s += 1;
      left.splice(i, 1);
    }
  }
  return s;
}

function useReport(u: Use, definedIn: string): Report {
  const name = label(u.change.before, definedIn);
  const why = u.change.kind === "removed" ? `no longer exists in \`${definedIn}\`` : u.change.kind === "signature" ? `changed that parameter's type in \`${definedIn}\`` : `changed its arity in \`${definedIn}\``;
  return { path: u.path, line: u.line, anywhere: true, message: `This file ${u.detail}, but ${name} ${why}; migrate every dependent in one batch.` };
}

function collect(review: ReviewFacts): Report[] {
  const reports: Report[] = [];
  const annotated = new Set<string>();
  const rustFiles = review.files.filter((f) => f.language === "rust");
  const rc: RustCtx = {
    files: rustFiles,
    crates: new Set(rustFiles.map((f) => rustModule(f.path)?.crate).filter((c): c is string => Boolean(c))),
    fnNames: new Set(rustFiles.flatMap((f) => (f.tree?.rootNode.descendantsOfType("function_item") ?? []).map((n) => n!.childForFieldName("name")?.text ?? ""))),
  };
  for (const file of review.files) {
    if (!file.changed || file.baseText === undefined) continue;
    let changes: Change[] = [];
    let uses: Use[] = [];
    let beforeKeys: string[] = [];
    let after = new Map<string, Export>();
    if (file.language === "typescript" && file.ts) {
      ({ changes, before: beforeKeys } = tsChanges(file));
      const modId = tsModuleId(file.path);
      if (changes.length) {
        for (const dep of review.files) if (dep.path !== file.path && dep.ts) uses.push(...tsUses(changes, modId, dep, review.files));
        uses.push(...tsMissedRenames(changes, file, modId, review.files));
        after = new Map([...tsExports(file.ts).exports, ...tsClassMethods(file.ts)]);
      }
    } else if (file.language === "rust" && file.tree) {
      ({ changes, before: beforeKeys } = rustChanges(file));
      if (changes.length) {
        uses = rustUses(changes, file, rc);
        after = rustExports(file.tree.rootNode);
      }
    }
    for (const change of changes) {
      const seen = new Set<string>();
      const mine = uses.filter((u) => u.change === change && !seen.has(`${u.path}:${u.line}`) && Boolean(seen.add(`${u.path}:${u.line}`)));
      if (!mine.length) continue;
      reports.push(definitionReport(file, change, mine, after, new Set(beforeKeys)));
      // One annotation per line: an import line naming two removed exports is annotated once.
      for (const u of mine) if (!annotated.has(`${u.path}:${u.line}`) && annotated.add(`${u.path}:${u.line}`)) reports.push(useReport(u, file.path));
    }
  }
  return reports;
}

export default defineRule<Report[]>({
  meta: {
    id: "stale-dependents",
    category: "cascade",
    languages: ["typescript", "rust"],
    severity: "failure",
    description: "An exported function, type, constant or macro changed its name or arity while other files still use the old form.",
    why: "The change compiles in its own file but breaks every dependent outside the diff; fixing the errors one file at a time is the diminishing-returns loop that turns one breaking change into dozens of commits.",
    fix: "List every dependent first (they are annotated here), then migrate them all in one batch (search-and-replace plus a compile check), or keep a deprecated alias of the old form until the dependents are migrated.",
  },
  collect,
  detectPr: (ctx) => ctx.facts,
  cases: [...CASES(), ...missedCallSiteCases()],
});

function CASES() {
  const tsPricing = `export interface Price { amountCents: number; currency: string }

export function computeTotal(items: Price[], discountCents = 0): number {
  return items.reduce((s, i) => s + i.amountCents, 0) - discountCents;
}
`;
  const rustRepoBase = `pub struct OrderRepo { client: Client }

impl OrderRepo {
    pub fn save(&self, order: &Order) -> Result<(), RepositoryError> {
        self.client.put(order)
    }
}
`;
  return [
    {
      name: "ts: renamed export still imported in an untouched file",
      files: [
        {
          path: "src/billing/pricing.ts",
          base: tsPricing,
          code: tsPricing.replace("computeTotal", "calculateTotal"),
        },
        {
          path: "src/billing/invoice.ts",
          changed: false,
          code: `import { computeTotal, type Price } from "./pricing.js";

export function invoiceTotal(items: Price[]) {
  return computeTotal(items);
}
`,
        },
        {
          path: "src/api/cart.ts",
          changed: false,
          code: `import { computeTotal } from "../billing/pricing.js";
import { Router } from "express";

export const cart = Router().get("/cart/total", (req, res) => res.json({ total: computeTotal(req.body.items) }));
`,
        },
      ],
      expect: ["src/api/cart.ts:1", "src/api/cart.ts:4", "src/billing/invoice.ts:1", "src/billing/invoice.ts:4", "src/billing/pricing.ts:3"],
    },
    {
      name: "ts: a required parameter added; old call sites pass too few",
      files: [
        {
          path: "src/billing/pricing.ts",
          base: tsPricing,
          code: tsPricing.replace("items: Price[], discountCents = 0", "items: Price[], taxRateBps: number, discountCents = 0"),
        },
        {
          path: "src/billing/invoice.ts",
          changed: false,
          code: `import { computeTotal as total, type Price } from "./pricing.js";

export function invoiceTotal(items: Price[], taxRateBps: number) {
  const preview = total(items);
  return total(items, taxRateBps);
}
`,
        },
      ],
      expect: ["src/billing/invoice.ts:4", "src/billing/pricing.ts:3"],
    },
    {
      name: "ts: removed type used through a namespace import",
      files: [
        {
          path: "src/events/types.ts",
          base: `export type OrderPlaced = { orderId: string };\nexport type OrderShipped = { orderId: string; carrier: string };\n`,
          code: `export type OrderPlaced = { orderId: string };\n`,
        },
        {
          path: "src/events/handlers.ts",
          changed: false,
          code: `import * as ev from "./types";

export function onShipped(e: ev.OrderPlaced, s: unknown) {
  return (s as ev.OrderShipped).carrier;
}
`,
        },
      ],
      expect: ["src/events/handlers.ts:4", "src/events/types.ts:1"],
    },
    {
      name: "ts: a changed dependent still re-exports the old name",
      files: [
        { path: "src/lib/ids.ts", base: `export const newId = () => crypto.randomUUID();\n`, code: `export const createId = () => crypto.randomUUID();\n` },
        { path: "src/lib/index.ts", base: `export { newId } from "./ids.js";\n`, code: `export { newId } from "./ids.js";\nexport const VERSION = 2;\n` },
      ],
      expect: ["src/lib/ids.ts:1", "src/lib/index.ts:1"],
    },
    {
      name: "ts: renamed export reached through an `export *` barrel",
      files: [
        {
          path: "src/lib/tenancy.ts",
          base: `export function resolveTenant(req: { header(n: string): string | undefined }): string {\n  return req.header("x-tenant-id") ?? "";\n}\n`,
          code: `export function tenantFromRequest(req: { auth?: { tenantId: string } }): string {\n  return req.auth?.tenantId ?? "";\n}\n`,
        },
        { path: "src/lib/index.ts", changed: false, code: `export * from "./tenancy";\nexport * from "./money";\n` },
        {
          path: "src/api/orders.ts",
          changed: false,
          code: `import { Router } from "express";
import { resolveTenant } from "../lib";

export const orders = Router().get("/", async (req, res) => res.json(await listOrders(resolveTenant(req))));
`,
        },
      ],
      expect: ["src/api/orders.ts:2", "src/api/orders.ts:4", "src/lib/tenancy.ts:1"],
    },
    {
      name: "ts: moved to another module the same barrel re-exports: nothing is stale",
      files: [
        { path: "src/lib/tenancy.ts", base: `export function resolveTenant(): string {\n  return "";\n}\nexport const X = 1;\n`, code: `export const X = 1;\n` },
        { path: "src/lib/tenant-context.ts", code: `export function resolveTenant(): string {\n  return "t";\n}\n` },
        { path: "src/lib/index.ts", changed: false, code: `export * from "./tenancy";\nexport * from "./tenant-context";\n` },
        { path: "src/api/orders.ts", changed: false, code: `import { resolveTenant } from "../lib";\nexport const t = () => resolveTenant();\n` },
      ],
      expect: [],
    },
    {
      name: "ts: default export gains a required parameter; a public class method renamed",
      files: [
        {
          path: "src/client.ts",
          base: `export default function createApiClient(baseURL: string) {\n  return axios.create({ baseURL });\n}\n`,
          code: `export default function createApiClient(baseURL: string, token: string) {\n  return axios.create({ baseURL, headers: { Authorization: token } });\n}\n`,
        },
        { path: "src/sync.ts", changed: false, code: `import createApiClient from "./client";\n\nconst http = createApiClient(process.env.API_URL!);\nconst other = createApiClient(process.env.API_URL!, "t");\n` },
        {
          path: "src/repos/user-repo.ts",
          base: `export class UserRepository {\n  constructor(private readonly pool: Pool) {}\n\n  async findById(id: string) {\n    return this.pool.query("SELECT 1", [id]);\n  }\n}\n`,
          code: `export class UserRepository {\n  constructor(private readonly pool: Pool) {}\n\n  async getById(tenantId: string, id: string) {\n    return this.pool.query("SELECT 1", [tenantId, id]);\n  }\n}\n`,
        },
        {
          path: "src/services/profile.ts",
          changed: false,
          code: `import { UserRepository } from "../repos/user-repo";

export class ProfileService {
  constructor(private readonly users: UserRepository, private readonly cache: Map<string, unknown>) {}

  async profile(id: string) {
    const cached = this.cache.get(id);
    return cached ?? (await this.users.findById(id));
  }
}
`,
        },
        {
          path: "src/services/other.ts",
          changed: false,
          code: `import { findById } from "./elsewhere";\nexport const f = (repo: { findById(id: string): unknown }) => repo.findById("1") ?? findById("2");\n`,
        },
      ],
      expect: ["src/client.ts:1", "src/repos/user-repo.ts:4", "src/services/profile.ts:8", "src/sync.ts:3"],
    },
    {
      name: "ts: removed function and type annotated on their import line (once) and each line that uses them, not on a same-named property",
      files: [
        { path: "src/money.ts", base: MONEY_TS_SRC(), code: MONEY_TS_SRC().replace(/Money\b/g, "Amount").replace("formatAmount", "renderAmount") },
        {
          path: "src/ui/receipt.ts",
          changed: false,
          code: `import { formatMoney, CURRENCY, type Money } from "../money";

const view = { formatMoney: "label" };

export function receipt(total: Money, tax: Money): string {
  const t = formatMoney(total);
  return \`\${t} + \${formatMoney(tax)} \${CURRENCY} \${view.formatMoney}\`;
}
`,
        },
      ],
      expect: ["src/money.ts:1", "src/money.ts:2", "src/ui/receipt.ts:1", "src/ui/receipt.ts:5", "src/ui/receipt.ts:6", "src/ui/receipt.ts:7"],
    },
    {
      name: "ts: a removed import passed as a callback is annotated there and on its import line; an unused import on its import line",
      files: [
        { path: "src/money.ts", base: MONEY_TS_SRC(), code: MONEY_TS_SRC().replace("formatMoney", "renderMoney") },
        { path: "src/ui/list.ts", changed: false, code: `import { formatMoney } from "../money";\n\nexport const labels = (xs: { cents: number }[]) =>\n  xs.map(formatMoney);\n` },
        { path: "src/ui/unused.ts", changed: false, code: `import { formatMoney } from "../money";\nexport const x = 1;\n` },
      ],
      expect: ["src/money.ts:2", "src/ui/list.ts:1", "src/ui/list.ts:4", "src/ui/unused.ts:1"],
    },
    {
      name: "ts: rename with every dependent migrated",
      files: [
        { path: "src/billing/pricing.ts", base: tsPricing, code: tsPricing.replace("computeTotal", "calculateTotal") },
        {
          path: "src/billing/invoice.ts",
          base: `import { computeTotal } from "./pricing.js";\nexport const t = (i: never[]) => computeTotal(i);\n`,
          code: `import { calculateTotal } from "./pricing.js";\nexport const t = (i: never[]) => calculateTotal(i);\n`,
        },
      ],
      expect: [],
    },
    {
      name: "ts: rename that keeps a deprecated alias",
      files: [
        {
          path: "src/billing/pricing.ts",
          base: tsPricing,
          code: tsPricing.replace("computeTotal", "calculateTotal") + `\n/** @deprecated use calculateTotal */\nexport const computeTotal = calculateTotal;\n`,
        },
        { path: "src/billing/invoice.ts", changed: false, code: `import { computeTotal } from "./pricing.js";\nexport const t = (i: never[]) => computeTotal(i);\n` },
      ],
      expect: [],
    },
    {
      name: "ts: optional parameter added; old calls still valid",
      files: [
        { path: "src/billing/pricing.ts", base: tsPricing, code: tsPricing.replace("discountCents = 0", "discountCents = 0, note?: string") },
        { path: "src/billing/invoice.ts", changed: false, code: `import { computeTotal } from "./pricing.js";\nexport const t = (i: never[]) => computeTotal(i, 5);\n` },
      ],
      expect: [],
    },
    {
      name: "ts: same name imported from another module, and the name in comments",
      files: [
        { path: "src/billing/pricing.ts", base: tsPricing, code: tsPricing.replace("computeTotal", "calculateTotal") },
        {
          path: "src/reports/summary.ts",
          changed: false,
          code: `// computeTotal from ../billing/pricing was renamed
import { computeTotal } from "./totals.js";
export const label = "computeTotal";
export const sum = (xs: number[]) => computeTotal(xs);
`,
        },
      ],
      expect: [],
    },
    {
      name: "rs: renamed pub fn still imported and called by path",
      files: [
        {
          path: "src/billing/invoice.rs",
          base: `pub fn compute_total(lines: &[Line]) -> i64 {\n    lines.iter().map(|l| l.cents).sum()\n}\n`,
          code: `pub fn invoice_total(lines: &[Line]) -> i64 {\n    lines.iter().map(|l| l.cents).sum()\n}\n`,
        },
        {
          path: "src/api/checkout.rs",
          changed: false,
          code: `use crate::billing::invoice::{compute_total, Line};

pub fn checkout(lines: &[Line]) -> i64 {
    compute_total(lines)
}
`,
        },
        {
          path: "src/jobs/monthly.rs",
          changed: false,
          code: `use crate::billing::invoice;

pub fn run(lines: &[invoice::Line]) -> i64 {
    invoice::compute_total(lines) + crate::billing::invoice::compute_total(lines)
}
`,
        },
      ],
      expect: ["src/api/checkout.rs:1", "src/api/checkout.rs:4", "src/billing/invoice.rs:1", "src/jobs/monthly.rs:4"],
    },
    {
      name: "rs: macro_rules arity changed; old invocations remain",
      files: [
        {
          path: "src/macros.rs",
          base: `#[macro_export]\nmacro_rules! repository {\n    ($entity:ty, $table:expr) => { impl Repository for $entity { const TABLE: &str = $table; } };\n}\n`,
          code: `#[macro_export]\nmacro_rules! repository {\n    ($entity:ty, $table:expr, $error:ty) => { impl Repository for $entity { const TABLE: &str = $table; type Error = $error; } };\n}\n`,
        },
        {
          path: "src/orders/repo.rs",
          changed: false,
          code: `use crate::repository;
use crate::orders::Order;

repository!(Order, "orders");
`,
        },
        {
          path: "src/events/repo.rs",
          base: `repository!(Event, "events");\n`,
          code: `repository!(Event, "events", EventStoreError);\n`,
        },
      ],
      expect: ["src/macros.rs:2", "src/orders/repo.rs:4"],
    },
    {
      name: "rs: method renamed (save -> db_save) with callers outside the diff",
      files: [
        { path: "src/orders/repo.rs", base: rustRepoBase, code: rustRepoBase.replace("pub fn save", "pub fn db_save") },
        {
          path: "src/orders/service.rs",
          changed: false,
          code: `use crate::orders::repo::OrderRepo;

pub fn place(repo: &OrderRepo, order: Order) -> Result<(), RepositoryError> {
    validate(&order)?;
    repo.save(&order)
}
`,
        },
      ],
      expect: ["src/orders/repo.rs:4", "src/orders/service.rs:5"],
    },
    {
      name: "rs: parameter added to a pub fn; old calls pass too few",
      files: [
        {
          path: "src/clients.rs",
          base: `pub fn client(region: &str) -> Client {\n    Client::new(region)\n}\n`,
          code: `pub fn client(region: &str, scope: Scope) -> Client {\n    Client::scoped(region, scope)\n}\n`,
        },
        {
          path: "src/handlers/orders.rs",
          changed: false,
          code: `use crate::clients::client;

pub async fn list() -> Vec<Order> {
    let c = client("eu-west-1");
    c.orders().await
}
`,
        },
      ],
      expect: ["src/clients.rs:1", "src/handlers/orders.rs:4"],
    },
    {
      name: "rs: removed fn annotated where it is called and where it is passed as a value",
      files: [
        { path: "src/fmt.rs", base: `pub fn fmt_cents(c: i64) -> String {\n    format!("{}", c)\n}\n`, code: `pub fn render_cents(c: i64) -> String {\n    format!("{}", c)\n}\n` },
        {
          path: "src/report.rs",
          changed: false,
          code: `use crate::fmt::fmt_cents;

pub fn lines(xs: &[i64]) -> Vec<String> {
    let first = fmt_cents(xs[0]);
    let rest: Vec<String> = xs.iter().copied().map(fmt_cents).collect();
    vec![first].into_iter().chain(rest).collect()
}
`,
        },
      ],
      expect: ["src/fmt.rs:1", "src/report.rs:1", "src/report.rs:4", "src/report.rs:5"],
    },
    {
      name: "rs: rename with a pub use alias kept",
      files: [
        {
          path: "src/billing/invoice.rs",
          base: `pub fn compute_total(lines: &[Line]) -> i64 {\n    lines.iter().map(|l| l.cents).sum()\n}\n`,
          code: `pub fn invoice_total(lines: &[Line]) -> i64 {\n    lines.iter().map(|l| l.cents).sum()\n}\n\n#[deprecated(note = "use invoice_total")]\npub use self::invoice_total as compute_total;\n`,
        },
        { path: "src/api/checkout.rs", changed: false, code: `use crate::billing::invoice::compute_total;\n\npub fn checkout(l: &[Line]) -> i64 {\n    compute_total(l)\n}\n` },
      ],
      expect: [],
    },
    {
      name: "rs: macro arity extended compatibly",
      files: [
        {
          path: "src/macros.rs",
          base: `macro_rules! repository {\n    ($entity:ty, $table:expr) => {};\n}\n`,
          code: `macro_rules! repository {\n    ($entity:ty, $table:expr) => { repository!($entity, $table, RepositoryError); };\n    ($entity:ty, $table:expr, $error:ty) => {};\n}\n`,
        },
        { path: "src/orders/repo.rs", changed: false, code: `repository!(Order, "orders");\n` },
      ],
      expect: [],
    },
    {
      name: "rs: all dependents migrated in the same PR",
      files: [
        {
          path: "src/billing/invoice.rs",
          base: `pub fn compute_total(lines: &[Line]) -> i64 {\n    0\n}\n`,
          code: `pub fn invoice_total(lines: &[Line]) -> i64 {\n    0\n}\n`,
        },
        {
          path: "src/api/checkout.rs",
          base: `use crate::billing::invoice::compute_total;\npub fn c(l: &[Line]) -> i64 { compute_total(l) }\n`,
          code: `use crate::billing::invoice::invoice_total;\npub fn c(l: &[Line]) -> i64 { invoice_total(l) }\n`,
        },
      ],
      expect: [],
    },
    {
      name: "rs: same name from another module, method name defined elsewhere",
      files: [
        {
          path: "src/billing/invoice.rs",
          base: `pub fn compute_total(lines: &[Line]) -> i64 {\n    0\n}\npub struct Repo;\nimpl Repo {\n    pub fn save(&self) {}\n}\n`,
          code: `pub fn invoice_total(lines: &[Line]) -> i64 {\n    0\n}\npub struct Repo;\nimpl Repo {\n    pub fn persist(&self) {}\n}\n`,
        },
        {
          path: "src/reports/summary.rs",
          changed: false,
          code: `// compute_total moved; see billing::invoice
use crate::reports::totals::compute_total;
use crate::billing::invoice::Repo;

pub fn run(r: &Repo, cache: &Cache) -> i64 {
    cache.save();
    compute_total(&[])
}
`,
        },
        { path: "src/cache.rs", changed: false, code: `pub struct Cache;\nimpl Cache {\n    pub fn save(&self) {}\n}\n` },
      ],
      expect: [],
    },
    {
      name: "ts: a parameter's type changed at the same arity; the untouched caller is stale, the migrated one is not",
      files: [
        {
          path: "src/pricing/tax.ts",
          base: `export function addTax(net: number, rate: number): number {\n  return net + Math.round(net * rate);\n}\n`,
          code: `export type TaxRule = { region: string; basisPoints: number };\nexport function addTax(net: number, rule: TaxRule): number {\n  return net + Math.round((net * rule.basisPoints) / 10_000);\n}\n`,
        },
        {
          path: "src/orders/total.ts",
          base: `import { addTax } from "../pricing/tax";\nexport const orderTotal = (net: number) => addTax(net, 0.2);\n`,
          code: `import { addTax } from "../pricing/tax";\nexport const orderTotal = (net: number) => addTax(net, { region: "EU", basisPoints: 2000 });\n`,
        },
        {
          path: "src/quotes/quote.ts",
          changed: false,
          code: `import { addTax } from "../pricing/tax";

export function quote(net: number, vatRate: number) {
  const gross = addTax(net, vatRate);
  return { net, gross };
}
`,
        },
      ],
      expect: ["src/pricing/tax.ts:2", "src/quotes/quote.ts:4"],
    },
    {
      name: "ts: a parameter widened to a union that keeps the old type breaks no caller",
      files: [
        {
          path: "src/pricing/tax.ts",
          base: `export function addTax(net: number, rate: number): number {\n  return net + Math.round(net * rate);\n}\n`,
          code: `export type TaxRule = { basisPoints: number };\nexport function addTax(net: number, rate: number | TaxRule): number {\n  const r = typeof rate === "number" ? rate : rate.basisPoints / 10_000;\n  return net + Math.round(net * r);\n}\n`,
        },
        { path: "src/quotes/quote.ts", changed: false, code: `import { addTax } from "../pricing/tax";\nexport const quote = (net: number) => addTax(net, 0.2);\n` },
      ],
      expect: [],
    },
    {
      name: "ts: a removed export is reported at the replacement whose signature matches, not at the nearest new export",
      files: [
        {
          path: "src/util/dates.ts",
          base: `export function parseDay(text: string): Date {\n  return new Date(text + "T00:00:00Z");\n}\n`,
          code: `export function todayIso(): string {\n  return new Date().toISOString().slice(0, 10);\n}\n\nexport const EPOCH = 0;\n\nexport function readIsoDate(text: string, strict = true): Date {\n  if (strict && !/^\\d{4}-\\d{2}-\\d{2}$/.test(text)) throw new RangeError(text);\n  return new Date(text + "T00:00:00Z");\n}\n`,
        },
        { path: "src/jobs/cutoff.ts", changed: false, code: `import { parseDay } from "../util/dates";\n\nexport const cutoff = (s: string) => parseDay(s);\n` },
      ],
      expect: ["src/jobs/cutoff.ts:1", "src/jobs/cutoff.ts:3", "src/util/dates.ts:7"],
    },
    {
      name: "rs: a binary target reaches the renamed library fn by the package name; the definition is the name-sharing replacement",
      files: [
        {
          path: "src/lib.rs",
          base: `pub async fn open_db(url: &str) -> Result<Db, Error> {\n    Db::open(url).await\n}\n`,
          code: `pub fn default_url() -> String {\n    "postgres://localhost/app".into()\n}\n\npub struct DbConfig {\n    pub url: String,\n}\n\npub async fn open_db_with(cfg: &DbConfig) -> Result<Db, Error> {\n    Db::open(&cfg.url).await\n}\n`,
        },
        {
          path: "src/bin/seed.rs",
          changed: false,
          code: `use ledger::open_db;

fn main() {
    let url = std::env::var("DATABASE_URL").unwrap();
    let db = block_on(open_db(&url));
    ledger::open_db(&url);
}
`,
        },
      ],
      expect: ["src/bin/seed.rs:1", "src/bin/seed.rs:5", "src/bin/seed.rs:6", "src/lib.rs:9"],
    },
    {
      name: "rs: a binary's own modules, std and crate:: paths are not the library's",
      files: [
        {
          path: "src/lib.rs",
          base: `pub fn open_db(url: &str) -> Db {\n    Db::open(url)\n}\n`,
          code: `pub fn connect(url: &str) -> Db {\n    Db::open(url)\n}\n`,
        },
        {
          path: "src/main.rs",
          changed: false,
          code: `mod cli;
use cli::open_db;
use std::env;

fn main() {
    let db = open_db(&env::var("URL").unwrap());
    crate::cli::open_db("x");
}
`,
        },
      ],
      expect: [],
    },
  ];
}

function MONEY_TS_SRC(): string {
  return `export interface Money { cents: number }
export function formatMoney(m: Money): string {
  return (m.cents / 100).toFixed(2);
}
export const CURRENCY = "EUR";
`;
}
