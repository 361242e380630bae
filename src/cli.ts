#!/usr/bin/env node
// `ai-gaps review`: run the engine locally (see src/cli/review.ts); `ai-gaps converge`: the convergence
// monitor over local commits (see src/cli/converge.ts).
// Each command loads only its own modules.
const argv = process.argv.slice(2);
try {
  process.exitCode = argv[0] === "converge" ? await (await import("./cli/converge.js")).main(argv.slice(1)) : await (await import("./cli/review.js")).main(argv);
} catch (error) {
  process.stderr.write(`ai-gaps: internal error: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 3;
}
