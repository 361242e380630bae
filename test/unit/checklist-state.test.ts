import { renderBody } from "../../src/checklist/comment.js";
import { bump, emptyState, encodeState, readState, stateKey } from "../../src/checklist/state.js";
import { KEY, REPO } from "./checklist-helpers.js";

describe("signed checklist state", () => {
  const state = { ...emptyState(REPO, 7, "a".repeat(40)), ticks: { "ready.caching": { by: "alice", at: "2026-01-01T00:00:00.000Z", sha: "a".repeat(40) } } };

  it("round-trips through the hidden block", () => {
    const body = `hello\n${encodeState(state, KEY)}\n`;
    expect(readState(body, KEY, REPO, 7)).toEqual({ status: "ok", state });
  });

  it("reports a missing block", () => {
    expect(readState("no block here", KEY, REPO, 7)).toEqual({ status: "missing" });
  });

  it("detects an edited payload", () => {
    const block = encodeState(state, KEY);
    const forged = encodeState({ ...state, ticks: { ...state.ticks, "security.threat-model": { by: "mallory", at: "x", sha: "b" } } }, stateKey("guess"));
    const payload = /state (\S+)\./.exec(forged)![1];
    const tampered = block.replace(/state \S+\./, `state ${payload}.`);
    expect(readState(tampered, KEY, REPO, 7)).toMatchObject({ status: "invalid" });
  });

  it("refuses a block signed with another key", () => {
    expect(readState(encodeState(state, stateKey("other")), KEY, REPO, 7)).toMatchObject({ status: "invalid" });
  });

  it("refuses a valid block copied from another PR", () => {
    const other = { ...state, pr: 8 };
    expect(readState(encodeState(other, KEY), KEY, REPO, 7)).toMatchObject({ status: "invalid" });
  });

  it("is not hidden by block-like text earlier in the comment (a file name in a reset note)", () => {
    const fake = `<!-- ai-gaps:state AAAA.${"0".repeat(64)} -->`;
    const noted = { ...state, notes: [`Reset tick of “x” (\`always.x\`): \`${fake}\` changed in 1234567 since then.`] };
    expect(readState(renderBody(noted, KEY), KEY, REPO, 7)).toEqual({ status: "ok", state: noted });
  });

  it("of several verified blocks in one body, takes the newest", () => {
    const newer = { ...state, seq: state.seq + 3 };
    const body = `${encodeState(state, KEY)}\n${encodeState(newer, KEY)}`;
    expect(readState(body, KEY, REPO, 7)).toEqual({ status: "ok", state: newer });
  });

  it("needs a secret to derive the key", () => {
    expect(() => stateKey("")).toThrow();
  });

  it("raises the sequence number only when something changed", () => {
    expect(bump(state, { ...state })).toBe(state);
    expect(bump(state, { ...state, notes: ["x"] }).seq).toBe(state.seq + 1);
  });
});
