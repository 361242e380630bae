// The server `npm start` runs (src/main.ts): Probot's run() with our Octokit, on a loopback port.
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { startServer, type RunningServer } from "../../src/main.js";
import { CHECKLIST_MARKER } from "../../src/checklist/index.js";
import { FakeGitHub } from "../support/fake-github.js";
import { appKeys } from "../support/keys.js";
import { pullRequestEvent } from "../support/payloads.js";
import { deliver } from "../support/webhooks.js";

const SECRET = "server-test-secret";
let fake: FakeGitHub;
let app: RunningServer;
let base: string;

beforeAll(async () => {
  fake = await FakeGitHub.start({ appPublicKey: appKeys().publicKey });
  fake.addRepo({ owner: "acme", name: "shop" });
  app = await startServer({
    port: 0,
    host: "127.0.0.1",
    env: {
      ...fake.env(),
      APP_ID: String(fake.appId),
      PRIVATE_KEY: appKeys().privateKey,
      WEBHOOK_SECRET: SECRET,
      LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
      AI_GAPS_MUTATION_INTERVAL_MS: "0",
      AI_GAPS_RETRY_BASE_MS: "5",
    },
  });
  base = `http://127.0.0.1:${app.port}`;
});

afterAll(async () => {
  await app.idle();
  await app.stop();
  await fake.close();
});

describe("server", () => {
  test("GET /healthz answers 200 with the version", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  test("a forged signature is refused and GitHub is not called", async () => {
    const before = fake.requests.length;
    const pr = fake.openPullRequest("acme/shop", { files: { "src/a.ts": "export const a = 1;\n" } });
    const res = await deliver(base, SECRET, "pull_request", pullRequestEvent(fake, pr, "opened"), { secret: "wrong" });
    expect(res.status).toBe(400);
    await app.idle();
    expect(fake.requests.length).toBe(before);
  });

  test("a signed pull_request is acknowledged at once and reviewed through GHE_HOST", async () => {
    const pr = fake.openPullRequest("acme/shop", { files: { "src/h.ts": "export function h() {\n  console.log('x');\n}\n" } });
    const res = await deliver(base, SECRET, "pull_request", pullRequestEvent(fake, pr, "opened"));
    expect(res.status).toBeLessThan(300);
    expect(res.ms).toBeLessThan(1000);
    await app.idle();
    const runs = fake.checkRunsFor("acme/shop", { headSha: pr.headSha, name: "ai-gaps" });
    expect(runs).toHaveLength(1);
    expect(runs[0].status).toBe("completed");
    expect(fake.commentsOn("acme/shop", pr.number).filter((c) => c.body.includes(CHECKLIST_MARKER))).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });
});
