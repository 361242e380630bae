// Every framework adapter over one review: the pipelines of each file, with the cross-file facts (what each
// middleware provides and requires, wherever it is defined: the PR or an unchanged repository file) read once.
import type { ParsedFile, ReviewFacts } from "../../../src/engine/rule.js";
import { collectUnits } from "../rust-middleware.js";
import { actixPipelines } from "./actix.js";
import { axumPipelines } from "./axum.js";
import { djangoPipelines, djangoUnits } from "./django.js";
import { expressFacts, expressPipelines, HTTP_IMPORT } from "./express.js";
import { fastapiPipelines } from "./fastapi.js";
import { fastifyPipelines } from "./fastify.js";
import { flaskPipelines } from "./flask.js";
import type { Pipeline } from "./model.js";
import { mongoosePipelines } from "./mongoose.js";
import { nestFacts, nestPipelines } from "./nest.js";
import { starlettePipelines, starletteUnits } from "./starlette.js";

export * from "./model.js";

const cache = new WeakMap<ParsedFile[], Pipeline[]>();

/** The pipelines registered in the review's changed files. */
export function reviewPipelines(review: Pick<ReviewFacts, "files">): Pipeline[] {
  const cached = cache.get(review.files);
  if (cached) return cached;
  const pipelines = buildPipelines(review.files, review.files.filter((f) => f.changed));
  cache.set(review.files, pipelines);
  return pipelines;
}

/** Pipelines registered in `targets`, resolving their steps across `files`. */
export function buildPipelines(files: ParsedFile[], targets: ParsedFile[]): Pipeline[] {
  const review = { files } as ReviewFacts;
  // Cross-file facts only when a target registers something of that framework (they walk every file).
  const has = (lang: string, registers: RegExp) => targets.some((f) => f.language === lang && registers.test(f.text));
  const rust = has("rust", /\.(wrap|wrap_fn|layer|route_layer)\(|ServiceBuilder/) ? collectUnits(files) : undefined;
  const ts = has("typescript", /\.(use|register|get|post|put|patch|delete|route|pre|post)\(|@nestjs\/|\.model\(/)
    ? { express: has("typescript", HTTP_IMPORT) ? expressFacts(review) : new Map(), nest: has("typescript", /@nestjs\//) ? nestFacts(review) : { components: new Map(), globals: [] } }
    : undefined;
  const py = has("python", /add_middleware|\.middleware\(|Middleware\(|Depends\(|Security\(|MIDDLEWARE|before_request/)
    ? {
        starlette: has("python", /add_middleware|\.middleware\(|Middleware\(|Depends\(|Security\(/) ? starletteUnits(review) : new Map(),
        django: has("python", /\bMIDDLEWARE(_CLASSES)?\s*=/) ? djangoUnits(review) : new Map(),
      }
    : undefined;
  const out: Pipeline[] = [];
  for (const file of targets) {
    if (file.language === "rust" && file.tree && rust) out.push(...actixPipelines(file, rust), ...axumPipelines(file, rust));
    if (file.language === "typescript" && file.ts && ts) {
      out.push(...expressPipelines(file, ts.express), ...fastifyPipelines(file), ...nestPipelines(file, ts.nest), ...mongoosePipelines(file));
    }
    if (file.language === "python" && file.tree && py) {
      const stacks = starlettePipelines(file, py.starlette);
      out.push(...stacks, ...fastapiPipelines(file, py.starlette, stacks.flatMap((p) => p.steps)), ...djangoPipelines(file, py.django), ...flaskPipelines(file));
    }
  }
  return out;
}
