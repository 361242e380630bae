import { AssumeRoleCommand, STSClient, type Credentials } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@aws-sdk/types";

const sts = new STSClient({ maxAttempts: 3 });
const REFRESH_MARGIN_MS = 5 * 60_000;

interface Cached {
  identity: AwsCredentialIdentity;
  expiresAt: number;
}

const cache = new Map<string, Cached>();
const inflight = new Map<string, Promise<Cached>>();

function fresh(entry: Cached | undefined): entry is Cached {
  return entry !== undefined && entry.expiresAt - REFRESH_MARGIN_MS > Date.now();
}

function toIdentity(c: Credentials): Cached {
  return {
    identity: {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    },
    expiresAt: c.Expiration!.getTime(),
  };
}

async function assume(roleArn: string, externalId: string): Promise<Cached> {
  const res = await sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "connectors", ExternalId: externalId, DurationSeconds: 3600 }),
  );
  return toIdentity(res.Credentials!);
}

export async function credentialsFor(roleArn: string, externalId: string): Promise<AwsCredentialIdentity> {
  const hit = cache.get(roleArn);
  if (fresh(hit)) return hit.identity;
  let pending = inflight.get(roleArn);
  if (!pending) {
    pending = assume(roleArn, externalId).finally(() => inflight.delete(roleArn));
    inflight.set(roleArn, pending);
  }
  const entry = await pending;
  cache.set(roleArn, entry);
  return entry.identity;
}
