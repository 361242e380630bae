// client-per-request cases: clients built from a session a per-tenant cache hands out (the cached-credentials fix).
import type { RuleCase } from "../../src/engine/rule.js";

const handler = `

def handler(event, context):
    s3 = session_for(event["tenant_id"]).client("s3")
    return s3.list_objects_v2(Bucket="b")
`;

export function sessionCacheCases(): RuleCase[] {
  return [
    {
      name: "py: client per request from a per-tenant session cache (a module dict)",
      language: "python",
      code: `import boto3

_sessions: dict[str, boto3.session.Session] = {}


def session_for(tenant_id: str):
    if tenant_id not in _sessions:
        _sessions[tenant_id] = boto3.session.Session(profile_name=tenant_id)
    return _sessions[tenant_id]
${handler}`,
      expect: [],
    },
    {
      name: "py: client per request from a session cache class held per tenant",
      language: "python",
      code: `import boto3


class TenantSessions:
    def __init__(self):
        self._by_tenant = {}

    def get(self, tenant_id):
        session = self._by_tenant.get(tenant_id)
        if session is None:
            session = boto3.session.Session(region_name=region_of(tenant_id))
            self._by_tenant[tenant_id] = session
        return session


def handler(event, context):
    sessions = SESSIONS.get(event["tenant_id"])
    return sessions.client("dynamodb").get_item(Key=k)
`,
      expect: [],
    },
    {
      name: "py: a session built fresh for every call is configuration; the client built from it is the cost",
      language: "python",
      code: `import boto3


def session_for(tenant_id: str):
    return boto3.session.Session(profile_name=tenant_id)
${handler}`,
      expect: [9],
    },
      {
      name: "py: oauthlib's WebApplicationClient and a repository OAuth helper holding no connection, built per request",
      files: [
        {
          path: "app/auth/routes.py",
          code: `from fastapi import APIRouter
from oauthlib.oauth2 import WebApplicationClient

from app.auth.oauth import GithubOAuthClient

router = APIRouter()


@router.get("/login")
async def login(state: str):
    client = WebApplicationClient(CLIENT_ID)
    helper = GithubOAuthClient(CLIENT_ID, CLIENT_SECRET)
    return {"url": client.prepare_request_uri(AUTHORIZE_URL, state=state), "scopes": helper.scopes()}
`,
        },
        {
          path: "app/auth/oauth.py",
          changed: false,
          code: `class GithubOAuthClient:
    def __init__(self, client_id, client_secret):
        self.client_id = client_id
        self.client_secret = client_secret

    def scopes(self):
        return ["read:user"]
`,
        },
      ],
      expect: [],
    },
    {
      name: "py: a repository client whose constructor opens an httpx pool, built per request",
      files: [
        {
          path: "app/billing/routes.py",
          code: `from fastapi import APIRouter

from app.billing.client import BillingClient

router = APIRouter()


@router.get("/invoices/{invoice_id}")
async def invoice(invoice_id: str):
    client = BillingClient(BILLING_URL)
    return await client.invoice(invoice_id)
`,
        },
        {
          path: "app/billing/client.py",
          changed: false,
          code: `import httpx


class BillingClient:
    def __init__(self, base_url):
        self._http = httpx.AsyncClient(base_url=base_url, timeout=5.0)

    async def invoice(self, invoice_id):
        return (await self._http.get(f"/invoices/{invoice_id}")).json()
`,
        },
      ],
      expect: ["app/billing/routes.py:10"],
    },
    {
      name: "ts: a repository client class that keeps only settings, built per request",
      files: [
        {
          path: "src/routes/login.ts",
          code: `import { Router } from "express";
import { OAuthClient } from "../auth/oauth-client";

export const login = Router();

login.get("/login", (req, res) => {
  const oauth = new OAuthClient(process.env.CLIENT_ID!, process.env.REDIRECT_URI!);
  res.redirect(oauth.authorizeUrl(String(req.query.state)));
});
`,
        },
        {
          path: "src/auth/oauth-client.ts",
          changed: false,
          code: `export class OAuthClient {
  constructor(private readonly clientId: string, private readonly redirectUri: string) {}

  authorizeUrl(state: string): string {
    const q = new URLSearchParams({ client_id: this.clientId, redirect_uri: this.redirectUri, state });
    return \`https://github.com/login/oauth/authorize?\${q}\`;
  }
}
`,
        },
      ],
      expect: [],
    },
  ];
}
