// The request-pipeline model through the engine: pipelines shown in execution order when a PR changes them,
// retired rule ids still honoured, guesses about unseen middleware one severity lower.
import { defaultConfig } from "../../src/config/schema.js";
import { review } from "../../src/engine/index.js";
import type { ChangedFile } from "../../src/engine/types.js";
import { renderSummary } from "../../src/report/index.js";

const pr = { title: "", body: "", commitMessages: [] };

const middleware = `use actix_web::{body::MessageBody, dev::{ServiceRequest, ServiceResponse}, middleware::Next, Error, HttpMessage};

pub struct CapsuleExtractor;
impl CapsuleExtractor {
    fn call(&self, req: ServiceRequest) {
        req.extensions_mut().insert(CapsuleContext { code: header(&req) });
    }
}

pub async fn config_middleware(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let capsule = req.extensions().get::<CapsuleContext>().cloned();
    next.call(req).await
}
`;
const main = (wraps: string) => `use actix_web::{middleware::from_fn, App, HttpServer};

pub fn app() -> App<impl actix_web::dev::ServiceFactory<actix_web::dev::ServiceRequest>> {
    App::new()
${wraps}
}
`;
const BASE = "        .wrap(from_fn(config_middleware))\n        .wrap(CapsuleExtractor)\n        .wrap(TracingLogger::default())";
const HEAD = "        .wrap(CapsuleExtractor)\n        .wrap(from_fn(config_middleware))\n        .wrap(TracingLogger::default())";

function files(head: string, base = BASE): ChangedFile[] {
  return [
    { path: "src/middleware.rs", status: "added", content: middleware },
    { path: "src/main.rs", status: "modified", content: main(head), baseContent: main(base), patch: "@@ -1,9 +1,9 @@\n" + main(head).split("\n").map((l) => `+${l}`).join("\n") },
  ];
}

function config() {
  const c = defaultConfig();
  c.review.filter = "file";
  return c;
}

test("a reordered actix App is shown in execution order, the moved step and its unmet requirement marked", async () => {
  const result = await review({ files: files(HEAD), pr, config: config() });
  expect(result.pipelines).toHaveLength(1);
  const view = result.pipelines![0];
  expect(view).toMatchObject({ framework: "actix-web", name: "App::new()", path: "src/main.rs", removed: [] });
  expect(view.steps.map((s) => s.label)).toEqual(["TracingLogger::default()", "from_fn(config_middleware)", "CapsuleExtractor"]);
  expect(view.steps.map((s) => s.change)).toEqual([undefined, "moved", undefined]);
  expect(view.steps[1].unmet[0]).toMatch(/`CapsuleContext` from the request extensions.*`CapsuleExtractor`/);
  expect(result.findings.map((f) => [f.ruleId, f.line, f.severity])).toEqual([["pipeline-order", 6, "failure"]]);

  const summary = renderSummary({ result, progress: { done: 0, required: 1 }, gate: { conclusion: "failure", reason: "x" }, overflow: 0, annotationsMax: 50, configSource: ["defaults"] });
  expect(summary).toContain("### Request pipelines changed (1)");
  expect(summary).toContain("`TracingLogger::default()` → **`from_fn(config_middleware)`** *(moved)* ⚠️ → `CapsuleExtractor` → handler");
});

test("a pipeline the PR left as it was is not shown; an added and a removed step are", async () => {
  expect((await review({ files: files(BASE), pr, config: config() })).pipelines).toEqual([]);
  const grown = await review({ files: files("        .wrap(from_fn(config_middleware))\n        .wrap(CapsuleExtractor)\n        .wrap(Compress::default())"), pr, config: config() });
  expect(grown.pipelines![0].steps.map((s) => [s.label, s.change])).toEqual([["Compress::default()", "added"], ["CapsuleExtractor", undefined], ["from_fn(config_middleware)", undefined]]);
  expect(grown.pipelines![0].removed).toEqual(["TracingLogger::default()"]);
});

test("the retired rule ids still suppress the finding and still set its level", async () => {
  const suppressed = files(HEAD.replace(".wrap(from_fn(", "// ai-gaps-ignore actix-middleware-order: config reads the capsule lazily\n        .wrap(from_fn("));
  const quiet = await review({ files: suppressed, pr, config: config() });
  expect(quiet.findings).toEqual([]);
  expect(quiet.suppressions.map((s) => s.ruleId)).toEqual(["pipeline-order"]);

  const c = config();
  c.rules["actix-middleware-order"] = "notice";
  expect((await review({ files: files(HEAD), pr, config: c })).findings.map((f) => f.severity)).toEqual(["notice"]);
});

test("a route ahead of middleware defined nowhere the review can read: judged from its name, one severity lower, and said so", async () => {
  const app = `import express from "express";
import { authenticate } from "@acme/auth";

const app = express();
app.delete("/api/projects/:id", async (req, res) => { res.json(await projects.remove(req.user.orgId, req.params.id)); });
app.use(authenticate);
`;
  const result = await review({ files: [{ path: "src/app.ts", status: "added", content: app }], pr, config: config() });
  expect(result.findings).toHaveLength(1);
  expect(result.findings[0]).toMatchObject({ ruleId: "pipeline-order", line: 5, severity: "warning" });
  expect(result.findings[0].message).toMatch(/defined neither in the PR nor in the repository files read.*its name `authenticate`/);
});
