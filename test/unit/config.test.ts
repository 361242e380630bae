import { rules } from "../../checks/index.js";
import { renderRuleMetas } from "../../src/engine/rule-meta.js";
import { readFileSync } from "node:fs";
import { checkConfigText, ConfigError, finishConfig, loadConfigText, MAX_CONFIG_BYTES, MAX_CONFIG_KEYS, mergeConfigs } from "../../src/config/load.js";
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
    for (const form of ["shop-config", "acme/.github", "acme/base:configs/ai-gaps.yaml", "base:ai.yml"]) {
      expect(checkConfigText(`_extends: ${form}\n`, FILE)).toMatchObject({ problems: [], extends: form, extendsAt: { line: 1, column: 1 } });
    }
  });

  test.each(["https://evil.example/ai-gaps.yml", "acme/base:../../x.yml", "acme/base:conf.json", "a/b/c", "[acme/base]", "42", "\"acme/base:\""])(
    "_extends: %s is an error on its line",
    (form) => {
      const { problems } = checkConfigText(`gate:\n  mode: block\n_extends: ${form}\n`, FILE);
      expect(problems).toEqual([expect.objectContaining({ path: "_extends", line: 3, message: expect.stringMatching(/unsupported _extends/) })]);
    },
  );

  test("billion laughs: an error at the first alias, never a throw", () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) lines.push(`${"abcdefghi"[i]}: &${"abcdefghi"[i]} [${Array(9).fill(`*${"abcdefghi"[i - 1]}`).join(",")}]`);
    const text = `paths:\n  include: ["**"]\n${lines.join("\n")}\n`;
    const { problems } = checkConfigText(text, FILE);
    expect(problems).toEqual([expect.objectContaining({ line: 4, message: expect.stringMatching(/aliases expand too far/) })]);
    expect(() => loadConfigText(text, FILE)).toThrow(ConfigError);
  });

  test("size and key count are capped; duplicate keys are named", () => {
    const huge = "rules:\n" + Array.from({ length: 20_000 }, (_, i) => `  r${i}: off`).join("\n");
    expect(checkConfigText(huge, FILE).problems[0].message).toMatch(new RegExp(`the most is ${MAX_CONFIG_BYTES}`));
    const many = "x:\n" + Array.from({ length: MAX_CONFIG_KEYS + 5 }, (_, i) => `  k${i}: 1`).join("\n");
    expect(checkConfigText(many, FILE).problems).toEqual([expect.objectContaining({ line: MAX_CONFIG_KEYS + 1, message: `more than ${MAX_CONFIG_KEYS} keys in one file` })]);
    expect(checkConfigText("gate:\n  mode: block\n  mode: advisory\n", FILE).problems).toEqual([
      expect.objectContaining({ line: 3, column: 3, message: 'duplicate key "mode"' }),
    ]);
  });

  test("unknown rule ids, approver categories and required item ids are errors with a suggestion", () => {
    const text = "rules:\n  float-mony: failure\n  pipeline-order: warning\nchecklist:\n  approvers:\n    securty: acme/sec\n  required:\n    security.threat-modle: true\n";
    const { problems } = checkConfigText(text, FILE);
    expect(problems.map((p) => [p.line, p.path, p.message])).toEqual([
      [2, "rules.float-mony", 'unknown rule id "float-mony" (did you mean "float-money"?)'],
      [6, "checklist.approvers.securty", 'unknown category "securty" (did you mean "security"?)'],
      [8, "checklist.required.security.threat-modle", 'unknown checklist item id "security.threat-modle" (did you mean "security.threat-model"?)'],
    ]);
    const own = "checklist:\n  items:\n    - id: team.oncall\n      text: On-call knows\n  required:\n    team.oncall: false\n";
    expect(checkConfigText(own, FILE).problems).toEqual([]);
  });

  test("loadConfigText: a typed error naming file, line and column", () => {
    try {
      loadConfigText("gate:\n  mode: strict\n", "local.yml");
      throw new Error("no error");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(/^local\.yml:2:9: gate\.mode: /);
      expect((error as ConfigError).problems).toHaveLength(1);
    }
    expect(() => loadConfigText("_extends: acme/base\n", "local.yml")).toThrow(/local\.yml:1:1: _extends: _extends is followed only on GitHub/);
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

  test("config/rules.json is every rule's metadata from checks/ (run scripts/generate-config.ts)", () => {
    expect(readFileSync(new URL("../../config/rules.json", import.meta.url), "utf8")).toBe(renderRuleMetas(rules));
  });

  test("the bundled defaults equal the schema defaults", () => {
    expect(bundledDefaults()).toEqual(defaultConfig());
  });
});
