// Small tree-sitter helpers shared by the Rust and Python detectors.
import type { Node } from "web-tree-sitter";
import { checkBudget } from "../../src/engine/budget.js";
import { UP, walkUpOnce } from "./memo-up.js";

export function line(node: Node): number {
  return node.startPosition.row + 1;
}

export function endLine(node: Node): number {
  return node.endPosition.row + 1;
}

/** Descendants of the given types (the engine indexes each tree once: src/engine/parse.ts). */
export function descendants(root: Node, types: string | string[]): Node[] {
  checkBudget();
  return root.descendantsOfType(types).filter((n): n is Node => n !== null);
}

export function ancestors(node: Node): Node[] {
  const out: Node[] = [];
  for (let cur = node.parent; cur; cur = cur.parent) out.push(cur);
  return out;
}

const LOOP_TYPES = new Set(["for_expression", "while_expression", "loop_expression", "for_statement", "while_statement"]);
const FUNCTION_TYPES = new Set(["function_item", "closure_expression", "function_definition", "lambda"]);
const ITERATOR_ADAPTERS = /\.(map|for_each|filter_map|flat_map|then|and_then)\s*$/;

export { UP };

const upward = new WeakMap<object, Map<string, Map<number, unknown>>>();

/** walkUpOnce over a tree-sitter node's ancestors, remembered per tree under `name`. */
export function memoUp<T>(name: string, node: Node, step: (child: Node, parent: Node) => T | typeof UP, atRoot: T): T {
  let byName = upward.get(node.tree);
  if (!byName) upward.set(node.tree, (byName = new Map()));
  let cache = byName.get(name) as Map<number, T> | undefined;
  if (!cache) byName.set(name, (cache = new Map()));
  return walkUpOnce(node, (n) => n.parent, (n) => n.id, cache, step, atRoot);
}

/** The nearest enclosing loop (or iterator closure / comprehension), stopping at a function boundary. */
export function enclosingLoop(node: Node): Node | undefined {
  return memoUp("loop", node, loopStep, undefined);
}

function loopStep(child: Node, cur: Node): Node | undefined | typeof UP {
  // The loop's own iterable (`for x in repo.list()`) and condition run once, not once per item.
  if (LOOP_TYPES.has(cur.type)) return isLoopHeader(cur, child) ? UP : cur;
  // A comprehension's iterable runs once: what is around the comprehension decides.
  if (cur.type === "for_in_clause" && cur.childForFieldName("right")?.id === child.id) return cur.parent ? enclosingLoop(cur.parent) : undefined;
  if (/comprehension$|^generator_expression$/.test(cur.type)) return cur;
  if (cur.type === "closure_expression") {
    const call = cur.parent?.parent; // closure -> arguments -> call_expression
    const callee = call?.type === "call_expression" ? tailText(call.childForFieldName("function")) : "";
    return ITERATOR_ADAPTERS.test(callee) ? call! : undefined;
  }
  if (FUNCTION_TYPES.has(cur.type)) return undefined;
  return UP;
}

/**
 * The node's text with whitespace removed; past 400 characters, its first and last part around "…", so a long
 * method chain or a callee holding a large literal costs the same as a short one.
 */
export function compactTreeText(node: Node | null | undefined): string {
  if (!node) return "";
  const text = node.text;
  if (node.endIndex - node.startIndex <= 400) return text.replace(/\s+/g, "");
  return `${text.slice(0, 120).replace(/\s+/g, "")}…${text.slice(-240).replace(/\s+/g, "")}`;
}

/** The node's text as is, or compactTreeText past 400 characters (a receiver holding a long chain). */
export function boundedText(node: Node | null | undefined): string {
  if (!node) return "";
  return node.endIndex - node.startIndex > 400 ? compactTreeText(node) : node.text;
}

/** The last characters of a node's text (after "…" when cut): enough for a method name at the end of a long chain. */
export function tailText(node: Node | null | undefined, chars = 80): string {
  if (!node) return "";
  return node.endIndex - node.startIndex > chars ? `…${node.text.slice(-chars)}` : node.text;
}

function inside(node: Node, outer: Node): boolean {
  return node.startIndex >= outer.startIndex && node.endIndex <= outer.endIndex;
}

/** `child` is the iterable of a for loop (`right` / `value`); a while loop's condition still runs per item. */
function isLoopHeader(loop: Node, child: Node): boolean {
  const iterable = loop.childForFieldName("right") ?? (loop.type === "for_expression" ? loop.childForFieldName("value") : null);
  return Boolean(iterable && iterable.id === child.id);
}

/** The nearest enclosing function item / definition. */
export function enclosingFunction(node: Node): Node | undefined {
  return memoUp("function", node, (_, cur) => (cur.type === "function_item" || cur.type === "function_definition" ? cur : UP), undefined);
}

/** The function's name, or "". */
export function functionName(fn: Node): string {
  return fn.childForFieldName("name")?.text ?? "";
}

/** Rust: `async fn` with actix/axum extractor-ish params, or #[get]/#[post]/... attributes; Python: route decorators or request parameters. */
/** Functions that build a handler (`create_start_app_handler`) or run at start-up/shutdown, whatever "handler" their name says. */
export const HANDLER_FACTORY = /^(create|make|build|new|register|setup)_?\w*_?handler$|(^|_)(start|stop|startup|shutdown|lifespan)(_|$)|^(create|make|build|new|register|setup)\w*Handler$|^(on)?(Start|Stop|Startup|Shutdown)\w*Handler$/i;

export function isRequestHandler(fn: Node): boolean {
  const params = fn.childForFieldName("parameters")?.text ?? "";
  const name = functionName(fn);
  if (/^(handle\w*|\w+_handler|handler|lambda_handler)$/.test(name) && !HANDLER_FACTORY.test(name)) return true;
  if (fn.type === "function_item") {
    const attrs = precedingSiblings(fn, "attribute_item").map((a) => a.text).join(" ");
    if (/#\[(get|post|put|patch|delete|route|handler)\b/.test(attrs)) return true;
    return /\b(HttpRequest|Json<|Path<|Query<|State<|Extension<|web::|Request<|ReqData<|Form<)/.test(params);
  }
  const decorated = fn.parent?.type === "decorated_definition" ? fn.parent.text.slice(0, fn.parent.text.indexOf("def ")) : "";
  if (/@\w+(\.\w+)*\.(get|post|put|patch|delete|route|api_route|middleware)\(/.test(decorated)) return true;
  return /\b(request|req)\s*(:|,|\))|\bevent\s*,\s*context\b/.test(params);
}

export function inRequestHandler(node: Node): boolean {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) if (isRequestHandler(fn)) return true;
  return false;
}

function precedingSiblings(node: Node, type: string): Node[] {
  const out: Node[] = [];
  for (let cur = node.previousSibling; cur && cur.type === type; cur = cur.previousSibling) out.push(cur);
  return out;
}

/** The line of the called name (`.get` of `requests\n    .get(url)`, the method of a Rust chain's last call). */
export function callLine(call: Node): number {
  const fn = call.childForFieldName("function");
  const name = fn?.childForFieldName("attribute") ?? fn?.childForFieldName("field");
  return (name ?? call).startPosition.row + 1;
}
