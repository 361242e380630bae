import type { APIGatewayProxyHandlerV2WithJWTAuthorizer } from "aws-lambda";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { Logger } from "@aws-lambda-powertools/logger";
import { findLinkedAccount } from "../accounts/repository";

const logger = new Logger({ serviceName: "linked-accounts" });
const secrets = new SecretsManagerClient({});
const REGION = process.env.AWS_REGION ?? "us-east-1";

export const handler: APIGatewayProxyHandlerV2WithJWTAuthorizer = async (event, context) => {
  logger.addContext(context);
  const tenantId = String(event.requestContext.authorizer.jwt.claims["custom:tenant_id"]);
  const link = await findLinkedAccount(tenantId, event.pathParameters?.accountId ?? "");
  if (!link) return { statusCode: 404, body: JSON.stringify({ message: "account not linked" }) };

  const sts = new STSClient({ region: REGION }); // expect: client-per-request
  const { Credentials } = await sts.send( // expect: credentials-per-request
    new AssumeRoleCommand({
      RoleArn: link.roleArn,
      ExternalId: link.externalId,
      RoleSessionName: `inventory-${tenantId}`.slice(0, 64),
      DurationSeconds: 3600,
    }),
  );
  if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey) throw new Error("AssumeRole returned no credentials");

  const s3 = new S3Client({ // expect: client-per-request
    region: REGION,
    credentials: {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      sessionToken: Credentials.SessionToken,
    },
  });
  const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));

  // Bucket names are enriched with the classification service's tags.
  const apiKey = await secrets.send(new GetSecretValueCommand({ SecretId: "prod/classifier/api-key" })); // expect: secret-fetch-per-request
  const res = await fetch(`${process.env.CLASSIFIER_URL}/v2/classify`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey.SecretString}`, "content-type": "application/json" },
    body: JSON.stringify({ names: Buckets.map((b) => b.Name) }),
    signal: AbortSignal.timeout(4_000),
  });
  const tags = res.ok ? ((await res.json()) as Record<string, string[]>) : {};

  logger.info("inventory listed", { tenantId, accountId: link.accountId, buckets: Buckets.length });
  return {
    statusCode: 200,
    body: JSON.stringify(Buckets.map((b) => ({ name: b.Name, createdAt: b.CreationDate, tags: tags[b.Name ?? ""] ?? [] }))),
  };
};
