import { disposeFiles, parseFiles } from "../../src/engine/parse.js";
import { findIgnores } from "../../src/engine/suppress.js";
import { numberInstances } from "../../src/engine/fingerprint.js";
import type { Finding } from "../../src/engine/types.js";

async function ignores(path: string, content: string) {
  const { parsed } = await parseFiles([{ path, content, changed: true }]);
  try {
    return findIgnores(parsed[0]).map((i) => [i.line, i.ruleId, i.reason]);
  } finally {
    disposeFiles(parsed);
  }
}

describe("ai-gaps-ignore counts only in comments", () => {
  test("TypeScript: line, trailing, block and JSDoc comments; not strings, templates or regexes", async () => {
    const code = [
      "// ai-gaps-ignore a-rule: line comment",
      "call(); // ai-gaps-ignore b-rule: trailing",
      "/* ai-gaps-ignore c-rule: block */",
      "/**",
      " * ai-gaps-ignore d-rule: jsdoc",
      " */",
      'const s = "// ai-gaps-ignore e-rule: string";',
      "const t = `${x} // ai-gaps-ignore f-rule: template`;",
      "const r = /ai-gaps-ignore g-rule: regex/;",
      "const j = <div>// ai-gaps-ignore h-rule: jsx text</div>;",
      "const k = <div><b />// ai-gaps-ignore i-rule: jsx text {x}// ai-gaps-ignore j-rule: more</div>;",
      "const l = <div {/* ai-gaps-ignore k-rule: in the tag */ ...p}></div>; // ai-gaps-ignore l-rule: after",
    ].join("\n");
    expect(await ignores("src/a.tsx", code)).toEqual([
      [1, "a-rule", "line comment"],
      [2, "b-rule", "trailing"],
      [3, "c-rule", "block"],
      [5, "d-rule", "jsdoc"],
      [12, "l-rule", "after"],
    ]);
  });

  test("Python and Rust: comment nodes, not strings or docstrings", async () => {
    const py = ['"""ai-gaps-ignore a-rule: docstring"""', "x = '# ai-gaps-ignore b-rule: string'", "# ai-gaps-ignore c-rule: comment", "y = 1  # ai-gaps-ignore d-rule: trailing"].join("\n");
    expect(await ignores("app.py", py)).toEqual([
      [3, "c-rule", "comment"],
      [4, "d-rule", "trailing"],
    ]);
    const rs = ['let s = "// ai-gaps-ignore a-rule: string";', "// ai-gaps-ignore b-rule: line", "/* ai-gaps-ignore c-rule: block */", 'let r = r#"// ai-gaps-ignore d-rule: raw"#;'].join("\n");
    expect(await ignores("src/lib.rs", rs)).toEqual([
      [2, "b-rule", "line"],
      [3, "c-rule", "block"],
    ]);
  });
});

describe("finding instances", () => {
  const f = (line: number, fingerprint = "abc"): Finding => ({
    ruleId: "r",
    category: "security",
    path: "a.ts",
    line,
    endLine: line,
    severity: "failure",
    message: "m",
    remediation: "",
    fingerprint,
  });

  test("identical copies get their own fingerprint, numbered in line order; the first keeps the base", () => {
    const out = numberInstances([f(9), f(3), f(5, "other")]);
    expect(out[1].fingerprint).toBe("abc");
    expect(out[0].fingerprint).not.toBe("abc");
    expect(out[0].fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(out[2].fingerprint).toBe("other");
    expect(numberInstances([f(3), f(9)])[1].fingerprint).toBe(out[0].fingerprint);
  });
});
