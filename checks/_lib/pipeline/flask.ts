// Flask adapter. Flask docs (`Flask.before_request`): functions registered with `before_request` are called
// before each request, in the order they were registered; if one returns a value, the rest and the view are
// skipped (https://flask.palletsprojects.com/en/stable/api/#flask.Flask.before_request). A blueprint's own
// `before_request` functions run after the app's, for that blueprint's requests only
// (https://flask.palletsprojects.com/en/stable/api/#flask.Blueprint.before_request).
import type { Node } from "web-tree-sitter";
import type { ParsedFile } from "../../../src/engine/rule.js";
import { descendants, line } from "../tree.js";
import type { Pipeline, PipelineStep } from "./model.js";

const SKIPPED_ATTRS = /^(args|form|json|values|headers|cookies|files|method|path|url|endpoint|view_args|remote_addr|host|get_json|data|blueprint|full_path|base_url|url_root|is_json|mimetype|environ|get)$/;

/** `g.x` / `request.x` writes and reads of a hook function. */
function hookUse(def: Node): { sets: Set<string>; reads: Set<string> } {
  const sets = new Set<string>();
  const reads = new Set<string>();
  for (const attr of descendants(def, "attribute")) {
    const obj = attr.childForFieldName("object")?.text ?? "";
    if (obj !== "g" && obj !== "request") continue;
    const name = attr.childForFieldName("attribute")?.text ?? "";
    if (obj === "request" && SKIPPED_ATTRS.test(name)) continue;
    const key = `${obj === "g" ? "g" : "request"}:${name}`;
    const parent = attr.parent;
    if (parent?.type === "assignment" && parent.childForFieldName("left")?.equals(attr)) sets.add(key);
    else reads.add(key);
  }
  for (const call of descendants(def, "call")) {
    const fn = call.childForFieldName("function")?.text ?? "";
    const args = call.childForFieldName("arguments")?.namedChildren ?? [];
    const key = args[1]?.type === "string" ? args[1].text.slice(1, -1) : undefined;
    if (args[0]?.text === "g" && key) (fn === "setattr" ? sets : /^(getattr|hasattr)$/.test(fn) ? reads : new Set<string>()).add(`g:${key}`);
    if (fn === "g.get" && args[0]?.type === "string") reads.add(`g:${args[0].text.slice(1, -1)}`);
  }
  for (const s of sets) reads.delete(s);
  return { sets, reads };
}

export function flaskPipelines(file: ParsedFile): Pipeline[] {
  if (!/before_request/.test(file.text)) return [];
  const byReceiver = new Map<string, PipelineStep[]>();
  const defs = new Map(descendants(file.tree!.rootNode, "function_definition").map((d) => [d.childForFieldName("name")?.text ?? "", d]));
  const add = (receiver: string, def: Node | undefined, name: string, at: number) => {
    const use = def ? hookUse(def) : { sets: new Set<string>(), reads: new Set<string>() };
    const list = byReceiver.get(receiver) ?? [];
    list.push({
      label: name, kind: "hook", path: file.path, line: at, provides: use.sets, requires: use.reads, source: def ? "pr" : "unseen",
      authenticates: use.sets.has("g:user") || use.sets.has("g:current_user") || use.sets.has("request:user"),
    });
    byReceiver.set(receiver, list);
  };
  for (const call of descendants(file.tree!.rootNode, "call")) {
    const fn = call.childForFieldName("function");
    if (fn?.type !== "attribute" || fn.childForFieldName("attribute")?.text !== "before_request") continue;
    const receiver = fn.childForFieldName("object")?.text ?? "app";
    const arg = call.childForFieldName("arguments")?.namedChildren[0];
    if (arg?.type === "identifier") add(receiver, defs.get(arg.text), arg.text, line(call));
  }
  for (const dec of descendants(file.tree!.rootNode, "decorator")) {
    const m = /^@(\w+)\.before_request$/.exec(dec.text.trim());
    const def = dec.parent?.childForFieldName("definition");
    if (m && def) add(m[1], def, def.childForFieldName("name")?.text ?? "", line(dec));
  }
  // The app's own hooks run first, then a blueprint's, for the blueprint's requests.
  const apps = new Set(descendants(file.tree!.rootNode, "assignment")
    .filter((a) => /(^|\.)Flask$/.test(a.childForFieldName("right")?.childForFieldName("function")?.text ?? ""))
    .map((a) => a.childForFieldName("left")?.text ?? ""));
  const appSteps = [...byReceiver].filter(([r]) => apps.has(r)).flatMap(([, steps]) => steps).sort((a, b) => a.line - b.line);
  return [...byReceiver].map(([receiver, steps]) => ({
    framework: "Flask", name: receiver, path: file.path, line: Math.min(...steps.map((s) => s.line)),
    steps: [...(apps.has(receiver) ? [] : appSteps), ...steps.sort((a, b) => a.line - b.line)], routes: [],
    order: apps.has(receiver) ? "Flask calls `before_request` functions in the order they were registered" : "Flask calls the app's `before_request` functions first, then the blueprint's, each in registration order",
  }));
}
