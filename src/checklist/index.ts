// The checklist facade used by the pull-request job: build the checklist, render the comment, decide the gate.
// (First version: ticks are read from the existing comment; the ticking workflow extends this.)
import type { Config } from "../config/schema.js";
import type { EngineResult, Finding } from "../engine/types.js";
import { buildChecklist, renderChecklist, type Checklist } from "./template.js";

export const CHECKLIST_MARKER = "<!-- ai-gaps:checklist -->";

export interface ChecklistInput {
  template: string;
  result: EngineResult;
  config: Config;
  headSha: string;
  /** Body of the existing checklist comment, if there is one. */
  existingBody?: string;
}

export interface Gate {
  conclusion: "success" | "failure" | "neutral";
  /** Why, in one line. */
  reason: string;
}

export interface ChecklistOutput {
  checklist: Checklist;
  body: string;
  progress: { done: number; required: number };
  gate: Gate;
}

const TICKED = /^\s*-\s*\[[xX]\].*<!--\s*ai-gaps:item id=([a-z0-9.-]+)\s*-->/;

function tickedIds(body: string | undefined): Set<string> {
  const ids = new Set<string>();
  for (const line of (body ?? "").split("\n")) {
    const m = TICKED.exec(line);
    if (m) ids.add(m[1]);
  }
  return ids;
}

export function prepareChecklist(input: ChecklistInput): ChecklistOutput {
  const found = input.result.pr.map((c) => c.category);
  const checklist = buildChecklist(input.template, found, input.config);
  const ticked = tickedIds(input.existingBody);
  const required = checklist.items.filter((i) => i.required);
  const done = required.filter((i) => ticked.has(i.id)).length;
  const body = [CHECKLIST_MARKER, renderChecklist(checklist, ticked)].join("\n");
  const gate = decideGate(input.result.findings, { done, required: required.length }, input.config);
  return { checklist, body, progress: { done, required: required.length }, gate };
}

export function decideGate(findings: Finding[], progress: { done: number; required: number }, config: Config): Gate {
  const failures = findings.filter((f) => f.severity === "failure").length;
  const open = progress.required - progress.done;
  if (!failures && !open) return { conclusion: "success", reason: "every required item is done and no failure-level finding remains" };
  const reason = [failures && `${failures} failure-level finding(s)`, open && `${open} required checklist item(s) open`].filter(Boolean).join(", ");
  return { conclusion: config.gate.mode === "block" ? "failure" : "neutral", reason };
}
