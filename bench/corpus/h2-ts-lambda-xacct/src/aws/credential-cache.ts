import { AssumeRoleCommand, STSClient, type Credentials } from "@aws-sdk/client-sts";

const sts = new STSClient({});
const REFRESH_MARGIN_MS = 5 * 60 * 1000;
const cache = new Map<string, Credentials>();

export async function credentialsFor(roleArn: string, sessionName: string): Promise<Credentials> {
  const cached = cache.get(roleArn);
  if (cached?.Expiration && cached.Expiration.getTime() < Date.now() + REFRESH_MARGIN_MS) { // expect: credentials-per-request
    return cached;
  }
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: 3600 }));
  cache.set(roleArn, out.Credentials!);
  return out.Credentials!;
}
