import { defaultConfig } from "../../src/config/schema.js";
import { prepareChecklist } from "../../src/checklist/index.js";
import { carryOver, covers, shasToCompare } from "../../src/checklist/carry.js";
import type { ChecklistState } from "../../src/checklist/state.js";
import { KEY, REPO, result, TEMPLATE } from "./checklist-helpers.js";

const OLD = "1".repeat(40);
const NEW = "2".repeat(40);
const tick = (by: string, sha = OLD) => ({ by, at: "2026-11-24T03:00:00.000Z", sha });

const pr = result(["security"], [
  { path: "src/auth.ts", categories: ["security"] },
  { path: "src/cache.ts", categories: ["performance"] },
]);

async function ticked(): Promise<ChecklistState> {
  const out = await prepareChecklist({ template: TEMPLATE, result: pr, config: defaultConfig(), repo: REPO, pr: 7, headSha: OLD, key: KEY, compare: async () => null });
  return { ...out.state, ticks: { "ready.caching": tick("alice"), "security.threat-model": tick("bob") } };
}

describe("carry-over on push", () => {
  it("asks for one comparison per distinct attestation SHA", async () => {
    expect(shasToCompare(await ticked(), NEW)).toEqual([OLD]);
    expect(shasToCompare(await ticked(), OLD)).toEqual([]);
  });

  it("keeps a category item when only other categories' files changed", async () => {
    const state = carryOver(await ticked(), NEW, new Map([[OLD, { files: ["src/cache.ts"] }]]), pr);
    expect(Object.keys(state.ticks)).toEqual(["security.threat-model"]);
    expect(state.notes[0]).toMatch(/Reset tick of .*ready\.caching.*`src\/cache\.ts` changed in 2222222/);
  });

  it("resets a category item when one of its files changed", async () => {
    const state = carryOver(await ticked(), NEW, new Map([[OLD, { files: ["src/auth.ts"] }]]), pr);
    expect(state.ticks).toEqual({});
    expect(state.notes.some((n) => n.includes("security.threat-model") && n.includes("`src/auth.ts`"))).toBe(true);
  });

  it("keeps everything when no file changed", async () => {
    const state = carryOver(await ticked(), NEW, new Map([[OLD, { files: [] }]]), pr);
    expect(Object.keys(state.ticks).sort()).toEqual(["ready.caching", "security.threat-model"]);
  });

  it("resets when the old SHA cannot be compared (force push)", async () => {
    const state = carryOver(await ticked(), NEW, new Map([[OLD, null]]), pr);
    expect(state.ticks).toEqual({});
    expect(state.notes[0]).toMatch(/cannot be compared/);
  });

  it("general items cover every reviewed file; skipped files cover nothing", () => {
    const r = { ...pr, skipped: [{ path: "package-lock.json", reason: "lock file" }, { path: "old.ts", reason: "removed" }] };
    const general = { id: "ready.caching", text: "x", category: "always" as const, required: true };
    expect(covers(general, "src/anything.ts", r)).toBe(true);
    expect(covers(general, "package-lock.json", r)).toBe(false);
    expect(covers(general, "old.ts", r)).toBe(true);
  });

  it("prepareChecklist compares and resets through the injected compare", async () => {
    const body = (await prepareChecklist({ template: TEMPLATE, result: pr, config: defaultConfig(), repo: REPO, pr: 7, headSha: OLD, key: KEY, compare: async () => null })).body;
    // Put ticks into the signed state the way the edit handler would.
    const { readState, renderBody } = await import("../../src/checklist/index.js");
    const read = readState(body, KEY, REPO, 7);
    if (read.status !== "ok") throw new Error("state");
    const withTicks = renderBody({ ...read.state, ticks: { "ready.caching": tick("alice"), "security.threat-model": tick("bob") } }, KEY);
    const calls: string[] = [];
    const out = await prepareChecklist({
      template: TEMPLATE,
      result: pr,
      config: defaultConfig(),
      repo: REPO,
      pr: 7,
      headSha: NEW,
      key: KEY,
      existingBody: withTicks,
      compare: async (base) => (calls.push(base), { files: ["src/cache.ts"] }),
    });
    expect(calls).toEqual([OLD]);
    expect(Object.keys(out.state.ticks)).toEqual(["security.threat-model"]);
    expect(out.body).toMatch(/- \[ \] \*\*Caching/);
    expect(out.body).toMatch(/- \[x\] A threat model/);
    expect(out.body).toMatch(/Reset tick of .*`src\/cache\.ts` changed in 2222222/);
  });
});
