// Request-extension facts for Rust middleware (actix-web, axum/tower): which middleware inserts which
// type into the request extensions and which reads it, gathered across every parsed Rust file.
import type { Node } from "web-tree-sitter";
import type { ParsedFile } from "../../src/engine/rule.js";
import { descendants, line } from "./tree.js";

export interface Unit {
  name: string;
  produces: Set<string>;
  consumes: Set<string>;
  /** Read from a file of the PR, or from an unchanged repository file. */
  source?: "pr" | "repo";
}

export type Units = Map<string, Unit>;

const WRAPPERS = new Set(["Arc", "Rc", "Box"]);

export function normType(text: string): string {
  return text.replace(/\s+/g, "").replace(/^&(mut)?/, "").replace(/^(\w+::)+/, "");
}

/** The last identifier of a path: `crate::mw::Auth` -> "Auth". */
export function lastSegment(node: Node | null | undefined): string {
  if (!node) return "";
  if (node.type === "scoped_identifier" || node.type === "scoped_type_identifier") return node.childForFieldName("name")?.text ?? "";
  if (node.type === "generic_type") return lastSegment(node.childForFieldName("type"));
  if (node.type === "generic_function") return lastSegment(node.childForFieldName("function"));
  return node.text;
}

function enclosingFn(node: Node): Node | undefined {
  for (let cur = node.parent; cur; cur = cur.parent) if (cur.type === "function_item" || cur.type === "closure_expression") return cur;
  return undefined;
}

/** Best-effort static type of an expression: struct literals, `T::new(..)`, `Arc::new(T{..})`, typed lets. */
export function typeOfExpr(expr: Node | null | undefined, depth = 0): string | undefined {
  if (!expr || depth > 4) return undefined;
  switch (expr.type) {
    case "struct_expression":
      return normType(lastSegment(expr.childForFieldName("name")));
    case "reference_expression":
      return typeOfExpr(expr.childForFieldName("value"), depth + 1);
    case "try_expression":
    case "await_expression":
    case "parenthesized_expression":
      return typeOfExpr(expr.namedChildren[0], depth + 1);
    case "call_expression": {
      const fn = expr.childForFieldName("function");
      const args = expr.childForFieldName("arguments")?.namedChildren.filter((n): n is Node => n !== null) ?? [];
      if (fn?.type === "scoped_identifier") {
        const path = lastSegment(fn.childForFieldName("path"));
        if (WRAPPERS.has(path) && fn.childForFieldName("name")?.text === "new") {
          const inner = typeOfExpr(args[0], depth + 1);
          return inner ? `${path}<${inner}>` : undefined;
        }
        if (/^[A-Z]/.test(path)) return path;
        return undefined;
      }
      if (fn?.type === "identifier" && /^[A-Z]/.test(fn.text)) return fn.text; // tuple struct: TenantId(id)
      // jsonwebtoken: `decode::<Claims>(..)` returns TokenData<Claims>
      if (fn?.type === "generic_function" && /^(decode|insecure_decode|dangerous_insecure_decode)$/.test(lastSegment(fn.childForFieldName("function")))) {
        const t = fn.childForFieldName("type_arguments")?.namedChildren[0];
        return t ? `TokenData<${normType(t.text)}>` : undefined;
      }
      if (fn?.type === "field_expression" && /^(clone|cloned|to_owned|unwrap|expect|unwrap_or_default|map_err|context|with_context|ok_or|ok_or_else)$/.test(fn.childForFieldName("field")?.text ?? "")) {
        return typeOfExpr(fn.childForFieldName("value"), depth + 1);
      }
      // A free function of the same file: its declared return type, less Result/Option.
      if (fn?.type === "identifier") return returnTypeOf(fn, fn.text);
      return undefined;
    }
    case "field_expression": {
      // `data.claims` of a TokenData<T>, or a field of a struct declared in the same file
      const owner = typeOfExpr(expr.childForFieldName("value"), depth + 1);
      const field = expr.childForFieldName("field")?.text ?? "";
      if (!owner) return undefined;
      const token = owner.match(/^TokenData<(.+)>$/);
      if (token) return field === "claims" ? token[1] : undefined;
      return fieldTypeOf(expr, owner, field);
    }
    case "identifier":
      return typeOfLocal(expr, depth);
    default:
      return undefined;
  }
}

function rootOf(node: Node): Node {
  let cur = node;
  while (cur.parent) cur = cur.parent;
  return cur;
}

/** `Result<T, E>` / `Option<T>` / `anyhow::Result<T>` -> T; other types unchanged. */
function unwrapFallible(type: string): string {
  const m = normType(type).match(/^(?:Result|Option)<(.+?)(?:,[^<>]*)?>$/);
  return m ? normType(m[1]) : normType(type);
}

function returnTypeOf(at: Node, name: string): string | undefined {
  const decl = descendants(rootOf(at), "function_item").find((f) => f.childForFieldName("name")?.text === name);
  const ret = decl?.childForFieldName("return_type");
  if (!ret) return undefined;
  const t = unwrapFallible(ret.text);
  return /^[A-Z]\w*$/.test(t) ? t : undefined;
}

function fieldTypeOf(at: Node, owner: string, field: string): string | undefined {
  const decl = descendants(rootOf(at), "struct_item").find((s) => s.childForFieldName("name")?.text === owner);
  const f = decl ? descendants(decl, "field_declaration").find((d) => d.childForFieldName("name")?.text === field) : undefined;
  const t = f?.childForFieldName("type");
  return t ? normType(t.text) : undefined;
}

function typeOfLocal(ident: Node, depth: number): string | undefined {
  const fn = enclosingFn(ident);
  if (!fn) return undefined;
  for (const decl of descendants(fn, "let_declaration")) {
    if (decl.startIndex > ident.startIndex) break;
    if (decl.childForFieldName("pattern")?.text !== ident.text) continue;
    const annotated = decl.childForFieldName("type");
    if (annotated) return normType(annotated.text);
    return typeOfExpr(decl.childForFieldName("value"), depth + 1);
  }
  for (const param of descendants(fn, "parameter")) {
    if (param.childForFieldName("pattern")?.text === ident.text) return normType(param.childForFieldName("type")?.text ?? "") || undefined;
  }
  return undefined;
}

/** The value a local was bound to by an earlier `let x = ...;` in the same function. */
function letValue(ident: Node): Node | undefined {
  const fn = enclosingFn(ident);
  if (!fn) return undefined;
  let found: Node | undefined;
  for (const decl of descendants(fn, "let_declaration")) {
    if (decl.startIndex > ident.startIndex) break;
    if (decl.childForFieldName("pattern")?.text === ident.text) found = decl.childForFieldName("value") ?? undefined;
  }
  return found;
}

/** `x.extensions_mut()`, `parts.extensions`, or a local bound to one (`let ext = req.extensions(); ext.get::<T>()`) */
function isExtensions(node: Node | null | undefined, mutable: boolean, depth = 0): boolean {
  if (!node) return false;
  if (node.type === "identifier" && depth < 2) return isExtensions(letValue(node), mutable, depth + 1);
  if (node.type === "field_expression") return node.childForFieldName("field")?.text === "extensions";
  if (node.type !== "call_expression") return false;
  const fn = node.childForFieldName("function");
  const name = fn?.type === "field_expression" ? fn.childForFieldName("field")?.text : undefined;
  return mutable ? name === "extensions_mut" : name === "extensions" || name === "extensions_mut";
}

function methodCall(call: Node): { name: string; receiver: Node | null; turbofish?: Node } | undefined {
  let fn = call.childForFieldName("function");
  let turbofish: Node | undefined;
  if (fn?.type === "generic_function") {
    turbofish = fn.childForFieldName("type_arguments")?.namedChildren[0] ?? undefined;
    fn = fn.childForFieldName("function");
  }
  if (fn?.type !== "field_expression") return undefined;
  return { name: fn.childForFieldName("field")?.text ?? "", receiver: fn.childForFieldName("value"), turbofish };
}

/** Types a body inserts into / reads from request extensions. */
export function extensionUse(body: Node): { produces: Set<string>; consumes: Set<string> } {
  const produces = new Set<string>();
  const consumes = new Set<string>();
  for (const call of descendants(body, "call_expression")) {
    const m = methodCall(call);
    if (!m) continue;
    const args = call.childForFieldName("arguments")?.namedChildren ?? [];
    if (m.name === "insert" && isExtensions(m.receiver, true)) {
      const t = m.turbofish ? normType(m.turbofish.text) : typeOfExpr(args[0]);
      if (t) produces.add(t);
    } else if ((m.name === "get" || m.name === "remove") && isExtensions(m.receiver, false)) {
      const t = m.turbofish ? normType(m.turbofish.text) : annotatedLetType(call);
      if (t) consumes.add(t);
    } else if (m.name === "extract" && m.turbofish) {
      const t = extractorInner(m.turbofish);
      if (t) consumes.add(t);
    }
  }
  const params = body.childForFieldName("parameters");
  for (const param of params ? descendants(params, "parameter") : []) {
    const t = extractorInner(param.childForFieldName("type"));
    if (t) consumes.add(t);
  }
  return { produces, consumes };
}

/** `ReqData<T>` / `Extension<T>` (optionally wrapped in Option) -> T. */
function extractorInner(type: Node | null | undefined): string | undefined {
  if (!type || type.type !== "generic_type") return undefined;
  const name = lastSegment(type.childForFieldName("type"));
  if (name !== "ReqData" && name !== "Extension") return undefined;
  const arg = type.childForFieldName("type_arguments")?.namedChildren[0];
  return arg ? normType(arg.text) : undefined;
}

/** `let x: Option<&T> = req.extensions().get();` -> T */
function annotatedLetType(call: Node): string | undefined {
  for (let cur: Node | null = call.parent; cur; cur = cur.parent) {
    if (cur.type === "let_declaration") {
      const t = cur.childForFieldName("type");
      const m = t?.text.replace(/\s+/g, "").match(/^Option<&?(?:mut)?(.+)>$/);
      return m ? normType(m[1]) : undefined;
    }
    if (/statement|block|function_item/.test(cur.type)) return undefined;
  }
  return undefined;
}

function merge(units: Units, name: string, use: { produces: Set<string>; consumes: Set<string>; source?: "pr" | "repo" }): void {
  if (!name) return;
  const unit = units.get(name) ?? { name, produces: new Set(), consumes: new Set(), source: use.source };
  for (const t of use.produces) unit.produces.add(t);
  for (const t of use.consumes) unit.consumes.add(t);
  units.set(name, unit);
}

/**
 * One unit per middleware: free functions by name; impl blocks by their type, folded into the
 * Transform/Layer type that names them (`type Transform = FooMiddleware<S>` -> Foo).
 */
export function collectUnits(files: ParsedFile[]): Units {
  const units: Units = new Map();
  const alias = new Map<string, string>();
  for (const file of files) {
    if (file.language !== "rust" || !file.tree) continue;
    for (const impl of descendants(file.tree.rootNode, "impl_item")) {
      const owner = lastSegment(impl.childForFieldName("type"));
      for (const assoc of descendants(impl, "type_item")) {
        const name = assoc.childForFieldName("name")?.text;
        if (name === "Transform" || name === "Service") alias.set(lastSegment(assoc.childForFieldName("type")), owner);
      }
    }
    for (const fn of descendants(file.tree.rootNode, "function_item")) {
      const use = extensionUse(fn);
      if (!use.produces.size && !use.consumes.size) continue;
      const impl = fn.parent?.parent?.type === "impl_item" ? fn.parent.parent : undefined;
      merge(units, impl ? lastSegment(impl.childForFieldName("type")) : fn.childForFieldName("name")?.text ?? "", { ...use, source: file.changed ? "pr" : "repo" });
    }
  }
  for (const [from, to] of alias) {
    const unit = units.get(from);
    if (unit && from !== to) merge(units, to, unit);
  }
  for (const unit of units.values()) for (const t of unit.produces) unit.consumes.delete(t);
  return units;
}

export interface Step {
  /** The method call (`.wrap(...)`, `.layer(...)`) that registers the middleware. */
  node: Node;
  label: string;
  unit?: Unit;
}

/** Method calls of a builder chain, innermost first: `App::new().wrap(a).wrap(b)` -> [wrap(a), wrap(b)]. */
export function chainCalls(top: Node): { name: string; call: Node; args: Node[] }[] {
  const out: { name: string; call: Node; args: Node[] }[] = [];
  for (let cur: Node | null = top; cur?.type === "call_expression"; ) {
    const m = methodCall(cur);
    if (!m) break;
    out.unshift({ name: m.name, call: cur, args: (cur.childForFieldName("arguments")?.namedChildren ?? []).filter((n): n is Node => n !== null) });
    cur = m.receiver;
  }
  return out;
}

/** The base of a chain (`App::new()`, `Router::new()`, `ServiceBuilder::new()`, an identifier). */
export function chainBase(top: Node): Node {
  let cur: Node = top;
  for (;;) {
    const m = cur.type === "call_expression" ? methodCall(cur) : undefined;
    if (!m?.receiver) return cur;
    cur = m.receiver;
  }
}

/** Call expressions that end a chain (not themselves the receiver of a further method call). */
export function chainTops(root: Node): Node[] {
  return descendants(root, "call_expression").filter((call) => {
    const parent = call.parent;
    return !(parent?.type === "field_expression" && parent.childForFieldName("value")?.equals(call) && parent.parent?.type === "call_expression");
  });
}

/** Resolve a middleware expression to a unit: `Foo::new()`, `Foo`, `from_fn(f)`, closures, `Condition::new(c, Foo)`. */
export function resolveUnit(expr: Node | undefined, units: Units, inline: (closure: Node) => Unit, depth = 0): Unit | undefined {
  if (!expr) return undefined;
  if (expr.type === "closure_expression") return inline(expr);
  if (expr.type === "identifier" || expr.type === "scoped_identifier") {
    const name = lastSegment(expr);
    if (/^[a-z]/.test(name) && !units.has(name)) {
      const t = typeOfExpr(expr);
      if (t && units.has(t)) return units.get(t);
      // `let auth = HttpAuthentication::bearer(validator); ... .wrap(auth)`
      const value = expr.type === "identifier" ? letValue(expr) : undefined;
      if (value && depth < 3) return resolveUnit(value, units, inline, depth + 1);
    }
    return units.get(name);
  }
  if (expr.type === "struct_expression") return units.get(lastSegment(expr.childForFieldName("name")));
  if (expr.type === "call_expression") {
    const fn = expr.childForFieldName("function");
    const args = (expr.childForFieldName("arguments")?.namedChildren ?? []).filter((n): n is Node => n !== null);
    const fname = fn?.type === "generic_function" ? lastSegment(fn.childForFieldName("function")) : lastSegment(fn);
    if (/^(from_fn|map_request|from_fn_with_state|map_request_with_state|from_extractor|from_extractor_with_state)$/.test(fname)) {
      if (fname.startsWith("from_extractor") && fn?.type === "generic_function") {
        return units.get(lastSegment(fn.childForFieldName("type_arguments")?.namedChildren[0]));
      }
      return resolveUnit(args[args.length - 1], units, inline);
    }
    if (fname === "new" && fn?.type === "scoped_identifier") {
      const owner = lastSegment(fn.childForFieldName("path"));
      if (owner === "Condition") return resolveUnit(args[1], units, inline, depth);
      if (units.has(owner)) return units.get(owner);
    } else if (fn?.type === "scoped_identifier" && units.has(lastSegment(fn.childForFieldName("path")))) {
      return units.get(lastSegment(fn.childForFieldName("path")));
    }
    // A library middleware built around one of ours: `HttpAuthentication::bearer(validator)`,
    // `HttpAuthentication::with_fn(validate)`: the function argument does the inserting.
    if (fn?.type === "scoped_identifier") {
      for (const arg of args) {
        if ((arg.type === "identifier" || arg.type === "scoped_identifier") && units.has(lastSegment(arg))) return units.get(lastSegment(arg));
      }
    }
  }
  return undefined;
}

export function inlineUnit(node: Node, name: string): Unit {
  const use = extensionUse(node);
  for (const t of use.produces) use.consumes.delete(t);
  return { name, ...use };
}

export interface OrderProblem {
  consumer: Step;
  producer: Step;
  type: string;
}

/**
 * Steps in request order (first runs first). A consumer is wrong when a producer of the type it reads
 * runs after it and none runs before it.
 */
export function orderProblems(outer: Step[], own: Step[], inner: Step[]): OrderProblem[] {
  const problems: OrderProblem[] = [];
  own.forEach((step, i) => {
    for (const type of step.unit?.consumes ?? []) {
      const before = [...outer, ...own.slice(0, i)].some((s) => s.unit?.produces.has(type));
      if (before) continue;
      const producer = [...own.slice(i + 1), ...inner].find((s) => s.unit?.produces.has(type));
      if (producer) problems.push({ consumer: step, producer, type });
    }
  });
  return problems;
}

export function stepLine(step: Step): number {
  // Report the line of the registering method name (`.wrap(` / `.layer(`), not the chain's first line.
  const fn = step.node.childForFieldName("function");
  const field = fn?.type === "field_expression" ? fn.childForFieldName("field") : null;
  return line(field ?? step.node);
}
