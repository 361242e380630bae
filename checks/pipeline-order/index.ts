// One rule over the request-pipeline model (checks/_lib/pipeline): a step that requires what only a later
// step provides, a route that escapes a step it should be behind, an error handler ahead of the routes, and
// a hook registered after the schema was compiled. The framework adapters say what runs in which order.
import { defineRule, type ParsedFile, type Report, type RuleContext } from "../../src/engine/rule.js";
import { axumOrder } from "../_lib/pipeline/axum.js";
import { describeValue, pipelineProblems, reviewPipelines, type Pipeline, type PipelineProblem, type PipelineStep } from "../_lib/pipeline/index.js";
import { CASES } from "./cases/index.js";

function where(step: PipelineStep, from: PipelineStep): string {
  return step.path === from.path ? `line ${step.line}` : `${step.path}:${step.line}`;
}

function unseenNote(p: PipelineProblem): string {
  const s = p.other;
  return p.guessed ? ` \`${s.label}\` is defined neither in the PR nor in the repository files read; what it provides is judged from ${s.guessedFrom}, so confirm it.` : "";
}

function orderOf(p: PipelineProblem): string {
  return p.pipeline.framework === "axum" ? axumOrder(p.at, p.other) : p.pipeline.order;
}

function message(p: PipelineProblem): string {
  const { at, other } = p;
  const value = p.value ? describeValue(p.value) : "";
  switch (p.kind) {
    case "requires-later":
      if (p.pipeline.inner?.includes(other)) {
        return `\`${at.label}\` reads ${value}, but it is registered on the outer App/Scope, so it runs before \`${other.label}\` (${where(other, at)}) on the nested scope, which provides it.${unseenNote(p)}`;
      }
      return `\`${at.label}\` needs ${value}, but it runs before \`${other.label}\` (${where(other, at)}), which provides it: ${orderOf(p)}. The value is missing when it is read.${unseenNote(p)}`;
    case "escapes": {
      const what = at.kind === "router" ? "mounts routes that read" : "reads";
      if (value) return `\`${at.label}\` ${what} ${value}, but \`${other.label}\` (${where(other, at)}), which provides it, does not run for it: ${p.route!.skipReason}.${unseenNote(p)}`;
      return `\`${at.label}\` is not behind \`${other.label}\` (${where(other, at)}): ${p.route!.skipReason}. The route is served without that authentication.${unseenNote(p)}`;
    }
    case "error-handler-first":
      return `Error-handling middleware \`${at.label}\` is registered before \`${other.label}\` (${where(other, at)}): Express passes errors only to error handlers registered after the route, so errors from the later routes get the default handler.`;
    case "after-seal":
      return `\`${at.label}\` is added after \`${other.label}\` (${where(other, at)}) compiled the schema: ${p.pipeline.order}, so this hook never runs.`;
  }
}

function detect(file: ParsedFile, ctx: RuleContext<Pipeline[]>): Report[] {
  const reports: Report[] = [];
  const seen = new Set<string>();
  for (const pipeline of ctx.facts.filter((p) => p.path === file.path)) {
    for (const problem of pipelineProblems(pipeline)) {
      const key = `${problem.at.path}:${problem.at.line}:${problem.kind}`;
      if (problem.at.path !== file.path || seen.has(key)) continue;
      seen.add(key);
      // Moving either registration of the pair is the change that matters, whichever line the diff shows.
      const alsoAt = problem.other.path === file.path && problem.other.line !== problem.at.line ? [problem.other.line] : undefined;
      reports.push({ line: problem.at.line, message: message(problem), lower: problem.guessed, alsoAt });
    }
  }
  return reports;
}

export default defineRule<Pipeline[]>({
  meta: {
    id: "pipeline-order",
    category: "framework",
    languages: ["typescript", "rust", "python"],
    severity: "failure",
    description: "A middleware, layer, guard or hook needs a value that only a step running after it provides, or a route escapes a step it should be behind (actix-web, axum/tower, Express, Koa, Fastify, NestJS, Mongoose, Starlette/FastAPI middleware and dependencies, Django, Flask).",
    why: "Registration order is what people read; execution order is what runs, and frameworks differ: actix-web and `Router::layer` run the last registration first, `ServiceBuilder`, Express, Django and Flask run top to bottom, Starlette's `add_middleware` stacks in reverse, Nest runs guards before interceptors, Fastify hooks stay inside their plugin, Mongoose ignores hooks added after `model()`. A step ahead of its producer finds nothing (a 500, or every caller treated as anonymous), and a route outside the authentication step is served to anyone; no compiler or single-middleware test sees it.",
    fix: "Reorder the registrations so the producer runs first in the framework's own order (the check run shows each changed pipeline in execution order), register routes after the middleware they need, error handlers last, hooks before `model()`, and share Fastify hooks with `fastify-plugin`. Test a request through the fully assembled app.",
    docs: [
      "https://docs.rs/actix-web/latest/actix_web/middleware/index.html",
      "https://docs.rs/axum/latest/axum/middleware/index.html#ordering",
      "https://docs.rs/tower/latest/tower/builder/struct.ServiceBuilder.html#order",
      "https://expressjs.com/en/guide/writing-middleware.html",
      "https://expressjs.com/en/guide/error-handling.html",
      "https://koajs.com/#application",
      "https://fastify.dev/docs/latest/Reference/Encapsulation/",
      "https://docs.nestjs.com/faq/request-lifecycle",
      "https://mongoosejs.com/docs/middleware.html#defining",
      "https://fastapi.tiangolo.com/tutorial/middleware/#multiple-middleware-execution-order",
      "https://www.starlette.io/middleware/",
      "https://fastapi.tiangolo.com/tutorial/dependencies/dependencies-in-path-operation-decorators/",
      "https://docs.djangoproject.com/en/stable/topics/http/middleware/#activating-middleware",
      "https://flask.palletsprojects.com/en/stable/api/#flask.Flask.before_request",
    ],
    replaces: ["actix-middleware-order", "axum-layer-order", "express-route-before-middleware", "starlette-middleware-order"],
  },
  collect: (review) => reviewPipelines(review),
  detect: { typescript: detect, rust: detect, python: detect },
  cases: CASES,
});
