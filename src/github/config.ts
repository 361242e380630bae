// Read .github/ai-gaps.yml from the default branch (never the PR head), with the owner's .github
// repository as fallback and `_extends` followed the way Probot's config plugin reads it (repo,
// owner/repo, owner/repo:path.yml), at most MAX_EXTENDS deep, no cycles; report problems with lines.
import type { Context } from "probot";
import { checkConfigText, EXTENDS_FORM, finishConfig, type ConfigProblem, type ConfigResult } from "../config/load.js";

export const CONFIG_PATH = ".github/ai-gaps.yml";
/** Most `_extends` hops followed from the repository's own file. */
export const MAX_EXTENDS = 10;

type Octokit = Context["octokit"];

interface Location {
  owner: string;
  repo: string;
  path: string;
}

const label = (l: Location) => `${l.owner}/${l.repo}:${l.path}`;

export async function loadConfig(octokit: Octokit, owner: string, repo: string): Promise<ConfigResult> {
  let where: Location = { owner, repo, path: CONFIG_PATH };
  let text = await readConfigFile(octokit, where);
  if (text === undefined && repo !== ".github") {
    where = { owner, repo: ".github", path: CONFIG_PATH };
    text = await readConfigFile(octokit, where);
  }
  if (text === undefined) return { ok: true, config: finishConfig([]), source: [`defaults (no ${CONFIG_PATH} on the default branch)`] };
  const values: Record<string, unknown>[] = [];
  const chain: Location[] = [];
  for (;;) {
    chain.push(where);
    const source = chain.map(label);
    const checked = typeof text === "string" ? checkConfigText(text, label(where)) : { problems: [text.problem] };
    if (checked.problems.length) return { ok: false, problems: checked.problems, source };
    values.push(checked.value!);
    if (checked.extends === undefined) return { ok: true, config: finishConfig(values.reverse()), source };
    const problem = (message: string): ConfigResult => ({ ok: false, problems: [{ file: label(where), path: "_extends", ...checked.extendsAt, message }], source });
    const next = extendsTarget(checked.extends, owner);
    if (chain.some((l) => label(l) === label(next))) return problem(`_extends ${label(next)} makes a cycle (already read: ${source.join(" -> ")})`);
    if (chain.length > MAX_EXTENDS) return problem(`more than ${MAX_EXTENDS} _extends in a row; merge some of these files`);
    const found = await readConfigFile(octokit, next);
    if (found === undefined) return problem(`_extends ${label(next)}: no such file on that repository's default branch (or the app cannot read it)`);
    where = next;
    text = found;
  }
}

/** Owner defaults to the repository's owner and path to .github/ai-gaps.yml, as in Probot's plugin. */
function extendsTarget(value: string, owner: string): Location {
  const m = EXTENDS_FORM.exec(value)!;
  return { owner: m[1] || owner, repo: m[2], path: m[3] || CONFIG_PATH };
}

/** The file's text on the default branch; undefined when missing; a problem when it is no readable file. */
async function readConfigFile(octokit: Octokit, where: Location): Promise<string | { problem: ConfigProblem } | undefined> {
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { ...where, mediaType: { format: "raw" } });
    if (typeof data !== "string") return { problem: { file: label(where), path: "", message: "this is a directory or a submodule, not a YAML file" } };
    return data;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error; // a GitHub failure: retried by Octokit, then reported by the caller
  }
}
