// Writes config/schema.json and config/default.yml from src/config/schema.ts (the one source), and config/rules.json
// (every rule's metadata) from checks/.
// Run: npx tsx scripts/generate-config.ts   (a unit test fails when the files are out of date)
import { writeFileSync } from "node:fs";
import { rules } from "../checks/index.js";
import { renderDefaultYaml, renderJsonSchema } from "../src/config/files.js";
import { renderRuleMetas } from "../src/engine/rule-meta.js";

writeFileSync(new URL("../config/schema.json", import.meta.url), renderJsonSchema());
writeFileSync(new URL("../config/default.yml", import.meta.url), renderDefaultYaml());
writeFileSync(new URL("../config/rules.json", import.meta.url), renderRuleMetas(rules));
