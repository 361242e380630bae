// Our Octokit class: mutations serialized per installation with a minimum gap; bounded limit retries.
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { createOctokit, limitHandler, octokitSettings, throttleConnection } from "../../src/github/octokit.js";
import { FakeGitHub } from "../support/fake-github.js";
import { RedisServer } from "../support/redis.js";

let fake: FakeGitHub;

beforeAll(async () => {
  fake = await FakeGitHub.start();
  fake.addRepo({ owner: "acme", name: "shop", installationId: 1 });
  fake.addRepo({ owner: "acme", name: "other", installationId: 2 });
});

afterAll(async () => {
  await fake.close();
});

function client(installation: number, interval: number) {
  const Octokit = createOctokit({ ...octokitSettings({}), mutationIntervalMs: interval, retryBaseMs: 5 });
  return new Octokit({ auth: { token: fake.issueToken(installation) }, baseUrl: fake.baseUrl, throttle: { id: String(installation) } });
}

describe("Octokit settings", () => {
  test("defaults and environment overrides", () => {
    expect(octokitSettings({})).toMatchObject({ mutationIntervalMs: 1000, retries: 3, rateLimitRetries: 3, retryBaseMs: 1000 });
    expect(octokitSettings({ AI_GAPS_MUTATION_INTERVAL_MS: "0", AI_GAPS_RETRIES: "1" })).toMatchObject({ mutationIntervalMs: 0, retries: 1 });
    expect(octokitSettings({ AI_GAPS_MUTATION_INTERVAL_MS: "nope" }).mutationIntervalMs).toBe(1000);
  });

  test("rate-limit handler retries a bounded number of times and not for very long waits", () => {
    const handler = limitHandler("secondary rate limit", { ...octokitSettings({}), rateLimitRetries: 2, maxRetryAfterSeconds: 60 });
    const log = { warn: () => {} };
    const at = (retryCount: number) => ({ method: "POST", url: "/x", request: { retryCount } });
    expect(handler(1, at(0), { log })).toBe(true);
    expect(handler(1, at(1), { log })).toBe(true);
    expect(handler(1, at(2), { log })).toBe(false);
    expect(handler(3600, at(0), { log })).toBe(false);
  });

  test("mutations of one installation are serialized with the minimum gap; another installation is not held up", async () => {
    const one = client(1, 300);
    const two = client(2, 300);
    const sha = fake.getRepo("acme/shop").branches.get("main")!;
    const otherSha = fake.getRepo("acme/other").branches.get("main")!;
    const create = (o: typeof one, repo: string, head: string) => o.rest.checks.create({ owner: "acme", repo, name: "t", head_sha: head });
    const started = Date.now();
    await Promise.all([create(one, "shop", sha), create(one, "shop", sha), create(one, "shop", sha), create(two, "other", otherSha)]);
    const times = fake.requestsTo("POST /repos/{owner}/{repo}/check-runs").map((r) => ({ repo: r.params.repo, at: r.receivedAt }));
    const shop = times.filter((t) => t.repo === "shop").map((t) => t.at).sort((a, b) => a - b);
    expect(shop).toHaveLength(3);
    // Bottleneck spaces the dispatches; arrival times also carry connection set-up, hence the slack.
    expect(shop[1] - shop[0]).toBeGreaterThanOrEqual(150);
    expect(shop[2] - shop[1]).toBeGreaterThanOrEqual(150);
    const other = times.find((t) => t.repo === "other")!.at;
    // Not held up: the other installation's request is served before the first installation's second one.
    expect(other).toBeLessThan(shop[1]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 300 - 20);
    expect(fake.violations).toEqual([]);
  });

  test("with Redis, two processes' clients share one installation's mutation lane; their reads take no turn in it", async () => {
    const redis = await RedisServer.start();
    // Two connections, as two processes have.
    const connections = [0, 1].map(() => throttleConnection(redis.url, () => undefined));
    try {
      const [a, b] = connections.map((c) => {
        const Octokit = createOctokit({ ...octokitSettings({}), mutationIntervalMs: 300, retryBaseMs: 5 }, c);
        return new Octokit({ auth: { token: fake.issueToken(1) }, baseUrl: fake.baseUrl, throttle: { id: "1" } });
      });
      fake.requests.splice(0);
      const sha = fake.getRepo("acme/shop").branches.get("main")!;
      const create = (o: typeof a) => o.rest.checks.create({ owner: "acme", repo: "shop", name: "shared", head_sha: sha });
      const read = (o: typeof a) => o.rest.repos.get({ owner: "acme", repo: "shop" });
      await Promise.all([create(a), create(b), create(a), create(b), read(a), read(b)]);
      const at = (route: string) => fake.requestsTo(route).map((r) => r.receivedAt).sort((x, y) => x - y);
      const writes = at("POST /repos/{owner}/{repo}/check-runs");
      expect(writes).toHaveLength(4);
      for (let i = 1; i < writes.length; i++) expect(writes[i] - writes[i - 1]).toBeGreaterThanOrEqual(150);
      // The reads went out while the writes were still spaced.
      expect(Math.max(...at("GET /repos/{owner}/{repo}"))).toBeLessThan(writes[2]);
      expect(fake.violations).toEqual([]);
    } finally {
      await Promise.all(connections.map((c) => c.disconnect(false)));
      await redis.stop();
    }
  });
});
