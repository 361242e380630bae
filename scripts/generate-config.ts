// Writes config/schema.json and config/default.yml from src/config/schema.ts (the one source).
// Run: npx tsx scripts/generate-config.ts   (a unit test fails when the files are out of date)
import { writeFileSync } from "node:fs";
import { renderDefaultYaml, renderJsonSchema } from "../src/config/files.js";

writeFileSync(new URL("../config/schema.json", import.meta.url), renderJsonSchema());
writeFileSync(new URL("../config/default.yml", import.meta.url), renderDefaultYaml());
