// actix-web adapter. Docs (actix_web::middleware): "Middleware is registered for each App, Scope, or Resource
// and executed in opposite order as registration" — the last `.wrap()` is the outermost and sees the request
// first (https://docs.rs/actix-web/latest/actix_web/middleware/index.html). `wrap_fn` registers a closure
// the same way (https://docs.rs/actix-web/latest/actix_web/struct.App.html#method.wrap_fn). App-level
// middleware wraps every nested Scope/Resource, so it runs before theirs.
import type { Node } from "web-tree-sitter";
import type { ParsedFile } from "../../../src/engine/rule.js";
import { line } from "../tree.js";
import { chainCalls, chainTops, inlineUnit, resolveUnit, stepLine, type Step, type Units } from "../rust-middleware.js";
import { guessIdentities, rustStep } from "./rust.js";
import type { Pipeline, PipelineStep } from "./model.js";

const WRAP = /^(wrap|wrap_fn)$/;
const ORDER = "actix-web runs `.wrap()` middleware in reverse registration order (the last one registered runs first)";

interface Chain {
  top: Node;
  steps: Step[];
  children: Chain[];
}

function label(arg: Node | undefined): string {
  if (arg?.type === "closure_expression") return "wrap_fn closure";
  const text = (arg?.text ?? "").replace(/\s+/g, " ");
  return text.length > 48 ? `${text.slice(0, 45)}...` : text;
}

function buildChains(file: ParsedFile, units: Units): Chain[] {
  const tops = chainTops(file.tree!.rootNode).filter((top) => chainCalls(top).some((c) => WRAP.test(c.name)));
  const chains = new Map<number, Chain>();
  for (const top of tops) {
    const steps = chainCalls(top)
      .filter((c) => WRAP.test(c.name))
      .map((c): Step => ({
        node: c.call,
        label: label(c.args[0]),
        unit: resolveUnit(c.args[0], units, (closure) => ({ ...inlineUnit(closure, `wrap_fn closure at line ${line(closure)}`), source: file.changed ? "pr" : "repo" })),
      }));
    chains.set(top.id, { top, steps, children: [] });
  }
  const roots: Chain[] = [];
  for (const chain of chains.values()) {
    let parent: Chain | undefined;
    for (let cur = chain.top.parent; cur && !parent; cur = cur.parent) parent = chains.get(cur.id);
    (parent ? parent.children : roots).push(chain);
  }
  return roots;
}

function scopeName(top: Node): string {
  const text = top.text.replace(/\s+/g, "");
  const scope = /web::scope\("([^"]*)"\)/.exec(text);
  if (scope && text.indexOf(scope[0]) < 12) return `web::scope("${scope[1]}")`;
  return /^App::new/.test(text) ? "App::new()" : text.startsWith("web::resource") ? "web::resource" : "App";
}

export function actixPipelines(file: ParsedFile, units: Units): Pipeline[] {
  if (!units.size && !/wrap_fn/.test(file.text)) return [];
  const out: Pipeline[] = [];
  const toStep = (s: Step) => rustStep(file, s, stepLine(s));
  const walk = (chain: Chain, outer: PipelineStep[]) => {
    const own = [...chain.steps].reverse().map(toStep);
    const inner = (cs: Chain[]): PipelineStep[] => cs.flatMap((c) => [...[...c.steps].reverse().map(toStep), ...inner(c.children)]);
    out.push({
      framework: "actix-web",
      name: scopeName(chain.top),
      path: file.path,
      line: line(chain.top),
      steps: [...outer, ...own],
      inner: inner(chain.children),
      routes: [],
      order: ORDER,
    });
    for (const child of chain.children) walk(child, [...outer, ...own]);
  };
  for (const root of buildChains(file, units)) walk(root, []);
  guessIdentities([...new Set(out.flatMap((p) => [...p.steps, ...(p.inner ?? [])]))]);
  return out;
}
