import { Controller, Get, Query, Req, UseGuards } from "@nestjs/common";
import type { Request } from "express";
import { JwtAuthGuard } from "../auth/jwt-auth.guard";
import { TenantRoleGuard } from "../auth/tenant-role.guard";
import { Roles } from "../auth/roles.decorator";
import { resolveTenant } from "../tenancy/tenant-context";
import { TenantDirectory } from "../tenancy/tenant-directory";
import { ReportsService } from "./reports.service";
import { RevenueQueryDto } from "./dto/revenue-query.dto";

@Controller("reports")
@UseGuards(TenantRoleGuard, JwtAuthGuard) // expect: pipeline-order
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly directory: TenantDirectory,
  ) {}

  @Get("revenue")
  @Roles("tenant-admin")
  async revenue(@Req() req: Request, @Query() query: RevenueQueryDto) {
    const tenant = await resolveTenant(req, { directory: this.directory });
    const rows = await this.reports.revenueByMonth(tenant.id, query.from, query.to);
    return {
      tenant: tenant.id,
      currency: query.currency ?? "USD",
      months: rows.map((r) => ({ month: r.month, totalCents: r.totalCents, invoices: r.invoiceCount })),
    };
  }

  @Get("plan-usage")
  @Roles("tenant-admin", "tenant-member")
  async planUsage(@Req() req: Request) {
    const tenant = await resolveTenant(req, { directory: this.directory });
    const usage = await this.reports.planUsage(tenant.id);
    return { plan: tenant.plan, ...usage };
  }
}
