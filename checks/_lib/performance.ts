// Helpers shared by the performance rules: where a call runs (once at startup, per request, per item)
// and whether its result is cached.
import { Node, SyntaxKind, type CallExpression, type SourceFile } from "ts-morph";
import type { Node as TNode } from "web-tree-sitter";
import type { ParsedFile } from "../../src/engine/rule.js";
import { compactText, enclosingFunctions, enclosingLoop as tsLoopOf, isRequestHandler as tsIsHandler } from "./ts.js";
import { compactTreeText, descendants, enclosingLoop as treeLoopOf, isRequestHandler as isRouteHandler, memoUp, UP } from "./tree.js";
import { isServiceFile } from "./context.js";
import { reaches, type CallRef, type FnDef } from "./resolve.js";

// ---------- where a call runs ----------

/** A per-request or per-item place: a loop, a request handler, a function a handler/loop calls, or any other function. */
export interface Where {
  kind: "loop" | "handler" | "called" | "function";
  name: string;
  line?: number;
  /** For "function": a method of a class/impl (runs per operation on a long-lived object). */
  method?: boolean;
  /** For "function": a parameter names a per-request value (tenant, account, user, request, event...). */
  requestParam?: boolean;
  /** For "function": it takes parameters (besides self), so it is meant to be called with varying input. */
  hasParams?: boolean;
}

const REQUEST_PARAM = /tenant|account|customer|user|org|request|\breq\b|event|\bctx\b|principal|caller|role/i;

export function describeWhere(w: Where): string {
  if (w.kind === "loop") return `inside a loop (line ${w.line}), once per item`;
  if (w.kind === "handler") return `in request handler \`${w.name}\`, on every request`;
  if (w.kind === "called") return `in \`${w.name}()\`, which a request handler or loop calls`;
  return `in \`${w.name}()\`, on every call`;
}

/** Functions that run once: entry points, constructors, initialisers, config loaders. */
export const STARTUP_NAME =
  /^(main|_?init\w*|__init__|initiali[sz]e\w*|setup\w*|set_up\w*|bootstrap\w*|on_?startup|startup|start|start_\w+|\w+_startup|configure\w*|create_?app|build_?app|make_?app|lifespan|register\w*|constructor|new|default|load_?(config|settings|env|secrets?)\w*|get_?(config|settings)|warm\w*|prime\w*|refresh\w*)$/i;

export interface PathFacts {
  /** Functions (by defKey) called from a handler or loop, directly or through other functions. */
  perRequest: Set<string>;
  /** Functions (by defKey) whose every call site runs once (module level or startup functions). */
  startupOnly: Set<string>;
}

/** One call: what it names, and where it runs ("request", "startup", or inside the function with this defKey). */
type Site = { call: CallRef; ctx: "request" | "startup" | { def: string } };

const factsCache = new WeakMap<ParsedFile[], PathFacts>();
const treePaths = new WeakMap<object, string>();

/** A function's identity across files: its file, its class/impl, its name (see _lib/resolve.ts). */
export function defKey(def: FnDef): string {
  return `${def.path}#${def.owner ?? ""}#${def.name}`;
}

/**
 * Call-site facts over every parsed file (one pass, cached per review). A call reaches the functions its qualifier can
 * name (resolve.ts), never every function of that name, so facts do not depend on which other files are in the review.
 */
export function pathFacts(files: ParsedFile[]): PathFacts {
  const hit = factsCache.get(files);
  if (hit) return hit;
  const sites: Site[] = [];
  const defs = new Map<string, FnDef[]>();
  for (const f of files) {
    if (!isServiceFile(f)) continue;
    if (f.tree) treePaths.set(f.tree, f.path);
    const found = f.ts ? tsSites(f) : f.tree ? treeSites(f) : { sites: [], defs: [] };
    sites.push(...found.sites);
    for (const d of found.defs) defs.set(d.name, [...(defs.get(d.name) ?? []), d]);
  }
  const targets = (call: CallRef) => (defs.get(call.name) ?? []).filter((d) => reaches(call, d)).map(defKey);
  const resolved = sites.map((s) => ({ ...s, to: targets(s.call) }));
  const perRequest = new Set(resolved.filter((s) => s.ctx === "request").flatMap((s) => s.to));
  for (let i = 0; i < 4; i++) for (const s of resolved) if (typeof s.ctx === "object" && perRequest.has(s.ctx.def)) for (const t of s.to) perRequest.add(t);
  const incoming = new Map<string, Site["ctx"][]>();
  for (const s of resolved) for (const t of s.to) incoming.set(t, [...(incoming.get(t) ?? []), s.ctx]);
  const startupOnly = new Set<string>();
  for (let i = 0; i < 4; i++) {
    for (const [key, list] of incoming) {
      if (list.every((c) => c === "startup" || (typeof c === "object" && startupOnly.has(c.def)))) startupOnly.add(key);
    }
  }
  for (const n of perRequest) startupOnly.delete(n);
  const facts = { perRequest, startupOnly };
  factsCache.set(files, facts);
  return facts;
}

// ---------- TypeScript ----------

const TS_FN_KINDS = new Set([
  SyntaxKind.FunctionDeclaration, SyntaxKind.FunctionExpression, SyntaxKind.ArrowFunction,
  SyntaxKind.MethodDeclaration, SyntaxKind.Constructor, SyntaxKind.GetAccessor, SyntaxKind.SetAccessor,
]);

export function tsIsFn(node: Node): boolean {
  return TS_FN_KINDS.has(node.getKind());
}

export function tsFns(node: Node): Node[] {
  return enclosingFunctions(node);
}

/** The name a function goes by: its own, the variable/property/class field it is assigned to, "constructor", or "". */
export function tsFnName(fn: Node): string {
  if (Node.isConstructorDeclaration(fn)) return "constructor";
  if (Node.hasName(fn) && fn.getName()) return fn.getName()!;
  const p = fn.getParent();
  if (p && (Node.isVariableDeclaration(p) || Node.isPropertyAssignment(p) || Node.isPropertyDeclaration(p))) return p.getName();
  // const getCreds = memoize(async () => ...)
  const call = p && Node.isCallExpression(p) ? p : undefined;
  const decl = call?.getParent();
  if (decl && Node.isVariableDeclaration(decl)) return decl.getName();
  return "";
}

const MEMO_CALL = /^(memoize|memoizee|memo|moize|once|pMemoize|mem|memoizeOne|lazy|cached|singleton|cache)$/;

/** "ttl" or "forever" when the function is wrapped in a memoizer (`memoize(async () => ...)`); undefined otherwise. */
export function tsMemo(fn: Node): "ttl" | "forever" | undefined {
  const call = fn.getParent();
  if (!call || !Node.isCallExpression(call)) return undefined;
  const name = call.getExpression().getText().replace(/^.*\./, "");
  if (!MEMO_CALL.test(name)) return undefined;
  return /maxAge|ttl|expire|stale/i.test(call.getArguments().slice(1).map((a) => a.getText()).join(",")) ? "ttl" : "forever";
}

/** Where a node runs, if per request or per item; undefined at module level, in startup code or in memoized functions. */
export function tsWhere(node: Node, facts: PathFacts): Where | undefined {
  const fns = tsFns(node);
  if (!fns.length) return undefined;
  const loop = tsLoopOf(node);
  if (loop && tsFns(loop).length && tsIsItemLoop(loop)) return { kind: "loop", name: "", line: loop.getStartLineNumber() };
  const handler = fns.find((f) => tsIsHandler(f));
  if (handler) return { kind: "handler", name: tsFnName(handler) || "route handler" };
  for (const fn of fns) {
    if (tsMemo(fn)) return undefined;
    const name = tsFnName(fn);
    if (!name) continue;
    const key = defKey(tsDef(fn, name));
    if (STARTUP_NAME.test(name) || facts.startupOnly.has(key)) return undefined;
    if (facts.perRequest.has(key)) return { kind: "called", name };
    const params = Node.isFunctionLikeDeclaration(fn) || Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) ? fn.getParameters().map((p) => p.getName()).join(",") : "";
    const method = Node.isMethodDeclaration(fn) || Node.isPropertyDeclaration(fn.getParent()!);
    return { kind: "function", name, method, requestParam: REQUEST_PARAM.test(params), hasParams: params.length > 0 };
  }
  return undefined;
}

/** The definition a TS function is: its file, its class (or object literal's variable), its name. */
export function tsDef(fn: Node, name: string): FnDef {
  const cls = fn.getFirstAncestor((a) => Node.isClassDeclaration(a) || Node.isClassExpression(a));
  const owner = cls && Node.hasName(cls) ? cls.getName() : undefined;
  return { name, path: fn.getSourceFile().getFilePath().replace(/^\//, ""), owner };
}

function tsCallRef(call: CallExpression, file: ParsedFile): CallRef | undefined {
  const expr = call.getExpression();
  if (Node.isIdentifier(expr)) return { name: expr.getText(), qualifier: "", file };
  if (Node.isPropertyAccessExpression(expr)) return { name: expr.getName(), qualifier: compactText(expr.getExpression()), file };
  return undefined;
}

function tsSites(file: ParsedFile): { sites: Site[]; defs: FnDef[] } {
  const sites: Site[] = [];
  const defs: FnDef[] = [];
  const sf = file.ts!;
  for (const kind of TS_FN_KINDS) {
    for (const fn of sf.getDescendantsOfKind(kind)) {
      const name = tsFnName(fn);
      if (name) defs.push(tsDef(fn, name));
    }
  }
  for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const ref = tsCallRef(call, file);
    if (!ref) continue;
    sites.push({ call: ref, ctx: tsSiteContext(call) });
    // app.get("/x", getUser): a function passed to a route registration is a handler.
    if (/^(get|post|put|patch|delete|all|use|route|handle|on)$/.test(ref.name)) {
      for (const a of call.getArguments()) {
        if (Node.isIdentifier(a)) sites.push({ call: { name: a.getText(), qualifier: "", file }, ctx: "request" });
        else if (Node.isPropertyAccessExpression(a)) sites.push({ call: { name: a.getName(), qualifier: a.getExpression().getText(), file }, ctx: "request" });
      }
    }
  }
  return { sites, defs };
}

function tsSiteContext(node: Node): Site["ctx"] {
  const fns = tsFns(node);
  const loop = tsLoopOf(node);
  if (fns.length && (loop || fns.some((f) => tsIsHandler(f)))) return "request";
  for (const fn of fns) {
    const name = tsFnName(fn);
    if (!name) continue;
    return STARTUP_NAME.test(name) ? "startup" : { def: defKey(tsDef(fn, name)) };
  }
  return "startup";
}

const CACHE_WORD = /cache|cached|memo/i;

/** True when the function keeps a result between calls: a cache map, or a member/module variable read and assigned. */
export function tsHasCache(fn: Node): boolean {
  const names = fn.getDescendantsOfKind(SyntaxKind.Identifier).map((i) => i.getText());
  if (names.some((n) => CACHE_WORD.test(n))) return true;
  const { stores, aliases } = tsStoreTargets(fn);
  if (!stores.length) return false;
  const text = fn.getDescendants().filter((d) => Node.isPropertyAccessExpression(d) || Node.isIdentifier(d)).map((d) => d.getText());
  // read and written: the member itself twice, or an alias of it used besides its declaration and the store
  const uses = (s: string) => text.filter((t) => t === s).length + [...aliases].filter(([, v]) => v === s).reduce((n, [a]) => n + Math.max(0, text.filter((t) => t === a).length - 2), 0);
  return stores.some((s) => uses(s) >= 2);
}

/** Targets of `this.x = ...`, `this.x ??= ...`, `moduleVar = ...` inside a function. */
function tsStoreTargets(fn: Node): { stores: string[]; aliases: Map<string, string> } {
  const file = fn.getSourceFile();
  const moduleVars = new Set(file.getVariableStatements().flatMap((s) => s.getDeclarations().map((d) => d.getName())));
  const assigned: Node[] = fn.getDescendantsOfKind(SyntaxKind.BinaryExpression)
    .filter((b) => /^(=|\?\?=|\|\|=)$/.test(b.getOperatorToken().getText()))
    .map((b) => b.getLeft());
  // this.creds.set(role, creds) / cache.set(...)
  const setOn: Node[] = fn.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)
    .filter((e) => /^(set|put|insert)$/.test(e.getName()) && Node.isCallExpression(e.getParent()))
    .map((e) => e.getExpression());
  // `const byRole = this.byRole;` / `const m = CACHE;` ... `m.set(k, v)`: a local alias of the member or module map.
  const aliases = new Map<string, string>();
  for (const d of fn.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    const init = d.getInitializer();
    if (init && Node.isIdentifier(d.getNameNode()) && ((Node.isPropertyAccessExpression(init) && /^this\.\w+$/.test(init.getText())) || (Node.isIdentifier(init) && moduleVars.has(init.getText())))) {
      aliases.set(d.getName(), init.getText());
    }
  }
  const stores = [...assigned, ...setOn]
    .map((l) => (Node.isIdentifier(l) && aliases.has(l.getText()) ? aliases.get(l.getText())! : l.getText()))
    .filter((t) => /^this\.\w+$/.test(t) || moduleVars.has(t));
  return { stores, aliases };
}

/** True when `expr`'s value is kept: assigned to a member, module variable or map, directly or through a local. */
export function tsIsStored(expr: Node): boolean {
  const target = tsValueTarget(expr);
  if (target === "stored") return true;
  if (typeof target === "string") {
    const fn = tsFns(expr)[0];
    if (!fn) return true;
    return fn.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => id.getText() === target && tsValueTarget(id) === "stored");
  }
  return false;
}

/** "stored" when the value lands in a member/module var/map; a local's name when it lands in a local; "returned"; or undefined. */
export function tsValueTarget(expr: Node): string | undefined {
  let cur: Node = expr;
  for (;;) {
    const p = cur.getParent();
    if (!p) return undefined;
    if (Node.isAwaitExpression(p) || Node.isParenthesizedExpression(p) || Node.isAsExpression(p) || Node.isNonNullExpression(p)) { cur = p; continue; }
    if (Node.isBinaryExpression(p) && /^(\?\?|\|\|)$/.test(p.getOperatorToken().getText()) && p.getRight() === cur) { cur = p; continue; }
    if (Node.isBinaryExpression(p) && /^(=|\?\?=|\|\|=)$/.test(p.getOperatorToken().getText()) && p.getRight() === cur) {
      const left = p.getLeft();
      if (Node.isIdentifier(left)) {
        const moduleVar = left.getSourceFile().getVariableStatements().some((s) => s.getDeclarations().some((d) => d.getName() === left.getText()));
        return moduleVar ? "stored" : left.getText();
      }
      return "stored";
    }
    if (Node.isVariableDeclaration(p)) {
      return p.getVariableStatement()?.getParent() && Node.isSourceFile(p.getVariableStatement()!.getParent()) ? "stored" : p.getName();
    }
    if (Node.isPropertyDeclaration(p)) return "stored";
    // `const clients = { s3: new S3Client(...), ce: new CostExplorerClient(...) }`: the value goes where the literal goes.
    if (Node.isPropertyAssignment(p) && p.getInitializer() === cur) { cur = p.getParent(); continue; }
    if (Node.isArrayLiteralExpression(p)) { cur = p; continue; }
    if ((Node.isCallExpression(p) || Node.isNewExpression(p)) && p.getArguments().includes(cur as any)) {
      if (Node.isCallExpression(p) && /\.(set|push|add|insert)$/.test(p.getExpression().getText())) return "stored";
      if (Node.isCallExpression(p) && !Node.isIdentifier(p.getExpression()) && !/\.(from|create|wrap)$/.test(p.getExpression().getText())) return undefined;
      cur = p; // DynamoDBDocumentClient.from(new DynamoDBClient()), new Repo(new S3Client())
      continue;
    }
    if (Node.isReturnStatement(p) || (Node.isArrowFunction(p) && p.getBody() === cur)) return "returned";
    return undefined;
  }
}

/** The class or object name a `new X.Y()` / `X.from()` builds: "Y". */
export function tsNewName(node: Node): string {
  if (Node.isNewExpression(node)) return node.getExpression().getText().replace(/^.*\./, "");
  return "";
}

export function tsCallee(call: CallExpression): string {
  return compactText(call.getExpression()).replace(/\?\./g, ".");
}

// ---------- tree-sitter (Rust / Python) ----------

const TREE_FN = new Set(["function_item", "function_definition", "closure_expression", "lambda"]);

/** The enclosing functions and closures, innermost first. */
export function treeFns(node: TNode): TNode[] {
  const out: TNode[] = [];
  for (let fn = treeFn(node); fn; fn = treeFn(fn)) out.push(fn);
  return out;
}

const treeFn = (node: TNode) => memoUp<TNode | undefined>("fn-or-closure", node, (_, cur) => (TREE_FN.has(cur.type) ? cur : UP), undefined);

export function treeFnName(fn: TNode): string {
  if (fn.type === "function_item" || fn.type === "function_definition") return fn.childForFieldName("name")?.text ?? "";
  return "";
}

/** Python decorators of a function definition, as text. */
export function pyDecorators(fn: TNode): string {
  if (fn.parent?.type !== "decorated_definition") return "";
  return fn.parent.namedChildren.filter((c) => c?.type === "decorator").map((c) => c!.text).join("\n");
}

const PY_MEMO = /@(functools\.)?(lru_cache|cache|cached_property|cached|ttl_cache|alru_cache|memoize\w*|cachetools\.\w+)\b/;
const RS_MEMO_CALL = /(get_or_init|get_or_try_init|get_or_insert_with|or_insert_with|call_once|Lazy::new|LazyLock::new|OnceCell::new|OnceLock::new)$/;

/** "ttl" / "forever" when the code runs inside a memoized function or a once-cell initialiser. */
export function treeMemo(node: TNode): "ttl" | "forever" | undefined {
  for (const fn of [...treeFns(node)]) {
    if (fn.type === "function_definition") {
      const deco = pyDecorators(fn);
      if (PY_MEMO.test(deco)) return /ttl|TTLCache|expire|max_age/i.test(deco) || pyTtlCacheVar(fn, deco) ? "ttl" : "forever";
    }
    if (fn.type === "closure_expression") {
      const call = fn.parent?.parent;
      const callee = call?.type === "call_expression" ? call.childForFieldName("function")?.text ?? "" : "";
      if (RS_MEMO_CALL.test(callee.replace(/\s+/g, ""))) return "forever";
    }
  }
  if (ancestorOfType(node, ["static_item"]) || /^lazy_static!/.test(ancestorOfType(node, ["macro_invocation"])?.text ?? "")) return "forever";
  return undefined;
}

/** `_cache = TTLCache(maxsize=256, ttl=2700)` ... `@cached(_cache)`: the decorator names a module-level TTL cache. */
function pyTtlCacheVar(fn: TNode, deco: string): boolean {
  let root = fn;
  while (root.parent) root = root.parent;
  const args = /\(([^)]*)\)/.exec(deco)?.[1] ?? "";
  return [...args.matchAll(/(?:cache\s*=\s*)?\b([A-Za-z_]\w*)\b/g)].some((m) =>
    new RegExp(`^[ \\t]*${m[1]}\\s*(:[^=\\n]+)?=\\s*(cachetools\\.)?(TTLCache|TLRUCache)\\(`, "m").test(root.text));
}

function ancestorOfType(node: TNode, types: string[]): TNode | undefined {
  for (let cur = node.parent; cur; cur = cur.parent) if (types.includes(cur.type)) return cur;
  return undefined;
}

// Flask/Quart request hooks: `@app.before_request`, `@bp.before_app_request`, `@app.after_request`, ... run on every
// request, although the function takes no request parameter (Flask API: "Register a function to run before each request").
const PY_REQUEST_HOOK = /^(before_request|before_app_request|after_request|after_app_request|teardown_request|teardown_app_request|url_value_preprocessor|app_url_value_preprocessor)$/;

const PY_TASK = /^@(celery\.)?shared_task\b|^@\w+\.task\b|^@(dramatiq\.)?actor\b|^@(rq\.decorators\.)?job\(/m;

/** A request handler: a route/handler signature (see tree.ts) or a function decorated as a per-request hook. */
function treeIsHandler(fn: TNode): boolean {
  if (isRouteHandler(fn)) return true;
  if (fn.type !== "function_definition") return false;
  // Task-queue consumers run once per message, as a Lambda handler runs once per event: `@shared_task`,
  // `@app.task(...)`, `@celery.task`, `@dramatiq.actor`, rq's `@job(...)`.
  if (PY_TASK.test(pyDecorators(fn))) return true;
  return pyDecorators(fn).split("\n").some((d) => PY_REQUEST_HOOK.test(/^@[\w.]*?(\w+)\s*(\(|$)/.exec(d.trim())?.[1] ?? ""));
}

/** Where a node runs, if per request or per item (Rust/Python). */
export function treeWhere(node: TNode, facts: PathFacts): Where | undefined {
  const fns = treeFns(node);
  if (!fns.some((f) => f.type === "function_item" || f.type === "function_definition")) return undefined;
  if (treeMemo(node)) return undefined;
  const loop = treeLoopOf(node);
  if (loop && isItemLoop(loop)) return { kind: "loop", name: "", line: loop.startPosition.row + 1 };
  const named = fns.filter((f) => f.type === "function_item" || f.type === "function_definition");
  const handler = named.find((f) => treeIsHandler(f));
  if (handler) return { kind: "handler", name: treeFnName(handler) };
  const name = treeFnName(named[0]);
  const key = defKey(treeDef(named[0], treePaths.get(node.tree) ?? ""));
  if (STARTUP_NAME.test(name) || facts.startupOnly.has(key)) return undefined;
  if (facts.perRequest.has(key)) return { kind: "called", name };
  const params = named[0].childForFieldName("parameters");
  const method = named[0].type === "function_item" ? Boolean(params && descendants(params, "self_parameter").length) : /^\(\s*(self|cls)\b/.test(params?.text ?? "");
  const names = (params?.text ?? "").replace(/:[^,)]*/g, "");
  const own = names.replace(/^\(\s*(&?\s*(mut\s+)?self|cls)\s*,?/, "(").replace(/[()\s]/g, "");
  return { kind: "function", name, method, requestParam: REQUEST_PARAM.test(names), hasParams: own.length > 0 };
}

/** A loop over items (for / iterator adapter / comprehension), not a retry, poll or pagination loop. */
export function isItemLoop(loop: TNode): boolean {
  if (/^(while_statement|while_expression)$/.test(loop.type)) return isDrainLoop(loop);
  if (loop.type === "loop_expression") return false;
  if (loop.type === "for_statement" && /^async\b/.test(loop.text)) return false;
  if (/paginat|pages?\b/i.test((loop.childForFieldName("right") ?? loop.childForFieldName("value"))?.text ?? "")) return false;
  return !isRetryLoop(loop);
}

// Cursors, tokens, statuses and attempt counters: a `while` over one of these pages, polls or retries.
const NOT_ITEMS = /token|cursor|marker|page|offset|status|state|done|attempt|retr|tries|running|truncated/i;

/**
 * A `while` loop that works through a collection one element at a time:
 * `while (queue.length) { const job = queue.shift(); ... }`, `while i < len(ids): ... ids[i]`,
 * `while let Some(job) = jobs.pop()`. Not a polling, pagination or retry loop, nor a channel/stream consumer.
 */
export function isDrainLoop(loop: TNode): boolean {
  const cond = loop.childForFieldName("condition");
  const body = loop.childForFieldName("body")?.text ?? "";
  if (!cond) return false;
  const c = cond.text;
  // Rust: while let Some(x) = items.pop() / queue.pop_front()
  const letPop = /^let\s+Some\s*\(.*\)\s*=\s*([\w.]+)\.(pop|pop_front|pop_back)\(\)\s*$/s.exec(c);
  if (letPop) return !NOT_ITEMS.test(letPop[1]);
  if (NOT_ITEMS.test(c)) return false;
  // while i < ids.len() / while i < len(ids): indexed walk
  const indexed = /^\(?\s*(\w+)\s*<\s*(?:len\(\s*([\w.]+)\s*\)|([\w.]+)\.len\(\))\s*\)?$/.exec(c);
  if (indexed) return new RegExp(`${escapeRe(indexed[2] ?? indexed[3])}\\[\\s*${indexed[1]}\\s*\\]`).test(body);
  // while queue: / while len(queue) > 0: / while !queue.is_empty(): ... queue.pop()
  const coll = /^!?\(?\s*(?:len\(\s*)?([\w.]+?)(?:\s*\))?(?:\.is_empty\(\)|\.len\(\))?\s*(?:(?:>|!=)\s*0)?\s*\)?$/.exec(c);
  if (coll) return new RegExp(`${escapeRe(coll[1])}\\.(pop|popleft|pop_front|pop_back|remove|shift|drain)\\(`).test(body);
  return false;
}

/** TS: the `while` counterpart of isDrainLoop (`while (queue.length > 0) { queue.shift() }`, `while (i < ids.length) { ids[i] }`). */
export function tsIsDrainLoop(loop: Node): boolean {
  if (!Node.isWhileStatement(loop)) return false;
  const c = loop.getExpression().getText().replace(/\s+/g, " ");
  const body = loop.getStatement().getText();
  if (NOT_ITEMS.test(c)) return false;
  const indexed = /^(\w+) < ([\w.]+)\.length$/.exec(c);
  if (indexed) return new RegExp(`${escapeRe(indexed[2])}\\[\\s*${indexed[1]}\\s*\\]`).test(body);
  const coll = /^!?\(?([\w.]+?)(?:\.(?:length|size))\)?(?: (?:>|!==|!=) 0)?$/.exec(c);
  if (coll) return new RegExp(`${escapeRe(coll[1])}\\.(shift|pop|splice)\\(`).test(body);
  return false;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** TS: a loop over items, not `while`/`do`/`for (;;)`, `for await` or a numeric retry loop (a `while` draining a collection counts). */
export function tsIsItemLoop(loop: Node): boolean {
  if (Node.isWhileStatement(loop)) return tsIsDrainLoop(loop);
  if (Node.isDoStatement(loop)) return false;
  if (Node.isForOfStatement(loop)) return !loop.isAwaited() && !/paginat/i.test(loop.getExpression().getText());
  if (Node.isForStatement(loop)) {
    const cond = loop.getCondition()?.getText() ?? "";
    return /\.length\b|\.size\b/.test(cond) || (!/attempt|retr|tries|max/i.test(cond) && cond !== "");
  }
  return true;
}

/**
 * `for attempt in range(3)` / `for attempt in 0..MAX_RETRIES` / `for delay in (0.1, 0.5, 2)`: a retry loop, not a loop over
 * items. An attempt-named variable over a collection (`for attempt in failed_deliveries`) walks items: one per record.
 */
export function isRetryLoop(loop: TNode): boolean {
  if (loop.type !== "for_statement" && loop.type !== "for_expression") return false;
  const left = (loop.childForFieldName("left") ?? loop.childForFieldName("pattern"))?.text ?? "";
  const right = (loop.childForFieldName("right") ?? loop.childForFieldName("value"))?.text ?? "";
  const counted = /^((enumerate|reversed)\(\s*)?(\w+\.)*(range|count|repeat)\s*\(|\.\.|^\(?\s*\d+\s*\)?$|^[[(]\s*[\d.]+\s*(,\s*[\d.]+\s*)*,?\s*[\])]$/.test(right);
  if (counted) return /attempt|retr|tries|delay|backoff|^_$/i.test(left) || /retr|attempt/i.test(right);
  // Tenacity/stamina iterators and delay schedules: `for attempt in Retrying(...)`, `for delay in RETRY_DELAYS`.
  return /retr|backoff|delays|sleeps|intervals|schedule/i.test(right) || (/attempt/i.test(right) && !/^[\w.]+$/.test(right));
}

/** Callee name of a Python `call` or Rust `call_expression`: last attribute/field/path segment. */
export function treeCallName(call: TNode): string {
  let fn = call.childForFieldName("function");
  if (fn?.type === "generic_function") fn = fn.childForFieldName("function");
  if (!fn) return "";
  if (fn.type === "attribute") return fn.childForFieldName("attribute")?.text ?? "";
  if (fn.type === "field_expression") return fn.childForFieldName("field")?.text ?? "";
  if (fn.type === "scoped_identifier") return fn.childForFieldName("name")?.text ?? "";
  return fn.type === "identifier" ? fn.text : "";
}

/** The definition a Rust/Python function is: its file, its impl type or class, its name. */
export function treeDef(fn: TNode, path: string): FnDef {
  let owner: string | undefined;
  for (let cur = fn.parent; cur && !owner; cur = cur.parent) {
    if (cur.type === "impl_item") owner = cur.childForFieldName("type")?.text.replace(/<.*$/s, "");
    else if (cur.type === "class_definition") owner = cur.childForFieldName("name")?.text;
    else if (TREE_FN.has(cur.type)) break;
  }
  return { name: treeFnName(fn), path, owner };
}

function treeCallRef(call: TNode, file: ParsedFile): CallRef | undefined {
  const name = treeCallName(call);
  if (!name) return undefined;
  let fn = call.childForFieldName("function");
  if (fn?.type === "generic_function") fn = fn.childForFieldName("function");
  const qual = fn?.childForFieldName("object") ?? fn?.childForFieldName("value") ?? (fn?.type === "scoped_identifier" ? fn.childForFieldName("path") : null);
  return { name, qualifier: compactTreeText(qual), file };
}

function treeSites(file: ParsedFile): { sites: Site[]; defs: FnDef[] } {
  const sites: Site[] = [];
  const root = file.tree!.rootNode;
  const defs = descendants(root, ["function_item", "function_definition"]).map((fn) => treeDef(fn, file.path)).filter((d) => d.name);
  for (const call of descendants(root, ["call", "call_expression"])) {
    const ref = treeCallRef(call, file);
    if (!ref) continue;
    sites.push({ call: ref, ctx: treeSiteContext(call, file.path) });
    // FastAPI: Depends(get_client) runs get_client on every request; Flask: app.before_request(load_user) registers a per-request hook.
    if (ref.name === "Depends" || PY_REQUEST_HOOK.test(ref.name)) {
      for (const a of call.childForFieldName("arguments")?.namedChildren ?? []) if (a?.type === "identifier") sites.push({ call: { name: a.text, qualifier: "", file }, ctx: "request" });
    }
  }
  return { sites, defs };
}

function treeSiteContext(node: TNode, path: string): Site["ctx"] {
  const named = treeFns(node).filter((f) => f.type === "function_item" || f.type === "function_definition");
  if (!named.length) return "startup";
  if (treeLoopOf(node) || named.some((f) => treeIsHandler(f))) return "request";
  const name = treeFnName(named[0]);
  return STARTUP_NAME.test(name) ? "startup" : { def: defKey(treeDef(named[0], path)) };
}

/** The innermost named function (fn item / def) around a node. */
export function treeNamedFn(node: TNode): TNode | undefined {
  return treeFns(node).find((f) => f.type === "function_item" || f.type === "function_definition");
}

/** True when the function keeps a result between calls: a cache, or a `self.x`/global read and assigned. */
export function treeHasCache(fn: TNode): boolean {
  const ids = descendants(fn, ["identifier", "field_identifier"]).map((n) => n.text);
  if (ids.some((n) => CACHE_WORD.test(n))) return true;
  const globals = new Set(descendants(fn, "global_statement").flatMap((g) => g.namedChildren.map((c) => c?.text ?? "")));
  const assigned = descendants(fn, ["assignment", "assignment_expression"]).map((a) => a.childForFieldName("left")?.text.replace(/^\*/, "") ?? "");
  // self.creds.write().await.insert(k, v) / _creds.setdefault(k, v)
  const receivers = descendants(fn, ["call", "call_expression"]).filter((c) => /^(insert|set|put|setdefault|update)$/.test(treeCallName(c)))
    .map((c) => { const f = c.childForFieldName("function"); return (f?.childForFieldName("value") ?? f?.childForFieldName("object"))?.text ?? ""; });
  const targets = [...assigned, ...receivers];
  // Python module-level variables (a dict mutated in place needs no `global`): `_creds[k] = v`, `_creds.setdefault(k, v)`.
  let root = fn;
  while (root.parent) root = root.parent;
  const moduleVars = new Set(root.type === "module"
    ? root.namedChildren.filter((c) => c?.type === "expression_statement" && c.namedChild(0)?.type === "assignment").map((c) => c!.namedChild(0)!.childForFieldName("left")?.text ?? "")
    : []);
  const moduleStore = (l: string, call: boolean) => {
    const base = /^\w+/.exec(l)?.[0] ?? "";
    return moduleVars.has(base) && (call ? l === base : new RegExp(`^${base}\\[`).test(l)) ? base : "";
  };
  const stores = [
    ...assigned.map((l) => /^self\.\w+/.exec(l)?.[0] ?? (globals.has(l) ? l : "")),
    ...receivers.map((l) => /^self\.\w+/.exec(l)?.[0] ?? (globals.has(l) ? l : "")),
  ].filter(Boolean);
  if (stores.some((s) => fn.text.split(s).length - 1 >= 2)) return true;
  // Module-level maps and local aliases must also be looked up before the store, or it is a write-only record.
  const looked = [...assigned.map((l) => moduleStore(l, false)), ...receivers.map((l) => moduleStore(l, true))].filter(Boolean);
  if (looked.some((s) => treeLooksUp(fn, s))) return true;
  // A local bound to a member or static map (a lock guard or alias): `let mut entries = self.entries.write().await;
  // ... entries.get(k) ... entries.insert(k, v)`, `held = self._held` ... `held[k] = v`, `let mut m = CREDS.lock()`.
  const aliases = new Map<string, string>();
  for (const d of descendants(fn, ["let_declaration", "assignment"])) {
    const left = (d.childForFieldName("pattern") ?? d.childForFieldName("left"))?.text.replace(/^mut\s+/, "") ?? "";
    const value = (d.childForFieldName("value") ?? d.childForFieldName("right"))?.text ?? "";
    const src = /^(self\.\w+|[A-Z][A-Z0-9_]+\b)/.exec(value)?.[1];
    // a copy (`self.map.clone()`, `self._map.copy()`) is not the shared map
    if (/^\w+$/.test(left) && src && !/\.(clone|copy|to_owned|to_vec|deepcopy)\(\)/.test(value)) aliases.set(left, src);
  }
  return targets.some((t) => {
    const base = /^\w+/.exec(t)?.[0] ?? "";
    if (!aliases.has(base) || !/^\w+(\[|$)/.test(t)) return false;
    return treeLooksUp(fn, base) || treeLooksUp(fn, aliases.get(base)!);
  });
}

/** `if key in m`, `m.get(k)`, `if let Some(v) = m.get(k)`, `m.contains_key(k)`: the map `name` is consulted in `fn`. */
function treeLooksUp(fn: TNode, name: string): boolean {
  const hits = descendants(fn, ["identifier", "attribute", "field_expression"]).filter((n) => n.text === name);
  return hits.some((n) => {
    for (let cur: TNode | null = n.parent; cur && cur.id !== fn.id; cur = cur.parent) {
      if ((cur.type === "call" || cur.type === "call_expression") && /^(get|get_mut|contains_key|contains|__contains__|peek|entry)$/.test(treeCallName(cur))) {
        const f = cur.childForFieldName("function");
        const recv = (f?.childForFieldName("object") ?? f?.childForFieldName("value"))?.text ?? "";
        if (recv === name || recv.startsWith(name + ".")) return true;
      }
      if (cur.type === "comparison_operator" && /\b(not\s+)?in\b/.test(cur.text)) return true;
      if (/^(if_statement|if_expression|while_statement|conditional_expression)$/.test(cur.type)) {
        const cond = cur.childForFieldName("condition");
        return Boolean(cond && n.startIndex >= cond.startIndex && n.endIndex <= cond.endIndex);
      }
    }
    return false;
  });
}

/** Builder and unwrapping steps a constructed client passes through before it is bound (Rust). */
const BUILDER_STEP =
  /^(build|unwrap|expect|await|connect\w*|load|timeout|\w+_timeout|user_agent|default_headers|pool_\w+|max_connections|min_connections|region|credentials_provider|endpoint_url|behavior_version|retry_config|https_only|gzip|brotli|proxy|no_proxy|tls_\w+|http[12]_\w+|map_err|context|with_context|ok|or_else|min_tls_version|acquire_timeout|idle_timeout|max_lifetime|test_before_acquire|identity_cache|profile_name|app_name|into|max_\w+|min_\w+|with_\w+|set_\w+|retries|\w+_size|builder)$/;

/** "stored" / a local name / "returned" / undefined: where a constructed value goes (Rust/Python). */
export function treeValueTarget(expr: TNode): string | undefined {
  let cur = expr;
  for (;;) {
    const p = cur.parent;
    if (!p) return undefined;
    if (["await", "await_expression", "try_expression", "parenthesized_expression", "reference_expression"].includes(p.type)) { cur = p; continue; }
    if (p.type === "boolean_operator" && p.childForFieldName("right")?.id === cur.id) { cur = p; continue; }
    if (p.type === "field_expression" && p.parent?.type === "call_expression" && BUILDER_STEP.test(p.childForFieldName("field")?.text ?? "")) { cur = p.parent; continue; }
    if (p.type === "attribute" && p.parent?.type === "call" && /^(client|resource|Table)$/.test(p.childForFieldName("attribute")?.text ?? "")) { cur = p.parent; continue; }
    if (p.type === "assignment" || p.type === "assignment_expression" || p.type === "let_declaration") {
      const left = (p.childForFieldName("left") ?? p.childForFieldName("pattern"))?.text.replace(/^mut\s+/, "") ?? "";
      if (/^(\*?self\.|\w+\[)/.test(left)) return "stored";
      const fn = treeNamedFn(p);
      if (!fn) return "stored";
      const globals = descendants(fn, "global_statement").flatMap((g) => g.namedChildren.map((c) => c?.text ?? ""));
      return globals.includes(left) ? "stored" : left;
    }
    if (p.type === "as_pattern") return p.childForFieldName("alias")?.text ?? p.namedChildren[1]?.text;
    // `clients = {"s3": boto3.client("s3")}`, `Clients(s3=boto3.client("s3"))`: the value goes where the literal or call goes.
    if (p.type === "pair" && p.childForFieldName("value")?.id === cur.id && p.parent) { cur = p.parent; continue; }
    if (p.type === "keyword_argument" && p.childForFieldName("value")?.id === cur.id) { cur = p; continue; }
    if (p.type === "list" || p.type === "tuple") { cur = p; continue; }
    if (p.type === "arguments" || p.type === "argument_list") {
      const call = p.parent;
      if (call && /^(insert|set|setdefault|append|push|add|get_or_insert_with|put)$/.test(treeCallName(call))) return "stored";
      if (!call || !/^call(_expression)?$/.test(call.type) || !wrapsValue(call)) return undefined;
      cur = call; // Repo(boto3.client("s3")), Repo::new(Client::new(&config)), Ok(client)
      continue;
    }
    if (p.type === "return_statement" || p.type === "return_expression") return "returned";
    if (p.type === "expression_statement" && /^(if_expression|match_expression)$/.test(cur.type) && p.parent?.type === "block" && p.parent.lastNamedChild?.id === p.id) { cur = p; continue; }
    if (p.type === "block" && p.lastNamedChild?.id === cur.id) {
      // Rust tail expression: the block's value flows to its if/match/fn
      if (p.parent?.type === "function_item") return "returned";
      if (p.parent?.type === "match_arm") { cur = p; continue; } // the arm's value: the match_arm step below takes it on
      if (p.parent && /^(if_expression|else_clause|block|unsafe_block|async_block)$/.test(p.parent.type)) { cur = p.parent; continue; }
    }
    if (p.type === "match_arm" && p.childForFieldName("value")?.id === cur.id) { cur = p.parent?.parent ?? p; continue; }
    if ((p.type === "if_expression" || p.type === "else_clause") && cur.type !== "block") return undefined;
    if (p.type === "if_expression" || p.type === "else_clause") { cur = p.type === "else_clause" ? p.parent ?? p : p; continue; }
    if (p.type === "field_initializer" || p.type === "shorthand_field_initializer") return "returned";
    if (p.type === "field_initializer_list" || p.type === "struct_expression") { cur = p; continue; }
    return undefined;
  }
}

/** A call that wraps its argument into the value it returns: `Ok(x)`, `Arc::new(x)`, `Repo::new(x)`, `Repo(x)`. */
function wrapsValue(call: TNode): boolean {
  const fn = call.childForFieldName("function");
  if (!fn) return false;
  if (fn.type === "identifier" || fn.type === "scoped_identifier") return true;
  if (fn.type === "attribute") return /^[A-Z]/.test(fn.childForFieldName("attribute")?.text ?? "");
  return false;
}

/** True when a constructed value is kept: on self, in a global or map, directly or through a local (Rust/Python). */
export function treeIsStored(expr: TNode): boolean {
  const target = treeValueTarget(expr);
  if (target === "stored") return true;
  if (!target || target === "returned") return false;
  const fn = treeNamedFn(expr);
  if (!fn) return true;
  return descendants(fn, "identifier").some((id) => id.text === target && id.startIndex > expr.endIndex && treeValueTarget(id) === "stored");
}

/** True when a constructed value is handed back to the caller (a factory), directly or through a local. */
export function treeIsReturned(expr: TNode): boolean {
  const target = treeValueTarget(expr);
  if (target === "returned") return true;
  if (!target || target === "stored") return false;
  const fn = treeNamedFn(expr);
  return Boolean(fn && descendants(fn, "identifier").some((id) => id.text === target && id.startIndex > expr.endIndex && treeValueTarget(id) === "returned"));
}

export function tsIsReturned(expr: Node): boolean {
  const target = tsValueTarget(expr);
  if (target === "returned") return true;
  if (!target || target === "stored") return false;
  const fn = tsFns(expr)[0];
  return Boolean(fn && fn.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => id.getText() === target && id.getStart() > expr.getEnd() && tsValueTarget(id) === "returned"));
}

/** Python keyword argument names of a call. */
export function pyKwargs(call: TNode): string[] {
  return (call.childForFieldName("arguments")?.namedChildren ?? [])
    .filter((a) => a?.type === "keyword_argument")
    .map((a) => a!.childForFieldName("name")?.text ?? "");
}

export function pyHasSplat(call: TNode): boolean {
  return (call.childForFieldName("arguments")?.namedChildren ?? []).some((a) => a?.type === "dictionary_splat");
}

/** Rust: the `use` declarations of a file as local name -> full path (`Client` -> `reqwest::Client`). */
export function rsUseMap(root: TNode): Map<string, string> {
  const map = new Map<string, string>();
  const walk = (node: TNode | null, prefix: string) => {
    if (!node) return;
    if (node.type === "identifier" || node.type === "scoped_identifier") {
      const full = prefix ? `${prefix}::${node.text}` : node.text;
      map.set(full.replace(/^.*::/, ""), full);
    } else if (node.type === "use_as_clause") {
      const path = node.childForFieldName("path")?.text ?? "";
      map.set(node.childForFieldName("alias")?.text ?? "", prefix ? `${prefix}::${path}` : path);
    } else if (node.type === "scoped_use_list") {
      const path = node.childForFieldName("path")?.text ?? "";
      walk(node.childForFieldName("list"), prefix ? `${prefix}::${path}` : path);
    } else if (node.type === "use_list") {
      for (const c of node.namedChildren) walk(c, prefix);
    }
  };
  for (const u of descendants(root, "use_declaration")) walk(u.childForFieldName("argument"), "");
  return map;
}

/** Rust: the full path of a call's function (`Client::new` -> `reqwest::Client::new` via `use`). */
export function rsCallPath(call: TNode, uses: Map<string, string>): string {
  const fn = call.childForFieldName("function");
  if (!fn || (fn.type !== "scoped_identifier" && fn.type !== "identifier")) return "";
  const text = fn.text.replace(/\s+/g, "").replace(/::<[^>]*>/g, "");
  const [head, ...rest] = text.split("::");
  const full = uses.get(head);
  return full ? [full, ...rest].join("::") : text;
}

// ---------- expiry checks ----------

const EXPIRY = /expir|\bexp\b|valid_?until|not_?after|expires/i;
const NOW = /Date\.now\(\)|new Date\(\s*\)|\bnow\b|\bnow\(|time\.time\(\)|time\.monotonic\(\)|datetime\.(now|utcnow)|SystemTime::now|Utc::now|Instant::now|OffsetDateTime::now_utc/i;

/**
 * Whether `left op right` is true while a credential is still fresh ("fresh") or once it has expired ("expired").
 * Understands `exp > now`, `now < exp`, and margins such as `exp - now > 5min`.
 */
export function expiryPolarity(left: string, op: string, right: string): "fresh" | "expired" | undefined {
  const greater = op === ">" || op === ">=";
  if (!/^(<|<=|>|>=)$/.test(op)) return undefined;
  const le = EXPIRY.test(left), ln = NOW.test(left), re = EXPIRY.test(right), rn = NOW.test(right);
  let expiryFirst: boolean;
  if (le && !ln && rn && !re) expiryFirst = true;
  else if (re && !rn && ln && !le) expiryFirst = false;
  else if (le && ln && !re && !rn) {
    const e = left.search(EXPIRY), n = left.search(NOW);
    if (!/-/.test(left)) return undefined;
    return (e < n) === greater ? "fresh" : "expired";
  } else return undefined;
  return expiryFirst === greater ? "fresh" : "expired";
}

/** A cache-or-refresh branch: does the guarded branch reuse the cached value or fetch a new one? */
export type Branch = "reuse" | "refresh" | undefined;

/** Inverted when a branch reuses the cache on "expired" or refreshes on "fresh". */
export function isInverted(polarity: "fresh" | "expired" | undefined, branch: Branch): boolean {
  return (polarity === "expired" && branch === "reuse") || (polarity === "fresh" && branch === "refresh");
}

export function mentionsExpiry(names: string[]): boolean {
  return names.some((n) => /ttl|max_?age|stale|fresh|is_?valid|valid_?until|time_to_live|lifetime|refresh|expired|is_?expir|will_?expire|expires_?soon/i.test(n));
}

/** TS: true when a local is used inside a loop of its function (one client serving many calls). */
export function tsUsedInLoop(expr: Node, local: string): boolean {
  const fn = tsFns(expr)[0];
  if (!fn) return false;
  return fn.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => id.getText() === local && Boolean(tsLoopOf(id)) && tsFns(id)[0] === fn);
}

/** Rust/Python: true when a local is used inside a loop (or iterator closure) of its function. */
export function treeUsedInLoop(expr: TNode, local: string): boolean {
  const fn = treeNamedFn(expr);
  if (!fn) return false;
  const ids = descendants(fn, "identifier");
  if (ids.some((id) => id.text === local && id.startIndex > expr.endIndex && Boolean(treeLoopOf(id)))) return true;
  // Used by a nested helper that the function fans out over: `async def one(u): ... client.get(u)` + `gather(*(one(u) for u in urls))`.
  const helpers = descendants(fn, "function_definition").filter((inner) => inner.id !== fn.id && descendants(inner, "identifier").some((id) => id.text === local));
  return helpers.some((inner) => {
    const name = treeFnName(inner);
    return Boolean(name) && ids.some((id) => id.text === name && id.startIndex > inner.endIndex && Boolean(treeLoopOf(id)));
  });
}

// ---------- buffered writers and memoised lookups ----------

/**
 * Names bound to a writer that buffers calls and sends them together: boto3's `batch_writer()`, Redis pipelines and
 * MULTI, Firestore/Mongo bulk writers, Cassandra batches (`with table.batch_writer() as w`, `pipe = r.pipeline()`,
 * `const batch = db.batch()`, `let mut pipe = redis::pipe()`). A call on one of them queues; the flush is the round trip.
 */
const BUFFER_CTOR = String.raw`(?:[\w.]+\.|\w+::)?(?:batch_writer|pipeline|pipe|multi|batch|bulkWriter|bulk_writer|BulkWriter|BatchStatement|initialize_(?:un)?ordered_bulk_op|initializeUnorderedBulkOp|initializeOrderedBulkOp|writeBatch)\s*\(`;

export function bufferedWriters(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(new RegExp(String.raw`\bwith\s+${BUFFER_CTOR}[^\n]*?\)\s+as\s+(\w+)`, "g"))) out.add(m[1]);
  for (const m of text.matchAll(new RegExp(String.raw`(?:\b(?:const|let|var)\s+(?:mut\s+)?)?\b(\w+)\s*(?::\s*[\w.<>:]+\s*)?=\s*(?:await\s+)?${BUFFER_CTOR}`, "g"))) out.add(m[1]);
  return out;
}

/** The receiver's first name is a buffered writer: `writer.put_item(...)`, `pipe.set(...)`, `batch.update(...)`. */
export function onBufferedWriter(callee: string, writers: Set<string>): boolean {
  const root = /^(?:self\.|this\.)?(\w+)/.exec(callee)?.[1];
  return Boolean(root && writers.has(root) && /[.:]/.test(callee));
}

/**
 * The call fills a cache only on a miss, so it runs once per distinct key: under `if key not in cache:` /
 * `if (!cache.has(key))` / `if !cache.contains_key(&key)` whose branch stores into that cache, or assigned with
 * `cache[key] ??= ...`.
 */
export function inMemoGuard(guards: { condition: string; body: string }[]): boolean {
  for (const g of guards) {
    const c = g.condition.replace(/\s+/g, " ");
    const name =
      /\bnot in ([\w.]+)\s*$/.exec(c)?.[1] ??
      /^not \(?\s*[\w.]+\s+in\s+([\w.]+)\s*\)?$/.exec(c)?.[1] ??
      /^\(?\s*!\s*\(?\s*([\w.]+)\.(?:has|contains_key|contains|containsKey)\(/.exec(c)?.[1] ??
      /^\(?\s*!\s*\(\s*[\w.[\]"']+\s+in\s+([\w.]+)\s*\)/.exec(c)?.[1] ??
      /^\(?\s*([\w.]+)\.get\(.*\) (?:is None|=== undefined|== null|=== null)\s*\)?$/.exec(c)?.[1];
    if (!name) continue;
    const n = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    if (new RegExp(String.raw`\b${n}\s*\[[^\n=]*\]\s*=|\b${n}\.(set|insert|setdefault|put|add|update)\s*\(`).test(g.body)) return true;
  }
  return false;
}

/** Conditions and bodies of the `if`s between a node and its loop (tree-sitter). */
export function treeGuards(node: TNode, loop: TNode): { condition: string; body: string }[] {
  const out: { condition: string; body: string }[] = [];
  for (let cur = node.parent; cur && cur.id !== loop.id; cur = cur.parent) {
    if (cur.type === "if_statement" || cur.type === "if_expression") {
      const cond = cur.childForFieldName("condition");
      const body = cur.childForFieldName("consequence");
      if (cond && body) out.push({ condition: cond.text, body: body.text });
    }
  }
  return out;
}

/** The same for TypeScript, plus `cache[key] ??= await load(key)` and `cache.get(k) ?? cache.set(k, ...)` shapes. */
export function tsGuards(node: Node, loop: Node): { condition: string; body: string }[] {
  const out: { condition: string; body: string }[] = [];
  for (let cur = node.getParent(); cur && cur !== loop; cur = cur.getParent()) {
    if (Node.isIfStatement(cur)) out.push({ condition: cur.getExpression().getText(), body: cur.getThenStatement().getText() });
    if (Node.isBinaryExpression(cur) && /^(\?\?=|\|\|=)$/.test(cur.getOperatorToken().getText()) && Node.isElementAccessExpression(cur.getLeft())) {
      const target = (cur.getLeft() as import("ts-morph").ElementAccessExpression).getExpression().getText();
      out.push({ condition: `${target}.get(k) === undefined`, body: `${target}[k] = v` });
    }
  }
  return out;
}
