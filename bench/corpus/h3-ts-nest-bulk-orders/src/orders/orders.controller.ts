import { Body, Controller, HttpCode, Post, UseGuards } from "@nestjs/common";
import { ArrayMaxSize, ArrayNotEmpty, IsString, IsUUID } from "class-validator";
import { JwtAuthGuard } from "../auth/jwt-auth.guard";
import { CurrentUser, type AuthUser } from "../auth/current-user.decorator";
import { OrdersService } from "./orders.service";
import { OrdersOutboxService } from "./orders.outbox.service";

export class BulkCancelDto {
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @IsUUID("4", { each: true })
  orderIds!: string[];

  @IsString()
  reason!: string;
}

export class CreateOrderDto {
  @IsString()
  sku!: string;
}

@Controller("orders")
@UseGuards(JwtAuthGuard)
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly outboxOrders: OrdersOutboxService,
  ) {}

  @Post("bulk-cancel")
  @HttpCode(200)
  bulkCancel(@CurrentUser() user: AuthUser, @Body() dto: BulkCancelDto) {
    return this.orders.bulkCancel(user.tenantId, dto.orderIds, dto.reason);
  }

  @Post("bulk-archive")
  @HttpCode(200)
  bulkArchive(@CurrentUser() user: AuthUser, @Body() dto: BulkCancelDto) {
    return this.outboxOrders.bulkArchive(user.tenantId, dto.orderIds);
  }

  @Post()
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateOrderDto) {
    return this.outboxOrders.create(user.tenantId, user.id, dto.sku);
  }
}
