// Entry point of the GitHub Action (action.yml runs its bundle, dist-action/index.js).
import { runAction } from "./action.js";

try {
  process.exitCode = await runAction({ env: process.env, stdout: process.stdout });
} catch (error) {
  process.stdout.write(`::error title=ai-gaps internal error::${String((error as Error).stack ?? error).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}\n`);
  process.exitCode = 3;
}
