import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from "aws-lambda";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { logger } from "../lib/logger";

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const JOBS_TABLE = process.env.SYNC_JOBS_TABLE ?? "sync-jobs";
const STATUSES = new Set(["queued", "running", "failed", "succeeded"]);

export const handler = async (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
): Promise<APIGatewayProxyResultV2> => {
  const tenantId = event.requestContext.authorizer.jwt.claims["custom:tenant_id"] as string;
  const status = event.queryStringParameters?.status ?? "failed";
  const log = logger.child({ requestId: event.requestContext.requestId, tenantId });

  if (!STATUSES.has(status)) {
    return { statusCode: 400, body: JSON.stringify({ error: "unknown_status" }) };
  }

  const since = new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString();
  const result = await ddb.send(new QueryCommand({ // expect: cross-tenant-index-query
    TableName: JOBS_TABLE,
    IndexName: "status-updatedAt-index",
    KeyConditionExpression: "#status = :status AND updatedAt > :since",
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: { ":status": status, ":since": since },
    ScanIndexForward: false,
    Limit: 100,
  }));

  log.info({ status, count: result.Count }, "sync jobs listed");
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      items: (result.Items ?? []).map((job) => ({
        id: job.jobId,
        partnerId: job.partnerId,
        status: job.status,
        updatedAt: job.updatedAt,
        error: job.errorMessage ?? null,
      })),
    }),
  };
};
