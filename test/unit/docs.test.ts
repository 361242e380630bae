import { readFileSync } from "node:fs";
import { renderReadme } from "../../scripts/readme-sections.js";

test("README.md's configuration reference and rule catalogue are current (run npx tsx scripts/readme.ts)", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  expect(readme).toBe(renderReadme(readme));
});
