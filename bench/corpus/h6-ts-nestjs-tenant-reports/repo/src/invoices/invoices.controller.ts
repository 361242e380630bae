import { Controller, Get, Param, Req, UseGuards } from "@nestjs/common";
import type { Request } from "express";
import { JwtAuthGuard } from "../auth/jwt-auth.guard";
import { getTenantId } from "../tenancy/tenant-context";
import { InvoicesService } from "./invoices.service";

@Controller("invoices")
@UseGuards(JwtAuthGuard)
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  @Get()
  list(@Req() req: Request) {
    return this.invoices.list(getTenantId(req));
  }

  @Get(":id")
  get(@Req() req: Request, @Param("id") id: string) {
    return this.invoices.get(getTenantId(req), id);
  }
}
