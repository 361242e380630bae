import { defaultConfig } from "../../src/config/schema.js";
import { classifyFile, classifyPr } from "../../src/engine/classify.js";
import { inFilter, parsePatch } from "../../src/engine/diff.js";
import { review } from "../../src/engine/index.js";
import { planFiles } from "../../src/engine/select.js";
import type { ChangedFile } from "../../src/engine/types.js";
import unstructuredLogging from "../../checks/unstructured-logging.js";

const pr = { title: "", body: "", commitMessages: [] };
const cats = (c: { categories: { category: string }[] }) => c.categories.map((x) => x.category);

describe("classification", () => {
  const config = defaultConfig();

  test("by path globs, with the reason", () => {
    const c = classifyFile("services/billing/invoice.ts", "export const x = 1;\n", [], config);
    expect(cats(c)).toEqual(["business"]);
    expect(c.categories[0].reasons[0]).toMatch(/path/);
  });

  test("by imported APIs", () => {
    const code = 'import { STSClient, AssumeRoleCommand } from "@aws-sdk/client-sts";\nimport jwt from "jsonwebtoken";\n';
    expect(cats(classifyFile("src/x.ts", code, [], config))).toEqual(["performance", "security"]);
    expect(cats(classifyFile("src/main.rs", "use actix_web::{App, HttpServer};\n", [], config))).toEqual(["framework"]);
    expect(cats(classifyFile("app/main.py", "from fastapi import FastAPI\n", [], config))).toEqual(["framework"]);
  });

  test("config paths add a category and enabled: false removes one", () => {
    const custom = defaultConfig();
    custom.categories.novel.paths = ["src/scoping/**"];
    custom.categories.business.enabled = false;
    expect(cats(classifyFile("src/scoping/client.ts", "", [], custom))).toEqual(["novel"]);
    expect(cats(classifyFile("src/billing/a.ts", "", [], custom))).toEqual([]);
  });

  test("by PR text, when the change has code", () => {
    const code = [classifyFile("src/clients.ts", "export const x = 1;\n", [], config)];
    const text = { title: "Scope clients per tenant", body: "We must enforce at compile time that a capsule client is never used for platform tables.", commitMessages: [] };
    const result = classifyPr(text, code, [], config);
    expect(result.map((c) => c.category)).toContain("novel");
    expect(classifyPr({ ...pr, title: "Pro-rated refunds for annual plans" }, code, [], config).map((c) => c.category)).toContain("business");
    expect(classifyPr({ ...pr, title: "Fix typo in README" }, code, [], config)).toEqual([]);
    // Prose only: the title names a category, the change touches none.
    const docs = [classifyFile("docs/auth.md", undefined, [], config)];
    expect(classifyPr({ ...pr, title: "Document the auth and billing flows" }, docs, [], config)).toEqual([]);
  });

  test("default path globs classify code, configuration and templates, not prose or assets; the repository's own globs classify any file", () => {
    for (const path of ["docs/auth.md", "AUTHORS.md", "docs/security/threat-model.rst", "assets/jwt-flow.png", "src/auth/README.md", "src/auth/LICENSE", "src/billing/fonts/receipt.woff2"]) {
      expect([path, cats(classifyFile(path, undefined, [], config))]).toEqual([path, []]);
    }
    const configAndTemplates = ["config/auth.yaml", "src/auth/permissions.yaml", "deploy/permissions/rbac.yaml", "src/auth/templates/login.html", "src/auth/Dockerfile", "src/auth/policy.rego", "src/auth/session.pyi"];
    for (const path of ["src/auth.ts", "src/auth/session.go", "infra/auth.tf", "app/middleware/auth.rb", ...configAndTemplates]) {
      expect([path, cats(classifyFile(path, undefined, [], config))]).toEqual([path, expect.arrayContaining(["security"])]);
    }
    expect(cats(classifyFile("src/billing/prices.json", undefined, [], config))).toContain("business");
    const custom = defaultConfig();
    custom.categories.security.paths = ["docs/security/**"];
    expect(cats(classifyFile("docs/security/threat-model.md", undefined, [], custom))).toEqual(["security"]);
  });
});

describe("diff lines", () => {
  const patch = "@@ -1,3 +1,4 @@\n line one\n-old two\n+new two\n+added three\n line four\n@@ -10,2 +11,2 @@\n ctx\n+tail\n";

  test("added and visible right-hand lines", () => {
    const d = parsePatch(patch);
    expect([...d.added]).toEqual([2, 3, 12]);
    expect([...d.visible]).toEqual([1, 2, 3, 4, 11, 12]);
  });

  test("filters", () => {
    const d = parsePatch(patch);
    expect(inFilter(d, "added", 4, 4)).toBe(false);
    expect(inFilter(d, "diff_context", 4, 4)).toBe(true);
    expect(inFilter(d, "added", 4, 5)).toBe(false);
    expect(inFilter(d, "added", 1, 2)).toBe(true);
    expect(inFilter(d, "file", 40, 40)).toBe(true);
  });
});

describe("file selection", () => {
  test("skips removed, excluded, generated, unknown types and over the limit, with reasons", () => {
    const config = defaultConfig();
    config.paths.exclude = ["docs/**"];
    config.limits.max_files = 1;
    const files: ChangedFile[] = [
      { path: "src/a.ts", status: "modified" },
      { path: "src/b.ts", status: "modified" },
      { path: "src/old.ts", status: "removed" },
      { path: "docs/x.ts", status: "added" },
      { path: "package-lock.json", status: "modified" },
      { path: "logo.png", status: "added" },
    ];
    const plan = planFiles(files, config);
    expect(plan.read.map((f) => f.path)).toEqual(["src/a.ts"]);
    expect(Object.fromEntries(plan.skipped.map((s) => [s.path, s.reason]))).toEqual({
      "src/b.ts": "over the limit of 1 files (limits.max_files)",
      "src/old.ts": "removed",
      "docs/x.ts": "matched by paths.exclude",
      "package-lock.json": "generated, vendored or lock file",
      "logo.png": "no rules for this file type",
    });
  });
});

describe("review", () => {
  const code = "export function h(req) {\n  console.log('a');\n  console.log('b');\n}\n";
  const patch = "@@ -1,3 +1,4 @@\n export function h(req) {\n   console.log('a');\n+  console.log('b');\n }\n";
  const run = (over: Partial<ChangedFile>, mutate = (_c: ReturnType<typeof defaultConfig>) => {}) => {
    const config = defaultConfig();
    mutate(config);
    return review({ files: [{ path: "src/h.ts", status: "modified", content: code, patch, ...over }], pr, config, rules: [unstructuredLogging] });
  };

  test("reports only on added lines by default", async () => {
    const result = await run({});
    expect(result.findings.map((f) => f.line)).toEqual([3]);
    expect(result.findings[0]).toMatchObject({ ruleId: "unstructured-logging", category: "resilience", severity: "notice", path: "src/h.ts" });
  });

  test("diff_context and file filters widen it", async () => {
    expect((await run({}, (c) => (c.review.filter = "diff_context"))).findings.map((f) => f.line)).toEqual([2, 3]);
    expect((await run({ patch: "@@ -4,1 +4,1 @@\n }\n" }, (c) => (c.review.filter = "file"))).findings).toHaveLength(2);
  });

  test("a rule level of off, or a disabled category, turns the rule off", async () => {
    expect((await run({}, (c) => (c.rules["unstructured-logging"] = "off"))).findings).toEqual([]);
    expect((await run({}, (c) => (c.categories.resilience.enabled = false))).findings).toEqual([]);
  });

  test("category severity applies; the per-rule level still wins", async () => {
    expect((await run({}, (c) => (c.categories.resilience.severity = "failure"))).findings[0].severity).toBe("failure");
    const both = await run({}, (c) => {
      c.categories.resilience.severity = "failure";
      c.rules["unstructured-logging"] = "warning";
    });
    expect(both.findings[0].severity).toBe("warning");
  });

  test("a suppression with a reason suppresses and is listed", async () => {
    const withIgnore = code.replace("  console.log('b');", "  // ai-gaps-ignore unstructured-logging: local debugging aid\n  console.log('b');");
    const p = "@@ -1,3 +1,5 @@\n export function h(req) {\n   console.log('a');\n+  // ai-gaps-ignore unstructured-logging: local debugging aid\n+  console.log('b');\n }\n";
    const result = await run({ content: withIgnore, patch: p });
    expect(result.findings).toEqual([]);
    expect(result.suppressions).toEqual([{ ruleId: "unstructured-logging", path: "src/h.ts", line: 3, reason: "local debugging aid" }]);
  });

  test("a suppression without a reason suppresses nothing and is reported itself", async () => {
    const withIgnore = code.replace("  console.log('b');", "  console.log('b'); // ai-gaps-ignore unstructured-logging");
    const result = await run({ content: withIgnore });
    expect(result.findings.map((f) => [f.ruleId, f.line]).sort()).toEqual([
      ["suppression-without-reason", 3],
      ["unstructured-logging", 3],
    ]);
    expect(result.suppressions).toEqual([]);
  });

  test("binary, oversized and generated content is skipped with the reason", async () => {
    const config = defaultConfig();
    config.limits.max_file_bytes = 100;
    const result = await review({
      files: [
        { path: "src/bin.ts", status: "added", content: "a\0b" },
        { path: "src/big.ts", status: "added", content: "x".repeat(200) },
        { path: "src/gen.ts", status: "modified", content: "// @generated by protoc\nexport {}\n", baseContent: "// @generated by protoc\n" },
      ],
      pr,
      config,
    });
    expect(result.skipped.map((s) => s.reason)).toEqual([
      "binary",
      "larger than limits.max_file_bytes (200 > 100 bytes)",
      "generated (marked in its header since before this PR)",
    ]);
  });

  test("a skipped file is still classified from its path and content; a header the PR adds skips nothing", async () => {
    const config = defaultConfig();
    const auth = 'import jwt from "jsonwebtoken";\nexport const claims = (t: string) => jwt.decode(t);\n';
    const result = await review({
      files: [
        { path: "src/handlers/a.ts", status: "modified", content: "// Code generated by hand. DO NOT EDIT.\n" + auth, baseContent: auth, patch: "@@ -0,0 +1,3 @@\n+a\n+b\n+c\n" },
        { path: "src/handlers/b.ts", status: "added", content: "// @generated\n" + auth },
        { path: "src/handlers/c.ts", status: "added", content: auth.replace("\n", "\n\0\n") },
        { path: "src/handlers/d.ts", status: "added", content: "//" + " ".repeat(8000) + "\0\n" + auth },
        { path: "src/__generated__/e.ts", status: "added", content: auth },
        { path: "src/handlers/f.ts", status: "added", content: auth, generated: "generated (linguist-generated in the default branch's .gitattributes)" },
        { path: "src/handlers/g.ts", status: "added", content: "/*" + "x".repeat(300_000) + "*/\n" + auth },
      ],
      pr,
      config,
    });
    expect(result.skipped).toEqual([
      { path: "src/__generated__/e.ts", reason: "generated or vendored (path)" },
      { path: "src/handlers/f.ts", reason: "generated (linguist-generated in the default branch's .gitattributes)" },
      { path: "src/handlers/c.ts", reason: "binary" },
    ]);
    for (const f of result.files) expect([f.path, f.categories.map((c) => c.category)]).toEqual([f.path, ["security"]]);
    expect(result.files).toHaveLength(7);
    expect(result.findings.filter((f) => f.ruleId === "jwt-decode-without-verify").map((f) => f.path).sort()).toEqual(
      ["src/handlers/a.ts", "src/handlers/b.ts", "src/handlers/d.ts", "src/handlers/g.ts"],
    );
  });

  test("every finding carries a stable fingerprint", async () => {
    const a = await run({});
    const b = await run({ content: "\n\n" + code, patch: "@@ -1,3 +1,6 @@\n+\n+\n export function h(req) {\n   console.log('a');\n+  console.log('b');\n }\n" });
    expect(a.findings[0].fingerprint).toBe(b.findings[0].fingerprint);
  });
});

describe("a rule that throws", () => {
  test("loses its own findings for that file and is reported; the review goes on", async () => {
    const broken = { ...unstructuredLogging, meta: { ...unstructuredLogging.meta, id: "broken" }, detect: { typescript: () => { throw new Error("boom"); } } };
    const result = await review({
      files: [{ path: "src/a.ts", status: "added", content: "console.log(1);\n" }],
      pr,
      config: defaultConfig(),
      rules: [broken, unstructuredLogging],
    });
    expect(result.coverage).toEqual([{ ruleId: "broken", path: "src/a.ts", reason: "failed: boom" }]);
    expect(result.findings.map((f) => f.ruleId).sort()).toEqual(["not-analysed", "unstructured-logging"]);
  });
});

describe("a file that cannot be parsed", () => {
  test("is not analysed and puts the PR in its finding's category, even when its path and content name none", async () => {
    const deep = `export function deep(a: number) {\n${"if (a) {".repeat(20_000)}${"}".repeat(20_000)}\n}\n`;
    const result = await review({ files: [{ path: "src/lib/deep.ts", status: "added", content: deep }], pr, config: defaultConfig() });
    expect(result.coverage).toEqual([{ path: "src/lib/deep.ts", reason: expect.stringMatching(/^could not be parsed: /) }]);
    expect(result.findings.map((f) => [f.ruleId, f.category, f.severity])).toEqual([["not-analysed", "resilience", "failure"]]);
    expect(result.pr.map((c) => c.category)).toEqual(["resilience"]);
    expect(cats(result.files[0])).toEqual(["resilience"]);
  });
});
