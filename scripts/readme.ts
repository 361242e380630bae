// Regenerates the generated parts of README.md (configuration reference, rule catalogue).
//   npx tsx scripts/readme.ts      (test/unit/docs.test.ts fails when README.md is out of date)
import { readFileSync, writeFileSync } from "node:fs";
import { rules } from "../checks/index.js";
import { renderReadme } from "./readme-sections.js";

const url = new URL("../README.md", import.meta.url);
writeFileSync(url, renderReadme(readFileSync(url, "utf8")));
process.stdout.write(`README.md: ${rules.length} rules, configuration reference regenerated\n`);
