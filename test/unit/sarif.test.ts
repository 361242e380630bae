import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import AjvDraft04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";
import { rules } from "../../checks/index.js";
import { FINGERPRINT_KEY } from "../../src/report/sarif.js";
import { runCli } from "../support/cli-io.js";
import { makeRepo } from "../support/git-repo.js";

// SARIF 2.1.0 as published by Microsoft's SARIF SDK for JavaScript (a JSON Schema draft-04 document).
const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
// Both are CommonJS; under ESM interop their classes may arrive under `default`.
type AjvClass = typeof AjvDraft04Module.default;
const AjvDraft04 = ((AjvDraft04Module as unknown as { default?: AjvClass }).default ?? AjvDraft04Module) as AjvClass;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: InstanceType<AjvClass>) => unknown;
// The schema's `language` pattern has a stray "]" that is only valid without the u flag.
const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

const BASE = "import axios from 'axios';\nexport async function load(ids: string[]) {\n  return ids;\n}\n";
const HEAD =
  "import axios from 'axios';\nexport async function load(ids: string[]) {\n  for (const id of ids) {\n    await axios.get(`/items/${id}`);\n  }\n  console.log('done');\n  return ids;\n}\n";

async function sarifOf(dir: string): Promise<any> {
  const { code, out, err } = await runCli(dir, ["review", "--base", "main", "--format", "sarif"]);
  expect(err).toBe("");
  expect(code).toBe(1);
  return JSON.parse(out);
}

function repo() {
  const r = makeRepo();
  r.commit("base", { "src/load items.ts": BASE, ".github/ai-gaps.yml": "rules:\n  network-call-in-loop: failure\n  unstructured-logging: notice\n" });
  r.write({ "src/load items.ts": HEAD });
  return r;
}

test("the SARIF output is valid SARIF 2.1.0 with every rule of the catalogue", async () => {
  const log = await sarifOf(repo().dir);
  const valid = validate(log);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
  const broken = structuredClone(log);
  broken.runs[0].results[0].level = "fatal";
  expect(validate(broken)).toBe(false); // the schema does check what it is given
  expect(log.version).toBe("2.1.0");
  expect(log.$schema).toMatch(/sarif-2\.1\.0/);
  const driver = log.runs[0].tool.driver;
  expect(driver).toMatchObject({ name: "ai-gaps", version: expect.stringMatching(/^\d+\.\d+\.\d+/), informationUri: expect.stringMatching(/^https:\/\//) });
  expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(rules.map((r) => r.meta.id));
  for (const [i, rule] of rules.entries()) {
    const d = driver.rules[i];
    expect(d.shortDescription.text).toBe(rule.meta.description);
    expect(d.fullDescription.text).toContain(rule.meta.why);
    expect(d.help.text).toContain(rule.meta.fix);
    expect(d.properties.category).toBe(rule.meta.category);
    expect(d.properties.tags).toContain("ai-gaps");
    expect(["note", "warning", "error"]).toContain(d.defaultConfiguration.level);
  }
  const loop = driver.rules.find((r: { id: string }) => r.id === "network-call-in-loop");
  expect(loop.defaultConfiguration.level).toBe("error");
  expect(loop.properties.tags).toContain("Uncached external calls");
});

test("each result has its rule, level, message, location and fingerprint", async () => {
  const log = await sarifOf(repo().dir);
  const results = log.runs[0].results;
  const byRule = Object.fromEntries(results.map((r: { ruleId: string }) => [r.ruleId, r]));
  expect(byRule["network-call-in-loop"]).toMatchObject({
    level: "error",
    message: { text: expect.stringContaining("axios.get") },
    locations: [{ physicalLocation: { artifactLocation: { uri: "src/load%20items.ts", uriBaseId: "%SRCROOT%" }, region: { startLine: 4, endLine: 4 } } }],
  });
  expect(byRule["unstructured-logging"]).toMatchObject({ level: "note", locations: [{ physicalLocation: { region: { startLine: 6 } } }] });
  for (const r of results) {
    expect(log.runs[0].tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(r.partialFingerprints[FINGERPRINT_KEY]).toMatch(/\S/);
  }
  expect(new Set(results.map((r: any) => r.partialFingerprints[FINGERPRINT_KEY])).size).toBe(results.length);
});

test("fingerprints stay the same when unrelated lines move, so re-uploads don't duplicate alerts", async () => {
  const r = repo();
  const before = (await sarifOf(r.dir)).runs[0].results;
  r.write({ "src/load items.ts": `// a comment that shifts every line\n\n${HEAD}` });
  const after = (await sarifOf(r.dir)).runs[0].results;
  const prints = (results: any[]) => results.map((x) => [x.ruleId, x.partialFingerprints[FINGERPRINT_KEY]]);
  expect(prints(after)).toEqual(prints(before));
  expect(after[0].locations[0].physicalLocation.region.startLine).toBe(before[0].locations[0].physicalLocation.region.startLine + 2);
});
