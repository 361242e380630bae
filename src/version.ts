// The app's version, from package.json.
import { readProjectFile } from "./project-files.js";

let version: string | undefined;

export function appVersion(): string {
  return (version ??= (JSON.parse(readProjectFile("package.json")) as { version?: string }).version ?? "0.0.0");
}
