import type { APIGatewayProxyHandlerV2WithJWTAuthorizer } from "aws-lambda";
import { GetCostAndUsageCommand } from "@aws-sdk/client-cost-explorer";
import { Logger } from "@aws-lambda-powertools/logger";
import { clientsFor } from "../aws/account-clients";
import { findLinkedAccount } from "../accounts/repository";

const logger = new Logger({ serviceName: "linked-accounts" });

export const handler: APIGatewayProxyHandlerV2WithJWTAuthorizer = async (event, context) => {
  logger.addContext(context);
  const tenantId = String(event.requestContext.authorizer.jwt.claims["custom:tenant_id"]);
  const link = await findLinkedAccount(tenantId, event.pathParameters?.accountId ?? "");
  if (!link) return { statusCode: 404, body: JSON.stringify({ message: "account not linked" }) };

  const month = event.queryStringParameters?.month ?? new Date().toISOString().slice(0, 7);
  const { ce } = clientsFor(link);
  const out = await ce.send(
    new GetCostAndUsageCommand({
      TimePeriod: { Start: `${month}-01`, End: nextMonth(month) },
      Granularity: "MONTHLY",
      Metrics: ["UnblendedCost"],
      GroupBy: [{ Type: "DIMENSION", Key: "SERVICE" }],
    }),
  );

  logger.info("cost report served", { tenantId, accountId: link.accountId, month });
  return { statusCode: 200, body: JSON.stringify(out.ResultsByTime ?? []) };
};

function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y, m, 1));
  return d.toISOString().slice(0, 10);
}
