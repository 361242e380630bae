import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";

const sts = new STSClient({ region: process.env.AWS_REGION });
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

interface Entry {
  credentials: AwsCredentialIdentity;
  expiresAt: number;
}

const byRole = new Map<string, Entry>();
const inFlight = new Map<string, Promise<Entry>>();

async function assume(roleArn: string): Promise<Entry> {
  const out = await sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "platform-shared", DurationSeconds: 3600 }),
  );
  const c = out.Credentials!;
  return {
    credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken },
    expiresAt: c.Expiration!.getTime(),
  };
}

/** Credentials for roleArn, reused until five minutes before they expire; one AssumeRole per role at a time. */
export async function roleCredentials(roleArn: string): Promise<AwsCredentialIdentity> {
  const hit = byRole.get(roleArn);
  if (hit && hit.expiresAt - REFRESH_BEFORE_EXPIRY_MS > Date.now()) {
    return hit.credentials;
  }
  let pending = inFlight.get(roleArn);
  if (!pending) {
    pending = assume(roleArn).finally(() => inFlight.delete(roleArn));
    inFlight.set(roleArn, pending);
  }
  const fresh = await pending;
  byRole.set(roleArn, fresh);
  return fresh.credentials;
}
