// The app as separate OS processes (`node --import tsx src/main.ts`, what `npm start` runs, unbuilt), so tests can
// run several against one Redis and one fake GitHub, and kill one with SIGKILL.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { FakeGitHub } from "./fake-github.js";
import { appKeys } from "./keys.js";
import { freePort } from "./redis.js";
import { deliver, type DeliverOptions, type Delivery } from "./webhooks.js";

export const WEBHOOK_SECRET = "process-webhook-secret";
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export class AppProcess {
  readonly output: string[] = [];

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly name: string,
  ) {
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (process.env.AI_GAPS_TEST_LOG_LEVEL) process.stderr.write(`[${name}] ${chunk.toString()}`);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
  }

  /** Starts the app with the fake as its GitHub and Redis at `redisUrl`; resolves once /readyz answers 200. */
  static async start(name: string, fake: Pick<FakeGitHub, "appId" | "env">, redisUrl: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<AppProcess> {
    const port = await freePort();
    const childEnv: Record<string, string | undefined> = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      APP_ID: String(fake.appId),
      PRIVATE_KEY: appKeys().privateKey,
      WEBHOOK_SECRET,
      ...fake.env(),
      LOG_LEVEL: process.env.AI_GAPS_TEST_LOG_LEVEL ?? "warn",
      LOG_FORMAT: "json",
      NODE_ENV: "test",
      NO_SMEE_SETUP: "true",
      AI_GAPS_MUTATION_INTERVAL_MS: "0",
      AI_GAPS_RETRY_BASE_MS: "5",
      AI_GAPS_JOB_BACKOFF_MS: "50",
      AI_GAPS_JOB_LOCK_MS: "2000",
      REDIS_URL: redisUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      ...env,
    };
    const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "src/main.ts"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: childEnv });
    const app = new AppProcess(child, port, name);
    await app.waitReady();
    return app;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  deliver(event: string, payload: object, options?: DeliverOptions): Promise<Delivery> {
    return deliver(this.url, WEBHOOK_SECRET, event, payload, options);
  }

  async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`${this.name} exited with ${this.child.exitCode}:\n${this.output.join("")}`);
      const status = await fetch(`${this.url}/readyz`).then((r) => r.status, () => 0);
      if (status === 200) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.name} was not ready within ${timeoutMs} ms:\n${this.output.join("")}`);
  }

  /** Sends `signal` and waits for the process to exit. */
  async kill(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill(signal);
    await exited;
  }
}
