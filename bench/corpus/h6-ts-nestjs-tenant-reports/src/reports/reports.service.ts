import { Injectable } from "@nestjs/common";
import { InjectDataSource } from "@nestjs/typeorm";
import { DataSource } from "typeorm";

export interface RevenueRow {
  month: string;
  totalCents: number;
  invoiceCount: number;
}

@Injectable()
export class ReportsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async revenueByMonth(tenantId: string, from: string, to: string): Promise<RevenueRow[]> {
    return this.dataSource.query(
      `SELECT to_char(date_trunc('month', issued_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS "month",
              SUM(total_cents)::bigint AS "totalCents",
              COUNT(*)::int AS "invoiceCount"
         FROM invoices
        WHERE tenant_id = $1 AND issued_at >= $2 AND issued_at < $3
        GROUP BY 1
        ORDER BY 1`,
      [tenantId, from, to],
    );
  }

  async planUsage(tenantId: string) {
    const [row] = await this.dataSource.query(
      `SELECT seats_used AS "seatsUsed", seats_included AS "seatsIncluded", api_calls_month AS "apiCalls"
         FROM tenant_usage WHERE tenant_id = $1`,
      [tenantId],
    );
    return row ?? { seatsUsed: 0, seatsIncluded: 0, apiCalls: 0 };
  }
}
