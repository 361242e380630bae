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
      name: "py: a session built fresh for every call, then a client from it",
      language: "python",
      code: `import boto3


def session_for(tenant_id: str):
    return boto3.session.Session(profile_name=tenant_id)
${handler}`,
      expect: [5, 9],
    },
  ];
}
