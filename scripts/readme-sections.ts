// The generated parts of README.md: the configuration reference (from src/config/schema.ts) and the rule
// catalogue (from the registry, checks/index.ts). scripts/readme.ts writes them; a unit test checks them.
import { rules } from "../checks/index.js";
import { CATEGORIES } from "../src/engine/categories.js";
import { jsonSchema } from "../src/config/schema.js";

type Schema = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  minimum?: number;
  maximum?: number;
};

const CATEGORY_IDS = CATEGORIES.map((c) => c.id);

function typeOf(s: Schema): string {
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(" \\| ");
  if (s.type === "array") return `list of ${s.items ? typeOf(s.items) : "values"}`;
  if (s.type === "object" && s.additionalProperties && typeof s.additionalProperties === "object") {
    return `map of ${typeOf(s.additionalProperties)}`;
  }
  const max = s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? s.maximum : undefined;
  const min = s.minimum !== undefined && s.minimum > Number.MIN_SAFE_INTEGER ? s.minimum : undefined;
  const range = min !== undefined || max !== undefined ? ` (${min ?? ""}..${max ?? ""})` : "";
  return `${Array.isArray(s.type) ? s.type.join(" \\| ") : (s.type ?? "any")}${range}`;
}

function show(value: unknown): string {
  if (value === undefined) return "—";
  return `\`${JSON.stringify(value)}\``;
}

function rows(schema: Schema, prefix: string, out: string[]): void {
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (prefix === "categories") {
      if (key !== CATEGORY_IDS[0]) continue; // the seven categories share one shape
      rows(sub, "categories.<category>", out);
      continue;
    }
    const nested = sub.type === "object" && sub.properties && Object.keys(sub.properties).length;
    if (nested) {
      rows(sub, path, out);
      continue;
    }
    out.push(`| \`${path}\` | ${typeOf(sub)} | ${show(sub.default)} | ${(sub.description ?? "").replace(/\|/g, "\\|")} |`);
  }
}

function configTable(): string {
  const out = ["| key | type | default | meaning |", "| --- | --- | --- | --- |"];
  rows(jsonSchema() as Schema, "", out);
  return [
    `\`<category>\` is one of ${CATEGORY_IDS.map((c) => `\`${c}\``).join(", ")}.`,
    `\`checklist.items\` entries take \`id\`, \`text\`, \`category\` (\`always\` or a category; default \`always\`) and \`required\` (default \`true\`).`,
    "",
    ...out,
  ].join("\n");
}

function ruleTable(): string {
  const out = ["| rule | category | languages | default severity | finds |", "| --- | --- | --- | --- | --- |"];
  for (const category of CATEGORIES) {
    for (const rule of rules.filter((r) => r.meta.category === category.id)) {
      const m = rule.meta;
      out.push(`| \`${m.id}\` | ${category.name} | ${m.languages.join(", ")} | ${m.severity} | ${m.description.replace(/\|/g, "\\|")} |`);
    }
  }
  return out.join("\n");
}

function replace(text: string, name: string, body: string): string {
  const re = new RegExp(`(<!-- ${name}:start[^>]*-->)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!re.test(text)) throw new Error(`README.md has no ${name} markers`);
  return text.replace(re, `$1\n${body}\n$2`);
}

/** README text with both generated sections brought up to date. */
export function renderReadme(readme: string): string {
  return replace(replace(readme, "config", configTable()), "rules", ruleTable());
}
