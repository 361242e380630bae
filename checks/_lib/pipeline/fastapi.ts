// FastAPI dependencies adapter. FastAPI 0.22 release notes (dependencies parameter): "Dependencies declared in a
// router are executed first, then the ones defined in path operation decorators, and then the ones declared in
// normal parameters" (https://fastapi.tiangolo.com/release-notes/#0220); a `dependencies=[...]` list runs in its
// order (https://fastapi.tiangolo.com/tutorial/dependencies/dependencies-in-path-operation-decorators/), and
// app-level ones (`FastAPI(dependencies=[...])`) apply to every path operation
// (https://fastapi.tiangolo.com/tutorial/dependencies/global-dependencies/). Middleware runs before any of them.
// What a dependency provides/requires is what it writes/reads on `request.state` (the Starlette facts).
import type { Node } from "web-tree-sitter";
import type { ParsedFile } from "../../../src/engine/rule.js";
import { descendants, line } from "../tree.js";
import type { Pipeline, PipelineStep } from "./model.js";
import type { Units } from "./starlette.js";

const ROUTE = /^(get|post|put|patch|delete|head|options|api_route)$/;

/** `Depends(fn)` / `Security(fn)` calls inside a node, in source order, as [function name, call]. */
function depends(node: Node | null | undefined): [string, Node][] {
  if (!node) return [];
  return descendants(node, "call")
    .filter((c) => /^(Depends|Security)$/.test((c.childForFieldName("function")?.text ?? "").split(".").pop() ?? ""))
    .map((c) => [(c.childForFieldName("arguments")?.namedChildren[0]?.text ?? "").split(".").pop() ?? "", c] as [string, Node])
    .filter(([n]) => n);
}

function keyword(call: Node, name: string): Node | undefined {
  return (call.childForFieldName("arguments")?.namedChildren ?? []).find((a) => a?.type === "keyword_argument" && a.childForFieldName("name")?.text === name)?.childForFieldName("value") ?? undefined;
}

export function fastapiPipelines(file: ParsedFile, units: Units, middleware: PipelineStep[]): Pipeline[] {
  if (!/\bDepends\(|\bSecurity\(/.test(file.text)) return [];
  const root = file.tree!.rootNode;
  const step = (name: string, at: Node, kind: PipelineStep["kind"]): PipelineStep => {
    const unit = units.get(name);
    return {
      label: kind === "handler" ? name : `Depends(${name})`, kind, path: file.path, line: line(at), source: unit?.source ?? "unseen",
      provides: new Set([...(unit?.writes ?? [])].map((k) => `state:${k}`)),
      requires: new Set([...(unit?.reads ?? [])].map((k) => `state:${k}`)),
      authenticates: Boolean(unit?.writes.has("user")),
    };
  };
  // Router- and app-level dependencies: `router = APIRouter(dependencies=[...])`, `app = FastAPI(dependencies=[...])`.
  const owners = new Map<string, PipelineStep[]>();
  for (const a of descendants(root, "assignment")) {
    const right = a.childForFieldName("right");
    if (right?.type !== "call" || !/(^|\.)(APIRouter|FastAPI)$/.test(right.childForFieldName("function")?.text ?? "")) continue;
    owners.set(a.childForFieldName("left")?.text ?? "", depends(keyword(right, "dependencies")).map(([n, c]) => step(n, c, "dependency")));
  }
  const out: Pipeline[] = [];
  for (const dec of descendants(root, "decorator")) {
    const call = dec.namedChildren[0];
    const fn = call?.type === "call" ? call.childForFieldName("function") : undefined;
    if (!call || fn?.type !== "attribute" || !ROUTE.test(fn.childForFieldName("attribute")?.text ?? "")) continue;
    const def = dec.parent?.childForFieldName("definition");
    if (!def) continue;
    const receiver = fn.childForFieldName("object")?.text ?? "";
    const route = `${fn.childForFieldName("attribute")!.text.toUpperCase()} ${call.childForFieldName("arguments")?.namedChildren[0]?.text.replace(/["']/g, "") ?? ""}`;
    const deps = [
      ...(owners.get(receiver) ?? []),
      ...depends(keyword(call, "dependencies")).map(([n, c]) => step(n, c, "dependency")),
      ...depends(def.childForFieldName("parameters")).map(([n, c]) => step(n, c, "dependency")),
    ];
    if (!deps.length) continue;
    out.push({
      framework: "FastAPI", name: route, path: file.path, line: line(def),
      steps: [...middleware, ...deps, step(def.childForFieldName("name")?.text ?? "handler", def, "handler")],
      routes: [],
      order: "FastAPI solves router dependencies first, then the decorator's `dependencies=[...]` in list order, then parameter dependencies, all after the middleware",
    });
  }
  return out;
}
