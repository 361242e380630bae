#!/usr/bin/env node
// `ai-gaps review`: run the engine locally (see src/cli/review.ts); `ai-gaps converge`: the convergence
// monitor over local commits (see src/cli/converge.ts).
import { main as converge } from "./cli/converge.js";
import { main } from "./cli/review.js";

const argv = process.argv.slice(2);
try {
  process.exitCode = argv[0] === "converge" ? await converge(argv.slice(1)) : await main(argv);
} catch (error) {
  process.stderr.write(`ai-gaps: internal error: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 3;
}
