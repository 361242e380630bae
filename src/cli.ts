#!/usr/bin/env node
// `ai-gaps review`: run the engine locally (see src/cli/review.ts).
import { main } from "./cli/review.js";

process.exitCode = await main(process.argv.slice(2));
