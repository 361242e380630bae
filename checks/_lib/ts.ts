// Small ts-morph helpers shared by the TypeScript/JavaScript detectors.
import { Node, SyntaxKind, type CallExpression, type KindToNodeMappings, type SourceFile } from "ts-morph";
import { HANDLER_FACTORY } from "./tree.js";
import { UP, walkUpOnce } from "./memo-up.js";

const LOOPS = new Set([
  SyntaxKind.ForStatement, SyntaxKind.ForOfStatement, SyntaxKind.ForInStatement,
  SyntaxKind.WhileStatement, SyntaxKind.DoStatement,
]);
const ITERATING_METHODS = /^(map|forEach|flatMap|filter|reduce|some|every|find)$/;

export function calls(file: SourceFile): CallExpression[] {
  return file.getDescendantsOfKind(SyntaxKind.CallExpression);
}

/** Texts longer than this are shortened to their start and end by compactText. */
const LONG_TEXT = 400;

/**
 * The node's text with whitespace removed; past LONG_TEXT characters, its first and last part around "…", so a
 * long method chain or a callee holding a large literal costs the same as a short one.
 */
export function compactText(node: Node): string {
  const span = node.getEnd() - node.getPos();
  const text = node.getText();
  if (span <= LONG_TEXT) return text.replace(/\s+/g, "");
  return `${text.slice(0, 120).replace(/\s+/g, "")}…${text.slice(-240).replace(/\s+/g, "")}`;
}

/** `a.b.c(...)` -> "a.b.c"; the callee text with whitespace removed (shortened when very long: compactText). */
export function calleeText(call: CallExpression): string {
  return compactText(call.getExpression());
}

/** walkUpOnce over a ts-morph node's ancestors. */
function memoUp<T>(cache: WeakMap<Node, T>, node: Node, step: (child: Node, parent: Node) => T | typeof UP, atRoot: T): T {
  return walkUpOnce(node, (n) => n.getParent(), (n) => n, cache, step, atRoot);
}

const isFunctionNode = (n: Node) => Node.isFunctionLikeDeclaration(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n);
const loops = new WeakMap<Node, Node | undefined>();
const functions = new WeakMap<Node, Node | undefined>();

/** The last name of the callee: `this.sts.assumeRole(...)` -> "assumeRole". */
export function calleeName(call: CallExpression): string {
  const expr = call.getExpression();
  if (Node.isPropertyAccessExpression(expr)) return expr.getName();
  return compactText(expr);
}

/** The nearest enclosing loop statement or iterating callback (`.map(x => ...)`), stopping at a function boundary that is not such a callback. */
export function enclosingLoop(node: Node): Node | undefined {
  return memoUp(loops, node, loopStep, undefined);
}

function loopStep(child: Node, cur: Node): Node | undefined | typeof UP {
  // The loop's own iterable (`for (const x of await repo.list())`) and initialiser run once, not once per item.
  if (LOOPS.has(cur.getKind())) {
    if ((Node.isForOfStatement(cur) || Node.isForInStatement(cur)) && cur.getExpression() === child) return UP;
    if (Node.isForStatement(cur) && cur.getInitializer() === child) return UP;
    return cur;
  }
  if (isFunctionNode(cur)) {
    const call = cur.getParentIfKind(SyntaxKind.CallExpression);
    if (call && ITERATING_METHODS.test(calleeName(call))) return call;
    if (!call || !/^(all|allSettled)$/.test(calleeName(call))) return undefined;
  }
  return UP;
}

/** The nearest enclosing function-like node. */
export function enclosingFunction(node: Node): Node | undefined {
  return memoUp(functions, node, (_, parent) => (isFunctionNode(parent) ? parent : UP), undefined);
}

const byKind = new Map<SyntaxKind, WeakMap<Node, Node | undefined>>();

/** The nearest ancestor of a kind (ts-morph's getFirstAncestorByKind, remembered per node). */
export function ancestorOfKind<K extends SyntaxKind>(node: Node, kind: K): KindToNodeMappings[K] | undefined {
  let cache = byKind.get(kind);
  if (!cache) byKind.set(kind, (cache = new WeakMap()));
  return memoUp(cache, node, (_, parent) => (parent.getKind() === kind ? parent : UP), undefined) as KindToNodeMappings[K] | undefined;
}

/** The enclosing function-like nodes, innermost first. */
export function enclosingFunctions(node: Node): Node[] {
  const out: Node[] = [];
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) out.push(fn);
  return out;
}

/** True when the node sits in a function that handles a request: route callbacks, `(req, res)` handlers, Lambda handlers, methods named handle*. */
export function inRequestHandler(node: Node): boolean {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    if (isRequestHandler(fn)) return true;
  }
  return false;
}

const NEST_HANDLER = /^(Get|Post|Put|Patch|Delete|All|Options|Head|Sse|Query|Mutation|Subscription|ResolveField|MessagePattern|EventPattern|SubscribeMessage)$/;

export function isRequestHandler(fn: Node): boolean {
  const params = Node.isFunctionLikeDeclaration(fn) || Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) ? fn.getParameters().map((p) => p.getName()) : [];
  if (/^(req|request|ctx|event)$/.test(params[0] ?? "")) return true;
  const name = Node.hasName(fn) ? fn.getName() : fn.getParent() && Node.isVariableDeclaration(fn.getParent()!) ? (fn.getParent() as any).getName() : "";
  if (/^(handler|handle\w*|on[A-Z]\w*Request|\w+Handler)$/.test(name ?? "") && !HANDLER_FACTORY.test(name ?? "")) return true;
  // NestJS route, GraphQL resolver and microservice handlers: the method's decorator routes requests to it.
  if (Node.isMethodDeclaration(fn) && fn.getDecorators().some((d) => NEST_HANDLER.test(d.getName()))) return true;
  const call = fn.getParentIfKind(SyntaxKind.CallExpression);
  return Boolean(call && /^(get|post|put|patch|delete|all|use|route|handle|on)$/.test(calleeName(call)));
}

/** The line of the called name (`.get` of `await axios\n  .get(url)`): where a finding on a call belongs. */
export function callLine(node: Node): number {
  const expr = Node.isCallExpression(node) ? node.getExpression() : undefined;
  return (expr && Node.isPropertyAccessExpression(expr) ? expr.getNameNode() : node).getStartLineNumber();
}

export function line(node: Node): number {
  return node.getStartLineNumber();
}
