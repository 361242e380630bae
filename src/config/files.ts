// The generated config files: config/schema.json (editor completion) and config/default.yml (the defaults).
import { readProjectFile } from "../project-files.js";
import { parse, stringify } from "yaml";
import { configSchema, defaultConfig, jsonSchema, type Config } from "./schema.js";

export function renderJsonSchema(): string {
  const schema = { ...jsonSchema(), title: "ai-gaps configuration (.github/ai-gaps.yml)" };
  return JSON.stringify(schema, null, 2) + "\n";
}

/** Describes a key from the JSON Schema's descriptions, as YAML comments. */
export function renderDefaultYaml(): string {
  const schema = jsonSchema() as { properties: Record<string, JsonNode> };
  const yaml = stringify(defaultConfig(), { lineWidth: 0 });
  const out = ["# ai-gaps defaults (generated from src/config/schema.ts; do not edit by hand).", "# Copy any part into .github/ai-gaps.yml to change it.", "# yaml-language-server: $schema=./schema.json", ""];
  const stack: string[] = [];
  for (const line of yaml.split("\n")) {
    const m = /^(\s*)([a-z_]+):/.exec(line);
    if (m) {
      const depth = m[1].length / 2;
      stack.length = depth;
      stack.push(m[2]);
      const description = describe(schema, stack);
      if (description) out.push(`${m[1]}# ${description}`);
    }
    out.push(line);
  }
  return out.join("\n").trimEnd() + "\n";
}

interface JsonNode {
  description?: string;
  properties?: Record<string, JsonNode>;
}

function describe(schema: { properties: Record<string, JsonNode> }, path: string[]): string | undefined {
  let node: JsonNode | undefined = schema;
  for (const key of path) node = node?.properties?.[key];
  return node?.description;
}

let bundled: Config | undefined;

/** The defaults as config/default.yml states them (kept equal to the schema's defaults by a test). */
export function bundledDefaults(): Config {
  bundled ??= configSchema.parse(parse(readProjectFile("config/default.yml")) ?? {});
  return structuredClone(bundled);
}

