import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from "aws-lambda";
import { tableFor } from "../aws/tables";

const logger = new Logger({ serviceName: "inventory-sync" });
const ssm = new SSMClient({});

export async function handler(event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) {
  logger.appendKeys({ requestId: context.awsRequestId });
  const tenantId = event.requestContext.authorizer.jwt.claims["custom:tenant_id"] as string;
  const roleArn = `arn:aws:iam::${event.pathParameters?.accountId}:role/inventory-reader`;

  const sts = new STSClient({ region: process.env.AWS_REGION }); // expect: client-per-request
  const assumed = await sts.send( // expect: credentials-per-request
    new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: `inventory-${context.awsRequestId}`,
      DurationSeconds: 900,
      ExternalId: tenantId,
    }),
  );
  const creds = assumed.Credentials!;
  const remote = DynamoDBDocumentClient.from( // expect: client-per-request
    new DynamoDBClient({
      credentials: {
        accessKeyId: creds.AccessKeyId!,
        secretAccessKey: creds.SecretAccessKey!,
        sessionToken: creds.SessionToken,
      },
    }),
  );

  const param = await ssm.send(new GetParameterCommand({ Name: "/inventory/partner-api-key", WithDecryption: true })); // expect: secret-fetch-per-request

  const items = await remote.send(
    new QueryCommand({
      TableName: tableFor("tenant", "inventory", tenantId),
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": `TENANT#${tenantId}` },
      Limit: 100,
    }),
  );

  logger.info("inventory fetched", { tenantId, count: items.Count ?? 0 });
  return {
    statusCode: 200,
    body: JSON.stringify({ items: items.Items ?? [], partnerKeyVersion: param.Parameter?.Version }),
  };
}
