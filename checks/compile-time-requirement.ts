import { defineRule, type Report, type RuleContext } from "../src/engine/rule.js";

// Phrases that ask for the compiler or the architecture to reject misuse. Descriptive uses ("type-safe
// wrapper", "compile time went down") are deliberately not here: they describe, they do not require.
const REQUIREMENTS: RegExp[] = [
  /\benforc(e|ed|es|ing)\b[^.\n]{0,60}?\b(at|during) compile[- ]?time\b/i,
  /\b(at|during) compile[- ]?time\b[^.\n]{0,20}?\benforc/i,
  /\bcompile[- ]?time[- ](enforcement|enforced|guarantees?|guaranteed|checks?|checked|checking|safety|validation|isolation|scop(e|ed|ing))\b/i,
  /\b(caught|rejected|prevented|detected) (out )?at compile[- ]?time\b/i,
  // "fails/errors at compile time" is a requirement only with a modal ("should fail at compile time"), not a bug report.
  /\b(should|must|would|will|to|so( that)?)\b[^.\n]{0,60}?\b(fail|error) (out )?at compile[- ]?time\b/i,
  /\b(won't|will not|should not|must not|shouldn't|mustn't|cannot|can't|never) compile\b[^.\n]{0,40}?\b(wrong|invalid|mismatched|incorrect|cross[- ]tenant|other)\b/i,
  // "... so that mixing them up fails to compile", "misuse should be a compile error"
  /\b(so( that)?|ensur\w*|must|should|guarantee\w*|make sure)\b[^.\n]{0,80}?\b(fails? to compile|(won't|will not|doesn't|does not|don't|do not|cannot|can't|never) compile|(be )?a compile[- ]?(time )?error)\b(?![ \t]+(the|on|with|in|under|for|against|twice|again|anymore|any more|without)\b)/i,
  /\bthe compiler (should|must|will|can|to) (reject|refuse|prevent|catch|enforce|forbid)\b/i,
  /\b(caught|rejected|prevented|enforced|checked|guaranteed) by the (compiler|type[- ]?checker|borrow checker)\b/i,
  /\benforc\w*\b[^.\n]{0,60}?\b(at|on) the type[- ]level\b/i,
  /\benforc\w*\b[^.\n]{0,60}?\b(through|via|with|using|in|by) the type[- ]?system\b/i,
  /\bprevent(ed|s|ing)? (it |this |that |them )?architecturally\b/i,
  /\barchitecturally (prevent|impossible|enforce|enforced|guarantee)/i,
  /\bmake (invalid|illegal|wrong) (states?|scopes?|calls?|usages?) (unrepresentable|impossible)\b/i,
  /\btype[- ]level (enforcement|guarantees?|safety|isolation|scop(e|es|ing)|constraints?)\b/i,
  /\b(enforced|guaranteed|checked) by the type[- ]?system\b/i,
  /\btype[- ]?system (should|must|to|will) (prevent|enforce|reject|guarantee|forbid)\b/i,
  /\btypestate\b/i,
];

const NEGATION = /\b(no|not|never|without|cannot|can't|isn't|aren't|don't|doesn't|no need (for|to))\b[^.\n]{0,25}$/i;

/** PR text a reviewer reads: no HTML comments (template guidance), code, quotes or unticked template boxes. */
export function readableText(text: string): string {
  return text
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/`[^`\n]*`/g, " ")
    .split("\n")
    .filter((line) => !/^\s*>/.test(line) && !/^\s*[-*]\s*\[ \]/.test(line))
    .join("\n");
}

export function findRequirement(text: string): string | undefined {
  const clean = readableText(text);
  for (const pattern of REQUIREMENTS) {
    const global = new RegExp(pattern.source, "gi");
    for (const m of clean.matchAll(global)) {
      const before = clean.slice(Math.max(0, m.index! - 40), m.index!);
      if (!NEGATION.test(before)) return m[0].replace(/\s+/g, " ").trim();
    }
  }
  return undefined;
}

function detectPr(ctx: RuleContext<unknown>): Report[] {
  const texts = [ctx.pr.title, ctx.pr.body, ...ctx.pr.commitMessages];
  for (const text of texts) {
    const phrase = text ? findRequirement(text) : undefined;
    if (phrase) {
      return [{
        line: 1,
        message: `The PR asks for compile-time or architectural enforcement ("${phrase}"). That is a novel design task: a person should write the design record (the types or boundaries that make misuse fail to compile) before the code is written or accepted.`,
      }];
    }
  }
  return [];
}

export default defineRule({
  meta: {
    id: "compile-time-requirement",
    category: "novel",
    languages: ["pr"],
    severity: "warning",
    description: "The PR text asks for compile-time or architectural enforcement, which calls for a human-written design first.",
    why: "Asked for compile-time enforcement, AI assistants tend to deliver runtime checks that satisfy the wording but not the constraint: wrong caller code still compiles and only fails (or silently misbehaves) in production.",
    fix: "Have a person write a design record (ADR) naming the types or module boundaries that make misuse unrepresentable (separate client types, newtypes, sealed traits, branded ids), link it in the PR, and check the code against it.",
  },
  detectPr,
  cases: [
    {
      name: "asks to enforce tenant scope at compile time",
      pr: {
        title: "Scope-aware DynamoDB client factory",
        body: "We need four scopes (platform, tenant, capsule, operator).\n\nRequirement: enforce scope correctness at compile time so a tenant handler can never get a platform client.",
      },
      expect: ["pr"],
    },
    {
      name: "prevent architecturally",
      pr: {
        title: "Isolate operator tooling from tenant data",
        body: "Operator endpoints must be prevented architecturally from reading tenant tables; a code review rule is not enough.",
      },
      expect: ["pr"],
    },
    {
      name: "compiler should reject the wrong client",
      pr: {
        title: "feat(storage): per-scope clients",
        body: "Passing a CapsuleClient where a PlatformClient is expected should be rejected at compile time. The compiler must reject cross-scope calls.",
      },
      expect: ["pr"],
    },
    {
      name: "type-level guarantee in the title",
      pr: { title: "Type-level guarantees for tenant isolation in the repository layer", body: "See ADR-12." },
      expect: ["pr"],
    },
    {
      name: "typestate in a commit message",
      pr: { title: "Payments builder", body: "", commitMessages: ["Use a typestate builder so an unauthorised payment cannot be submitted"] },
      expect: ["pr"],
    },
    {
      name: "make invalid scopes unrepresentable",
      pr: { title: "Refactor scope handling", body: "Goal: make invalid scopes unrepresentable instead of checking them in every call." },
      expect: ["pr"],
    },
    {
      name: "misuse should be a compile error",
      pr: { title: "Per-scope DynamoDB clients", body: "Tenant handlers must not be able to obtain a platform client. Getting this wrong should be a compile error, not a runtime panic." },
      expect: ["pr"],
    },
    {
      name: "newtypes so that mixing ids fails to compile",
      pr: { title: "Newtypes for ids", body: "Introduce TenantId and UserId newtypes so that mixing them up fails to compile." },
      expect: ["pr"],
    },
    {
      name: "enforce at the type level / through the type system / caught by the compiler",
      pr: { title: "Capsule tables", body: "", commitMessages: ["Enforce at the type level that only a CapsuleClient can touch capsule tables", "Scope misuse is caught by the compiler now"] },
      expect: ["pr"],
    },
    {
      name: "compile-time enforced isolation",
      pr: { title: "Compile-time enforced tenant isolation for the repository layer", body: "" },
      expect: ["pr"],
    },
    {
      name: "bug reports: does not compile on Windows, errors at compile time on nightly, so that it does not compile twice",
      pr: {
        title: "Fix builds",
        body: "The crate does not compile on Windows because of the wrong cfg attribute. The derive macro errors at compile time on nightly; pin the toolchain. Cache the build so that it does not compile the proto files twice.",
      },
      expect: [],
    },
    {
      name: "compile time went down (build speed, not a requirement)",
      pr: { title: "Split the core crate", body: "Compile time went down from 4m10s to 2m30s on CI after splitting the crate." },
      expect: [],
    },
    {
      name: "type-safe used descriptively",
      pr: { title: "Add a type-safe config loader", body: "Replaces the untyped env lookups with a zod schema. No behaviour change." },
      expect: [],
    },
    {
      name: "fixing a compile error",
      pr: { title: "Fix compile-time error after bumping tokio", body: "The build broke with a compile-time error in the metrics module; this pins the feature flag." },
      expect: [],
    },
    {
      name: "negated: no compile-time enforcement needed",
      pr: { title: "Add runtime check for feature flag", body: "This is a temporary kill switch; we do not need to enforce it at compile time." },
      expect: [],
    },
    {
      name: "phrase only in the PR template comment and an unticked box",
      pr: {
        title: "Add orders endpoint",
        body: "<!-- If your change must be enforced at compile time, link the ADR. -->\nAdds GET /orders.\n\n- [ ] Misuse is prevented architecturally (ADR linked)\n",
      },
      expect: [],
    },
    {
      name: "phrase only inside a code block",
      pr: { title: "Docs: explain scopes", body: "Example:\n```rust\n// enforce at compile time via PlatformClient\n```\nDocs only." },
      expect: [],
    },
  ],
});
