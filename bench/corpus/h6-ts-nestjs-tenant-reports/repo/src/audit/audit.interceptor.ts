import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from "@nestjs/common";
import { Observable, tap } from "rxjs";
import { getTenantId } from "../tenancy/tenant-context";
import { AuditLog } from "./audit-log";

@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditLog) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest();
    const tenantId = getTenantId(req);
    const started = Date.now();
    return next.handle().pipe(
      tap(() =>
        this.audit.record({
          tenantId,
          actor: req.user.sub,
          route: `${req.method} ${req.route?.path}`,
          durationMs: Date.now() - started,
        }),
      ),
    );
  }
}
