// The request pipelines a PR changed, in execution order, for the check run: head pipelines compared with
// the same pipelines built from the base versions of their files (steps added, removed or moved).
import { buildPipelines, describeValue, pipelineProblems, type Pipeline, type PipelineProblem } from "../../checks/_lib/pipeline/index.js";
import type { ParsedFile } from "./rule.js";
import { disposeFiles, parseFiles } from "./parse.js";
import type { PipelineView } from "./types.js";

/** Most pipelines shown. */
export const MAX_PIPELINES = 20;

export async function changedPipelines(parsed: ParsedFile[], head: Pipeline[]): Promise<PipelineView[]> {
  const paths = new Set(head.map((p) => p.path));
  const bases = parsed.filter((f) => f.changed && paths.has(f.path) && f.baseText !== undefined);
  const { parsed: baseFiles } = await parseFiles(bases.map((f) => ({ path: f.path, content: f.baseText!, changed: true })));
  try {
    const context = parsed.filter((f) => !bases.includes(f));
    const before = buildPipelines([...baseFiles, ...context], baseFiles);
    const views: PipelineView[] = [];
    const seen = new Map<string, number>();
    for (const p of head) {
      const key = `${p.path}\0${p.framework}\0${p.name}`;
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      const old = before.filter((b) => `${b.path}\0${b.framework}\0${b.name}` === key)[n];
      const view = viewOf(p, old);
      if (view) views.push(view);
    }
    return views.slice(0, MAX_PIPELINES);
  } finally {
    disposeFiles(baseFiles);
  }
}

function labels(p: Pipeline | undefined): string[] {
  return (p?.steps ?? []).filter((s) => s.kind !== "route").map((s) => s.label);
}

/** The view of a pipeline, or undefined when the PR left its steps as they were. */
function viewOf(p: Pipeline, old: Pipeline | undefined): PipelineView | undefined {
  const now = labels(p);
  const was = labels(old);
  const kept = longestCommon(now.filter((l) => was.includes(l)), was.filter((l) => now.includes(l)));
  const removed = was.filter((l) => !now.includes(l));
  const unmet = new Map<string, string[]>();
  for (const problem of pipelineProblems(p)) {
    const list = unmet.get(problem.at.label) ?? [];
    list.push(unmetText(problem));
    unmet.set(problem.at.label, list);
  }
  const steps = p.steps.filter((s) => s.kind !== "route").map((s) => ({
    label: s.label,
    kind: s.kind,
    change: !was.includes(s.label) ? ("added" as const) : !kept.has(s.label) ? ("moved" as const) : undefined,
    unmet: unmet.get(s.label) ?? [],
  }));
  if (!steps.some((s) => s.change) && !removed.length) return undefined;
  if (steps.length + removed.length < 2 && !steps.some((s) => s.unmet.length)) return undefined;
  return { framework: p.framework, name: p.name, path: p.path, line: p.line, steps, removed };
}

function unmetText(p: PipelineProblem): string {
  const other = `\`${p.other.label}\``;
  switch (p.kind) {
    case "requires-later": return `needs ${describeValue(p.value!)} (provided by ${other}, which runs later)`;
    case "escapes": return p.value ? `reads ${describeValue(p.value)}, but ${other}, which provides it, does not run for it` : `is not behind ${other}`;
    case "error-handler-first": return `is registered before ${other}, so it never receives that route's errors`;
    case "after-seal": return `is added after ${other} compiled the schema, so it never runs`;
  }
}

/** Labels of the longest common subsequence: the steps that kept their relative order. */
function longestCommon(a: string[], b: string[]): Set<string> {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) t[i][j] = a[i] === b[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
  const out = new Set<string>();
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) out.add(a[i]), i++, j++;
    else if (t[i + 1][j] >= t[i][j + 1]) i++;
    else j++;
  }
  return out;
}
