// Start-up environment of the server `npm start` runs: the .env the registration flow writes, and no
// webhook serving without a webhook secret (Probot would fall back to the public "development" secret).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { startServer } from "../../src/main.js";
import { FakeGitHub } from "../support/fake-github.js";
import { appKeys } from "../support/keys.js";
import { pullRequestEvent } from "../support/payloads.js";
import { deliver } from "../support/webhooks.js";

let fake: FakeGitHub;

beforeAll(async () => {
  fake = await FakeGitHub.start({ appPublicKey: appKeys().publicKey });
  fake.addRepo({ owner: "acme", name: "shop" });
});

afterAll(async () => {
  await fake.close();
});

const quiet = { LOG_LEVEL: "silent", AI_GAPS_MUTATION_INTERVAL_MS: "0", AI_GAPS_RETRY_BASE_MS: "5" };

describe("server start-up environment", () => {
  test("setup mode (.env.example as it ships: no APP_ID) answers /healthz, serves the registration page, and the import page names the webhook URL", async () => {
    const example = new URL("../../.env.example", import.meta.url).pathname;
    const app = await startServer({ port: 0, host: "127.0.0.1", envFile: example, env: { ...quiet, APP_ID: undefined, PRIVATE_KEY: undefined, NODE_ENV: "test" } });
    try {
      const base = `http://127.0.0.1:${app.port}`;
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: "ok", version: expect.any(String) });
      expect((await fetch(`${base}/probot`)).status).toBe(200);
      const page = await (await fetch(`${base}/probot/import`)).text();
      expect(page).toMatch(/Replace your app's Webhook URL with <br>\s*<b>https:\/\/YOUR-HOST\/api\/github\/webhooks \(where ai-gaps runs\)<\/b>/);
      expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
    } finally {
      await app.stop();
    }
    expect(process.env.WEBHOOK_PROXY_URL).toBeUndefined();
  });

  test("refuses to serve webhooks with APP_ID but no WEBHOOK_SECRET", async () => {
    const outcome = await startServer({
      port: 0,
      host: "127.0.0.1",
      envFile: false,
      env: { ...fake.env(), ...quiet, APP_ID: String(fake.appId), PRIVATE_KEY: appKeys().privateKey, WEBHOOK_SECRET: undefined },
    }).then(
      async (app) => {
        await app.stop();
        return "started";
      },
      (error: Error) => error.message,
    );
    expect(outcome).toMatch(/WEBHOOK_SECRET/);
  });

  test("reads APP_ID, PRIVATE_KEY and WEBHOOK_SECRET from the .env the registration flow wrote", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ai-gaps-env-"));
    const file = join(dir, ".env");
    const pem = appKeys().privateKey.replace(/\n/g, "\\n"); // as Probot's updateEnv writes it
    writeFileSync(file, `APP_ID=${fake.appId}\nPRIVATE_KEY=${pem}\nWEBHOOK_SECRET=from-dotenv\n`);
    const app = await startServer({
      port: 0,
      host: "127.0.0.1",
      envFile: file,
      env: { ...fake.env(), ...quiet },
    });
    try {
      const pr = fake.openPullRequest("acme/shop", { files: { "src/a.ts": "export const a = 1;\n" } });
      const res = await deliver(`http://127.0.0.1:${app.port}`, "from-dotenv", "pull_request", pullRequestEvent(fake, pr, "opened"));
      expect(res.status).toBeLessThan(300);
      await app.idle();
      expect(fake.checkRunsFor("acme/shop", { headSha: pr.headSha, name: "ai-gaps" })).toHaveLength(1);
    } finally {
      await app.stop();
    }
  });
});
