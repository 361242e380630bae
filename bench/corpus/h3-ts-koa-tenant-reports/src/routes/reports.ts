import Router from "@koa/router";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { serviceAuth } from "../middleware/auth";
import { logger } from "../logger";

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ region: process.env.AWS_REGION }));
const TABLE = process.env.REPORTS_TABLE ?? "analytics-reports";

export const reports = new Router({ prefix: "/internal/reports" });
reports.use(serviceAuth);

// Analytics workers run per tenant and pass the tenant they are working on.
reports.get("/recent", async (ctx) => {
  const tenantId = ctx.get("x-acme-tenant") || ctx.state.principal.tenantId; // expect: tenant-from-untrusted-source
  const since = new Date(Date.now() - 24 * 3_600_000).toISOString();

  const out = await ddb.send(
    new QueryCommand({ // expect: cross-tenant-index-query
      TableName: TABLE,
      IndexName: "gsi1-type-created",
      KeyConditionExpression: "entityType = :type AND createdAt >= :since",
      ExpressionAttributeValues: { ":type": "REPORT", ":since": since },
      Limit: 200,
    }),
  );

  logger.info({ requestId: ctx.state.requestId, tenantId, count: out.Count }, "recent reports listed");
  ctx.body = { items: out.Items ?? [], cursor: out.LastEvaluatedKey };
});

reports.get("/by-status/:status", async (ctx) => {
  const { tenantId } = ctx.state.principal;
  const out = await ddb.send(
    new QueryCommand({
      TableName: TABLE,
      IndexName: "gsi2-tenant-status",
      KeyConditionExpression: "tenantId = :tenant AND #status = :status",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":tenant": tenantId, ":status": ctx.params.status },
      Limit: 200,
    }),
  );
  ctx.body = { items: out.Items ?? [], cursor: out.LastEvaluatedKey };
});
