import { generatedMatcher, markGenerated } from "../../src/engine/attributes.js";

describe(".gitattributes linguist-generated", () => {
  const text = [
    "# comment",
    "*.pb.ts linguist-generated",
    "/api/client/** linguist-generated=true",
    "api/client/handwritten.ts -linguist-generated",
    "docs/ linguist-generated",
    "schema/*.ts linguist-generated=false",
    "*.ts text eol=lf",
  ].join("\n");
  const generated = generatedMatcher(text);

  test.each([
    ["src/deep/x.pb.ts", true],
    ["x.pb.ts", true],
    ["api/client/a.ts", true],
    ["api/client/sub/b.ts", true],
    ["src/api/client/a.ts", false],
    ["api/client/handwritten.ts", false],
    ["docs/readme.ts", false],
    ["schema/a.ts", false],
    ["src/handler.ts", false],
  ])("%s -> %s", (path, expected) => expect(generated(path)).toBe(expected));

  test("no file marks nothing; marked files carry the reason", () => {
    expect(generatedMatcher(undefined)("a.pb.ts")).toBe(false);
    const [a, b] = markGenerated<{ path: string; generated?: string }>([{ path: "a.pb.ts" }, { path: "a.ts" }], text);
    expect(a.generated).toMatch(/linguist-generated/);
    expect(b.generated).toBeUndefined();
  });
});
