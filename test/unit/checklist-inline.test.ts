import { defaultConfig } from "../../src/config/schema.js";
import { commentLine, dismissalChange, planInline, readMark, renderComment, tickedReasons, withDismissal, type ExistingComment } from "../../src/checklist/inline.js";
import { signFinding } from "../../src/checklist/state.js";
import { finding, KEY, REPO } from "./checklist-helpers.js";

const sign = (fields: string) => signFinding(KEY, REPO, 7, fields);
const HEAD = "2".repeat(40);
// New file lines 1-3 shown (2 added), then a hunk showing 10-12 (11 added).
const PATCH = ["@@ -1,2 +1,3 @@", " a", "+b", " c", "@@ -8,2 +10,3 @@", " x", "+y", " z"].join("\n");

describe("mapping findings to diff lines", () => {
  it("uses the finding's line when the diff shows it, else the first shown line of its span", () => {
    expect(commentLine(finding({ line: 2, endLine: 2 }), PATCH)).toBe(2);
    expect(commentLine(finding({ line: 5, endLine: 11 }), PATCH)).toBe(10);
    expect(commentLine(finding({ line: 5, endLine: 7 }), PATCH)).toBeUndefined();
    expect(commentLine(finding({ line: 2, endLine: 2, outsideDiff: true }), PATCH)).toBeUndefined();
    expect(commentLine(finding({ line: 2, endLine: 2 }), undefined)).toBeUndefined();
  });
});

describe("planning inline comments", () => {
  const patches = new Map([["src/auth.ts", PATCH]]);
  const f1 = finding({ line: 2, endLine: 2, fingerprint: "1111111111111111" });
  const f2 = finding({ line: 11, endLine: 11, severity: "warning", fingerprint: "2222222222222222" });
  const f3 = finding({ line: 3, endLine: 3, severity: "notice", fingerprint: "3333333333333333" });
  const f4 = finding({ line: 30, endLine: 30, fingerprint: "4444444444444444" });

  it("comments on diff lines only, at or above the minimum severity, most severe first, capped", () => {
    const config = defaultConfig();
    const plan = planInline([f2, f1, f3, f4], patches, [], config, sign, HEAD);
    expect(plan.create.map((c) => [c.line, c.side])).toEqual([
      [2, "RIGHT"],
      [11, "RIGHT"],
    ]);
    config.review.comments.max = 1;
    expect(planInline([f2, f1], patches, [], config, sign, HEAD).create.map((c) => c.line)).toEqual([2]);
  });

  it("does not repeat a finding already commented, and marks comments whose finding went away", () => {
    const existing: ExistingComment[] = [
      { id: 1, body: renderComment(f1, sign), mark: readMark(renderComment(f1, sign), sign)! },
      { id: 2, body: renderComment(f2, sign), mark: readMark(renderComment(f2, sign), sign)! },
    ];
    const plan = planInline([f1], patches, existing, defaultConfig(), sign, HEAD);
    expect(plan.create).toEqual([]);
    expect(plan.update).toHaveLength(1);
    expect(plan.update[0]).toMatchObject({ id: 2, body: expect.stringMatching(/^\*\*No longer found at `2222222`/) });
    const settled = [existing[0], { ...existing[1], body: plan.update[0].body }];
    expect(planInline([f1], patches, settled, defaultConfig(), sign, HEAD).update).toEqual([]);
  });

  it("ends each comment with the three dismissal reasons and a signed marker", () => {
    const body = renderComment(f1, sign);
    expect(body).toMatch(/- \[ \] Dismiss: false positive\n- \[ \] Dismiss: accepted risk\n- \[ \] Dismiss: fixed elsewhere\n<!-- ai-gaps:finding/);
    expect(readMark(body, sign)).toEqual({ fp: f1.fingerprint, ruleId: f1.ruleId, category: "security", severity: "failure" });
    expect(readMark(body.replace("category=security", "category=performance"), sign)).toBeUndefined();
    expect(tickedReasons(body)).toEqual([]);
    const dismissed = withDismissal(body, { by: "alice", at: "2026-11-24T03:00:00.000Z", sha: HEAD, reason: "accepted-risk", ruleId: f1.ruleId, category: "security", path: f1.path });
    expect(tickedReasons(dismissed)).toEqual(["accepted-risk"]);
    expect(dismissed).toMatch(/_Dismissed as accepted risk by @alice at `2222222` \(2026-11-24 03:00 UTC\)_\n<!-- ai-gaps:finding/);
    expect(withDismissal(dismissed, undefined)).toBe(body);
  });

  it("reads what an edit of the boxes asks for", () => {
    const body = renderComment(f1, sign);
    const tick = (b: string, label: string) => b.replace(`- [ ] Dismiss: ${label}`, `- [x] Dismiss: ${label}`);
    expect(dismissalChange(body, tick(body, "false positive"), undefined)).toBe("false-positive");
    const fp = tick(body, "false positive");
    expect(dismissalChange(fp, tick(fp, "fixed elsewhere"), "false-positive")).toBe("fixed-elsewhere");
    expect(dismissalChange(fp, body, "false-positive")).toBeNull();
    expect(dismissalChange(body, body, undefined)).toBeUndefined();
    expect(dismissalChange(body, "boxes deleted", undefined)).toBeUndefined();
  });
});
