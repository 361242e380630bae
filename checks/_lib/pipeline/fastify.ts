// Fastify adapter. Fastify docs (Encapsulation): "The encapsulation context governs which decorators,
// registered hooks, and plugins are available to routes"; a child context reaches its parent's plugins but
// not its siblings' nor its children's (https://fastify.dev/docs/latest/Reference/Encapsulation/). A plugin
// wrapped in `fastify-plugin` is not encapsulated: its hooks and decorators belong to the parent
// (https://fastify.dev/docs/latest/Reference/Plugins/#handle-the-scope). Hooks run in registration order
// per lifecycle stage (https://fastify.dev/docs/latest/Reference/Hooks/).
import { Node, SyntaxKind, type CallExpression } from "ts-morph";
import type { ParsedFile } from "../../../src/engine/rule.js";
import { AUTH_NAME, requestUse } from "./express.js";
import { isSensitiveRoute } from "./http.js";
import type { Pipeline, PipelineRoute, PipelineStep } from "./model.js";
import { enclosingFunctions } from "../ts.js";

const FASTIFY_IMPORT = /from\s+["']fastify["']|require\(\s*["']fastify["']\s*\)/;
const ROUTE = /^(get|post|put|patch|delete|head|options|all)$/;
const HOOK_STAGES = /^(onRequest|preParsing|preValidation|preHandler)$/;
const SKIP = "Fastify encapsulates hooks: a hook added inside a plugin reaches that plugin's routes and its children only, not its siblings or its parent (wrap the plugin in `fastify-plugin` to share it)";

interface Context {
  parent?: Context;
  hooks: PipelineStep[];
  routes: { step: PipelineStep; method: string; path: string }[];
}

type Fn = Node & { getParameters(): { getName(): string }[]; getBody(): Node | undefined };

function isFn(n: Node | undefined): n is Fn {
  return Boolean(n && (Node.isArrowFunction(n) || Node.isFunctionExpression(n) || Node.isFunctionDeclaration(n)));
}

/** A plugin argument: an inline function, `fp(fn)`, or a function declared in the same file. */
function pluginFn(arg: Node | undefined, file: ParsedFile): { fn?: Fn; shared: boolean } {
  if (!arg) return { shared: false };
  if (Node.isCallExpression(arg) && /^(fp|fastifyPlugin)$/.test(arg.getExpression().getText())) return { fn: pluginFn(arg.getArguments()[0], file).fn, shared: true };
  if (isFn(arg)) return { fn: arg, shared: false };
  if (Node.isIdentifier(arg)) {
    const decl = file.ts!.getFunction(arg.getText()) ?? file.ts!.getVariableDeclaration(arg.getText())?.getInitializer();
    if (decl && Node.isCallExpression(decl)) return pluginFn(decl, file);
    if (isFn(decl)) return { fn: decl, shared: false };
  }
  return { shared: false };
}

function handlerStep(file: ParsedFile, call: CallExpression, fn: Node | undefined, label: string, kind: PipelineStep["kind"]): PipelineStep {
  const use = fn ? requestUse(fn) : undefined;
  const reads = [...(use?.reads ?? [])].filter((r) => r !== "body");
  return {
    label, kind, path: file.path, line: call.getStartLineNumber(), source: fn ? "pr" : "unseen",
    provides: new Set([...(use?.sets ?? [])].map((x) => `request:${x}`)),
    requires: new Set(kind === "route" ? reads.map((x) => `request:${x}`) : []),
    authenticates: Boolean(use?.sets.has("user")) || AUTH_NAME.test(label),
  };
}

function walk(file: ParsedFile, body: Node, instance: string, ctx: Context, all: Context[]): void {
  for (const call of body.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const expr = call.getExpression();
    if (!Node.isPropertyAccessExpression(expr) || expr.getExpression().getText() !== instance) continue;
    // Only calls made directly in this plugin's body, not in a nested plugin.
    const home = enclosingFunctions(call).find((a) => isFn(a) && isPluginFn(a));
    if (home !== (Node.isSourceFile(body) ? undefined : body.getParent())) continue;
    const method = expr.getName();
    const args = call.getArguments();
    if (method === "addHook" && HOOK_STAGES.test(args[0]?.getText().replace(/["'`]/g, "") ?? "")) {
      const fn = isFn(args[1]) ? args[1] : undefined;
      ctx.hooks.push(handlerStep(file, call, fn, `addHook(${args[0].getText()}${fn ? "" : `, ${args[1]?.getText() ?? ""}`})`, "hook"));
    } else if (method === "register") {
      const { fn, shared } = pluginFn(args[0], file);
      const param = fn?.getParameters()[0]?.getName();
      const inner = fn?.getBody();
      if (!fn || !param || !inner) continue;
      const child: Context = shared ? ctx : { parent: ctx, hooks: [], routes: [] };
      if (!shared) all.push(child);
      walk(file, inner, param, child, all);
    } else if (ROUTE.test(method) && args.length >= 2) {
      const path = Node.isStringLiteral(args[0]) || Node.isNoSubstitutionTemplateLiteral(args[0]) ? args[0].getLiteralText() : "<dynamic>";
      const handler = args[args.length - 1];
      ctx.routes.push({ step: handlerStep(file, call, isFn(handler) ? handler : undefined, `${method.toUpperCase()} ${path}`, "route"), method, path });
    }
  }
}

/** An inline plugin (`app.register(async (i) => ...)`, `fp(fn)`) or a function passed to `register` by name. */
function isPluginFn(fn: Node): boolean {
  const call = fn.getParentIfKind(SyntaxKind.CallExpression);
  if (call && /\.register$|^(fp|fastifyPlugin)$/.test(call.getExpression().getText())) return true;
  const name = Node.isFunctionDeclaration(fn) ? fn.getName() : fn.getParentIfKind(SyntaxKind.VariableDeclaration)?.getName();
  if (!name) return false;
  return new RegExp(`\\.register\\(\\s*${name}\\b|\\b(fp|fastifyPlugin)\\(\\s*${name}\\b`).test(fn.getSourceFile().getFullText());
}

function chain(ctx: Context): Context[] {
  return ctx.parent ? [...chain(ctx.parent), ctx] : [ctx];
}

export function fastifyPipelines(file: ParsedFile): Pipeline[] {
  if (!FASTIFY_IMPORT.test(file.text) || !/\.register\(/.test(file.text)) return [];
  const roots = file.ts!.getDescendantsOfKind(SyntaxKind.VariableDeclaration).filter((d) => /^(Fastify|fastify)\(/.test(d.getInitializer()?.getText() ?? ""));
  const out: Pipeline[] = [];
  for (const decl of roots) {
    const root: Context = { hooks: [], routes: [] };
    const all = [root];
    walk(file, file.ts!, decl.getName(), root, all);
    const routes: PipelineRoute[] = [];
    for (const ctx of all) {
      const reach = chain(ctx);
      const before = reach.flatMap((c) => c.hooks);
      const skipped = all.filter((c) => !reach.includes(c)).flatMap((c) => c.hooks);
      for (const r of ctx.routes) routes.push({ step: r.step, before, skipped, sensitive: isSensitiveRoute(r.method, r.path, true), skipReason: SKIP });
    }
    if (all.length < 2) continue;
    out.push({
      framework: "Fastify", name: decl.getName(), path: file.path, line: decl.getStartLineNumber(),
      steps: root.hooks, routes, order: "Fastify runs the hooks of a route's own plugin and its ancestors, in registration order",
    });
  }
  return out;
}
