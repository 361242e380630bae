// Usage and configuration problems: one clear line each, exit code 2.
import { ConfigError, loadConfigText } from "../config/load.js";
import type { Config } from "../config/schema.js";

export class UsageError extends Error {}

export const EXIT_OK = 0;
export const EXIT_FAILURES = 1;
export const EXIT_USAGE = 2;

/** Validates one config file's text; each problem becomes a `file:line:column: key: message` line. */
export function configFromText(text: string, file: string): Config {
  try {
    return loadConfigText(text, file);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}
