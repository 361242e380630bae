import { reaches, type FnDef } from "../../checks/_lib/resolve.js";

const call = (name: string, qualifier: string, path: string, text = "") => ({ name, qualifier, file: { path, text } });

describe("reaches: a call picks up facts only of a definition it can name", () => {
  const dbConnect: FnDef = { name: "connect", path: "src/db/mod.rs" };
  const service: FnDef = { name: "get_all", path: "src/app/plugin/service.py" };
  const method: FnDef = { name: "findAll", path: "src/users/users.service.ts", owner: "UsersService" };

  test.each([
    ["a bare call in the same file", call("connect", "", "src/db/mod.rs"), dbConnect, true],
    ["a bare call to an imported function", call("connect", "", "src/main.rs", "use crate::db::connect;\n"), dbConnect, true],
    ["a bare call to a function of that name nobody imported", call("connect", "", "src/main.rs", "use crate::cache;\n"), dbConnect, false],
    ["a module path call", call("connect", "db", "src/main.rs", "mod db;\n"), dbConnect, true],
    ["a method on an unrelated object", call("connect", "pool", "src/worker.rs", "use sqlx::PgPool;\n"), dbConnect, false],
    ["a string method", call("join", "','", "src/app/models.py"), { name: "join", path: "src/app/query.py" }, false],
    ["a module alias", call("get_all", "plugin_service", "src/app/cli.py", "from app.plugin import service as plugin_service\n"), service, true],
    ["an alias of another module", call("get_all", "project_service", "src/app/cli.py", "from app.project import service as project_service\n"), service, false],
    ["an injected service field", call("findAll", "this.usersService", "src/users/users.controller.ts"), method, true],
    ["a field of another type", call("findAll", "this.ordersRepo", "src/orders/orders.controller.ts"), method, false],
    ["a field declared with the class", call("findAll", "this.users", "src/orders/orders.service.ts", "constructor(private readonly users: UsersService) {}"), method, true],
    ["a module variable built from the class", call("findAll", "svc", "src/orders/jobs.ts", "const svc = new UsersService(db);\n"), method, true],
    ["a parameter typed with the class", call("findAll", "users", "src/orders/jobs.ts", "export async function run(users: UsersService) {}\n"), method, true],
    ["a variable of another class", call("findAll", "svc", "src/orders/jobs.ts", "const svc = new OrdersService(db);\n"), method, false],
  ])("%s", (_name, c, def, expected) => {
    expect(reaches(c, def)).toBe(expected);
  });
});
