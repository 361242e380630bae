// Small ts-morph helpers shared by the TypeScript/JavaScript detectors.
import { Node, SyntaxKind, type CallExpression, type SourceFile } from "ts-morph";
import { HANDLER_FACTORY } from "./tree.js";

const LOOPS = new Set([
  SyntaxKind.ForStatement, SyntaxKind.ForOfStatement, SyntaxKind.ForInStatement,
  SyntaxKind.WhileStatement, SyntaxKind.DoStatement,
]);
const ITERATING_METHODS = /^(map|forEach|flatMap|filter|reduce|some|every|find)$/;

export function calls(file: SourceFile): CallExpression[] {
  return file.getDescendantsOfKind(SyntaxKind.CallExpression);
}

/** `a.b.c(...)` -> "a.b.c"; the callee text with whitespace removed. */
export function calleeText(call: CallExpression): string {
  return call.getExpression().getText().replace(/\s+/g, "");
}

/** The last name of the callee: `this.sts.assumeRole(...)` -> "assumeRole". */
export function calleeName(call: CallExpression): string {
  const expr = call.getExpression();
  if (Node.isPropertyAccessExpression(expr)) return expr.getName();
  return expr.getText();
}

/** The nearest enclosing loop statement or iterating callback (`.map(x => ...)`), stopping at a function boundary that is not such a callback. */
export function enclosingLoop(node: Node): Node | undefined {
  for (let child: Node = node, cur = node.getParent(); cur; child = cur, cur = cur.getParent()) {
    // The loop's own iterable (`for (const x of await repo.list())`) and initialiser run once, not once per item.
    if (LOOPS.has(cur.getKind())) {
      if ((Node.isForOfStatement(cur) || Node.isForInStatement(cur)) && cur.getExpression() === child) continue;
      if (Node.isForStatement(cur) && cur.getInitializer() === child) continue;
      return cur;
    }
    if (Node.isFunctionLikeDeclaration(cur) || Node.isArrowFunction(cur) || Node.isFunctionExpression(cur)) {
      const call = cur.getParentIfKind(SyntaxKind.CallExpression);
      if (call && ITERATING_METHODS.test(calleeName(call))) return call;
      if (!call || !/^(all|allSettled)$/.test(calleeName(call))) return undefined;
    }
  }
  return undefined;
}

/** The nearest enclosing function-like node. */
export function enclosingFunction(node: Node): Node | undefined {
  return node.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a));
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
