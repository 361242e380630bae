import { AssumeRoleCommand, STSClient, type Credentials } from "@aws-sdk/client-sts";

const sts = new STSClient({ region: process.env.AWS_REGION });
const PARTNER_ROLE = process.env.PARTNER_EXPORT_ROLE_ARN!;

interface Entry {
  credentials: Credentials;
  expiresAt: number;
}

const cache = new Map<string, Entry>();

/** Credentials for the partner's export bucket, cached so the export worker doesn't call STS per file. */
export async function partnerCredentials(roleArn = PARTNER_ROLE): Promise<Credentials> {
  const hit = cache.get(roleArn);
  if (hit && hit.expiresAt < Date.now()) return hit.credentials; // expect: credentials-per-request

  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "partner-export" }));
  const credentials = out.Credentials!;
  cache.set(roleArn, { credentials, expiresAt: credentials.Expiration!.getTime() });
  return credentials;
}
