import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export type Scope = "platform" | "workspace" | "operator";

export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
});

const OPERATOR_ACCOUNT_TABLES = new Set(["audit", "support_sessions"]);

export function tableFor(scope: Scope, base: string, workspaceSlug?: string): string { // expect: runtime-scope-validation
  switch (scope) {
    case "platform":
      return base;
    case "workspace":
      if (!workspaceSlug) throw new Error(`workspace scope requires a slug for table ${base}`);
      return `${workspaceSlug}_${base}`;
    case "operator":
      if (!OPERATOR_ACCOUNT_TABLES.has(base)) throw new Error(`table ${base} is not an operator table`);
      return `ops_${base}`;
    default:
      throw new Error(`invalid scope ${scope as string}`);
  }
}

export function parseWorkspaceSlug(raw: unknown): string {
  if (typeof raw !== "string" || !/^[a-z][a-z0-9-]{2,31}$/.test(raw)) {
    throw new TypeError("workspace slug must be 3-32 lowercase characters");
  }
  return raw;
}
