import { readFileSync } from "node:fs";
import { checkConfigText, finishConfig, mergeConfigs } from "../../src/config/load.js";
import { bundledDefaults, renderDefaultYaml, renderJsonSchema } from "../../src/config/files.js";
import { defaultConfig } from "../../src/config/schema.js";

const FILE = "octo/app:.github/ai-gaps.yml";

describe("checkConfigText", () => {
  test("accepts a valid file", () => {
    const text = "gate:\n  mode: advisory\nrules:\n  float-money: failure\npaths:\n  exclude: ['docs/**']\n";
    const { value, problems } = checkConfigText(text, FILE);
    expect(problems).toEqual([]);
    const config = finishConfig([value!]);
    expect(config.gate.mode).toBe("advisory");
    expect(config.rules["float-money"]).toBe("failure");
    expect(config.paths.include).toEqual(["**"]);
  });

  test("an empty file is the defaults", () => {
    expect(checkConfigText("", FILE).problems).toEqual([]);
    expect(finishConfig([checkConfigText("", FILE).value!])).toEqual(defaultConfig());
  });

  test("bad YAML names the line and column", () => {
    const { problems } = checkConfigText("gate:\n  mode: block\nrules: [float-money\nreview: {}\n", FILE);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ file: FILE, line: expect.any(Number), column: expect.any(Number) });
    expect(problems[0].line).toBeGreaterThanOrEqual(3);
  });

  test("an unknown key is reported where it stands", () => {
    const { problems } = checkConfigText("gate:\n  mode: block\n  strict: true\n", FILE);
    expect(problems).toEqual([{ file: FILE, path: "gate.strict", line: 3, column: 3, message: 'unknown key "strict" under "gate"' }]);
  });

  test("a wrong type or value is reported at the value", () => {
    const { problems } = checkConfigText("annotations:\n  max: lots\nrules:\n  float-money: loud\n", FILE);
    expect(problems.map((p) => [p.path, p.line, p.column])).toEqual([
      ["annotations.max", 2, 8],
      ["rules.float-money", 4, 16],
    ]);
    expect(problems[0].message).toMatch(/number/);
  });

  test("a file that is not a mapping", () => {
    expect(checkConfigText("- a\n- b\n", FILE).problems[0].message).toMatch(/mapping/);
  });

  test("_extends is allowed", () => {
    expect(checkConfigText("_extends: .github\n", FILE).problems).toEqual([]);
  });
});

describe("merging", () => {
  test("arrays replace instead of concatenating; later files win", () => {
    const org = { paths: { exclude: ["vendor/**", "docs/**"] }, gate: { mode: "advisory" } };
    const repo = { paths: { exclude: ["gen/**"] } };
    expect(mergeConfigs([org, repo])).toEqual({ paths: { exclude: ["gen/**"] }, gate: { mode: "advisory" } });
    expect(finishConfig([org, repo]).paths.exclude).toEqual(["gen/**"]);
  });
});

describe("generated files", () => {
  test("config/default.yml and config/schema.json match src/config/schema.ts (run scripts/generate-config.ts)", () => {
    expect(readFileSync(new URL("../../config/default.yml", import.meta.url), "utf8")).toBe(renderDefaultYaml());
    expect(readFileSync(new URL("../../config/schema.json", import.meta.url), "utf8")).toBe(renderJsonSchema());
  });

  test("the bundled defaults equal the schema defaults", () => {
    expect(bundledDefaults()).toEqual(defaultConfig());
  });
});
