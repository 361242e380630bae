// NestJS adapter. Nest docs (FAQ, Request lifecycle): "a request flows through middleware to guards, then to
// interceptors, then to pipes and finally back to interceptors on the return path"; "Guard execution starts
// with global guards, then proceeds to controller guards, and finally to route guards. As with middleware,
// guards run in the order in which they are bound" — `@UseGuards(Guard1, Guard2)` runs Guard1 first
// (https://docs.nestjs.com/faq/request-lifecycle). @nestjs/passport's `AuthGuard(strategy)` sets
// `request.user` (https://docs.nestjs.com/recipes/passport).
import { Node, SyntaxKind, type ClassDeclaration, type Decorator, type MethodDeclaration, type SourceFile } from "ts-morph";
import type { ParsedFile, ReviewFacts } from "../../../src/engine/rule.js";
import { guessIdentity } from "./guess.js";
import type { Pipeline, PipelineStep, StepKind } from "./model.js";

interface Component {
  sets: Set<string>;
  reads: Set<string>;
  changed: boolean;
}
export type NestFacts = { components: Map<string, Component>; globals: PipelineStep[] };

const ROUTE = /^(Get|Post|Put|Patch|Delete|All|Head|Options)$/;
const KINDS: [RegExp, StepKind][] = [[/^UseGuards$/, "guard"], [/^UseInterceptors$/, "interceptor"], [/^UsePipes$/, "pipe"]];
const GLOBAL: [RegExp, StepKind][] = [[/^useGlobalGuards$|^APP_GUARD$/, "guard"], [/^useGlobalInterceptors$|^APP_INTERCEPTOR$/, "interceptor"], [/^useGlobalPipes$|^APP_PIPE$/, "pipe"]];
const RANK: Record<string, number> = { middleware: 0, guard: 1, interceptor: 2, pipe: 3, handler: 4 };
const IGNORED = /^(headers|params|query|url|method|ip|path|originalUrl|baseUrl|hostname|protocol|get|header|socket|route|res)$/;

/** `request.x` reads and writes through `context.switchToHttp().getRequest()` (or a `use(req, ...)` middleware). */
function requestUse(cls: ClassDeclaration): { sets: Set<string>; reads: Set<string> } {
  const names = new Set<string>();
  for (const d of cls.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    if (/getRequest\s*(<[^>]*>)?\s*\(\s*\)$/.test(d.getInitializer()?.getText() ?? "")) names.add(d.getName());
  }
  const use = cls.getMethod("use");
  const first = use?.getParameters()[0]?.getName();
  if (first) names.add(first);
  const sets = new Set<string>();
  const reads = new Set<string>();
  for (const access of cls.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)) {
    const obj = access.getExpression().getText();
    if (!names.has(obj) && !/getRequest\s*(<[^>]*>)?\s*\(\s*\)$/.test(obj)) continue;
    const prop = access.getName();
    if (IGNORED.test(prop)) continue;
    const parent = access.getParent();
    const assigned = Node.isBinaryExpression(parent) && parent.getLeft() === access && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken;
    (assigned ? sets : reads).add(prop);
  }
  for (const s of sets) reads.delete(s);
  return { sets, reads };
}

function isPassportGuard(cls: ClassDeclaration): boolean {
  return /\bAuthGuard\s*\(/.test(cls.getExtends()?.getText() ?? "");
}

export function nestFacts(review: ReviewFacts): NestFacts {
  const components = new Map<string, Component>();
  const globals: PipelineStep[] = [];
  for (const file of review.files) {
    if (!file.ts || !/@nestjs\//.test(file.text)) continue;
    for (const cls of file.ts.getClasses()) {
      const name = cls.getName();
      if (!name) continue;
      const use = requestUse(cls);
      if (isPassportGuard(cls)) use.sets.add("user");
      components.set(name, { ...use, changed: file.changed });
    }
    if (file.changed) globals.push(...globalSteps(file, file.ts));
  }
  return { components, globals };
}

function globalSteps(file: ParsedFile, sf: SourceFile): PipelineStep[] {
  const out: PipelineStep[] = [];
  for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const expr = call.getExpression();
    const method = Node.isPropertyAccessExpression(expr) ? expr.getName() : "";
    const kind = GLOBAL.find(([p]) => p.test(method))?.[1];
    if (kind) for (const a of call.getArguments()) out.push(stepFor(file, a.getText(), kind, call.getStartLineNumber(), true));
  }
  for (const obj of sf.getDescendantsOfKind(SyntaxKind.ObjectLiteralExpression)) {
    const provide = obj.getProperty("provide")?.getText().replace(/^provide\s*:\s*/, "") ?? "";
    const kind = GLOBAL.find(([p]) => p.test(provide))?.[1];
    const cls = obj.getProperty("useClass")?.getText().replace(/^useClass\s*:\s*/, "");
    if (kind && cls) out.push(stepFor(file, cls, kind, obj.getStartLineNumber(), true));
  }
  return out;
}

function stepFor(file: ParsedFile, text: string, kind: StepKind, line: number, global = false): PipelineStep {
  const name = text.replace(/^new\s+/, "").replace(/\(.*$/s, "").trim();
  return { label: `${global ? "global " : ""}${text.replace(/\s+/g, " ")}`, kind, path: file.path, line, provides: new Set(), requires: new Set(), source: "unseen", ...{ ref: name } } as PipelineStep;
}

function resolveStep(step: PipelineStep, facts: NestFacts): PipelineStep {
  const ref = (step as PipelineStep & { ref: string }).ref;
  // `AuthGuard('jwt')` itself, used inline: Passport sets request.user.
  if (/^AuthGuard$/.test(ref)) return { ...step, provides: new Set(["request:user"]), source: "pr", authenticates: true };
  const c = facts.components.get(ref);
  if (!c) {
    const guess = guessIdentity(ref, ["request:user"]);
    return guess && step.kind === "guard" ? { ...step, provides: new Set(guess.provides), guessedFrom: guess.from, authenticates: true } : step;
  }
  return {
    ...step, source: c.changed ? "pr" : "repo",
    provides: new Set([...c.sets].map((x) => `request:${x}`)),
    requires: new Set([...c.reads].map((x) => `request:${x}`)),
    authenticates: c.sets.has("user"),
  };
}

function decorated(file: ParsedFile, decorators: Decorator[]): PipelineStep[] {
  const out: PipelineStep[] = [];
  for (const d of decorators) {
    const kind = KINDS.find(([p]) => p.test(d.getName()))?.[1];
    if (kind) for (const a of d.getArguments()) out.push(stepFor(file, a.getText(), kind, d.getStartLineNumber()));
  }
  return out;
}

function routeOf(m: MethodDeclaration): string | undefined {
  const d = m.getDecorators().find((x) => ROUTE.test(x.getName()));
  return d ? `${d.getName().toUpperCase()} ${d.getArguments()[0]?.getText().replace(/["'`]/g, "") ?? ""}`.trim() : undefined;
}

export function nestPipelines(file: ParsedFile, facts: NestFacts): Pipeline[] {
  if (!/@nestjs\/common/.test(file.text)) return [];
  const out: Pipeline[] = [];
  for (const cls of file.ts!.getClasses()) {
    if (!cls.getDecorator("Controller")) continue;
    const own = decorated(file, cls.getDecorators());
    for (const m of cls.getMethods()) {
      const route = routeOf(m);
      if (!route) continue;
      const steps = [...facts.globals, ...own, ...decorated(file, m.getDecorators())]
        .map((s) => resolveStep(s, facts))
        .map((s, i) => ({ s, i }))
        .sort((a, b) => RANK[a.s.kind] - RANK[b.s.kind] || a.i - b.i)
        .map((x) => x.s);
      if (!steps.length) continue;
      steps.push({ label: `${cls.getName()}.${m.getName()}`, kind: "handler", path: file.path, line: m.getStartLineNumber(), provides: new Set(), requires: new Set(), source: "pr" });
      out.push({
        framework: "NestJS", name: `${cls.getName()} ${route}`, path: file.path, line: m.getStartLineNumber(), steps, routes: [],
        order: "Nest runs guards (global, then controller, then route, each in the order bound), then interceptors, then pipes",
      });
    }
  }
  return out;
}
