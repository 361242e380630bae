import { diffMarks, readMarks } from "../../src/checklist/ticks.js";

const line = (box: string, id: string, text = "Some item") => `- ${box} ${text} <!-- ai-gaps:item id=${id} -->`;

describe("reading ticks", () => {
  it("reads boxes by id", () => {
    const body = [line("[x]", "a"), line("[ ]", "b"), line("[X]", "c"), "- [x] no marker"].join("\n");
    expect(readMarks(body)).toEqual(
      new Map([
        ["a", { checked: true }],
        ["b", { checked: false }],
        ["c", { checked: true }],
      ]),
    );
  });

  it("reads N/A answers and their reasons", () => {
    const texts = new Map([["opt", "Money is held in integer minor units."]]);
    expect(readMarks(line("N/A: no money here", "opt", "Money is held in integer minor units."), texts).get("opt")).toEqual({ checked: false, na: "no money here" });
    expect(readMarks("- N/A: no money — Money is held in integer minor units. *(optional)* <!-- ai-gaps:item id=opt -->", texts).get("opt")).toEqual({
      checked: false,
      na: "no money",
    });
    expect(readMarks(line("N/A:", "opt", "Money is held in integer minor units."), texts).get("opt")).toEqual({ checked: false, na: "" });
  });
});

describe("diffing an edit", () => {
  it("finds ticks and unticks by id, not by position", () => {
    const before = readMarks([line("[ ]", "a"), line("[x]", "b"), line("[ ]", "c")].join("\n"));
    const after = readMarks([line("[x]", "c"), line("[ ]", "b"), line("[ ]", "a")].join("\n"));
    expect(diffMarks(before, after)).toEqual([
      { id: "c", kind: "tick" },
      { id: "b", kind: "untick" },
    ]);
  });

  it("does not treat a deleted item as a change", () => {
    const before = readMarks([line("[x]", "a"), line("[ ]", "b")].join("\n"));
    const after = readMarks(line("[ ]", "b"));
    expect(diffMarks(before, after)).toEqual([]);
  });

  it("sees N/A answers and their removal", () => {
    const texts = new Map([["a", "Some item"], ["b", "Some item"]]);
    const before = readMarks([line("[ ]", "a"), line("N/A: old", "b")].join("\n"), texts);
    const after = readMarks([line("N/A: because", "a"), line("[x]", "b")].join("\n"), texts);
    expect(diffMarks(before, after)).toEqual([
      { id: "a", kind: "na", reason: "because" },
      { id: "b", kind: "na-clear", checked: true },
    ]);
  });
});
