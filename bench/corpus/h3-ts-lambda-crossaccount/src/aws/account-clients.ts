import { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import { S3Client } from "@aws-sdk/client-s3";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

const REGION = process.env.AWS_REGION ?? "us-east-1";
const SECRET_TTL_MS = 5 * 60_000;

export interface LinkedAccount {
  accountId: string;
  roleArn: string;
  externalId: string;
}

interface AccountClients {
  s3: S3Client;
  ce: CostExplorerClient;
}

// One set of clients per linked role for the lifetime of the container. fromTemporaryCredentials
// caches the assumed-role credentials and refreshes them shortly before they expire.
const byRole = new Map<string, AccountClients>();

export function clientsFor(link: LinkedAccount): AccountClients {
  const cached = byRole.get(link.roleArn);
  if (cached) return cached;
  const credentials = fromTemporaryCredentials({
    params: { RoleArn: link.roleArn, ExternalId: link.externalId, RoleSessionName: `acct-${link.accountId}`, DurationSeconds: 3600 },
    clientConfig: { region: REGION },
  });
  const clients = {
    s3: new S3Client({ region: REGION, credentials }),
    ce: new CostExplorerClient({ region: "us-east-1", credentials }),
  };
  byRole.set(link.roleArn, clients);
  return clients;
}

const secrets = new SecretsManagerClient({ region: REGION });
const secretCache = new Map<string, { value: string; fetchedAt: number }>();

export async function cachedSecret(secretId: string): Promise<string> {
  const hit = secretCache.get(secretId);
  if (hit && Date.now() - hit.fetchedAt < SECRET_TTL_MS) return hit.value;
  const out = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
  const value = out.SecretString ?? "";
  secretCache.set(secretId, { value, fetchedAt: Date.now() });
  return value;
}
