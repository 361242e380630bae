// The request pipeline: for each app/router/scope, the steps a request passes through in the order they
// execute (middleware, layers, guards, interceptors, hooks, dependencies, handlers), with what each step
// provides to the later ones (request extensions, req.user, request.state.x, ...) and what it requires.
// Framework adapters (one module per framework beside this one) build pipelines from registration code;
// the pipeline-order rule and the report's pipeline section read only this model.

export type StepKind =
  | "middleware" | "layer" | "guard" | "interceptor" | "pipe" | "hook" | "dependency"
  | "handler" | "route" | "router" | "error-handler" | "plugin" | "compile";

/** Where the step's definition was read: a file of the PR, an unchanged repository file, or nowhere. */
export type StepSource = "pr" | "repo" | "unseen";

export interface PipelineStep {
  label: string;
  kind: StepKind;
  path: string;
  /** Line of the registration (`.wrap(`, `app.use(`, `add_middleware(`, the MIDDLEWARE entry, ...). */
  line: number;
  provides: Set<string>;
  requires: Set<string>;
  source: StepSource;
  /** Sets the caller's identity (authentication). */
  authenticates?: boolean;
  /** What `provides` was judged from when the definition was not found (its name, its doc comment). */
  guessedFrom?: string;
  /** The path prefix the step is mounted on (`app.use("/admin", ...)`); none: every path. */
  scope?: string;
  /** A group the step was registered in (a `ServiceBuilder`, a plugin), when it orders differently. */
  group?: string;
  /** Steps registered after this one never run (Mongoose: hooks added after `model()` compiled the schema). */
  seals?: boolean;
}

/** A route (or mounted router) and the steps of its pipeline that do and do not run for it. */
export interface PipelineRoute {
  step: PipelineStep;
  /** Steps that run before the handler, in execution order (its own route-level middleware included). */
  before: PipelineStep[];
  /** Steps of the same app that do not run for this route (registered after it, on a sibling scope, ...). */
  skipped: PipelineStep[];
  /** A route that should be behind authentication when the app has it (writes, account/admin paths, ...). */
  sensitive: boolean;
  /** Why a skipped step does not run for it, in the framework's terms. */
  skipReason: string;
}

export interface Pipeline {
  framework: string;
  /** The app, router or scope: `App::new()`, `app`, `Router`, `MIDDLEWARE`, ... */
  name: string;
  path: string;
  line: number;
  /** Steps in execution order. */
  steps: PipelineStep[];
  /** Steps of nested scopes: they run after `steps`, for the nested routes only. */
  inner?: PipelineStep[];
  routes: PipelineRoute[];
  /** One sentence: how the framework orders these steps (quoted in messages). */
  order: string;
}

export interface PipelineProblem {
  kind: "requires-later" | "escapes" | "error-handler-first" | "after-seal";
  /** Where to report. */
  at: PipelineStep;
  /** The other step involved: the producer that runs too late, the step escaped, the route, the seal. */
  other: PipelineStep;
  /** The value required (requires-later, escapes with a value). */
  value?: string;
  /** True when the conclusion rests on a step whose definition was not found. */
  guessed: boolean;
  pipeline: Pipeline;
  route?: PipelineRoute;
}

/** Provisions named in messages: `ext:Claims` -> "`Claims` (request extension)". */
export function describeValue(value: string): string {
  const [space, name] = value.includes(":") ? [value.slice(0, value.indexOf(":")), value.slice(value.indexOf(":") + 1)] : ["", value];
  switch (space) {
    case "ext": return `\`${name}\` from the request extensions`;
    case "req": return `\`req.${name}\``;
    case "ctx": return `\`ctx.state.${name}\``;
    case "state": return `\`request.state.${name}\``;
    case "request": return `\`request.${name}\``;
    case "g": return `\`g.${name}\``;
    default: return `\`${value}\``;
  }
}

const guessed = (...steps: PipelineStep[]) => steps.some((s) => s.source === "unseen" && Boolean(s.guessedFrom));

/** Every order problem of one pipeline. */
export function pipelineProblems(p: Pipeline): PipelineProblem[] {
  const out: PipelineProblem[] = [];
  const seen = new Set<string>();
  const push = (x: PipelineProblem) => {
    const key = `${x.kind}:${x.at.path}:${x.at.line}:${x.value ?? ""}`;
    if (!seen.has(key)) out.push(x), seen.add(key);
  };
  const middle = p.steps.filter((s) => s.kind !== "route" && s.kind !== "router");
  const later = [...middle, ...(p.inner ?? [])];
  middle.forEach((step, i) => {
    for (const value of step.requires) {
      if (middle.slice(0, i).some((s) => s.provides.has(value))) continue;
      const producer = later.slice(i + 1).find((s) => s.provides.has(value) && covers(s.scope, step.scope));
      if (producer) push({ kind: "requires-later", at: step, other: producer, value, guessed: guessed(producer), pipeline: p });
    }
  });
  const sealAt = p.steps.findIndex((s) => s.seals);
  if (sealAt >= 0) {
    for (const s of p.steps.slice(sealAt + 1)) if (s.kind === "hook") push({ kind: "after-seal", at: s, other: p.steps[sealAt], guessed: false, pipeline: p });
  }
  p.steps.forEach((step, i) => {
    if (step.kind !== "error-handler") return;
    const route = p.steps.slice(i + 1).find((s) => s.kind === "route" || s.kind === "router");
    if (route) push({ kind: "error-handler-first", at: step, other: route, guessed: false, pipeline: p });
  });
  for (const route of p.routes) {
    const problem = routeProblem(p, route);
    if (problem) push(problem);
  }
  return out;
}

/** A step mounted on `outer` runs for every request of a step mounted on `inner`. */
export function covers(outer: string | undefined, inner: string | undefined): boolean {
  if (!outer || outer === "/") return true;
  if (!inner || inner === "<dynamic>" || outer === "<dynamic>") return false;
  return inner === outer || inner.startsWith(outer.endsWith("/") ? outer : `${outer}/`);
}

function routeProblem(p: Pipeline, route: PipelineRoute): PipelineProblem | undefined {
  const provided = new Set(route.before.flatMap((s) => [...s.provides]));
  for (const value of route.step.requires) {
    if (provided.has(value)) continue;
    const producer = route.skipped.find((s) => s.provides.has(value));
    if (producer) return { kind: "escapes", at: route.step, other: producer, value, guessed: guessed(producer), pipeline: p, route };
  }
  if (!route.sensitive || route.before.some((s) => s.authenticates)) return undefined;
  const auth = route.skipped.find((s) => s.authenticates);
  return auth ? { kind: "escapes", at: route.step, other: auth, guessed: guessed(auth), pipeline: p, route } : undefined;
}

/** `A → B → handler`: the pipeline in execution order. */
export function orderLine(steps: { label: string }[]): string {
  return steps.map((s) => s.label).join(" → ");
}

/** Shortens a registration's source text for a label. */
export function shortLabel(text: string, max = 48): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}
