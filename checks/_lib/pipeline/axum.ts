// axum/tower adapter. axum docs (middleware, "Ordering"): with `Router::layer` "all previously added routes
// will be wrapped in the middleware. Generally speaking, this results in middleware being executed from
// bottom to top" (https://docs.rs/axum/latest/axum/middleware/index.html#ordering); `Router::layer` and
// `route_layer` apply only to routes added before the call
// (https://docs.rs/axum/latest/axum/struct.Router.html#method.layer). tower's `ServiceBuilder`: "Layers that
// are added first will be called with the request first"
// (https://docs.rs/tower/latest/tower/builder/struct.ServiceBuilder.html#order). `middleware::from_fn` /
// `from_fn_with_state` functions read what earlier layers inserted through `Extension<T>` / extensions
// (https://docs.rs/axum/latest/axum/middleware/fn.from_fn.html).
import type { Node } from "web-tree-sitter";
import type { ParsedFile } from "../../../src/engine/rule.js";
import { line } from "../tree.js";
import {
  chainBase, chainCalls, chainTops, inlineUnit, lastSegment, resolveUnit, stepLine, typeOfExpr, type Step, type Unit, type Units,
} from "../rust-middleware.js";
import { isSensitiveRoute } from "./http.js";
import type { Pipeline, PipelineRoute, PipelineStep } from "./model.js";
import { guessIdentities, rustStep } from "./rust.js";

const LAYER = /^(layer|route_layer)$/;
const BUILDER_STEP = /^(layer|map_request|add_extension|option_layer)$/;
const ROUTER_ORDER = "`Router::layer` runs the last layer added first, and wraps only the routes added before it";
const BUILDER_ORDER = "a `ServiceBuilder` runs its layers top to bottom";

/** `middleware::from_fn_with_state(state.clone(), authenticate)` -> `from_fn_with_state(authenticate)`: the function is what matters. */
function label(arg: Node | undefined): string {
  const text = (arg?.text ?? "").replace(/\s+/g, " ");
  const m = /^(?:[\w:]*::)?(from_fn|from_fn_with_state|map_request|map_request_with_state|from_extractor|from_extractor_with_state)\s*(::<[^>]*>)?\((?:.*,\s*)?([\w:]+)\s*\)$/.exec(text);
  if (m) return `${m[1]}${m[2] ?? ""}(${m[3]})`;
  return text.length > 48 ? `${text.slice(0, 45)}...` : text;
}

/** `Extension(x)` / `AddExtensionLayer::new(x)` insert x's type. */
function extensionLayer(expr: Node): Unit | undefined {
  if (expr.type !== "call_expression") return undefined;
  const fn = expr.childForFieldName("function");
  const name = lastSegment(fn?.type === "scoped_identifier" && fn.childForFieldName("name")?.text === "new" ? fn.childForFieldName("path") : fn);
  if (name !== "Extension" && name !== "AddExtensionLayer") return undefined;
  const t = typeOfExpr(expr.childForFieldName("arguments")?.namedChildren[0]);
  return { name: label(expr), produces: new Set(t ? [t] : []), consumes: new Set() };
}

function resolve(expr: Node | undefined, units: Units): Unit | undefined {
  if (!expr) return undefined;
  return extensionLayer(expr) ?? resolveUnit(expr, units, (closure) => inlineUnit(closure, `closure at line ${line(closure)}`));
}

function isServiceBuilder(expr: Node | undefined): boolean {
  if (!expr || expr.type !== "call_expression") return false;
  return /^(tower::)?ServiceBuilder::new\(\)$/.test(chainBase(expr).text.replace(/\s+/g, ""));
}

/** Router / MethodRouter chains (not ServiceBuilder, nor tonic's `Server::builder()`, which stacks the other way). */
function isRouter(top: Node, methods: string[]): boolean {
  if (isServiceBuilder(top)) return false;
  if (methods.some((m) => /^(route|nest|merge|fallback|route_service|nest_service|with_state)$/.test(m))) return true;
  const base = chainBase(top).text.replace(/\s+/g, "");
  return /^(axum::)?Router(::<[^>]*>)?::new\(\)$|^(get|post|put|patch|delete|any|on)(_service)?\(|^\w*(router|routes)\w*$/i.test(base);
}

/** A ServiceBuilder's steps in request order (top to bottom). */
function builderSteps(file: ParsedFile, expr: Node, units: Units): PipelineStep[] {
  return chainCalls(expr)
    .filter((c) => BUILDER_STEP.test(c.name))
    .map((c) => {
      let s: Step;
      if (c.name === "add_extension") {
        const t = typeOfExpr(c.args[0]);
        s = { node: c.call, label: `add_extension(${label(c.args[0])})`, unit: { name: "add_extension", produces: new Set(t ? [t] : []), consumes: new Set<string>() } };
      } else {
        s = { node: c.call, label: label(c.args[0]), unit: c.name === "map_request" ? resolveUnit(c.args[0], units, (n) => inlineUnit(n, "closure")) : resolve(c.args[0], units) };
      }
      return { ...rustStep(file, s, stepLine(s), "layer"), group: "ServiceBuilder" };
    });
}

/** The handler functions of `.route(path, get(a).post(b))`. */
function handlers(args: Node[], units: Units): { method: string; unit?: Unit }[] {
  const out: { method: string; unit?: Unit }[] = [];
  const visit = (n: Node | undefined) => {
    if (!n || n.type !== "call_expression") return;
    const fn = n.childForFieldName("function");
    const a = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((x): x is Node => x !== null);
    const name = fn?.type === "field_expression" ? fn.childForFieldName("field")?.text ?? "" : lastSegment(fn);
    if (/^(get|post|put|patch|delete|head|options|any)$/.test(name)) out.push({ method: name, unit: a[0] ? units.get(lastSegment(a[0])) : undefined });
    if (fn?.type === "field_expression") visit(fn.childForFieldName("value") ?? undefined);
  };
  visit(args[1]);
  return out;
}

function literal(node: Node | undefined): string | undefined {
  return node?.type === "string_literal" ? node.text.slice(1, -1) : undefined;
}

function routerPipeline(file: ParsedFile, top: Node, units: Units): Pipeline {
  const calls = chainCalls(top);
  // Each call's layer steps in request order; a ServiceBuilder expands top to bottom.
  const layerAt = new Map<number, PipelineStep[]>();
  calls.forEach((c, i) => {
    if (!LAYER.test(c.name)) return;
    const steps = isServiceBuilder(c.args[0])
      ? builderSteps(file, c.args[0], units)
      : [rustStep(file, { node: c.call, label: label(c.args[0]), unit: resolve(c.args[0], units) }, stepLine({ node: c.call, label: "" }), "layer")];
    layerAt.set(i, steps);
  });
  guessIdentities([...layerAt.values()].flat());
  const layersAfter = (i: number) => [...layerAt.entries()].filter(([j]) => j > i).reverse().flatMap(([, s]) => s);
  const layersBefore = (i: number) => [...layerAt.entries()].filter(([j]) => j < i).flatMap(([, s]) => s);
  const routes: PipelineRoute[] = [];
  calls.forEach((c, i) => {
    if (c.name !== "route") return;
    const path = literal(c.args[0]) ?? "<dynamic>";
    for (const h of handlers(c.args, units)) {
      const step: PipelineStep = {
        label: `${h.method.toUpperCase()} ${path}`, kind: "route", path: file.path, line: stepLine({ node: c.call, label: "" }),
        provides: new Set(), requires: new Set([...(h.unit?.consumes ?? [])].map((t) => `ext:${t}`)), source: h.unit ? "pr" : "unseen",
      };
      routes.push({
        step, before: layersAfter(i), skipped: layersBefore(i), sensitive: isSensitiveRoute(h.method, path, true),
        skipReason: "`Router::layer` wraps only the routes added before it",
      });
    }
  });
  return {
    framework: "axum", name: shortName(top), path: file.path, line: line(top),
    steps: layersAfter(-1), routes, order: ROUTER_ORDER,
  };
}

function shortName(top: Node): string {
  const base = chainBase(top).text.replace(/\s+/g, "");
  return base.length > 30 ? `${base.slice(0, 27)}...` : base;
}

export function axumPipelines(file: ParsedFile, units: Units): Pipeline[] {
  const out: Pipeline[] = [];
  for (const top of chainTops(file.tree!.rootNode)) {
    const calls = chainCalls(top);
    if (calls.some((c) => LAYER.test(c.name)) && isRouter(top, calls.map((c) => c.name))) out.push(routerPipeline(file, top, units));
    else if (isServiceBuilder(top) && !(top.parent?.type === "arguments")) {
      out.push({ framework: "tower", name: "ServiceBuilder::new()", path: file.path, line: line(top), steps: builderSteps(file, top, units), routes: [], order: BUILDER_ORDER });
    }
  }
  return out;
}

/** The order sentence for a problem between two steps (a ServiceBuilder's own order when both are in one). */
export function axumOrder(a: PipelineStep, b: PipelineStep): string {
  return a.group === "ServiceBuilder" && b.group === "ServiceBuilder" ? BUILDER_ORDER : "`Router::layer` runs the last layer added first";
}
