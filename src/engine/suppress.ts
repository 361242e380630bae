// `ai-gaps-ignore <rule-id>: <reason>` on the finding's line or the line above.

const MARK = /ai-gaps-ignore\s+([a-z0-9-]+)\s*(?::\s*(.*?))?\s*(?:\*\/|-->)?\s*$/;

export interface IgnoreComment {
  ruleId: string;
  line: number;
  reason: string;
}

export function findIgnores(lines: string[]): IgnoreComment[] {
  const found: IgnoreComment[] = [];
  lines.forEach((text, i) => {
    const m = MARK.exec(text);
    if (m) found.push({ ruleId: m[1], line: i + 1, reason: (m[2] ?? "").trim() });
  });
  return found;
}

/** The ignore comment that covers a finding on `line`, if any. */
export function ignoreFor(ignores: IgnoreComment[], ruleId: string, line: number): IgnoreComment | undefined {
  return ignores.find((c) => c.ruleId === ruleId && (c.line === line || c.line === line - 1));
}
