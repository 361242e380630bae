import { readFileSync } from "node:fs";
import { renderReadme } from "../../scripts/readme-sections.js";

test("README.md's configuration reference and rule catalogue are current (run npx tsx scripts/readme.ts)", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  expect(readme).toBe(renderReadme(readme));
});

test("every variable in .env.example is documented in README.md, and the README opens with its picture", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const example = readFileSync(new URL("../../.env.example", import.meta.url), "utf8");
  const names = [...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
  expect(names.length).toBeGreaterThan(10);
  for (const name of names) expect(readme).toContain(`\`${name}\``);
  expect(readme.indexOf("![A review by ai-gaps")).toBeLessThan(readme.indexOf("```sh"));
  expect(readFileSync(new URL("../../docs/review.png", import.meta.url)).subarray(1, 4).toString()).toBe("PNG");
});
