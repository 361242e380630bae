import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, UseGuards } from "@nestjs/common";
import { AuthGuard } from "@nestjs/passport";
import { CurrentUser, AuthUser } from "../auth/current-user.decorator";
import { BulkApproveDto, ListOrdersQuery } from "./dto";
import { OrdersService } from "./orders.service";

@Controller("purchase-orders")
@UseGuards(AuthGuard("jwt"))
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: ListOrdersQuery) {
    return this.orders.list(user.tenantId, query);
  }

  @Get(":id")
  get(@CurrentUser() user: AuthUser, @Param("id", ParseUUIDPipe) id: string) {
    return this.orders.getForTenant(user.tenantId, id);
  }

  @Post("bulk-approve")
  bulkApprove(@CurrentUser() user: AuthUser, @Body() dto: BulkApproveDto) {
    const tenantId = dto.tenantId ?? user.tenantId; // expect: tenant-from-untrusted-source
    return this.orders.bulkApprove(tenantId, user.sub, dto.orderIds, dto.note);
  }
}
