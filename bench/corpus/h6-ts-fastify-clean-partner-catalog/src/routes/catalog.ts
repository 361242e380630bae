import type { FastifyInstance } from "fastify";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand, GetCommand } from "@aws-sdk/lib-dynamodb";

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 3 }));
const TABLE = process.env.CATALOG_TABLE ?? "catalog";
const PRICING_URL = process.env.PRICING_URL ?? "http://pricing.internal";

interface CatalogItem {
  sku: string;
  name: string;
  listPriceMinor: number;
  currency: string;
}

async function partnerPrice(tenantId: string, item: CatalogItem, log: FastifyInstance["log"]) {
  try {
    const res = await fetch(`${PRICING_URL}/v1/prices/${encodeURIComponent(item.sku)}?tenant=${tenantId}`, {
      signal: AbortSignal.timeout(2_000),
    });
    if (!res.ok) throw new Error(`pricing responded ${res.status}`);
    const body = (await res.json()) as { priceMinor: number };
    return { priceMinor: body.priceMinor, source: "pricing" as const };
  } catch (err) {
    log.warn({ err, sku: item.sku }, "pricing unavailable, using list price");
    return { priceMinor: item.listPriceMinor, source: "list" as const };
  }
}

export async function catalogRoutes(app: FastifyInstance) {
  app.get("/healthz", { config: { public: true } }, async () => ({ status: "ok" }));

  app.get<{ Querystring: { category?: string; cursor?: string } }>("/v1/catalog", async (request) => {
    const { tenantId } = request.principal;
    const { category, cursor } = request.query;

    const result = await ddb.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: "tenant-category-index",
        KeyConditionExpression: category
          ? "tenantId = :tenant AND category = :category"
          : "tenantId = :tenant",
        ExpressionAttributeValues: category
          ? { ":tenant": tenantId, ":category": category }
          : { ":tenant": tenantId },
        Limit: 50,
        ExclusiveStartKey: cursor ? JSON.parse(Buffer.from(cursor, "base64url").toString()) : undefined,
      }),
    );

    return {
      items: result.Items ?? [],
      nextCursor: result.LastEvaluatedKey
        ? Buffer.from(JSON.stringify(result.LastEvaluatedKey)).toString("base64url")
        : null,
    };
  });

  app.get<{ Params: { sku: string } }>("/v1/catalog/:sku", async (request, reply) => {
    const { tenantId } = request.principal;
    const { Item } = await ddb.send(
      new GetCommand({ TableName: TABLE, Key: { pk: `TENANT#${tenantId}`, sk: `SKU#${request.params.sku}` } }),
    );
    if (!Item) {
      return reply.code(404).send({ error: "not_found" });
    }
    const item = Item as CatalogItem;
    const price = await partnerPrice(tenantId, item, request.log);
    return { ...item, price };
  });
}
