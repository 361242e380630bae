// Mongoose adapter. Mongoose docs (Middleware, "Define Middleware Before Compiling Models"): "Calling pre() or
// post() after compiling a model does not work in Mongoose in general" — `mongoose.model()` /
// `connection.model()` copies the schema's hooks when it compiles the model, so a hook added afterwards
// never runs (https://mongoosejs.com/docs/middleware.html#defining). Hooks of one kind run in the order
// they were added (https://mongoosejs.com/docs/middleware.html#pre).
import { Node, SyntaxKind } from "ts-morph";
import type { ParsedFile } from "../../../src/engine/rule.js";
import { shortLabel, type Pipeline, type PipelineStep } from "./model.js";
import { enclosingFunctions } from "../ts.js";

const MONGOOSE_IMPORT = /from\s+["']mongoose["']|require\(\s*["']mongoose["']\s*\)/;

function scopeOf(node: Node): Node {
  return enclosingFunctions(node).find((a) => Node.isFunctionDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a) || Node.isMethodDeclaration(a)) ?? node.getSourceFile();
}

export function mongoosePipelines(file: ParsedFile): Pipeline[] {
  if (!MONGOOSE_IMPORT.test(file.text)) return [];
  const schemas = file.ts!.getDescendantsOfKind(SyntaxKind.VariableDeclaration)
    .filter((d) => /^new\s+(mongoose\.)?Schema\b/.test(d.getInitializer()?.getText() ?? ""));
  const out: Pipeline[] = [];
  for (const decl of schemas) {
    const name = decl.getName();
    const steps: PipelineStep[] = [];
    const home = scopeOf(decl);
    for (const call of file.ts!.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      if (scopeOf(call) !== home) continue;
      const expr = call.getExpression();
      const args = call.getArguments();
      const base = { path: file.path, line: call.getStartLineNumber(), provides: new Set<string>(), requires: new Set<string>(), source: "pr" as const };
      if (Node.isPropertyAccessExpression(expr) && expr.getExpression().getText() === name && /^(pre|post|plugin)$/.test(expr.getName())) {
        steps.push({ ...base, kind: "hook", label: `${name}.${expr.getName()}(${shortLabel(args[0]?.getText() ?? "", 24)})` });
      } else if (/(^|\.)model$/.test(expr.getText()) && args.some((a) => a.getText() === name)) {
        steps.push({ ...base, kind: "compile", seals: true, label: `model(${shortLabel(args[0]?.getText() ?? "", 24)})` });
      }
    }
    if (steps.some((s) => s.seals)) {
      out.push({ framework: "Mongoose", name, path: file.path, line: decl.getStartLineNumber(), steps: steps.sort((a, b) => a.line - b.line), routes: [], order: "Mongoose copies a schema's hooks when `model()` compiles it" });
    }
  }
  return out;
}
