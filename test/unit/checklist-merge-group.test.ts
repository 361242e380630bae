import { combine, prFromQueueRef, prsFromMessages } from "../../src/handlers/merge-group.js";

describe("merge group helpers", () => {
  it("reads the PR number from the queue branch", () => {
    expect(prFromQueueRef("refs/heads/gh-readonly-queue/main/pr-104-929f8209d40f77f4abc622a499c93a83babdbe64")).toBe(104);
    expect(prFromQueueRef("refs/heads/main")).toBeUndefined();
  });

  it("reads PR numbers from merge and squash commit messages", () => {
    expect(prsFromMessages(["Merge pull request #12 from a/b", "Fix thing (#13)", "no number"])).toEqual([12, 13]);
  });

  it("passes only when every PR passes; advisory PRs keep it neutral; anything else fails", () => {
    expect(combine([{ conclusion: "success" }, { conclusion: "success" }])).toBe("success");
    expect(combine([{ conclusion: "success" }, { conclusion: "neutral" }])).toBe("neutral");
    expect(combine([{ conclusion: "success" }, { conclusion: "missing" }])).toBe("failure");
    expect(combine([])).toBe("failure");
  });
});
