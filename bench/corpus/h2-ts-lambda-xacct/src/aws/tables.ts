const STAGE = process.env.STAGE ?? "dev";

export type TableScope = "platform" | "tenant" | "operator";

export function tableFor(scope: TableScope, entity: string, tenantId?: string): string { // expect: runtime-scope-validation
  switch (scope) {
    case "platform":
      return `${STAGE}-${entity}`;
    case "tenant":
      if (!tenantId) {
        throw new Error(`tableFor: tenant scope needs a tenantId (entity ${entity})`);
      }
      return `${STAGE}-t-${tenantId}-${entity}`;
    case "operator":
      if (tenantId) {
        throw new Error("operator tables are not tenant-scoped");
      }
      return `${STAGE}-ops-${entity}`;
    default:
      throw new Error(`unknown table scope ${scope as string}`);
  }
}
