import { attributeDirs, generatedBy, generatedMatcher, markGenerated } from "../../src/engine/attributes.js";

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

describe("nested .gitattributes, with git's precedence", () => {
  const files = [
    { dir: "", text: "src/gen/** linguist-generated\n*.pb.ts linguist-generated\n" },
    { dir: "src/gen", text: "handwritten.ts -linguist-generated\n" },
    { dir: "src/api", text: "client.ts linguist-generated\n/v1/*.ts linguist-generated\n" },
    { dir: "src/api/v1", text: "keep.ts !linguist-generated\n" },
  ];
  const by = generatedBy(files);

  test.each([
    ["src/gen/out.ts", ".gitattributes"],
    ["src/gen/handwritten.ts", undefined], // the deeper file overrides the root
    ["src/gen/sub/handwritten.ts", undefined], // a name without a slash matches at any depth below its directory
    ["src/api/client.ts", "src/api/.gitattributes"],
    ["src/api/deep/client.ts", "src/api/.gitattributes"],
    ["src/client.ts", undefined], // not below src/api
    ["src/api/v1/users.ts", "src/api/.gitattributes"], // anchored to src/api
    ["src/api/v2/v1/users.ts", undefined],
    ["src/api/v1/keep.ts", undefined],
    ["src/api/v2/x.pb.ts", ".gitattributes"], // the root's rule, untouched by the deeper files
    ["src/apix/client.ts", undefined],
  ])("%s -> %s", (path, expected) => expect(by(path)).toBe(expected));

  test("past the cap, a file below a directory whose .gitattributes was not read is not marked (it could unset the mark)", () => {
    const listed = [{ path: "src/gen/out.ts" }, { path: "src/gen/sub/other.ts" }];
    const read = new Set(["", "src", "src/gen"]);
    expect(markGenerated<{ path: string; generated?: string }>(listed, files, read).map((f) => !!f.generated)).toEqual([true, false]);
    expect(markGenerated<{ path: string; generated?: string }>(listed, files).map((f) => !!f.generated)).toEqual([true, true]);
  });

  test("the reason names the file that decided", () => {
    const [a] = markGenerated<{ path: string; generated?: string }>([{ path: "src/api/client.ts" }], files);
    expect(a.generated).toBe("generated (linguist-generated in the default branch's src/api/.gitattributes)");
  });

  test("the directories read: the root and those above the changed files, shallowest first, capped", () => {
    expect(attributeDirs(["src/api/v1/a.ts", "src/gen/b.ts", "README.md"], 10)).toEqual({ dirs: ["", "src", "src/api", "src/gen", "src/api/v1"], capped: false });
    expect(attributeDirs(["a/b/c/d.ts"], 2)).toEqual({ dirs: ["", "a"], capped: true });
  });
});
