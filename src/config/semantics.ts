// Checks the schema cannot make alone: names that must refer to something that exists (rule ids, categories,
// checklist item ids). A typo would otherwise be accepted and silently change nothing.
import { ruleMetas } from "../engine/rule-meta.js";
import { bundledTemplate } from "../checklist/template.js";
import { CATEGORY_IDS } from "../engine/categories.js";

export interface SemanticProblem {
  path: string[];
  message: string;
}

let ruleIds: string[] | undefined;

function knownRuleIds(): string[] {
  return (ruleIds ??= ruleMetas().flatMap((m) => [m.id, ...(m.replaces ?? [])]));
}

function templateIds(template: string): string[] {
  return [...template.matchAll(/<!--\s*ai-gaps:item\s+id=([a-z0-9][a-z0-9.-]*)/g)].map((m) => m[1]);
}

type Record_ = Record<string, unknown>;

const record = (v: unknown): Record_ => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record_) : {});

export function semanticProblems(config: Record_): SemanticProblem[] {
  const out: SemanticProblem[] = [];
  const check = (path: string[], known: readonly string[], what: string) => {
    for (const key of Object.keys(record(at(config, path)))) {
      if (!known.includes(key)) out.push({ path: [...path, key], message: `unknown ${what} "${key}"${didYouMean(key, known)}` });
    }
  };
  check(["rules"], knownRuleIds(), "rule id");
  check(["checklist", "approvers"], CATEGORY_IDS, "category");
  const checklist = record(config.checklist);
  // Item ids are known when the bundled template is used; a repository's own template is read at review time.
  if (checklist.template === undefined) {
    const extra = Array.isArray(checklist.items) ? checklist.items.map((i) => String(record(i).id)) : [];
    check(["checklist", "required"], [...templateIds(bundledTemplate()), ...extra], "checklist item id");
  }
  return out;
}

function at(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, key) => record(v)[key], value);
}

function didYouMean(key: string, known: readonly string[]): string {
  const best = known.map((k) => ({ k, d: distance(key, k) })).sort((a, b) => a.d - b.d)[0];
  return best && best.d <= Math.max(2, Math.floor(key.length / 4)) ? ` (did you mean "${best.k}"?)` : `; known: ${known.join(", ")}`;
}

/** Levenshtein distance, two rows. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}
