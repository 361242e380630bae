import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

type Scope = "platform" | "tenant" | "capsule" | "operator";

const base = new DynamoDBClient({});

export function tableName(scope: Scope, base: string, capsuleCode?: string): string { // expect: runtime-scope-validation
  if (scope === "capsule") {
    if (!capsuleCode) throw new Error("capsule scope requires a capsule code");
    return `${capsuleCode}_${base}`;
  }
  if (scope === "platform") return base;
  throw new Error(`invalid scope for table access: ${scope}`);
}

export class PlatformTables {
  tableName(name: string): string {
    return name;
  }
}

export class CapsuleTables {
  constructor(private readonly capsuleCode: string) {}
  tableName(name: string): string {
    return `${this.capsuleCode}_${name}`;
  }
}

export function parseScopeHeader(value: string | undefined): Scope {
  // Untrusted input from the edge: validated once at the boundary.
  if (value === "platform" || value === "tenant" || value === "capsule" || value === "operator") return value;
  throw new Error("bad scope header");
}

export { base };
