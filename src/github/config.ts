// Read .github/ai-gaps.yml from the default branch (never the PR head), with the owner's .github
// fallback and _extends, through Probot's config plugin; report problems with lines and columns.
import type { Context } from "probot";
import { checkConfigText, finishConfig, type ConfigProblem, type ConfigResult } from "../config/load.js";
import { configSchema } from "../config/schema.js";

export const CONFIG_PATH = ".github/ai-gaps.yml";

interface ConfigFile {
  owner: string;
  repo: string;
  path: string;
  url: string;
  config: Record<string, unknown> | null;
}

type Octokit = Context["octokit"];

export async function loadConfig(octokit: Octokit, owner: string, repo: string): Promise<ConfigResult> {
  let files: ConfigFile[];
  try {
    ({ files } = (await octokit.config.get({ owner, repo, path: CONFIG_PATH })) as { files: ConfigFile[] });
  } catch (error) {
    const problem = yamlProblem(error);
    if (problem) return { ok: false, problems: [problem], source: [problem.file] };
    throw error; // a GitHub failure: retried by Octokit, then reported by the caller
  }
  const found = files.filter((f) => f.config !== null);
  const source = found.length ? found.map(label) : [`defaults (no ${CONFIG_PATH} on the default branch)`];
  const problems: ConfigProblem[] = [];
  for (const file of found) {
    const { _extends: _, ...rest } = file.config!;
    if (configSchema.safeParse(rest).success) continue;
    const text = await rawText(octokit, file);
    problems.push(...checkConfigText(text, label(file)).problems);
  }
  if (problems.length) return { ok: false, problems, source };
  // The plugin lists the repository's own file first; later entries are what it extends.
  return { ok: true, config: finishConfig(found.map((f) => f.config!).reverse()), source };
}

function label(file: { owner: string; repo: string; path: string }): string {
  return `${file.owner}/${file.repo}:${file.path}`;
}

async function rawText(octokit: Octokit, file: ConfigFile): Promise<string> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
    owner: file.owner,
    repo: file.repo,
    path: file.path,
    mediaType: { format: "raw" },
  });
  return String(data);
}

/** The plugin throws on invalid YAML with the parser's error (and its line) as the cause. */
function yamlProblem(error: unknown): ConfigProblem | undefined {
  if (!(error instanceof Error) || !error.message.includes("[@probot/octokit-plugin-config]")) return undefined;
  const url = /from (\S+)/.exec(error.message)?.[1] ?? CONFIG_PATH;
  const file = fileFromUrl(url);
  const cause = (error as { cause?: { message?: string; linePos?: { line: number; col: number }[] } }).cause;
  const pos = cause?.linePos?.[0];
  const message = (cause?.message ?? error.message).split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  return { file, path: "", line: pos?.line, column: pos?.col, message };
}

function fileFromUrl(url: string): string {
  const m = /\/repos\/([^/]+)\/([^/]+)\/contents\/([^?]+)/.exec(url);
  return m ? `${m[1]}/${m[2]}:${decodeURIComponent(m[3])}` : url;
}
