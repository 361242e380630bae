// The Mermaid xychart the Convergence section emits is parsed by Mermaid itself (in a Node child process
// with jsdom, see test/support/mermaid-parse.mjs), so GitHub renders a chart, not an error box.
import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, test } from "@jest/globals";
import { defaultConfig } from "../../src/config/schema.js";
import { chart, evaluate, type CommitCount } from "../../src/convergence/index.js";

type Parsed = { ok: true; type: string } | { ok: false; error: string };

function parse(texts: string[]): Parsed[] {
  const script = new URL("../support/mermaid-parse.mjs", import.meta.url).pathname;
  return JSON.parse(execFileSync(process.execPath, [script], { input: JSON.stringify(texts), encoding: "utf8" })) as Parsed[];
}

const series = (counts: number[]): CommitCount[] =>
  counts.map((errors, i) => ({ sha: `${i}abc${i}`.padEnd(40, "0"), message: `fix "${i}" | [x]`, status: "counted", errors, source: "log" }));

function mermaidOf(markdown: string): string {
  const m = /```mermaid\n([\s\S]*?)```/.exec(markdown);
  if (!m) throw new Error("no mermaid block");
  return m[1];
}

const INCIDENT = [214, 188, 161, 140, 122, 109, 97, 91, 84, 88, 79, 73, 75, 66, 61, 63, 55, 51, 52, 46, 41, 43, 37, 33, 34, 29, 26, 18, 16, 14];
const incident = mermaidOf(chart(evaluate(series(INCIDENT), defaultConfig().cascade.monitor).rows)!);
const short = mermaidOf(chart(series([3, 0]))!);
const broken = 'xychart-beta\n    x-axis ["a", "b"\n    line [1, 2]';
let parsed: Parsed[];

// One Node process parses every diagram (Mermaid takes a while to load).
beforeAll(() => {
  parsed = parse([incident, short, broken]);
});

describe("xychart-beta", () => {
  test("the incident-sized series parses as an xychart", () => {
    expect(incident).toContain(`line [${INCIDENT.join(", ")}]`);
    expect(parsed[0]).toEqual({ ok: true, type: "xychart" });
  });

  test("a short series, zeros, numbered labels and the colour directive parse too", () => {
    expect(short).toContain('x-axis "Commit" ["1", "2"]');
    expect(short).toContain('%%{init: ');
    expect(parsed[1]).toEqual({ ok: true, type: "xychart" });
  });

  test("the parser does reject a broken chart (the check is real)", () => {
    expect(parsed[2]).toMatchObject({ ok: false, error: expect.stringMatching(/Parse error/) });
  });

  test("fewer than two counted commits draw no chart", () => {
    expect(chart(series([5]))).toBeUndefined();
  });
});
