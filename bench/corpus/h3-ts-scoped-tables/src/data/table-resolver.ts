import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

export type Scope = "platform" | "tenant" | "capsule" | "operator";

export interface ScopeContext {
  tenantId?: string;
  capsuleCode?: string;
  operatorAccount?: string;
}

const base = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

/**
 * Resolves the physical table name for a logical table in the given scope.
 * Every data-access module calls this with the scope of the code it lives in.
 */
export function resolveTable(scope: Scope, logical: string, ctx: ScopeContext = {}): string {
  switch (scope) { // expect: runtime-scope-validation
    case "platform":
      return logical;
    case "tenant":
      if (!ctx.tenantId) throw new Error(`scope "tenant" requires tenantId (table ${logical})`);
      return `t_${ctx.tenantId}_${logical}`;
    case "capsule":
      if (!ctx.capsuleCode) throw new Error(`scope "capsule" requires capsuleCode (table ${logical})`);
      return `${ctx.capsuleCode}_${logical}`;
    case "operator":
      if (!ctx.operatorAccount) throw new Error(`scope "operator" requires operatorAccount`);
      return `op_${logical}`;
    default:
      throw new Error(`invalid scope ${String(scope)}`);
  }
}

export function documentClient(scope: Scope, ctx: ScopeContext = {}) {
  if (scope === "operator" && !ctx.operatorAccount) { // expect: runtime-scope-validation
    throw new Error("operator client requested without an operator account");
  }
  return { client: base, table: (logical: string) => resolveTable(scope, logical, ctx) };
}
