// Helpers shared by the resilience rules (item growth, batch leftovers, retries, logging, timeouts).
import { Node, SyntaxKind, type CallExpression, type ObjectLiteralExpression } from "ts-morph";
import type { Node as TNode } from "web-tree-sitter";
import { descendants } from "./tree.js";
import { compactText, enclosingFunctions } from "./ts.js";

// ---------- TypeScript / JavaScript ----------

/** Text of a string or template literal (template substitutions become `${}`), else undefined. */
export function tsString(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  if (Node.isTemplateExpression(node)) {
    return node.getHead().getLiteralText() + node.getTemplateSpans().map((s) => "${}" + s.getLiteral().getLiteralText()).join("");
  }
  return undefined;
}

/** Initializer of a property of an object literal (`a: x` or shorthand `a`). */
export function tsProp(obj: ObjectLiteralExpression, name: string): Node | undefined {
  const p = obj.getProperty(name);
  if (!p) return undefined;
  if (Node.isPropertyAssignment(p)) return p.getInitializer();
  if (Node.isShorthandPropertyAssignment(p)) return p.getNameNode();
  return p;
}

/** Follows an identifier to the initializer of its `const`/`let` declaration in the same file. */
export function tsResolve(node: Node | undefined): Node | undefined {
  if (!node) return undefined;
  let cur: Node = node;
  for (let i = 0; i < 3 && Node.isIdentifier(cur); i++) {
    const name = cur.getText();
    const decl = cur.getSourceFile().getDescendantsOfKind(SyntaxKind.VariableDeclaration).find((d) => d.getName() === name);
    const init = decl?.getInitializer();
    if (!init) return cur;
    cur = init;
  }
  while (Node.isAsExpression(cur) || Node.isSatisfiesExpression(cur) || Node.isParenthesizedExpression(cur)) cur = cur.getExpression();
  return cur;
}

/** The object literal an argument is, or names (via a local declaration). */
export function tsObjectArg(node: Node | undefined): ObjectLiteralExpression | undefined {
  const r = tsResolve(node);
  return r && Node.isObjectLiteralExpression(r) ? r : undefined;
}

/** True when the object literal has a spread (`...opts`) that may carry any property. */
export function tsHasSpread(obj: ObjectLiteralExpression): boolean {
  return obj.getProperties().some((p) => Node.isSpreadAssignment(p));
}

const FUNCTION_KINDS = new Set([
  SyntaxKind.FunctionDeclaration, SyntaxKind.FunctionExpression, SyntaxKind.ArrowFunction,
  SyntaxKind.MethodDeclaration, SyntaxKind.Constructor, SyntaxKind.GetAccessor, SyntaxKind.SetAccessor,
]);

export function tsIsFunction(node: Node): boolean {
  return FUNCTION_KINDS.has(node.getKind());
}

/** Descendants of a kind that belong to `root` itself, not to a nested function. */
export function tsOwnDescendants<K extends SyntaxKind>(root: Node, kind: K) {
  return root.getDescendantsOfKind(kind).filter((d) => {
    for (let cur = d.getParent(); cur && cur !== root; cur = cur.getParent()) if (tsIsFunction(cur)) return false;
    return true;
  });
}

/** The nearest enclosing function-like node. */
export function tsFunctionOf(node: Node): Node | undefined {
  return enclosingFunctions(node).find((a) => tsIsFunction(a));
}

/** The name a function goes by: its own name, or the variable/property it is assigned to. */
export function tsFunctionName(fn: Node): string {
  if (Node.hasName(fn)) return fn.getName() ?? "";
  const parent = fn.getParent();
  if (parent && (Node.isVariableDeclaration(parent) || Node.isPropertyAssignment(parent))) return parent.getName();
  return "";
}

export const LOG_METHOD = /^(log|info|warn|warning|error|debug|trace|fatal|critical|exception)$/;

/** `logger.info(...)`, `console.warn(...)`, `this.log.error(...)`. */
export function tsIsLogCall(call: CallExpression): boolean {
  const expr = call.getExpression();
  return Node.isPropertyAccessExpression(expr) && LOG_METHOD.test(expr.getName()) && /(^|\.)(console|log|logger|\w*Logger|\w*_logger|LOG|LOGGER)$/i.test(expr.getExpression().getText());
}

/** True when a node sits in the arguments of a logging call. */
export function tsInLogCall(node: Node): boolean {
  return node.getAncestors().some((a) => Node.isCallExpression(a) && tsIsLogCall(a));
}

/** Browser/UI code (components, "use client" modules): not a service. */
export function tsIsBrowserCode(path: string, sf: import("ts-morph").SourceFile): boolean {
  return /\.(tsx|jsx)$/.test(path) || /^\s*["']use client["']/.test(sf.getFullText())
    || sf.getImportDeclarations().some((d) => /^(react|react-dom|vue|svelte|@angular\/core)$/.test(d.getModuleSpecifierValue()));
}

/** Name of the catch clause or try statement guarding `node` within its function, if any. */
export function tsInTry(node: Node): boolean {
  for (let cur = node.getParent(); cur && !tsIsFunction(cur); cur = cur.getParent()) {
    if (Node.isTryStatement(cur) && cur.getTryBlock().containsRange(node.getPos(), node.getEnd())) return true;
  }
  return false;
}

// ---------- tree-sitter (Rust / Python) ----------

/** Content of a Python string or Rust string literal (interpolations kept as text). */
export function treeString(node: TNode | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === "string" || node.type === "string_literal" || node.type === "raw_string_literal") {
    return node.text.replace(/^[a-zA-Z]*("""|'''|"|'|r#*")/, "").replace(/("""|'''|"#*|')$/, "");
  }
  if (node.type === "concatenated_string") return node.namedChildren.map((c) => treeString(c) ?? "").join("");
  return undefined;
}

/** Python: value of keyword argument `name` in a call. */
export function pyKwarg(call: TNode, name: string): TNode | undefined {
  const args = call.childForFieldName("arguments");
  for (const a of args?.namedChildren ?? []) {
    if (a?.type === "keyword_argument" && a.childForFieldName("name")?.text === name) return a.childForFieldName("value") ?? undefined;
  }
  return undefined;
}

/** Python: true when the call passes `**kwargs` (which may carry any keyword). */
export function pyHasSplat(call: TNode): boolean {
  return (call.childForFieldName("arguments")?.namedChildren ?? []).some((a) => a?.type === "dictionary_splat");
}

/** Python: the attribute name of `x.y.name(...)`, or the function name of `name(...)`. */
export function pyCallName(call: TNode): string {
  const fn = call.childForFieldName("function");
  if (fn?.type === "attribute") return fn.childForFieldName("attribute")?.text ?? "";
  return fn?.text ?? "";
}

/** Rust: the method name of `recv.name(...)`, or the path's last segment of `a::b::name(...)`. */
export function rsCallName(call: TNode): string {
  const fn = call.childForFieldName("function");
  if (fn?.type === "field_expression") return fn.childForFieldName("field")?.text ?? "";
  if (fn?.type === "scoped_identifier") return fn.childForFieldName("name")?.text ?? "";
  return fn?.text ?? "";
}

/** Rust: the method names of a builder chain ending at `node`, outermost last: `a.b().c()` -> ["b", "c"]. */
export function rsChain(node: TNode): string[] {
  const names: string[] = [];
  let cur: TNode | null = node;
  while (cur) {
    if (cur.type === "await_expression" || cur.type === "try_expression") cur = cur.namedChild(0);
    else if (cur.type === "call_expression") {
      names.unshift(rsCallName(cur));
      const fn = cur.childForFieldName("function");
      cur = fn?.type === "field_expression" ? fn.childForFieldName("value") : null;
    } else if (cur.type === "field_expression") cur = cur.childForFieldName("value");
    else break;
  }
  return names;
}

/** Rust: the outermost expression of the builder chain containing `call` (walks up through `.x()`, `.await`, `?`). */
export function rsChainTop(call: TNode): TNode {
  let cur = call;
  for (;;) {
    const p = cur.parent;
    if (!p) return cur;
    if (p.type === "await_expression" || p.type === "try_expression") cur = p;
    else if (p.type === "field_expression" && p.parent?.type === "call_expression" && p.childForFieldName("value")?.id === cur.id) cur = p.parent;
    else return cur;
  }
}

/** Descendants of `root` that do not sit inside a nested function, closure or lambda. */
export function treeOwnDescendants(root: TNode, types: string | string[]): TNode[] {
  const fnTypes = new Set(["function_item", "closure_expression", "function_definition", "lambda"]);
  return descendants(root, types).filter((d) => {
    for (let cur = d.parent; cur && cur.id !== root.id; cur = cur.parent) if (fnTypes.has(cur.type)) return false;
    return true;
  });
}

/** Python/Rust: identifiers read in the subtree (for "is this variable ever used" checks). */
export function treeMentions(root: TNode, name: string): TNode[] {
  return descendants(root, ["identifier", "field_identifier"]).filter((n) => n.text === name);
}

// ---------- shared words ----------

/** Calls that wait between attempts: sleep, delay, backoff, setTimeout... */
export const DELAY_CALL = /(^|[.:])(sleep|delay|wait|backoff|setTimeout|timeout|pause|sleep_ms|sleepMs|wait_for_backoff|delay_for|asyncio\.sleep)$|sleep|backoff|delay/i;

/** A delay expression that grows or is randomised. */
export const GROWING_DELAY = /random|\brand\b|rand::|gen_range|uniform|jitter|\*\*|pow|<<|backoff|attempt|retr|tries|\*|exp/i;

/** Drops UPPER_CASE constants (`RETRY_DELAY_MS`) so their names do not read as growth. */
function withoutConstants(text: string): string {
  return text.replace(/\b[A-Z][A-Z0-9_]*\b/g, "C");
}

/** Names that carry a request/correlation id. */
export const ID_WORD = /(request|req|correlation|corr|trace|span|x_?amzn_?trace|aws_?request)_?id|requestid|correlationid|traceid|reqid|\brid\b|\bcid\b|trace_?context|traceparent/i;

// ---------- loops: delay and bound ----------

const COUNTER_WORD = /attempt|retr|tries|tried|count|\bi\b|\bn\b|max|limit|remaining|left|budget/i;
const TS_RELATIONAL = new Set([
  SyntaxKind.LessThanToken, SyntaxKind.LessThanEqualsToken, SyntaxKind.GreaterThanToken, SyntaxKind.GreaterThanEqualsToken,
  SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.EqualsEqualsToken,
]);

function tsCounterComparison(node: Node | undefined): boolean {
  if (!node) return false;
  const bins = [node, ...node.getDescendantsOfKind(SyntaxKind.BinaryExpression)].filter(Node.isBinaryExpression);
  return bins.some((b) => TS_RELATIONAL.has(b.getOperatorToken().getKind()) && COUNTER_WORD.test(b.getText()));
}

/** The delay calls inside a loop: `await sleep(ms)`, `setTimeout(r, ms)`, `await backoff(attempt)`. */
const DELAY_CALLEE = /(^|[.:])(sleep|delay|wait|setTimeout|pause)\w*$|backoff|sleep|delay/i;

export function tsDelayCalls(loop: Node): CallExpression[] {
  const own = (n: Node) => n.getDescendantsOfKind(SyntaxKind.CallExpression).filter((c) => DELAY_CALLEE.test(compactText(c.getExpression())));
  // A helper of the same file that waits (`await handleError(e)` whose body sleeps) delays the loop too.
  const helpers = new Map<string, boolean>();
  const sf = loop.getSourceFile();
  const waits = (name: string) => {
    if (!helpers.has(name)) {
      const fns = [...sf.getFunctions(), ...sf.getClasses().flatMap((c) => c.getMethods())].filter((f) => f.getName() === name);
      helpers.set(name, fns.some((f) => own(f).length > 0));
    }
    return helpers.get(name)!;
  };
  return loop.getDescendantsOfKind(SyntaxKind.CallExpression).filter((c) => {
    const name = compactText(c.getExpression());
    return DELAY_CALLEE.test(name) || (/^(this\.)?\w+$/.test(name) && waits(name.replace(/^this\./, "")));
  });
}

/**
 * A long-lived background loop (a worker, a poller) that ends when the service shuts down: it watches a shutdown or
 * cancellation signal. Running until then is its job, not an unbounded retry.
 */
export function watchesShutdown(loopText: string): boolean {
  return /shut_?down|shutting_down|cancel(led|lation)?_?token|is_cancelled|cancelled\(\)|ctrl_c|should_stop|stop_(signal|event|flag|requested)|signal\.aborted|\.aborted\b|terminat(e|ing)_?(signal|flag|requested)?\b/i.test(loopText);
}

/** True when a loop has an attempt bound: a counter in its condition, or an `if (attempt...) throw|break|return`. */
export function tsLoopBounded(loop: Node): boolean {
  if (Node.isForStatement(loop)) {
    const cond = loop.getCondition();
    if (cond && cond.getText() !== "true") return true;
  }
  if ((Node.isWhileStatement(loop) || Node.isDoStatement(loop)) && tsCounterComparison(loop.getExpression())) return true;
  if (Node.isForOfStatement(loop) || Node.isForInStatement(loop)) return true;
  return tsOwnDescendants(loop, SyntaxKind.IfStatement).some((s) => {
    if (!tsCounterComparison(s.getExpression()) && !COUNTER_WORD.test(s.getExpression().getText())) return false;
    const then = s.getThenStatement();
    return [SyntaxKind.ThrowStatement, SyntaxKind.BreakStatement, SyntaxKind.ReturnStatement].some(
      (k) => then.getKind() === k || then.getDescendantsOfKind(k).length > 0,
    );
  });
}

/** True when the delay grows or is randomised (exponential/linear backoff, jitter). */
export function tsDelayGrows(loop: Node, delay: CallExpression): boolean {
  const text = delay.getText();
  if (/backoff|jitter/i.test(delay.getExpression().getText())) return true;
  if (GROWING_DELAY.test(withoutConstants(delay.getArguments().map((a) => a.getText()).join(",")))) return true;
  const idents = delay.getDescendantsOfKind(SyntaxKind.Identifier).map((i) => i.getText());
  const computed = loop.getDescendantsOfKind(SyntaxKind.VariableDeclaration).some((d) => idents.includes(d.getName()) && GROWING_DELAY.test(withoutConstants(d.getInitializer()?.getText() ?? "")));
  if (computed) return true;
  const assigned = loop.getDescendantsOfKind(SyntaxKind.BinaryExpression).some((b) => {
    const op = b.getOperatorToken().getKind();
    return op >= SyntaxKind.FirstAssignment && op <= SyntaxKind.LastAssignment && idents.includes(b.getLeft().getText());
  });
  return assigned || /Math\.random/.test(text);
}

export const TS_LOOP_KINDS = [
  SyntaxKind.ForStatement, SyntaxKind.WhileStatement, SyntaxKind.DoStatement, SyntaxKind.ForOfStatement, SyntaxKind.ForInStatement,
] as const;

export function tsIsLoop(node: Node): boolean {
  return (TS_LOOP_KINDS as readonly SyntaxKind[]).includes(node.getKind());
}

// tree-sitter loops

const TREE_LOOPS = ["for_expression", "while_expression", "loop_expression", "for_statement", "while_statement"];
export const TREE_LOOP_TYPES = TREE_LOOPS;

/** Delay calls in a Rust/Python loop: `time.sleep`, `asyncio.sleep`, `tokio::time::sleep`, `backoff.next()`... */
export function treeDelayCalls(loop: TNode): TNode[] {
  const own = (n: TNode) => descendants(n, ["call", "call_expression"]).filter((c) => DELAY_CALLEE.test(c.childForFieldName("function")?.text ?? ""));
  // A helper of the same file that waits (`Err(e) => handle_accept_error(e).await` whose body sleeps) delays the loop too.
  const root = loop.tree.rootNode;
  const helpers = new Map<string, boolean>();
  const waits = (name: string) => {
    if (!helpers.has(name)) {
      const fns = descendants(root, ["function_item", "function_definition"]).filter((f) => f.childForFieldName("name")?.text === name);
      helpers.set(name, fns.some((f) => own(f).length > 0));
    }
    return helpers.get(name)!;
  };
  return descendants(loop, ["call", "call_expression"]).filter((c) => {
    const fn = c.childForFieldName("function")?.text ?? "";
    const helper = /^(?:(?:self|Self|cls)(?:\.|::))?(\w+)$/.exec(fn.replace(/\s+/g, ""))?.[1];
    return DELAY_CALLEE.test(fn) || Boolean(helper && waits(helper));
  });
}

function treeCounterComparison(node: TNode | null | undefined): boolean {
  if (!node) return false;
  const cmps = [node, ...descendants(node, ["comparison_operator", "binary_expression"])].filter(
    (n) => n.type === "comparison_operator" || (n.type === "binary_expression" && /^(<|<=|>|>=|==)$/.test(n.childForFieldName("operator")?.text ?? "")),
  );
  return cmps.some((c) => COUNTER_WORD.test(c.text));
}

/** True when a Rust/Python loop has an attempt bound. */
export function treeLoopBounded(loop: TNode): boolean {
  if (loop.type === "for_expression" || loop.type === "for_statement") return true;
  if (loop.type === "while_expression" || loop.type === "while_statement") {
    if (treeCounterComparison(loop.childForFieldName("condition"))) return true;
  }
  // Rust match guard: `Err(e) if attempt < MAX_ATTEMPTS => { sleep; }` with a sibling arm that gives up (`Err(e) => return Err(e)`).
  const guarded = treeOwnDescendants(loop, "match_pattern").filter((p) => treeCounterComparison(p.childForFieldName("condition")));
  if (guarded.some((p) => {
    const arm = p.parent;
    const arms = arm?.parent?.type === "match_block" ? arm.parent.namedChildren.filter((a) => a?.type === "match_arm" && a.id !== arm.id) : [];
    // the arms after the guard catch what it lets through; one of them must give up (not the success arm)
    return arms.filter((a) => a!.startIndex > arm!.startIndex && !/^(Ok|Some)\s*\(/.test(a!.childForFieldName("pattern")?.text ?? ""))
      .some((a) => /^\{?\s*(return|break)\b|\b(bail!|panic!)/.test(a!.childForFieldName("value")?.text ?? ""));
  })) return true;
  const ifs = treeOwnDescendants(loop, ["if_expression", "if_statement"]);
  return ifs.some((s) => {
    const cond = s.childForFieldName("condition");
    if (!treeCounterComparison(cond) && !COUNTER_WORD.test(cond?.text ?? "")) return false;
    const body = s.childForFieldName("consequence");
    return descendants(body ?? s, ["raise_statement", "break_statement", "return_statement", "break_expression", "return_expression"]).length > 0
      // `bail!(..)`: no word boundary after the `!`, so the macros are matched on their own
      || /\b(bail!|panic!|unreachable!)|\b(return|break)\b/.test(body?.text ?? "");
  });
}

/** True when the delay grows or is randomised. */
export function treeDelayGrows(loop: TNode, delay: TNode): boolean {
  const fn = delay.childForFieldName("function")?.text ?? "";
  if (/backoff|jitter/i.test(fn)) return true;
  const args = delay.childForFieldName("arguments")?.text ?? "";
  if (GROWING_DELAY.test(withoutConstants(args))) return true;
  const idents = descendants(delay.childForFieldName("arguments") ?? delay, "identifier").map((i) => i.text);
  const computed = descendants(loop, "let_declaration").some((d) => idents.includes(d.childForFieldName("pattern")?.text ?? "") && GROWING_DELAY.test(withoutConstants(d.childForFieldName("value")?.text ?? "")));
  if (computed) return true;
  return descendants(loop, ["augmented_assignment", "assignment", "compound_assignment_expr", "assignment_expression"]).some((a) =>
    idents.includes(a.childForFieldName("left")?.text ?? ""),
  );
}
