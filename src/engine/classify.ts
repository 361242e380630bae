// Sort each changed file, and the PR, into the seven categories, with a reason for each.
import picomatch from "picomatch";
import type { Config } from "../config/schema.js";
import { CATEGORY_IDS } from "./categories.js";
import { isProseOrAsset } from "./languages.js";
import type { CategoryId, FileClassification, Finding, PullRequestText } from "./types.js";

type Reasons = Map<CategoryId, string[]>;

export const DEFAULT_PATHS: Record<CategoryId, string[]> = {
  novel: ["**/scope/**", "**/scopes/**", "**/tenancy/**"],
  framework: ["**/middleware/**", "**/middlewares/**", "**/*middleware*.*", "**/interceptors/**", "**/lifecycle/**"],
  performance: ["**/cache/**", "**/caching/**", "**/credentials/**"],
  security: ["**/auth/**", "**/authn/**", "**/authz/**", "**/security/**", "**/permissions/**", "**/*auth*.*", "**/tenant*/**", "**/*jwt*.*"],
  resilience: ["**/retry/**", "**/*retry*.*", "**/circuit*/**", "**/health*/**", "**/observability/**", "**/logging/**"],
  business: ["**/billing/**", "**/invoic*/**", "**/pricing/**", "**/payment*/**", "**/refund*/**", "**/tax/**", "**/metering/**", "**/subscription*/**"],
  cascade: ["**/macros/**"],
};

interface Signal {
  category: CategoryId;
  pattern: RegExp;
  reason: string;
}

const DYNAMODB = /client-dynamodb|lib-dynamodb|aws_sdk_dynamodb|(client|resource)\(\s*["']dynamodb["']|DynamoDB(Client|DocumentClient)\b/;

/** Imported APIs and vocabulary that put code in a category. */
export const CONTENT_SIGNALS: Signal[] = [
  { category: "performance", pattern: /client-sts|aws_sdk_sts|rusoto_sts|client\(\s*["']sts["']|AssumeRole(Command)?\b|assume_role\b/, reason: "calls AWS STS (AssumeRole)" },
  { category: "performance", pattern: DYNAMODB, reason: "calls DynamoDB" },
  { category: "resilience", pattern: DYNAMODB, reason: "calls DynamoDB (item size limits, throttling)" },
  { category: "performance", pattern: /client-secrets-manager|client-ssm|aws_sdk_secretsmanager|aws_sdk_ssm|client\(\s*["'](secretsmanager|ssm)["']|GetSecretValue|GetParameter/, reason: "reads Secrets Manager or SSM parameters" },
  { category: "security", pattern: /client-secrets-manager|aws_sdk_secretsmanager|client\(\s*["']secretsmanager["']|GetSecretValue/, reason: "handles secrets" },
  { category: "security", pattern: /["']jsonwebtoken["']|["']jose["']|jwt-decode|jsonwebtoken::|\bimport jwt\b|from jwt import|from jose import|\bjwt\.(decode|verify|sign)\b/, reason: "uses a JWT library" },
  { category: "security", pattern: /\btenant_?id\b|\btenantId\b/i, reason: "handles tenant identifiers" },
  { category: "framework", pattern: /actix_web|actix-web|\.wrap\(/, reason: "uses actix-web (middleware runs in reverse registration order)" },
  { category: "framework", pattern: /\baxum::|\btower::|\.layer\(/, reason: "uses axum/tower layers" },
  { category: "framework", pattern: /from ["']express["']|require\(["']express["']\)|\bapp\.use\(|\brouter\.use\(/, reason: "uses express middleware" },
  { category: "framework", pattern: /\bfastapi\b|\bstarlette\b|add_middleware\(/, reason: "uses FastAPI/Starlette middleware" },
  { category: "business", pattern: /\b(invoice|invoic\w+|billing|billable|refund\w*|prorat\w+|pricing|subscription|chargeable|amount_?due|tax_?rate)\b/i, reason: "billing vocabulary" },
];

export interface TextSignal {
  category: CategoryId;
  pattern: RegExp;
  reason: string;
}

/** Phrases in the PR title, body or commits. */
export const PR_TEXT_SIGNALS: TextSignal[] = [
  { category: "novel", pattern: /enforce[sd]? (it |this |them )?at compile[- ]time|compile[- ]time (enforcement|guarantee|check|safety)|prevent(ed|s)? architecturally|\btype[- ]safe(ty)?\b|\btypestate\b|\bnewtypes?\b|\bbranded (id|type)s?\b/i, reason: "the PR asks for compile-time or architectural enforcement" },
  { category: "business", pattern: /\b(billing|invoic\w*|refunds?|pricing|proration|prorat\w+|tax(es)?|metering|charges?)\b/i, reason: "the PR touches billing, pricing, invoicing, refunds or tax" },
  { category: "security", pattern: /\b(auth(entication|orization|n|z)?|jwt|tenant isolation|multi[- ]tenan\w+|permissions?|threat model)\b/i, reason: "the PR touches authentication, authorization or tenant isolation" },
  { category: "framework", pattern: /\bmiddleware\b|\blifecycle hooks?\b|\bexecution order\b|\btransaction boundar\w+/i, reason: "the PR changes middleware, hooks or transaction boundaries" },
  { category: "cascade", pattern: /\brename[sd]? (across|everywhere|all)\b|\bmigrat\w+ (all|every)\b|\bbreaking change\b|\bmacro change\b/i, reason: "the PR describes a change that ripples through dependents" },
];

function add(map: Reasons, category: CategoryId, reason: string): void {
  const list = map.get(category) ?? [];
  if (!list.includes(reason)) list.push(reason);
  map.set(category, list);
}

function toList(map: Reasons, config: Config): { category: CategoryId; reasons: string[] }[] {
  return CATEGORY_IDS.filter((c) => map.has(c) && config.categories[c].enabled).map((category) => ({
    category,
    reasons: map.get(category)!,
  }));
}

/**
 * A file's categories. The default path globs skip prose and assets (a file name like docs/auth.md or AUTHORS.md says
 * nothing about risk); the repository's own `categories.<id>.paths` classify any file, as it chose them.
 */
export function classifyFile(path: string, content: string | undefined, findings: Finding[], config: Config): FileClassification {
  const map: Reasons = new Map();
  const byPath = !isProseOrAsset(path);
  for (const category of CATEGORY_IDS) {
    const globs = [...(byPath ? DEFAULT_PATHS[category] : []), ...config.categories[category].paths];
    if (globs.length && picomatch.isMatch(path, globs, { dot: true, nocase: true })) add(map, category, `path matches ${category} globs`);
  }
  if (content) for (const signal of CONTENT_SIGNALS) if (signal.pattern.test(content)) add(map, signal.category, signal.reason);
  for (const f of findings) if (f.path === path) add(map, f.category, `rule ${f.ruleId} (line ${f.line})`);
  return { path, categories: toList(map, config) };
}

/**
 * The PR's categories: its files', PR-wide findings', and the title, body and commits' when the change is more than
 * prose and assets (a docs-only PR titled "Document the auth flow" touches no category).
 */
export function classifyPr(pr: PullRequestText, files: FileClassification[], findings: Finding[], config: Config) {
  const map: Reasons = new Map();
  const text = [pr.title, pr.body, ...pr.commitMessages].join("\n");
  if (files.some((f) => !isProseOrAsset(f.path))) for (const signal of PR_TEXT_SIGNALS) if (signal.pattern.test(text)) add(map, signal.category, signal.reason);
  for (const file of files) {
    for (const c of file.categories) add(map, c.category, `${countFiles(files, c.category)} file(s)`);
  }
  for (const f of findings) if (!f.path) add(map, f.category, `rule ${f.ruleId}`);
  return toList(map, config);
}

function countFiles(files: FileClassification[], category: CategoryId): number {
  return files.filter((f) => f.categories.some((c) => c.category === category)).length;
}
