// Django adapter. Django docs (Middleware, "Activating middleware"): "The order in MIDDLEWARE matters because a
// middleware can depend on other middleware. For instance, AuthenticationMiddleware stores the authenticated
// user in the session; therefore, it must run after SessionMiddleware"; on the request, middleware runs top to
// bottom (https://docs.djangoproject.com/en/stable/topics/http/middleware/#activating-middleware). The
// built-in ordering notes (https://docs.djangoproject.com/en/stable/ref/middleware/#middleware-ordering):
// LocaleMiddleware and MessageMiddleware after SessionMiddleware, RemoteUserMiddleware and
// LoginRequiredMiddleware after AuthenticationMiddleware.
import type { Node } from "web-tree-sitter";
import type { ParsedFile, ReviewFacts } from "../../../src/engine/rule.js";
import { descendants, line } from "../tree.js";
import { guessIdentity } from "./guess.js";
import type { Pipeline, PipelineStep } from "./model.js";

const BUILTIN: Record<string, { provides?: string[]; requires?: string[]; authenticates?: boolean }> = {
  "django.contrib.sessions.middleware.SessionMiddleware": { provides: ["session"] },
  "django.contrib.auth.middleware.AuthenticationMiddleware": { provides: ["user"], requires: ["session"], authenticates: true },
  "django.contrib.auth.middleware.RemoteUserMiddleware": { provides: ["user"], requires: ["user"] },
  "django.contrib.auth.middleware.PersistentRemoteUserMiddleware": { provides: ["user"], requires: ["user"] },
  "django.contrib.auth.middleware.LoginRequiredMiddleware": { requires: ["user"] },
  "django.contrib.messages.middleware.MessageMiddleware": { requires: ["session"] },
  "django.middleware.locale.LocaleMiddleware": { requires: ["session"] },
};
const FRAMEWORK_ATTRS = /^(META|GET|POST|FILES|COOKIES|path|path_info|method|headers|body|content_type|content_params|scheme|encoding|resolver_match|build_absolute_uri|get_host|get_full_path|is_secure|urlconf|upload_handlers|data|query_params|stream|read|readline|get_port|accepts|get_signed_cookie)$/;

export interface DjangoUnit {
  sets: Set<string>;
  reads: Set<string>;
  changed: boolean;
}
export type DjangoUnits = Map<string, DjangoUnit>;

/** `request.x` reads and writes of a middleware class (before it hands the request on) or function. */
function requestUse(def: Node): { sets: Set<string>; reads: Set<string> } {
  const sets = new Set<string>();
  const reads = new Set<string>();
  const handOn = descendants(def, "call").find((c) => /(^|\.)get_response$/.test(c.childForFieldName("function")?.text ?? ""));
  for (const attr of descendants(def, "attribute")) {
    if (attr.childForFieldName("object")?.text !== "request") continue;
    const name = attr.childForFieldName("attribute")?.text ?? "";
    if (FRAMEWORK_ATTRS.test(name)) continue;
    const parent = attr.parent;
    if (parent?.type === "assignment" && parent.childForFieldName("left")?.equals(attr)) sets.add(name);
    else if (!handOn || attr.startIndex < handOn.startIndex) reads.add(name);
  }
  for (const s of sets) reads.delete(s);
  return { sets, reads };
}

/** Middleware classes and factories by dotted path (`app/middleware.py` class `Tenant` -> `app.middleware.Tenant`). */
export function djangoUnits(review: ReviewFacts): DjangoUnits {
  const units: DjangoUnits = new Map();
  for (const file of review.files) {
    if (file.language !== "python" || !file.tree || !/request\./.test(file.text)) continue;
    const module = file.path.replace(/\.py$/, "").replace(/\/__init__$/, "").replace(/\//g, ".");
    for (const def of file.tree.rootNode.namedChildren) {
      const d = def?.type === "decorated_definition" ? def.childForFieldName("definition") : def;
      if (!d || !/^(class|function)_definition$/.test(d.type)) continue;
      const name = d.childForFieldName("name")?.text ?? "";
      const use = requestUse(d);
      // Registered by its dotted path, whatever the source root (`src/app/mw.py` -> `app.mw.X` too).
      const parts = module.split(".");
      for (let i = 0; i < parts.length; i++) units.set(`${parts.slice(i).join(".")}.${name}`, { ...use, changed: file.changed });
    }
  }
  return units;
}

function stepFor(file: ParsedFile, entry: Node, units: DjangoUnits): PipelineStep {
  const dotted = entry.text.slice(1, -1);
  const short = dotted.slice(dotted.lastIndexOf(".") + 1);
  const ns = (xs: Iterable<string>) => new Set([...xs].map((x) => `request:${x}`));
  const base = { label: short, kind: "middleware" as const, path: file.path, line: line(entry) };
  const builtin = BUILTIN[dotted];
  if (builtin) return { ...base, provides: ns(builtin.provides ?? []), requires: ns(builtin.requires ?? []), source: "pr", authenticates: builtin.authenticates };
  const unit = units.get(dotted);
  if (unit) return { ...base, provides: ns(unit.sets), requires: ns(unit.reads), source: unit.changed ? "pr" : "repo", authenticates: unit.sets.has("user") };
  if (/^django\./.test(dotted)) return { ...base, provides: new Set(), requires: new Set(), source: "pr" };
  const guess = guessIdentity(short, ["user"]);
  return { ...base, provides: ns(guess?.provides ?? []), requires: new Set(), source: "unseen", guessedFrom: guess?.from, authenticates: Boolean(guess) };
}

export function djangoPipelines(file: ParsedFile, units: DjangoUnits): Pipeline[] {
  if (!/\bMIDDLEWARE(_CLASSES)?\s*=/.test(file.text)) return [];
  const out: Pipeline[] = [];
  for (const assign of descendants(file.tree!.rootNode, "assignment")) {
    const left = assign.childForFieldName("left")?.text ?? "";
    const list = assign.childForFieldName("right");
    if (!/^MIDDLEWARE(_CLASSES)?$/.test(left) || !list || !/^(list|tuple)$/.test(list.type)) continue;
    const entries = list.namedChildren.filter((n): n is Node => n?.type === "string");
    out.push({
      framework: "Django", name: left, path: file.path, line: line(assign), routes: [],
      steps: entries.map((e) => stepFor(file, e, units)),
      order: "Django runs `MIDDLEWARE` top to bottom on the request",
    });
  }
  return out;
}
