// The end-to-end rig: the loopback fake GitHub plus the app's real HTTP server (src/main.ts, the code
// `npm start` runs) pointed at it as a GitHub Enterprise host, and signed webhook deliveries.
import { startServer, type RunningServer } from "../../src/main.js";
import { FakeGitHub, type FakeGitHubOptions } from "./fake-github.js";
import { appKeys } from "./keys.js";
import { deliver, type DeliverOptions, type Delivery } from "./webhooks.js";

export const WEBHOOK_SECRET = "e2e-webhook-secret";

export interface E2EOptions {
  /** Extra environment for the app (over the defaults below). */
  env?: Record<string, string>;
  fake?: FakeGitHubOptions;
}

export class E2E {
  /** The secret deliveries are signed with (restart() may change it). */
  secret = WEBHOOK_SECRET;

  private constructor(
    readonly fake: FakeGitHub,
    public app: RunningServer,
    /** http://127.0.0.1:<port> of the app. */
    public url: string,
    private env: Record<string, string>,
  ) {}

  /**
   * Start the fake and the app. Defaults keep tests quick without changing behaviour: no gap between
   * mutations, retry backoff and retry-after counted in 5 ms units instead of seconds, quiet logs
   * (AI_GAPS_TEST_LOG_LEVEL=debug shows them).
   */
  static async start(options: E2EOptions = {}): Promise<E2E> {
    const { privateKey, publicKey } = appKeys();
    const fake = await FakeGitHub.start({ appPublicKey: publicKey, ...options.fake });
    const env: Record<string, string> = {
      APP_ID: String(fake.appId),
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET,
      ...fake.env(),
      LOG_LEVEL: process.env.AI_GAPS_TEST_LOG_LEVEL ?? "fatal",
      NODE_ENV: "test",
      NO_SMEE_SETUP: "true",
      AI_GAPS_MUTATION_INTERVAL_MS: "0",
      AI_GAPS_RETRY_BASE_MS: "5",
      ...options.env,
    };
    try {
      const app = await startServer({ port: 0, host: "127.0.0.1", env });
      return new E2E(fake, app, `http://127.0.0.1:${app.port}`, env);
    } catch (error) {
      await fake.close();
      throw error;
    }
  }

  /** Deliver a signed webhook to the app. */
  deliver(event: string, payload: object, options?: DeliverOptions): Promise<Delivery> {
    return deliver(this.url, this.secret, event, payload, options);
  }

  /** Stops the app and starts a new one against the same fake GitHub with `env` changed (a redeploy). */
  async restart(env: Record<string, string | undefined>): Promise<void> {
    await this.app.stop();
    const next: Record<string, string> = { ...this.env };
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete next[k];
      else next[k] = v;
    }
    this.env = next;
    this.secret = next.WEBHOOK_SECRET;
    this.app = await startServer({ port: 0, host: "127.0.0.1", env: next });
    this.url = `http://127.0.0.1:${this.app.port}`;
  }

  /** Wait for the app's queue to drain and the fake to see no more requests. */
  async idle(): Promise<void> {
    await this.app.idle();
    await this.fake.settle(100);
    await this.app.idle();
  }

  async stop(): Promise<void> {
    try {
      await this.app.stop();
    } finally {
      await this.fake.close();
    }
  }
}
