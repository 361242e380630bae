import { DynamoDBDocumentClient, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { z } from "zod";

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type TenantId = Brand<string, "TenantId">;
export type CapsuleCode = Brand<string, "CapsuleCode">;

// Boundary parsing of untrusted input (path params, queue messages): rejecting bad input here is
// validation, and the branded result is what the typed clients below accept.
const TenantIdSchema = z.string().regex(/^t_[a-z0-9]{12}$/);
const CapsuleCodeSchema = z.string().regex(/^[a-z]{3}[0-9]{2}$/);

export function parseTenantId(raw: unknown): TenantId {
  return TenantIdSchema.parse(raw) as TenantId;
}

export function parseCapsuleCode(raw: unknown): CapsuleCode {
  return CapsuleCodeSchema.parse(raw) as CapsuleCode;
}

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export class PlatformClient {
  readonly kind = "platform" as const;
  tableName(logical: string): string {
    return logical;
  }
  get(logical: string, pk: string) {
    return doc.send(new GetCommand({ TableName: this.tableName(logical), Key: { pk } }));
  }
}

export class TenantClient {
  readonly kind = "tenant" as const;
  constructor(readonly tenantId: TenantId) {}
  tableName(logical: string): string {
    return `t_${this.tenantId}_${logical}`;
  }
  query(logical: string, pk: string) {
    return doc.send(
      new QueryCommand({
        TableName: this.tableName(logical),
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": pk },
      }),
    );
  }
}

export class CapsuleClient {
  readonly kind = "capsule" as const;
  constructor(readonly capsule: CapsuleCode) {}
  tableName(logical: string): string {
    return `${this.capsule}_${logical}`;
  }
  get(logical: string, pk: string) {
    return doc.send(new GetCommand({ TableName: this.tableName(logical), Key: { pk } }));
  }
}
