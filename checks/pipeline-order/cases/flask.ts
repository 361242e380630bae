// Flask: before_request functions run in registration order.
import type { RuleCase } from "../../../src/engine/rule.js";

export function flaskCases(): RuleCase[] {
  const app = (first: string, second: string) => `from flask import Flask, abort, g, request

app = Flask(__name__)


${first}


${second}
`;
  const loadUser = `@app.before_request
def load_user():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    g.user = verify(token)`;
  const loadTenant = `@app.before_request
def load_tenant():
    if g.user is None:
        abort(401)
    g.tenant = tenants.get(g.user.tenant_id)`;
  return [
    {
      name: "tenant hook registered before the hook that loads g.user",
      language: "python",
      code: app(loadTenant, loadUser),
      expect: [6],
    },
    {
      name: "user hook first, then the tenant hook",
      language: "python",
      code: app(loadUser, loadTenant),
      expect: [],
    },
    {
      name: "an app-level hook reads g.user that only the blueprint's hook sets: the app's hooks run first",
      language: "python",
      code: `from flask import Blueprint, Flask, abort, g, request

app = Flask(__name__)
api = Blueprint("api", __name__)


@app.before_request
def require_user():
    if g.user is None:
        abort(401)


@api.before_request
def load_user():
    g.user = verify(request.headers.get("Authorization", ""))
`,
      expect: [7],
    },
    {
      name: "the blueprint's hook reads what the app's hook set",
      language: "python",
      code: `from flask import Blueprint, Flask, abort, g, request

app = Flask(__name__)
api = Blueprint("api", __name__)


@app.before_request
def load_user():
    g.user = verify(request.headers.get("Authorization", ""))


@api.before_request
def require_user():
    if g.user is None:
        abort(401)
`,
      expect: [],
    },
  ];
}
