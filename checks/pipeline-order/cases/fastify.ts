// Fastify: hooks are encapsulated in the plugin that adds them.
import type { RuleCase } from "../../../src/engine/rule.js";

export function fastifyCases(): RuleCase[] {
  const app = (auth: string, extra = "") => `import Fastify from "fastify";
import fp from "fastify-plugin";

const app = Fastify({ logger: true });

app.register(${auth});

app.register(async (api) => {
  api.get("/invoices/:id", async (request, reply) => {
    return invoices.find(request.user.tenantId, (request.params as any).id);
  });
});
${extra}
export default app;
`;
  const hook = `async (instance) => {
  instance.addHook("onRequest", async (request) => {
    request.user = await verifyBearer(request.headers.authorization);
  });
}`;
  return [
    {
      name: "auth hook added inside a sibling plugin does not reach the invoice routes",
      language: "typescript",
      code: app(hook),
      expect: [13],
    },
    {
      name: "the same hook shared with fastify-plugin reaches every route",
      language: "typescript",
      code: app(`fp(${hook})`),
      expect: [],
    },
    {
      name: "hook on the root instance reaches the plugin's routes",
      language: "typescript",
      code: `import Fastify from "fastify";

const app = Fastify();
app.addHook("preHandler", async (request) => {
  request.user = await sessions.lookup(request.headers.cookie);
});
app.register(async (api) => {
  api.delete("/projects/:id", async (request) => projects.remove(request.user.orgId, (request.params as any).id));
});
`,
      expect: [],
    },
    {
      name: "admin routes in a plugin next to the one that authenticates: not behind it",
      language: "typescript",
      code: `import Fastify from "fastify";

const app = Fastify();
async function authPlugin(instance) {
  instance.addHook("onRequest", async (request) => {
    request.user = await verifyBearer(request.headers.authorization);
  });
  instance.get("/me", async (request) => request.user);
}
async function adminPlugin(instance) {
  instance.post("/admin/tenants", async (request) => tenants.create(request.body));
}
app.register(authPlugin);
app.register(adminPlugin);
`,
      expect: [11],
    },
  ];
}
