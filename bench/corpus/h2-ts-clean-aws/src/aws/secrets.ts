import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

const client = new SecretsManagerClient({});
const TTL_MS = 15 * 60_000;
const cache = new Map<string, { value: string; loadedAt: number }>();

export async function getSecret(secretId: string): Promise<string> {
  const cached = cache.get(secretId);
  if (cached && Date.now() - cached.loadedAt < TTL_MS) return cached.value;
  const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  cache.set(secretId, { value: out.SecretString!, loadedAt: Date.now() });
  return out.SecretString!;
}
