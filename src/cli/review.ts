// The local review CLI: the same engine as the app, over a git diff or over files you name.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, posix, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { bundledDefaults } from "../config/files.js";
import type { Config } from "../config/schema.js";
import { enginePool, holdEnginePool } from "../engine/pool.js";
import type { ChangedFile, EngineResult, RepoFile } from "../engine/types.js";
import { renderSarif } from "../report/sarif.js";
import { appVersion } from "../version.js";
import { Git } from "./git.js";
import { formatText, painter, wantsColour } from "./text.js";
import { configFromText, EXIT_FAILURES, EXIT_OK, EXIT_USAGE, UsageError } from "./usage.js";

export { formatText } from "./text.js";

const USAGE = `Usage: ai-gaps review [options] [files...]

Reviews what changed since --base in the git repository you are in (committed, staged, unstaged and
new untracked files), or the whole of the files you name.

Options:
  --base <ref>      git ref to compare with (default: origin/HEAD, else main, else master, else HEAD~1)
  --config <path>   config file (default: .github/ai-gaps.yml at the repository root, when present)
  --title <text>    pull request title, for classification by its text
  --body <text>     pull request body
  --format <fmt>    text (default), json or sarif (SARIF 2.1.0, for code scanning)
  --output <path>   write the report to this file instead of standard output
  -v, --version     print the version
  -h, --help        this help

ai-gaps converge --help: the convergence monitor over local commits.

Exit codes: 0 no failure-level findings, 1 failure-level findings, 2 usage or configuration error,
3 internal error.`;

const FORMATS = ["text", "json", "sarif"] as const;
type Format = (typeof FORMATS)[number];

export interface Io {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
}

const processIo = (): Io => ({ cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr });

interface Options {
  base?: string;
  config?: string;
  title: string;
  body: string;
  format: Format;
  output?: string;
  files: string[];
}

function parse(argv: string[]): Options | "help" | "version" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        base: { type: "string" },
        config: { type: "string" },
        title: { type: "string", default: "" },
        body: { type: "string", default: "" },
        format: { type: "string", default: "text" },
        output: { type: "string" },
        version: { type: "boolean", short: "v" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split("\n")[0]} (see ai-gaps --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (values.version) return "version";
  const [command, ...files] = positionals;
  if (command === undefined) throw new UsageError("missing command: ai-gaps review [options] [files...] (see ai-gaps --help)");
  if (command !== "review") throw new UsageError(`unknown command "${command}": the commands are review and converge (see ai-gaps --help)`);
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format "${values.format}": use ${FORMATS.join(", ")}`);
  if (files.length && values.base) throw new UsageError("--base compares with a git ref; it cannot be combined with named files");
  return { base: values.base, config: values.config, title: values.title!, body: values.body!, format, output: values.output, files };
}

/** The repository's config (or --config), validated; the bundled defaults when there is none. */
function loadConfig(cwd: string, root: string, path: string | undefined): Config {
  const file = path ? resolve(cwd, path) : resolve(root, ".github/ai-gaps.yml");
  if (!existsSync(file)) {
    if (path) throw new UsageError(`config file not found: ${path}`);
    return bundledDefaults();
  }
  return configFromText(readFileSync(file, "utf8"), relative(cwd, file) || file);
}

function namedFiles(cwd: string, root: string, paths: string[]): ChangedFile[] {
  return paths.map((p) => {
    const full = resolve(cwd, p);
    if (!existsSync(full)) throw new UsageError(`no such file: ${p}`);
    const path = relative(root, full).split(sep).join("/");
    if (path.startsWith("..") || isAbsolute(path)) throw new UsageError(`${p} is outside the repository ${root}`);
    return { path, status: "added", content: readFileSync(full, "utf8") };
  });
}

async function run(options: Options, io: Io): Promise<{ result: EngineResult; config: Config }> {
  const git = options.files.length ? tryRepository(io.cwd) : Git.at(io.cwd);
  const root = git?.root ?? io.cwd;
  const config = loadConfig(io.cwd, root, options.config);
  let files: ChangedFile[];
  let commitMessages: string[] = [];
  if (options.files.length) {
    config.review.filter = "file";
    files = namedFiles(io.cwd, root, options.files);
  } else {
    const base = options.base ? git!.commit(options.base, "base") : git!.defaultBase();
    files = git!.changedFiles(base);
    commitMessages = git!.messages(git!.mergeBase(base, "HEAD"), "HEAD");
  }
  const release = holdEnginePool(io.env);
  const result = await enginePool(io.env)
    .review({ files, repoFiles: manifests(root, files), pr: { title: options.title, body: options.body, commitMessages }, config })
    .finally(release);
  return { result, config };
}

/** The package.json of every folder above the files (which of them scripts run: checks/_lib/context.ts). */
function manifests(root: string, files: ChangedFile[]): RepoFile[] {
  const dirs = new Set<string>();
  for (const f of files) for (let d = posix.dirname(f.path); !dirs.has(d); d = posix.dirname(d)) dirs.add(d);
  const named = new Set(files.map((f) => f.path));
  return [...dirs].flatMap((d) => {
    const path = d === "." ? "package.json" : `${d}/package.json`;
    const full = resolve(root, path);
    return named.has(path) || !existsSync(full) ? [] : [{ path, content: readFileSync(full, "utf8") }];
  });
}

function tryRepository(cwd: string): Git | undefined {
  try {
    return Git.at(cwd);
  } catch {
    return undefined;
  }
}

function render(format: Format, result: EngineResult, config: Config, colour: boolean): string {
  if (format === "json") return JSON.stringify(result, null, 2);
  if (format === "sarif") return JSON.stringify(renderSarif(result, config), null, 2);
  return formatText(result, painter(colour));
}

function writeOutput(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  try {
    const options = parse(argv);
    if (options === "help") return io.stdout.write(`${USAGE}\n`), EXIT_OK;
    if (options === "version") return io.stdout.write(`${appVersion()}\n`), EXIT_OK;
    const { result, config } = await run(options, io);
    const colour = !options.output && options.format === "text" && wantsColour(io.stdout, io.env);
    const text = `${render(options.format, result, config, colour)}\n`;
    if (options.output) writeOutput(resolve(io.cwd, options.output), text);
    else io.stdout.write(text);
    return result.findings.some((f) => f.severity === "failure") ? EXIT_FAILURES : EXIT_OK;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`ai-gaps: ${error.message}\n`);
    return EXIT_USAGE;
  }
}
