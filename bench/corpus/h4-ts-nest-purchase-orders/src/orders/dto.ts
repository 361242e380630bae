import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUUID } from "class-validator";

export class BulkApproveDto {
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID("4", { each: true })
  orderIds!: string[];

  @IsOptional()
  @IsString()
  tenantId?: string;

  @IsOptional()
  @IsString()
  note?: string;
}

export class ListOrdersQuery {
  @IsOptional()
  @IsString()
  status?: string;

  @IsOptional()
  @IsString()
  cursor?: string;
}
