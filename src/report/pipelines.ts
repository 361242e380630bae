// The check run's picture of each request pipeline the PR changed: steps in execution order (what runs,
// not the order they are written in), changed steps marked, unmet requirements flagged. Labels are code
// from the PR: every one goes through the escaping layer.
import type { EngineResult, PipelineView } from "../engine/types.js";
import { codeSpan, plainText, richText } from "./markdown.js";

function stepText(s: PipelineView["steps"][number]): string {
  const marked = s.change ? `**${codeSpan(s.label)}** *(${s.change})*` : codeSpan(s.label);
  return s.unmet.length ? `${marked} ⚠️` : marked;
}

function pipelineBlock(p: PipelineView): string {
  const order = [...p.steps.map(stepText), ...(p.steps.at(-1)?.kind === "handler" ? [] : ["handler"])].join(" → ");
  const lines = [`- **${plainText(p.framework)}** ${codeSpan(p.name)} (${codeSpan(p.path)}:${p.line}): ${order}`];
  for (const s of p.steps) for (const u of s.unmet) lines.push(`  - ⚠️ ${codeSpan(s.label)} ${richText(u)}`);
  if (p.removed.length) lines.push(`  - removed: ${p.removed.map(codeSpan).join(", ")}`);
  return lines.join("\n");
}

/** "Request pipelines": empty when the PR changed no pipeline. */
export function pipelineSection(result: EngineResult): string {
  const views = result.pipelines ?? [];
  if (!views.length) return "";
  const intro = "Steps as they execute on a request (registration order can differ); **bold**: changed by this PR, ⚠️: a requirement no earlier step meets.";
  return [`### Request pipelines changed (${views.length})`, intro, ...views.map(pipelineBlock)].join("\n");
}
