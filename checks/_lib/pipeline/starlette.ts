// Starlette/FastAPI adapter. FastAPI docs ("Multiple middleware execution order"): with `@app.middleware()`
// or `app.add_middleware()` "each new middleware wraps the application, forming a stack. The last middleware
// added is the outermost, and the first is the innermost. On the request path, the outermost middleware runs
// first" (https://fastapi.tiangolo.com/tutorial/middleware/#multiple-middleware-execution-order). Starlette's
// own `middleware=[...]` list is the other way round: the first entry is the outermost, and `add_middleware`
// inserts in front of that list (https://www.starlette.io/middleware/; starlette/applications.py:
// `user_middleware.insert(0, ...)`).
import type { Node } from "web-tree-sitter";
import type { ParsedFile, ReviewFacts } from "../../../src/engine/rule.js";
import { descendants, line } from "../tree.js";
import { guessIdentity } from "./guess.js";
import type { Pipeline, PipelineStep } from "./model.js";

export interface Unit {
  writes: Set<string>;
  reads: Set<string>;
  source: "pr" | "repo";
}
export type Units = Map<string, Unit>;

interface Step {
  name: string;
  line: number;
  label: string;
}

const REQUEST_OBJ = /^(request|req|conn|connection|websocket|ws|http_request|Request\(scope(,\s*receive)?\))$/;

function str(node: Node | null | undefined): string | undefined {
  if (!node || node.type !== "string") return undefined;
  return node.namedChildren.filter((c) => c?.type === "string_content").map((c) => c!.text).join("");
}

/** `request.state.<attr>` -> attr */
function stateAttr(node: Node): string | undefined {
  if (node.type !== "attribute") return undefined;
  const obj = node.childForFieldName("object");
  if (obj?.type !== "attribute" || obj.childForFieldName("attribute")?.text !== "state") return undefined;
  if (!REQUEST_OBJ.test(obj.childForFieldName("object")?.text ?? "")) return undefined;
  return node.childForFieldName("attribute")?.text;
}

/** `scope["state"]["x"]` or `scope.setdefault("state", {})["x"]` -> x */
function scopeStateKey(node: Node): string | undefined {
  if (node.type !== "subscript") return undefined;
  const value = node.childForFieldName("value");
  const isState =
    (value?.type === "subscript" && str(value.childForFieldName("subscript")) === "state") ||
    (value?.type === "call" && /\.setdefault$/.test(value.childForFieldName("function")?.text ?? "") && str(value.childForFieldName("arguments")?.namedChildren[0]) === "state");
  return isState ? str(node.childForFieldName("subscript")) : undefined;
}

function isAssignTarget(node: Node): boolean {
  const parent = node.parent;
  return Boolean(parent && (parent.type === "assignment" || parent.type === "augmented_assignment") && parent.childForFieldName("left")?.equals(node));
}

/**
 * Where the rest of the stack runs: each `call_next(request)` (or `self.app(scope, ...)`) in a dispatch function.
 * `request.state` is the per-request `scope["state"]` dict shared by every layer, so a read after such a call sees what
 * inner middleware set (checked against Starlette 0.26), provided the call is on every path to the read.
 */
function downstreamCalls(body: Node): { fn: Node; calls: Node[] }[] {
  const out: { fn: Node; calls: Node[] }[] = [];
  for (const fn of [body, ...descendants(body, "function_definition")]) {
    if (fn.type !== "function_definition") continue;
    const params = (fn.childForFieldName("parameters")?.namedChildren ?? []).map((p) => (p?.type === "identifier" ? p.text : p?.namedChildren[0]?.text ?? ""));
    const next = params.find((p) => /^(call_next|next|call_next_\w*)$/.test(p)) ?? "call_next";
    const calls = descendants(fn, "call").filter((c) => {
      const callee = c.childForFieldName("function")?.text ?? "";
      return callee === next || callee === "self.app";
    });
    if (calls.length) out.push({ fn, calls });
  }
  return out;
}

// Statements that pass control straight on: a downstream call nested only in these runs on every path past them.
// A call under an `if`/`else`/`except`/loop, or in a `return` (`if public: return await call_next(request)`), does not.
const STRAIGHT = /^(block|expression_statement|assignment|augmented_assignment|await|call|argument_list|parenthesized_expression|with_statement|with_clause|with_item|as_pattern|as_pattern_target|try_statement|finally_clause|keyword_argument|pattern_list|expression_list|tuple)$/;

function dominates(call: Node, node: Node): boolean {
  if (call.endIndex > node.startIndex) return false;
  for (let cur = call.parent; cur; cur = cur.parent) {
    if (cur.startIndex <= node.startIndex && node.endIndex <= cur.endIndex) return true;
    if (!STRAIGHT.test(cur.type)) return false;
  }
  return false;
}

function afterDownstream(node: Node, ends: { fn: Node; calls: Node[] }[]): boolean {
  for (let cur = node.parent; cur; cur = cur.parent) {
    if (cur.type !== "function_definition") continue;
    const e = ends.find((x) => x.fn.equals(cur!));
    return Boolean(e && e.calls.some((c) => dominates(c, node)));
  }
  return false;
}

function stateUse(body: Node): Unit {
  const unit: Unit = { writes: new Set(), reads: new Set(), source: "pr" };
  const ends = downstreamCalls(body);
  for (const node of descendants(body, ["attribute", "subscript"])) {
    const key = stateAttr(node) ?? scopeStateKey(node);
    if (!key) continue;
    if (isAssignTarget(node)) unit.writes.add(key);
    else if (!afterDownstream(node, ends)) unit.reads.add(key);
  }
  for (const call of descendants(body, "call")) {
    const fn = call.childForFieldName("function")?.text;
    const args = call.childForFieldName("arguments")?.namedChildren ?? [];
    if (!/^(getattr|setattr|hasattr)$/.test(fn ?? "") || !args[0] || args[0].type !== "attribute") continue;
    const obj = args[0];
    if (obj.childForFieldName("attribute")?.text !== "state" || !REQUEST_OBJ.test(obj.childForFieldName("object")?.text ?? "")) continue;
    const key = str(args[1]);
    if (key && fn === "setattr") unit.writes.add(key);
    else if (key && !afterDownstream(call, ends)) unit.reads.add(key);
  }
  for (const w of unit.writes) unit.reads.delete(w);
  return unit;
}

export function starletteUnits(review: ReviewFacts): Units {
  const units: Units = new Map();
  for (const file of review.files) {
    if (file.language !== "python" || !file.tree) continue;
    for (const def of descendants(file.tree.rootNode, ["class_definition", "function_definition"])) {
      if (def.type === "function_definition" && def.parent?.parent?.type === "class_definition") continue;
      const name = def.childForFieldName("name")?.text;
      if (!name) continue;
      const use = stateUse(def);
      if (use.writes.size || use.reads.size) units.set(name, { ...use, source: file.changed ? "pr" : "repo" });
    }
  }
  return units;
}

function lastName(node: Node | null | undefined): string {
  const text = node?.text ?? "";
  return text.slice(text.lastIndexOf(".") + 1);
}

function scopeOf(node: Node): Node {
  for (let cur = node.parent; cur; cur = cur.parent) if (cur.type === "function_definition" || cur.type === "module") return cur;
  return node;
}

/** The list of `Middleware(Cls, ...)` entries passed as `middleware=` to the app constructor, outermost first. */
function constructorSteps(call: Node, file: ParsedFile): Step[] {
  const kw = call.childForFieldName("arguments")?.namedChildren.find((a) => a?.type === "keyword_argument" && a.childForFieldName("name")?.text === "middleware");
  let list = kw?.childForFieldName("value");
  if (list?.type === "identifier") {
    const name = list.text;
    const assign = descendants(scopeOf(call), "assignment").find((a) => a.childForFieldName("left")?.text === name && a.startIndex < call.startIndex);
    list = assign?.childForFieldName("right") ?? undefined;
  }
  if (!list || list.type !== "list") return [];
  return list.namedChildren
    .filter((n): n is Node => n?.type === "call" && lastName(n.childForFieldName("function")) === "Middleware")
    .map((n) => {
      const args = n.childForFieldName("arguments")?.namedChildren ?? [];
      return { name: middlewareName(args), line: line(n), label: `Middleware(${lastName(args[0])})` };
    });
}

/** `Cls`, or the `dispatch=` function of a BaseHTTPMiddleware. */
function middlewareName(args: (Node | null)[]): string {
  const dispatch = args.find((a) => a?.type === "keyword_argument" && a.childForFieldName("name")?.text === "dispatch");
  return dispatch ? lastName(dispatch.childForFieldName("value")) : lastName(args[0]);
}

/** Registration steps per app object and scope, in request order (first runs first). */
function appStacks(file: ParsedFile): { receiver: string; line: number; steps: Step[] }[] {
  const added = new Map<string, Step[]>();
  const built = new Map<string, Step[]>();
  const key = (node: Node, receiver: string) => `${scopeOf(node).id}:${receiver}`;
  for (const call of descendants(file.tree!.rootNode, "call")) {
    const fn = call.childForFieldName("function");
    const args = call.childForFieldName("arguments")?.namedChildren ?? [];
    if (fn?.type === "attribute" && fn.childForFieldName("attribute")?.text === "add_middleware") {
      const receiver = fn.childForFieldName("object")?.text ?? "";
      const list = added.get(key(call, receiver)) ?? [];
      list.push({ name: middlewareName(args), line: line(call), label: `add_middleware(${lastName(args[0])})` });
      added.set(key(call, receiver), list);
    } else if (fn?.type === "attribute" && fn.childForFieldName("attribute")?.text === "middleware" && call.parent?.type === "decorator") {
      const def = call.parent.parent?.childForFieldName("definition");
      const receiver = fn.childForFieldName("object")?.text ?? "";
      const name = def?.childForFieldName("name")?.text ?? "";
      const list = added.get(key(call, receiver)) ?? [];
      list.push({ name, line: line(call), label: `@${receiver}.middleware ${name}` });
      added.set(key(call, receiver), list);
    } else if (/^(FastAPI|Starlette)$/.test(lastName(fn)) && call.parent?.type === "assignment") {
      const receiver = call.parent.childForFieldName("left")?.text ?? "";
      built.set(key(call, receiver), constructorSteps(call, file));
    }
  }
  const stacks: { receiver: string; line: number; steps: Step[] }[] = [];
  for (const k of new Set([...added.keys(), ...built.keys()])) {
    const steps = [...(added.get(k) ?? []).reverse(), ...(built.get(k) ?? [])];
    if (steps.length) stacks.push({ receiver: k.slice(k.indexOf(":") + 1), line: Math.min(...steps.map((s) => s.line)), steps });
  }
  return stacks;
}


const ORDER = "Starlette runs the last `add_middleware` first (and a `middleware=[...]` list first to last)";

export function starlettePipelines(file: ParsedFile, units: Units): Pipeline[] {
  if (!/add_middleware|\.middleware\(|Middleware\(/.test(file.text)) return [];
  return appStacks(file).map((stack) => ({
    framework: "Starlette/FastAPI",
    name: stack.receiver,
    path: file.path,
    line: stack.line,
    steps: stack.steps.map((s): PipelineStep => {
      const unit = units.get(s.name);
      const guess = unit ? undefined : guessIdentity(s.name, ["state:user"]);
      return {
        label: s.label, kind: "middleware", path: file.path, line: s.line,
        provides: new Set(unit ? [...unit.writes].map((k) => `state:${k}`) : guess?.provides),
        requires: new Set([...(unit?.reads ?? [])].map((k) => `state:${k}`)),
        source: unit?.source ?? "unseen", guessedFrom: guess?.from,
        authenticates: unit ? unit.writes.has("user") || unit.writes.has("principal") : Boolean(guess),
      };
    }),
    routes: [],
    order: ORDER,
  }));
}
