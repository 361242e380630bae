// Files shipped beside the code (config/, package.json), found from src/ (tests, tsx) and dist/src/ (built).
import { existsSync, readFileSync } from "node:fs";

export function projectFileUrl(path: string): URL {
  for (const up of ["../", "../../"]) {
    const url = new URL(up + path, import.meta.url);
    if (existsSync(url)) return url;
  }
  throw new Error(`${path} not found next to the app`);
}

export function readProjectFile(path: string): string {
  return readFileSync(projectFileUrl(path), "utf8");
}
