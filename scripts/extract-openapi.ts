// Extracts, from GitHub's OpenAPI description (@octokit/openapi), the request shape of every operation
// ai-gaps may call: method, path template, path/query parameter schemas and the dereferenced request
// body schema. The result, test/fixtures/openapi-requests.json, is what the loopback fake GitHub
// (test/support/fake-github.ts) validates every request against.
//
// @octokit/openapi is 385 MB, so it is not a project dependency: install it anywhere and point at it.
//   npm install --prefix /tmp/openapi @octokit/openapi@23
//   npx tsx scripts/extract-openapi.ts [/tmp/openapi/node_modules/@octokit/openapi]
// (OPENAPI_DIR works too.) Add an operation id to OPERATIONS below when the app starts calling it.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Every REST operation the app (or Probot on its behalf) may call, by GitHub's operation id. */
export const OPERATIONS = [
  // Probot / authentication
  "apps/create-installation-access-token",
  "apps/get-authenticated",
  "apps/get-repo-installation",
  // repository, contents, git data
  "repos/get",
  "repos/get-content",
  "repos/get-commit",
  "repos/compare-commits",
  "repos/list-pull-requests-associated-with-commit",
  "repos/get-collaborator-permission-level",
  "git/get-tree",
  "git/get-blob",
  "git/get-ref",
  // pull requests
  "pulls/list",
  "pulls/get",
  "pulls/list-files",
  "pulls/list-commits",
  "pulls/list-reviews",
  "pulls/get-review",
  "pulls/create-review",
  "pulls/update-review",
  "pulls/list-review-comments",
  "pulls/create-review-comment",
  "pulls/get-review-comment",
  "pulls/update-review-comment",
  // issue comments
  "issues/list-comments",
  "issues/create-comment",
  "issues/get-comment",
  "issues/update-comment",
  // checks
  "checks/create",
  "checks/update",
  "checks/get",
  "checks/list-for-ref",
  "checks/list-annotations",
  "checks/list-suites-for-ref",
  "checks/get-suite",
  "checks/list-for-suite",
  "checks/rerequest-run",
  "checks/rerequest-suite",
  // teams
  "teams/get-membership-for-user-in-org",
  // actions (the convergence monitor reads failed jobs' logs)
  "actions/download-job-logs-for-workflow-run",
] as const;

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: unknown;
}

interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: unknown }> };
}

export interface ExtractedOperation {
  operationId: string;
  method: string;
  path: string;
  pathParams: Record<string, unknown>;
  queryParams: Record<string, { required: boolean; schema: unknown }>;
  body: { required: boolean; contentType: string; schema: unknown } | null;
}

export interface OpenApiFixture {
  source: { package: string; version: string; file: string };
  operations: ExtractedOperation[];
  /** Not in the OpenAPI description: GitHub's GraphQL endpoint, described here by hand. */
  graphql: { method: "POST"; path: "/graphql"; body: unknown };
}

/** Drop documentation-only keys so the fixture stays small; validation does not use them. */
function strip(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strip);
  if (!schema || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "description" || key === "examples" || key === "example" || key === "title" || key.startsWith("x-")) {
      // `properties` may legitimately contain a property named "description" or "title": keep those.
      continue;
    }
    if (key === "properties" && value && typeof value === "object") {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, strip(sub)]));
    } else {
      out[key] = strip(value);
    }
  }
  return out;
}

function main(): void {
  const dir = process.argv[2] ?? process.env.OPENAPI_DIR ?? "/tmp/openapi/node_modules/@octokit/openapi";
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; version: string };
  const file = "generated/api.github.com.deref.json";
  const spec = JSON.parse(readFileSync(join(dir, file), "utf8")) as {
    paths: Record<string, Record<string, Operation>>;
  };

  const wanted = new Set<string>(OPERATIONS);
  const operations: ExtractedOperation[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!op || typeof op !== "object" || !wanted.has(op.operationId)) continue;
      wanted.delete(op.operationId);
      const params = op.parameters ?? [];
      const jsonBody = op.requestBody?.content["application/json"];
      operations.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        pathParams: Object.fromEntries(params.filter((p) => p.in === "path").map((p) => [p.name, strip(p.schema ?? {})])),
        queryParams: Object.fromEntries(
          params.filter((p) => p.in === "query").map((p) => [p.name, { required: !!p.required, schema: strip(p.schema ?? {}) }]),
        ),
        body: op.requestBody
          ? {
              required: !!op.requestBody.required,
              contentType: jsonBody ? "application/json" : Object.keys(op.requestBody.content)[0],
              schema: strip((jsonBody ?? Object.values(op.requestBody.content)[0]).schema ?? {}),
            }
          : null,
      });
    }
  }
  if (wanted.size) throw new Error(`operations not found in ${pkg.name}@${pkg.version}: ${[...wanted].join(", ")}`);
  operations.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));

  const fixture: OpenApiFixture = {
    source: { package: pkg.name, version: pkg.version, file },
    operations,
    graphql: {
      method: "POST",
      path: "/graphql",
      body: {
        type: "object",
        required: ["query"],
        additionalProperties: false,
        properties: {
          query: { type: "string", minLength: 1 },
          variables: { type: "object" },
          operationName: { type: "string" },
        },
      },
    },
  };
  const out = new URL("../test/fixtures/openapi-requests.json", import.meta.url);
  writeFileSync(out, JSON.stringify(fixture, null, 1) + "\n");
  process.stdout.write(`${operations.length} operations from ${pkg.name}@${pkg.version} -> ${out.pathname}\n`);
}

main();
