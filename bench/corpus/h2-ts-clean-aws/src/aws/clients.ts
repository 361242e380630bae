import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { roleCredentials } from "./credentials";

const documentClients = new Map<string, DynamoDBDocumentClient>();

/** One client per role for the life of the process; the provider refreshes the cached credentials. */
export function tenantDocumentClient(roleArn: string): DynamoDBDocumentClient {
  let client = documentClients.get(roleArn);
  if (!client) {
    client = DynamoDBDocumentClient.from(
      new DynamoDBClient({ credentials: () => roleCredentials(roleArn), maxAttempts: 4 }),
    );
    documentClients.set(roleArn, client);
  }
  return client;
}
