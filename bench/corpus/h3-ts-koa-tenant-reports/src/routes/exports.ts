import Router from "@koa/router";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { userAuth } from "../middleware/auth";
import { logger } from "../logger";

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ region: process.env.AWS_REGION }));
const TABLE = process.env.REPORTS_TABLE ?? "analytics-reports";
const EXPORTER_URL = process.env.EXPORTER_URL ?? "http://exporter.internal:8080";

const ExportQuery = z.object({
  from: z.string().datetime(),
  format: z.enum(["csv", "parquet"]).default("csv"),
});

export const exportsRouter = new Router({ prefix: "/v1/exports" });
exportsRouter.use(userAuth);

exportsRouter.get("/", async (ctx) => {
  const { tenantId } = ctx.state.principal;
  const query = ExportQuery.parse(ctx.query);
  const out = await ddb.send(
    new QueryCommand({
      TableName: TABLE,
      IndexName: "gsi3-tenant-created",
      KeyConditionExpression: "tenantId = :tenant AND createdAt >= :from",
      ExpressionAttributeValues: { ":tenant": tenantId, ":from": query.from },
    }),
  );
  ctx.body = out.Items ?? [];
});

exportsRouter.post("/:reportId", async (ctx) => {
  const { tenantId, sub } = ctx.state.principal;
  const requestId = ctx.get("x-request-id") || ctx.state.requestId;
  const { Item: report } = await ddb.send(
    new GetCommand({ TableName: TABLE, Key: { pk: `TENANT#${tenantId}`, sk: `REPORT#${ctx.params.reportId}` } }),
  );
  if (!report) ctx.throw(404, "report not found");

  const res = await fetch(`${EXPORTER_URL}/jobs`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-request-id": requestId },
    body: JSON.stringify({ tenantId, reportId: report.id, requestedBy: sub }),
    signal: AbortSignal.timeout(3_000),
  });
  if (!res.ok) ctx.throw(502, "exporter unavailable, try again shortly");

  logger.info({ requestId, tenantId, reportId: report.id }, "export queued");
  ctx.status = 202;
  ctx.body = await res.json();
});
