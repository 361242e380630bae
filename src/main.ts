// Server entry (`npm start`): Probot's own run() with our Octokit class, so retry/throttle apply. AI_GAPS_ROLE picks
// what the process does with REDIS_URL: web (answers webhooks, queues work), worker (runs the work), all (both).
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { setPriority } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseEnv } from "node:util";
import { run, Server, type Logger } from "probot";
import { octokitSettings, createOctokit, throttleConnection } from "./github/octokit.js";
import { enginePool, holdEnginePool, type EnginePool } from "./engine/pool.js";
import { engineThreads, onScrape } from "./metrics.js";
import { createApp, healthz } from "./index.js";
import { shareLocks } from "./checklist/lock.js";
import { createQueue, ReviewQueue, roleFromEnv, type Role, type WorkQueue } from "./queue.js";
import { RedisQueue } from "./queue-redis.js";

export interface StartOptions {
  /** Port to listen on; 0 picks a free one. Default: PORT, else 3000. */
  port?: number;
  host?: string;
  /** Environment for Probot and the app (merged over process.env). */
  env?: Record<string, string | undefined>;
  /** The .env file the registration flow writes (under process.env); false reads none. Default: ./.env. */
  envFile?: string | false;
}

export interface RunningServer {
  server: Server;
  queue: WorkQueue;
  /** The engine's worker threads: none in a web process, which runs no reviews. */
  engine: EnginePool | undefined;
  port: number;
  /** Waits for queued reviews to finish. */
  idle(): Promise<void>;
  /** Stops taking webhooks, lets the jobs in hand finish, closes the queue. */
  stop(): Promise<void>;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  // Probot's setup flow and webhook proxy would npx-install smee-client; nothing downloads at run time.
  process.env.NO_SMEE_SETUP ??= "true";
  const env: Record<string, string | undefined> = { NO_SMEE_SETUP: "true", ...readEnvFile(options.envFile), ...process.env, ...options.env };
  requireWebhookSecret(env);
  if (options.port !== undefined) env.PORT = String(options.port === 0 ? await freePort(options.host) : options.port);
  if (options.host !== undefined) env.HOST = options.host;
  const role = roleFromEnv(env);
  if (role !== "all" && !env.REDIS_URL) throw new Error(`AI_GAPS_ROLE=${role} needs REDIS_URL (the queue the web and worker processes share)`);
  let queue: WorkQueue | undefined;
  let log: Logger | undefined;
  const niceness = role === "worker" ? lowerPriority(env) : undefined;
  const engine = holdEngine(role, env);
  const appFn: Parameters<typeof run>[0] = (app, opts) => {
    log = app.log;
    queue = createQueue(app.log, env);
    // One checklist writer per PR across every process, not only within this one.
    if (queue instanceof RedisQueue) shareLocks((key, work) => (queue as RedisQueue).withLock(key, work));
    return createApp({ queue, env })(app, opts);
  };
  // With REDIS_URL the GitHub throttling is shared through Redis. The connection is made here rather than by Probot
  // (which would also read REDIS_URL) so that stop() can close it.
  const throttle = env.REDIS_URL ? throttleConnection(env.REDIS_URL, (err) => log?.error({ err }, "redis (throttling) error")) : undefined;
  const runOptions = { env: { ...env, REDIS_URL: undefined }, Octokit: createOctokit(octokitSettings(env), throttle) };
  const server = setupMode(env) ? await inSetupMode(env, () => run(appFn, runOptions)) : await run(appFn, runOptions);
  const q = queue ?? new ReviewQueue(); // setup mode (no APP_ID): the app is not loaded
  if (q instanceof RedisQueue && !(await q.connected())) log?.warn("Redis is not reachable yet: /readyz answers 503 until it is");
  log?.info({ role, queue: q instanceof RedisQueue ? "redis" : "memory", niceness }, `ai-gaps ${role} started`);
  const stop = async () => {
    try {
      await server.stop();
      await q.close();
      if (q instanceof RedisQueue) shareLocks(undefined);
      await throttle?.disconnect(false);
    } finally {
      await engine.release();
    }
  };
  return { server, queue: q, engine: engine.pool, port: server.port, idle: () => q.idle(), stop };
}

/**
 * A worker process runs at a lower CPU priority (AI_GAPS_WORKER_NICE, default 10; 0 keeps it), set before its
 * engine threads start so they inherit it: where web and workers share a host (docker-compose), reviews then
 * never delay a webhook's answer, which GitHub abandons after 10 s.
 */
function lowerPriority(env: Record<string, string | undefined>): number | undefined {
  const nice = env.AI_GAPS_WORKER_NICE === undefined || env.AI_GAPS_WORKER_NICE === "" ? 10 : Number(env.AI_GAPS_WORKER_NICE);
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) throw new Error(`AI_GAPS_WORKER_NICE must be a whole number from 0 to 19, not "${env.AI_GAPS_WORKER_NICE}"`);
  if (!nice) return undefined;
  try {
    setPriority(nice);
    return nice;
  } catch {
    return undefined; // not allowed here (some sandboxes): run at the usual priority
  }
}

/** Workers (and `all`) hold the engine's thread pool; a web process only queues work, so it has none. */
function holdEngine(role: Role, env: Record<string, string | undefined>): { pool: EnginePool | undefined; release: () => Promise<void> } {
  if (role === "web") {
    engineThreads.set({ state: "size" }, 0);
    engineThreads.set({ state: "alive" }, 0);
    return { pool: undefined, release: async () => undefined };
  }
  const release = holdEnginePool(env);
  const pool = enginePool(env);
  const unscrape = onScrape(async () => {
    engineThreads.set({ state: "size" }, pool.size);
    engineThreads.set({ state: "alive" }, pool.threads);
  });
  return {
    pool,
    release: async () => {
      unscrape();
      await release();
    },
  };
}

/** Probot serves its app-registration pages instead of the app when the id or the key is missing. */
function setupMode(env: Record<string, string | undefined>): boolean {
  return !env.APP_ID || !(env.PRIVATE_KEY || env.PRIVATE_KEY_PATH);
}

/**
 * Setup mode loads none of the app, so /healthz would answer 404, and the "use an existing app" page would show
 * an empty webhook URL (it prints WEBHOOK_PROXY_URL, which we never set: no smee channel). Probot builds the
 * server's handler list when it starts and offers no hook in setup mode, so while run() starts it, Server's
 * start() first adds /healthz; and the page shows where to point the webhook.
 */
async function inSetupMode(env: Record<string, string | undefined>, start: () => Promise<Server>): Promise<Server> {
  const original = Server.prototype.start;
  const hadProxyUrl = "WEBHOOK_PROXY_URL" in process.env;
  Server.prototype.start = function (this: Server) {
    this.addHandler(healthz);
    return original.call(this);
  };
  if (!hadProxyUrl) process.env.WEBHOOK_PROXY_URL = `https://YOUR-HOST${env.WEBHOOK_PATH ?? "/api/github/webhooks"} (where ai-gaps runs)`;
  try {
    return await start();
  } finally {
    Server.prototype.start = original;
    if (!hadProxyUrl) delete process.env.WEBHOOK_PROXY_URL;
  }
}

/** Probot's run() loads .env into process.env but reads the env we pass it, so read the file here. */
function readEnvFile(file: string | false = join(process.cwd(), ".env")): Record<string, string | undefined> {
  return file && existsSync(file) ? parseEnv(readFileSync(file, "utf8")) : {};
}

/** Without WEBHOOK_SECRET Probot verifies deliveries with the public default "development": refuse. */
function requireWebhookSecret(env: Record<string, string | undefined>): void {
  if (env.APP_ID && !env.WEBHOOK_SECRET) {
    throw new Error("WEBHOOK_SECRET is not set: set it to the app's webhook secret so deliveries can be verified");
  }
}

function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * On SIGTERM (docker stop): stop taking webhooks, let the work in hand finish (bounded), exit. Without Redis that
 * is every queued job; with Redis, the running ones (the queued ones stay in Redis for the other workers).
 */
function stopOnSigterm(running: RunningServer, graceMs = 25_000): void {
  process.once("SIGTERM", () => {
    const timer = setTimeout(() => process.exit(0), graceMs);
    timer.unref();
    void running
      .stop()
      .finally(() => process.exit(0));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  startServer()
    .then(stopOnSigterm)
    .catch((error: unknown) => {
      process.stderr.write(`ai-gaps failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    });
}
