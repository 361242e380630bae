import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableFor } from "../data/tables";

export interface AuditEntry {
  actorId: string;
  action: string;
  target: string;
  at: string;
}

const MAX_RECENT = 20;

export async function recordAudit(workspaceSlug: string, entry: AuditEntry) {
  await documentClient.send(
    new UpdateCommand({ // expect: dynamodb-item-growth
      TableName: tableFor("workspace", "audit", workspaceSlug),
      Key: { pk: "AUDIT", sk: "TRAIL" },
      UpdateExpression: "SET entries = list_append(if_not_exists(entries, :none), :entry), updatedAt = :at",
      ExpressionAttributeValues: { ":entry": [entry], ":none": [], ":at": entry.at },
    }),
  );
}

export async function touchRecentActivity(workspaceSlug: string, entry: AuditEntry) {
  const current = await documentClient.send(
    new GetCommand({ TableName: tableFor("workspace", "activity", workspaceSlug), Key: { pk: "ACTIVITY", sk: "RECENT" } }),
  );
  const recent: AuditEntry[] = [entry, ...((current.Item?.recent as AuditEntry[] | undefined) ?? [])].slice(0, MAX_RECENT);
  await documentClient.send(
    new UpdateCommand({
      TableName: tableFor("workspace", "activity", workspaceSlug),
      Key: { pk: "ACTIVITY", sk: "RECENT" },
      UpdateExpression: "SET recent = :recent, version = :next",
      ConditionExpression: "attribute_not_exists(version) OR version = :version",
      ExpressionAttributeValues: { ":recent": recent, ":version": current.Item?.version ?? 0, ":next": (current.Item?.version ?? 0) + 1 },
    }),
  );
}
