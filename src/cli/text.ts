// The CLI's text output: findings grouped by file, each with why and fix; colour only on a terminal.
import { categoryInfo, SEVERITY_RANK } from "../engine/categories.js";
import type { EngineResult, Finding, Severity } from "../engine/types.js";
import { ruleMeta } from "../report/annotations.js";
import { foundCategories } from "../report/summary.js";
import { plural } from "../report/text.js";

type Style = "bold" | "dim" | "red" | "yellow" | "cyan" | "underline";

const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  underline: [4, 24],
};

export type Paint = (style: Style, text: string) => string;

export function painter(colour: boolean): Paint {
  return colour ? (style, text) => `\x1b[${CODES[style][0]}m${text}\x1b[${CODES[style][1]}m` : (_style, text) => text;
}

/** Colour when writing to a terminal, unless NO_COLOR is set to anything (no-color.org) or TERM=dumb. */
export function wantsColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== "dumb";
}

const SEVERITY_STYLE: Record<Severity, Style> = { failure: "red", warning: "yellow", notice: "cyan" };

function findingLines(f: Finding, paint: Paint): string[] {
  const meta = ruleMeta(f.ruleId);
  const where = f.endLine > f.line ? `${f.line}-${f.endLine}` : String(f.line);
  const lines = [
    `  ${paint("bold", where.padEnd(7))} ${paint(SEVERITY_STYLE[f.severity], f.severity.padEnd(7))}  ${f.ruleId}  ${paint("dim", `[${categoryInfo(f.category).name}]`)}`,
    `    ${f.message}`,
  ];
  if (meta?.why) lines.push(`    ${paint("bold", "why:")} ${meta.why}`);
  const fix = f.remediation || meta?.fix;
  if (fix) lines.push(`    ${paint("bold", "fix:")} ${fix}`);
  return lines;
}

function byFile(findings: Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) groups.set(f.path, [...(groups.get(f.path) ?? []), f]);
  for (const list of groups.values()) list.sort((a, b) => a.line - b.line || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  return groups;
}

export function formatText(result: EngineResult, paint: Paint = painter(false)): string {
  const out: string[] = [];
  const located = result.findings.filter((f) => f.path);
  for (const [path, findings] of byFile(located)) {
    out.push(paint("underline", path), ...findings.flatMap((f) => [...findingLines(f, paint), ""]));
  }
  const general = result.findings.filter((f) => !f.path);
  if (general.length) out.push(paint("underline", "(the change as a whole)"), ...general.flatMap((f) => [...findingLines(f, paint), ""]));
  for (const p of result.pipelines ?? []) {
    const steps = p.steps.map((st) => `${st.label}${st.change ? ` (${st.change})` : ""}${st.unmet.length ? " !" : ""}`);
    const handler = p.steps.at(-1)?.kind === "handler" ? [] : ["handler"];
    out.push(`pipeline ${p.framework} ${p.name} (${p.path}:${p.line}), in execution order: ${[...steps, ...handler].join(" -> ")}`);
    for (const st of p.steps) for (const u of st.unmet) out.push(paint("red", `  ! ${st.label} ${u}`));
    if (p.removed.length) out.push(`  removed: ${p.removed.join(", ")}`);
  }
  for (const c of result.pr) out.push(`${paint("bold", categoryInfo(c.category).name)}: ${c.reasons.join("; ")}`);
  for (const s of result.suppressions) out.push(paint("dim", `suppressed ${s.ruleId} at ${s.path}:${s.line}: ${s.reason}`));
  for (const s of result.skipped) out.push(paint("dim", `skipped ${s.path}: ${s.reason}`));
  for (const g of result.coverage) out.push(paint("red", `not analysed ${g.path || "(the change as a whole)"}${g.ruleId ? ` by ${g.ruleId}` : ""}: ${g.reason}`));
  const failures = result.findings.filter((f) => f.severity === "failure").length;
  const counts = `${plural(result.findings.length, "finding")} (${plural(failures, "failure")}) in ${plural(result.files.length, "file")}, ${plural(foundCategories(result).length, "category", "categories")}`;
  out.push(failures ? paint("red", counts) : paint("bold", counts));
  return out.join("\n");
}
