// Findings -> SARIF 2.1.0, the format GitHub code scanning (github/codeql-action/upload-sarif) accepts.
import type { Config } from "../config/schema.js";
import { categoryInfo } from "../engine/categories.js";
import type { RuleMeta } from "../engine/rule.js";
import { ruleLevel, ruleMetas } from "../engine/rule-meta.js";
import type { EngineResult, Finding, Severity } from "../engine/types.js";
import { readProjectFile } from "../project-files.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
/** The key our fingerprints go under in `partialFingerprints` (versioned, so a new scheme never matches old alerts). */
export const FINGERPRINT_KEY = "aiGapsFingerprint/v1";

type SarifLevel = "note" | "warning" | "error";

const LEVELS: Record<Severity, SarifLevel> = { notice: "note", warning: "warning", failure: "error" };

export function sarifLevel(severity: Severity): SarifLevel {
  return LEVELS[severity];
}

interface Tool {
  name: string;
  version: string;
  informationUri: string;
}

function tool(): Tool {
  const pkg = JSON.parse(readProjectFile("package.json")) as { name: string; version: string; homepage: string };
  return { name: pkg.name, version: pkg.version, informationUri: pkg.homepage };
}

function ruleDescriptor(rule: { meta: RuleMeta }, config: Config) {
  const { meta } = rule;
  const category = categoryInfo(meta.category);
  const level = ruleLevel(rule, config);
  const docs = meta.docs?.length ? `\n\nDocs: ${meta.docs.join(" ")}` : "";
  const docsMarkdown = meta.docs?.length ? `\n\n**Docs:** ${meta.docs.map((d) => `<${d}>`).join(" ")}` : "";
  return {
    id: meta.id,
    name: meta.id,
    shortDescription: { text: meta.description },
    fullDescription: { text: `${meta.description} ${meta.why}` },
    help: {
      text: `Why: ${meta.why}\n\nFix: ${meta.fix}${docs}`,
      markdown: `**Why:** ${meta.why}\n\n**Fix:** ${meta.fix}${docsMarkdown}`,
    },
    defaultConfiguration: level === "off" ? { enabled: false, level: sarifLevel(meta.severity) } : { level: sarifLevel(level) },
    properties: { tags: ["ai-gaps", category.name], category: category.id, categoryName: category.name },
  };
}

/** Repository-relative path as a URI reference (each segment percent-encoded, slashes kept). */
function uri(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

function result(finding: Finding, ruleIndex: number) {
  const startLine = Math.max(1, finding.line);
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: sarifLevel(finding.severity),
    message: { text: finding.remediation ? `${finding.message}\n\nFix: ${finding.remediation}` : finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uri(finding.path), uriBaseId: "%SRCROOT%" },
          region: { startLine, endLine: Math.max(startLine, finding.endLine) },
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    properties: { category: finding.category },
  };
}

/**
 * One run with every rule of the catalogue. Findings about the PR as a whole have no file to point at:
 * code scanning needs a location, so they go in as tool notifications (still in the file, not alerts).
 */
export function renderSarif(result_: EngineResult, config: Config, rules: { meta: RuleMeta }[] = ruleMetas().map((meta) => ({ meta }))): object {
  const index = new Map(rules.map((r, i) => [r.meta.id, i]));
  const located = result_.findings.filter((f) => f.path && index.has(f.ruleId));
  const general = result_.findings.filter((f) => !located.includes(f));
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { ...tool(), rules: rules.map((r) => ruleDescriptor(r, config)) } },
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "The repository root." } } },
        invocations: [
          {
            executionSuccessful: result_.coverage.length === 0,
            toolExecutionNotifications: [
              ...general.map((f) => ({ level: sarifLevel(f.severity), message: { text: `${f.ruleId}: ${f.message}` } })),
              ...result_.coverage.map((g) => ({
                level: "error",
                message: { text: `not analysed ${g.path || "(the pull request)"}${g.ruleId ? ` by ${g.ruleId}` : ""}: ${g.reason}` },
              })),
            ],
          },
        ],
        results: located.map((f) => result(f, index.get(f.ruleId)!)),
      },
    ],
  };
}
