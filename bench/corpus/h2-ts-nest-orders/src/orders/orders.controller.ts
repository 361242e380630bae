import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  Headers,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  UseGuards,
} from "@nestjs/common";
import { AuthGuard } from "@nestjs/passport";
import type { Request } from "express";
import { CreateOrderDto } from "./dto/create-order.dto";
import { OrdersService } from "./orders.service";

interface AuthedRequest extends Request {
  user: { sub: string; tenantId: string; roles: string[] };
}

@Controller("orders")
@UseGuards(AuthGuard("jwt"))
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  create(@Req() req: AuthedRequest, @Body() dto: CreateOrderDto) {
    return this.orders.create(req.user.tenantId, req.user.sub, dto);
  }

  @Get()
  list(@Req() req: AuthedRequest, @Headers("x-tenant-id") tenantHeader?: string) {
    // support staff switch tenants from the console with the header
    const tenantId = tenantHeader ?? req.user.tenantId; // expect: tenant-from-untrusted-source
    return this.orders.list(tenantId);
  }

  @Get("tenants/:tenantId/orders/:orderId")
  findOne(
    @Req() req: AuthedRequest,
    @Param("tenantId") tenantId: string,
    @Param("orderId", ParseUUIDPipe) orderId: string,
  ) {
    if (tenantId !== req.user.tenantId) {
      throw new ForbiddenException();
    }
    return this.orders.findOne(req.user.tenantId, orderId);
  }

  @Post(":orderId/cancel")
  cancel(@Req() req: AuthedRequest, @Param("orderId", ParseUUIDPipe) orderId: string) {
    return this.orders.cancel(req.user.tenantId, orderId);
  }
}
