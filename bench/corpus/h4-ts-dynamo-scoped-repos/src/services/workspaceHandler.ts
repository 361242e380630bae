import type { APIGatewayProxyHandlerV2WithJWTAuthorizer } from "aws-lambda";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { Logger } from "@aws-lambda-powertools/logger";
import { parseWorkspaceSlug } from "../data/tables";
import { listProjects } from "./projects";
import { recordAudit } from "./auditTrail";

const logger = new Logger({ serviceName: "projects-api" });

export const handler: APIGatewayProxyHandlerV2WithJWTAuthorizer = async (event, context) => {
  logger.addContext(context);
  const claims = event.requestContext.authorizer.jwt.claims;
  const workspaceSlug = parseWorkspaceSlug(claims["workspace"]);
  const projects = await listProjects(workspaceSlug);
  logger.info("projects listed", { workspaceSlug, count: projects.length, requestId: context.awsRequestId });
  return { statusCode: 200, body: JSON.stringify({ items: projects }) };
};

export const exportHandler: APIGatewayProxyHandlerV2WithJWTAuthorizer = async (event, context) => {
  logger.addContext(context);
  const claims = event.requestContext.authorizer.jwt.claims;
  const workspaceSlug = parseWorkspaceSlug(claims["workspace"]);
  const sqs = new SQSClient({ region: process.env.AWS_REGION }); // expect: client-per-request
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: process.env.EXPORT_QUEUE_URL!,
      MessageBody: JSON.stringify({ workspaceSlug, requestedBy: String(claims.sub) }),
      MessageGroupId: workspaceSlug,
    }),
  );
  await recordAudit(workspaceSlug, {
    actorId: String(claims.sub),
    action: "export.requested",
    target: workspaceSlug,
    at: new Date().toISOString(),
  });
  logger.info("export queued", { workspaceSlug, requestId: context.awsRequestId });
  return { statusCode: 202, body: JSON.stringify({ queued: true }) };
};
