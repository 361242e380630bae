import { codeKind, inTestCode, scriptTargets } from "../../checks/_lib/context.js";
import { disposeFiles, parseFiles } from "../../src/engine/parse.js";
import type { ParsedFile } from "../../src/engine/rule.js";

async function parsed(path: string, content: string): Promise<ParsedFile> {
  const { parsed: [file] } = await parseFiles([{ path, content, changed: true }]);
  return file;
}

const made: ParsedFile[] = [];
afterAll(() => disposeFiles(made));

async function kind(path: string, content: string) {
  const file = await parsed(path, content);
  made.push(file);
  return codeKind(file);
}

describe("codeKind: what the code is, not only where it lives", () => {
  test.each([
    ["a Rust server under src/bin", "src/bin/server.rs", "#[tokio::main]\nasync fn main() { let app = Router::new(); axum::serve(l, app).await.unwrap(); }", "service"],
    ["a Rust CLI with clap", "src/main.rs", "use clap::Parser;\n#[derive(Parser)]\nstruct Args {}\nfn main() {}", "script"],
    ["a build script", "build.rs", "fn main() { println!(\"cargo:rerun-if-changed=x\"); }", "script"],
    ["an actix example service", "examples/todo/src/main.rs", "#[actix_web::main]\nasync fn main() { HttpServer::new(|| App::new()).bind(1).unwrap().run().await }", "service"],
    ["a Node script reading argv", "src/seed.ts", "const n = Number(process.argv[2]);\nawait db.insert(n);", "script"],
    ["an interactive readline admin script", "src/admin.ts", "import * as readline from 'node:readline';\nexport function ask() {}", "script"],
    ["an Express app", "scripts/server.ts", "import express from 'express';\nconst app = express();\napp.listen(3000);", "service"],
    ["a Vue store", "static/app/src/auth/store.js", "import jwt_decode from 'jwt-decode';\nexport default { state: () => ({ token: localStorage.getItem('t') }) };", "browser"],
    ["an alembic migration", "src/app/database/revisions/versions/2021_abc.py", "from alembic import op\ndef upgrade():\n    print('x')", "script"],
    ["a click CLI", "src/app/cli.py", "import click\n@click.command()\ndef run():\n    print('x')", "script"],
    ["a FastAPI app", "src/app/main.py", "from fastapi import FastAPI\napp = FastAPI()", "service"],
    ["a Django management command", "app/management/commands/sync.py", "from django.core.management.base import BaseCommand\nclass Command(BaseCommand):\n    pass", "script"],
    ["a generated API client in the front-end's sources", "frontend/src/client/core/request.ts", "export function cancel(p: Promise<unknown>) {\n  console.warn('cancelled');\n}", "browser"],
    ["a Node build script beside the front-end", "frontend/src/gen.ts", "import * as fs from 'node:fs';\nexport function gen() { fs.writeFileSync('x', ''); }", "service"],
    ["a Python client script with a shebang, run at the top level", "protobuf/client.py", "#!/usr/bin/env python3\nimport aiohttp\nasync def go():\n    pass\nloop = asyncio.get_event_loop()\nloop.run_until_complete(go())\n", "script"],
    ["a Python worker started under a main guard stays service code", "app/worker.py", "import asyncio\nasync def main():\n    pass\nif __name__ == '__main__':\n    asyncio.run(main())\n", "service"],
    ["a test file", "app/tests/test_api.py", "def test_x():\n    assert 1", "test"],
    ["a TS spec", "src/users/users.service.spec.ts", "describe('x', () => {});", "test"],
  ])("%s", async (_name, path, content, expected) => {
    expect(await kind(path, content)).toBe(expected);
  });
});

describe("inTestCode: test blocks inside service files", () => {
  test("Rust #[cfg(test)] modules and #[tokio::test] functions", async () => {
    const file = await parsed(
      "src/lib.rs",
      [
        "pub fn serve() {}", // 1
        "#[cfg(test)]", // 2
        "mod tests {", // 3
        "    fn helper() { println!(\"x\"); }", // 4
        "}", // 5
        "#[tokio::test]", // 6
        "async fn it_works() {", // 7
        "    reqwest::Client::new();", // 8
        "}", // 9
        "#[test_case(1)]", // 10
        "fn cases(n: u8) {}", // 11
        "fn after() {}", // 12
      ].join("\n"),
    );
    made.push(file);
    expect([1, 2, 4, 8, 11, 12].map((l) => inTestCode(file, l))).toEqual([false, true, true, true, true, false]);
  });

  test("Python test functions, Test classes and fixtures", async () => {
    const file = await parsed("app/service.py", "def handler(e):\n    pass\n\n@pytest.fixture\ndef client():\n    return 1\n\nclass TestApi:\n    def check(self):\n        pass\n");
    made.push(file);
    expect([2, 5, 6, 10].map((l) => inTestCode(file, l))).toEqual([false, true, true, true]);
  });

  test("TypeScript describe/it blocks", async () => {
    const file = await parsed("src/x.ts", "export const a = 1;\ndescribe('x', () => {\n  it('y', async () => {\n    await fetch('u');\n  });\n});\n");
    made.push(file);
    expect([1, 4].map((l) => inTestCode(file, l))).toEqual([false, true]);
  });
});

describe("scriptTargets: files a package.json script runs", () => {
  test("runners, preloads, built paths and folders; service scripts left out", () => {
    const targets = scriptTargets([
      {
        path: "package.json",
        content: JSON.stringify({
          scripts: {
            start: "node dist/main.js",
            "dev:api": "tsx watch src/server.ts",
            seed: "tsx scripts/seed.ts",
            migrate: "cross-env NODE_ENV=production node -r dotenv/config dist/tools/migrate.js up",
            build: "tsc -p . && node tools/copy.mjs",
            lint: "eslint .",
          },
        }),
      },
      { path: "apps/api/package.json", content: JSON.stringify({ scripts: { "import:users": "npx ts-node ./bin/import.ts --dry" } }) },
      { path: "broken/package.json", content: "{ not json" },
    ]);
    expect([...targets].sort()).toEqual([
      ["apps/api/bin/import.ts", "import:users"],
      ["dist/tools/migrate.js", "migrate"],
      ["dist/tools/migrate.ts", "migrate"],
      ["scripts/seed.ts", "seed"],
      ["src/tools/migrate.js", "migrate"],
      ["src/tools/migrate.ts", "migrate"],
      ["tools/copy.mjs", "build"],
      ["tools/copy.mts", "build"],
      ["tools/migrate.js", "migrate"],
      ["tools/migrate.ts", "migrate"],
    ]);
  });

  test("a file a script runs is a script unless it serves", async () => {
    const seed = await parsed("src/seed.ts", "import { db } from './db';\nexport async function seed() { console.log('x'); }\n");
    const server = await parsed("src/api.ts", "import express from 'express';\nconst app = express();\napp.listen(3000);\n");
    made.push(seed, server);
    seed.runBy = "seed";
    server.runBy = "api";
    expect([codeKind(seed), codeKind(server)]).toEqual(["script", "service"]);
  });
});
