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
  private constructor(
    readonly fake: FakeGitHub,
    readonly app: RunningServer,
    /** http://127.0.0.1:<port> of the app. */
    readonly url: string,
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
      return new E2E(fake, app, `http://127.0.0.1:${app.port}`);
    } catch (error) {
      await fake.close();
      throw error;
    }
  }

  /** Deliver a signed webhook to the app. */
  deliver(event: string, payload: object, options?: DeliverOptions): Promise<Delivery> {
    return deliver(this.url, WEBHOOK_SECRET, event, payload, options);
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
