// Rust steps from the request-extension facts of ../rust-middleware.ts (what each middleware inserts/reads).
import type { ParsedFile } from "../../../src/engine/rule.js";
import type { Step } from "../rust-middleware.js";
import type { PipelineStep, StepKind } from "./model.js";

const IDENTITY_TYPE = /claims|user|principal|identity|session|auth/i;

export function rustStep(file: ParsedFile, s: Step, at: number, kind: StepKind = "middleware"): PipelineStep {
  const provides = new Set([...(s.unit?.produces ?? [])].map((t) => `ext:${t}`));
  return {
    label: s.label,
    kind,
    path: file.path,
    line: at,
    provides,
    requires: new Set([...(s.unit?.consumes ?? [])].map((t) => `ext:${t}`)),
    source: s.unit ? s.unit.source ?? "pr" : "unseen",
    authenticates: [...(s.unit?.produces ?? [])].some((t) => IDENTITY_TYPE.test(t)) || (!s.unit && /auth|jwt|bearer|session/i.test(s.label)),
  };
}

const IDENTITY_NAME = /auth|jwt|bearer|session|identity|principal|oidc/i;

/**
 * A middleware defined nowhere the review can read, whose name says it authenticates (`JwtAuth::new(keys)`),
 * is judged to insert the identity types (`Claims`, `User`, ...) the other steps read; reports say so.
 */
export function guessIdentities(steps: PipelineStep[]): void {
  const wanted = [...new Set(steps.flatMap((s) => [...s.requires]).filter((v) => IDENTITY_TYPE.test(v)))];
  if (!wanted.length) return;
  for (const s of steps) {
    if (s.source !== "unseen" || !IDENTITY_NAME.test(s.label)) continue;
    s.provides = new Set(wanted);
    s.guessedFrom = `its name \`${s.label}\``;
  }
}
