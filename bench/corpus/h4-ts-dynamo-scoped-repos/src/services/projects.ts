import { GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableFor } from "../data/tables";

export interface Project {
  id: string;
  name: string;
  ownerId: string;
  createdAt: string;
}

export async function listProjects(workspaceSlug: string, limit = 50): Promise<Project[]> {
  const res = await documentClient.send(
    new QueryCommand({
      TableName: tableFor("workspace", "projects", workspaceSlug),
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": "PROJECT" },
      Limit: limit,
    }),
  );
  return (res.Items ?? []) as Project[];
}

export async function getProject(workspaceSlug: string, id: string): Promise<Project | undefined> {
  const res = await documentClient.send(
    new GetCommand({ TableName: tableFor("workspace", "projects", workspaceSlug), Key: { pk: "PROJECT", sk: id } }),
  );
  return res.Item as Project | undefined;
}

export async function createProject(workspaceSlug: string, project: Project) {
  await documentClient.send(
    new PutCommand({
      TableName: tableFor("workspace", "projects", workspaceSlug),
      Item: { pk: "PROJECT", sk: project.id, ...project },
      ConditionExpression: "attribute_not_exists(sk)",
    }),
  );
}

export async function featureDefaults(): Promise<Record<string, boolean>> {
  const res = await documentClient.send(
    new GetCommand({ TableName: tableFor("platform", "feature_defaults"), Key: { pk: "DEFAULTS", sk: "v1" } }),
  );
  return (res.Item?.flags ?? {}) as Record<string, boolean>;
}
