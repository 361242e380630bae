import { defineRule, type ParsedFile, type Report } from "../src/engine/rule.js";
import { isNonServiceCode } from "../src/engine/languages.js";
import { SyntaxKind } from "ts-morph";

function tsConsole(file: ParsedFile): Report[] {
  if (isNonServiceCode(file.path)) return [];
  return file.ts!.getDescendantsOfKind(SyntaxKind.CallExpression)
    .filter((call) => /^console\.(log|error|warn|info|debug|trace)$/.test(call.getExpression().getText()))
    .map((call) => ({
      line: call.getStartLineNumber(),
      message: `\`${call.getExpression().getText()}\` writes an unstructured line with no correlation id.`,
    }));
}

function treeCalls(file: ParsedFile, types: string[], match: (text: string) => boolean, label: (t: string) => string): Report[] {
  if (isNonServiceCode(file.path)) return [];
  return file.tree!.rootNode.descendantsOfType(types)
    .filter((node) => node !== null && match(node.text))
    .map((node) => ({ line: node!.startPosition.row + 1, message: label(node!.text) }));
}

export default defineRule({
  meta: {
    id: "unstructured-logging",
    category: "resilience",
    languages: ["typescript", "rust", "python"],
    severity: "notice",
    description: "Service code logs with print statements instead of a structured logger.",
    why: "Print output has no level, no fields and no request or correlation id, so one request cannot be traced across services during an incident.",
    fix: "Log through the service's structured logger (pino, tracing, structlog/logging) and attach the request or correlation id to every line.",
  },
  detect: {
    typescript: tsConsole,
    rust: (file) =>
      treeCalls(file, ["macro_invocation"], (t) => /^e?println!/.test(t), (t) => `\`${t.split("!")[0]}!\` writes an unstructured line with no correlation id.`),
    python: (file) =>
      treeCalls(file, ["call"], (t) => /^print\(/.test(t), () => "`print()` writes an unstructured line with no correlation id."),
  },
  cases: [
    { name: "console.log in a handler", language: "typescript", code: "export function h(req) {\n  console.log('got', req.id);\n}\n", expect: [2] },
    { name: "pino logger", language: "typescript", code: "export function h(req, log) {\n  log.info({ reqId: req.id }, 'got');\n}\n", expect: [] },
    { name: "console in a string", language: "typescript", code: "const s = 'console.log(x)';\n", expect: [] },
    { name: "console in a test file", language: "typescript", path: "test/a.test.ts", code: "console.log('x');\n", expect: [] },
    { name: "println in service", language: "rust", code: "fn handle() {\n    println!(\"handling\");\n}\n", expect: [2] },
    { name: "tracing in service", language: "rust", code: "fn handle() {\n    tracing::info!(request_id = %id, \"handling\");\n}\n", expect: [] },
    { name: "print in service", language: "python", code: "def handle(req):\n    print('handling', req)\n", expect: [2] },
    { name: "logger in service", language: "python", code: "def handle(req):\n    log.info('handling', extra={'rid': req.id})\n", expect: [] },
  ],
});
