// What ships, assembled in temporary folders and run from there: the npm package (`npm pack`, installed
// into a prefix, run from another git repository) and the Docker image's final stage (its COPY lines and
// production dependencies only, started with its CMD, answering /healthz). Installs use the npm cache only.
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, existsSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { jest } from "@jest/globals";
import { copyGrammars } from "../../scripts/grammars.js";
import { appKeys } from "../support/keys.js";
import { makeRepo } from "../support/git-repo.js";

jest.setTimeout(600_000);

const execAsync = promisify(execFile);
const ROOT = new URL("../../", import.meta.url).pathname;
const npm = (cwd: string, ...args: string[]) => execAsync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, maxBuffer: 64 << 20 });

/** `npm run build` into a copy of the package folder (the working tree stays as it is). */
let built: string;

beforeAll(async () => {
  built = mkdtempSync(join(tmpdir(), "ai-gaps-built-"));
  for (const file of ["package.json", "package-lock.json", "README.md", "app.yml", "config"]) cpSync(join(ROOT, file), join(built, file), { recursive: true });
  await execAsync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.build.json"), "--outDir", join(built, "dist")]);
  copyGrammars(join(built, "dist/src/engine"));
});

/** Production dependencies from the lock file, from the npm cache only (nothing downloads in tests). */
async function installProduction(dir: string): Promise<void> {
  cpSync(join(ROOT, "package-lock.json"), join(dir, "package-lock.json"));
  await npm(dir, "ci", "--omit=dev", "--offline");
}

describe("npm pack", () => {
  let files: string[];
  let prefix: string;

  beforeAll(async () => {
    const out = mkdtempSync(join(tmpdir(), "ai-gaps-pack-"));
    const { stdout } = await npm(built, "pack", "--ignore-scripts", "--json", "--pack-destination", out);
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    files = packed.files.map((f) => f.path);
    // What `npm i -g <tarball>` lays out: the package under lib/node_modules, its bin linked in bin/.
    prefix = mkdtempSync(join(tmpdir(), "ai-gaps-prefix-"));
    const pkg = join(prefix, "lib/node_modules/ai-gaps");
    mkdirSync(pkg, { recursive: true });
    execFileSync("tar", ["xzf", join(out, packed.filename), "-C", pkg, "--strip-components=1"]);
    await installProduction(pkg);
    mkdirSync(join(prefix, "bin"));
    const bin = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")).bin["ai-gaps"];
    chmodSync(join(pkg, bin), 0o755);
    symlinkSync(join("../lib/node_modules/ai-gaps", bin), join(prefix, "bin/ai-gaps"));
  });

  test("contains the built CLI, its config and the grammars, and no sources or tests", () => {
    for (const f of ["dist/src/cli.js", "dist/checks/index.js", "dist/src/engine/tree-sitter-rust.wasm", "dist/src/engine/tree-sitter-python.wasm", "config/default.yml", "package.json"]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.endsWith(".ts") || f.endsWith(".map") || f.startsWith("test/") || f.startsWith("src/"))).toEqual([]);
  });

  test("the installed ai-gaps reviews another repository, from a subdirectory", async () => {
    const repo = makeRepo();
    repo.commit("base", { "app/h.ts": "export function h() {\n  return 1;\n}\n", "svc/main.rs": "fn main() {}\n" });
    repo.write({ "app/h.ts": "export function h() {\n  console.log('x');\n  return 1;\n}\n", "svc/new.py": "def f():\n    print('hi')\n" });
    const env = { ...process.env, NO_COLOR: "1" };
    const { stdout } = await execAsync(join(prefix, "bin/ai-gaps"), ["review", "--format", "json"], { cwd: join(repo.dir, "svc"), env });
    const findings = JSON.parse(stdout).findings.map((f: { ruleId: string; path: string; line: number }) => [f.ruleId, f.path, f.line]);
    expect(findings).toEqual([
      ["unstructured-logging", "app/h.ts", 2],
      ["unstructured-logging", "svc/new.py", 2],
    ]);
    const usage = await execAsync(join(prefix, "bin/ai-gaps"), ["review", "--base", "nope"], { cwd: repo.dir, env }).catch((e) => e);
    expect([usage.code, usage.stderr.trim().split("\n").length]).toEqual([2, 1]);

    // On a real terminal (util-linux `script` gives it one): colour, unless NO_COLOR is set.
    const onTerminal = async (extra: NodeJS.ProcessEnv) =>
      (await execAsync("script", ["-qec", `"${join(prefix, "bin/ai-gaps")}" review`, "/dev/null"], { cwd: repo.dir, env: { ...process.env, ...extra } })).stdout;
    expect(await onTerminal({ NO_COLOR: "" })).toContain("\x1b[4mapp/h.ts\x1b[24m");
    expect(await onTerminal({ NO_COLOR: "1" })).not.toContain("\x1b[");
  });
});

describe("Docker image, final stage", () => {
  const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8").replace(/\\\n\s*/g, " ");
  const stage = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
  let server: ChildProcess | undefined;

  afterAll(() => server?.kill("SIGTERM"));

  function freePort(): Promise<number> {
    return new Promise((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
  }

  test("what its COPY lines bring, with production dependencies only, starts and answers /healthz", async () => {
    const app = mkdtempSync(join(tmpdir(), "ai-gaps-image-"));
    const lines = stage.split("\n").map((l) => l.trim());
    for (const line of lines.filter((l) => l.startsWith("COPY "))) {
      const words = line.split(/\s+/).slice(1);
      const from = words[0].startsWith("--from=") ? words.shift()!.slice("--from=".length) : undefined;
      const dest = words.pop()!;
      for (const src of words) {
        // The build stage's WORKDIR is /app and `npm run build` made dist/ there: that is `built` here.
        const source = from ? join(built, src.replace(/^\/app\//, "")) : join(ROOT, src);
        const target = dest.endsWith("/") ? join(app, dest, src.split("/").pop()!) : join(app, dest);
        cpSync(source, target, { recursive: true });
      }
    }
    const runs = lines.filter((l) => l.startsWith("RUN "));
    expect(runs).toEqual([expect.stringMatching(/^RUN npm ci --omit=dev /)]);
    await installProduction(app);
    expect(existsSync(join(app, "node_modules/probot"))).toBe(true);
    for (const dev of ["jest", "typescript-eslint", "tree-sitter-rust", "esbuild"]) expect(existsSync(join(app, "node_modules", dev))).toBe(false);
    expect(readdirSync(join(app, "dist/src/engine")).filter((f) => f.endsWith(".wasm")).sort()).toEqual(["tree-sitter-python.wasm", "tree-sitter-rust.wasm"]);

    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
    for (const line of lines.filter((l) => l.startsWith("ENV "))) {
      for (const pair of line.slice(4).trim().split(/\s+/)) env[pair.split("=")[0]] = pair.split("=").slice(1).join("=");
    }
    expect(env).toMatchObject({ NODE_ENV: "production", HOST: "0.0.0.0" });
    const port = await freePort();
    Object.assign(env, { HOST: "127.0.0.1", PORT: String(port), APP_ID: "1", PRIVATE_KEY: appKeys().privateKey, WEBHOOK_SECRET: "s3cret" });
    const cmd = JSON.parse(lines.find((l) => l.startsWith("CMD "))!.slice(4)) as string[];
    expect(cmd).toEqual(["node", "dist/src/main.js"]);
    let log = "";
    server = spawn(process.execPath, cmd.slice(1), { cwd: app, env, stdio: ["ignore", "pipe", "pipe"] });
    server.stdout!.on("data", (d) => (log += d));
    server.stderr!.on("data", (d) => (log += d));
    const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
    let answer: { status: number; body: unknown } | undefined;
    for (let i = 0; i < 300 && !answer && server.exitCode === null; i++) {
      answer = await fetch(`http://127.0.0.1:${port}/healthz`).then(async (r) => ({ status: r.status, body: await r.json() }), () => undefined);
      if (!answer) await new Promise((r) => setTimeout(r, 100));
    }
    expect({ answer, exited: server.exitCode, log: answer ? "" : log }).toEqual({ answer: { status: 200, body: { status: "ok", version } }, exited: null, log: "" });
  });
});
