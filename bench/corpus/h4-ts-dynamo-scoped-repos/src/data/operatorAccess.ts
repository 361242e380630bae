import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";

const sts = new STSClient({});
const logger = new Logger({ serviceName: "operator-access" });

interface CachedAccess {
  client: DynamoDBDocumentClient;
  expiresAt: number;
}

const accessCache = new Map<string, CachedAccess>();

async function operatorClient(roleArn: string): Promise<DynamoDBDocumentClient> {
  const cached = accessCache.get(roleArn);
  if (cached && cached.expiresAt < Date.now()) { // expect: credentials-per-request
    return cached.client;
  }
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "workspace-operator", DurationSeconds: 3600 }),
  );
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      credentials: {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken,
      },
      maxAttempts: 4,
    }),
  );
  accessCache.set(roleArn, { client, expiresAt: Credentials!.Expiration!.getTime() });
  return client;
}

export async function withWorkspaceAccount<T>(
  roleArn: string,
  requestId: string,
  fn: (client: DynamoDBDocumentClient) => Promise<T>,
): Promise<T> {
  const client = await operatorClient(roleArn);
  logger.debug("operator access", { roleArn, requestId });
  return fn(client);
}
