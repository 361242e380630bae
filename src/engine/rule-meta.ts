// The rules' metadata without their code: config/rules.json, generated from checks/ by scripts/generate-config.ts
// (a unit test keeps it current). Config checks, reports and the CLI read it, so only the engine's own thread loads
// the rules and their parsers (ts-morph and the TypeScript compiler take most of a second to load).
import type { Config } from "../config/schema.js";
import { readProjectFile } from "../project-files.js";
import type { RuleMeta } from "./rule.js";
import type { Severity } from "./types.js";

let metas: RuleMeta[] | undefined;
let byId: Map<string, RuleMeta> | undefined;

/** Every rule's metadata, in the registry's order. */
export function ruleMetas(): RuleMeta[] {
  return (metas ??= JSON.parse(readProjectFile("config/rules.json")) as RuleMeta[]);
}

export function ruleMeta(id: string): RuleMeta | undefined {
  byId ??= new Map(ruleMetas().map((m) => [m.id, m]));
  return byId.get(id);
}

/** The level a rule runs at under this config: its own setting (or a retired id's), its category's, or its default. */
export function ruleLevel(rule: { meta: RuleMeta }, config: Config): Severity | "off" {
  const cat = config.categories[rule.meta.category];
  if (!cat.enabled) return "off";
  const own = config.rules[rule.meta.id] ?? rule.meta.replaces?.map((id) => config.rules[id]).find(Boolean);
  return own ?? cat.severity ?? rule.meta.severity;
}

/** config/rules.json as scripts/generate-config.ts writes it. */
export function renderRuleMetas(rules: { meta: RuleMeta }[]): string {
  return `${JSON.stringify(rules.map((r) => r.meta), null, 1)}\n`;
}
