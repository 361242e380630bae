// The app's version, from package.json (found from src/ or dist/src/).
import { existsSync, readFileSync } from "node:fs";

let version: string | undefined;

export function appVersion(): string {
  if (version) return version;
  for (const rel of ["../package.json", "../../package.json"]) {
    const url = new URL(rel, import.meta.url);
    if (!existsSync(url)) continue;
    const pkg = JSON.parse(readFileSync(url, "utf8")) as { name?: string; version?: string };
    if (pkg.name === "ai-gaps" && pkg.version) return (version = pkg.version);
  }
  return (version = "0.0.0");
}
