import { AssumeRoleCommand, STSClient, type Credentials } from "@aws-sdk/client-sts";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

const sts = new STSClient({});
const secrets = new SecretsManagerClient({});
const cache = new Map<string, Credentials>();
const secretCache = new Map<string, { value: string; fetchedAt: number }>();
const REFRESH_MARGIN_MS = 5 * 60_000;

// Credentials are cached per role and refreshed five minutes before they expire.
export async function credentialsFor(roleArn: string): Promise<Credentials> {
  const cached = cache.get(roleArn);
  if (cached?.Expiration && cached.Expiration.getTime() - REFRESH_MARGIN_MS > Date.now()) return cached;
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "svc" }));
  cache.set(roleArn, Credentials!);
  return Credentials!;
}

export async function apiKey(name: string): Promise<string> {
  const hit = secretCache.get(name);
  if (hit && Date.now() - hit.fetchedAt < 10 * 60_000) return hit.value;
  const out = await secrets.send(new GetSecretValueCommand({ SecretId: name }));
  secretCache.set(name, { value: out.SecretString!, fetchedAt: Date.now() });
  return out.SecretString!;
}
