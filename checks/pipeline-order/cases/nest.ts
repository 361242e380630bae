// NestJS: guards (global, controller, route, each in bound order) before interceptors before pipes.
import type { RuleCase } from "../../../src/engine/rule.js";

export function nestCases(): RuleCase[] {
  const roles = {
    path: "src/auth/roles.guard.ts",
    code: `import { CanActivate, ExecutionContext, Injectable } from "@nestjs/common";

@Injectable()
export class RolesGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    return request.user?.roles?.includes("admin") ?? false;
  }
}
`,
  };
  const jwt = {
    path: "src/auth/jwt.guard.ts",
    code: `import { Injectable } from "@nestjs/common";
import { AuthGuard } from "@nestjs/passport";

@Injectable()
export class JwtAuthGuard extends AuthGuard("jwt") {}
`,
  };
  const controller = (guards: string) => ({
    path: "src/admin/admin.controller.ts",
    code: `import { Controller, Get, UseGuards } from "@nestjs/common";
import { JwtAuthGuard } from "../auth/jwt.guard";
import { RolesGuard } from "../auth/roles.guard";

@Controller("admin")
@UseGuards(${guards})
export class AdminController {
  @Get("tenants")
  list() {
    return this.tenants.all();
  }
}
`,
  });
  return [
    {
      name: "RolesGuard bound before the Passport guard that sets request.user",
      files: [roles, jwt, controller("RolesGuard, JwtAuthGuard")],
      expect: ["src/admin/admin.controller.ts:6"],
    },
    {
      name: "Passport guard first, then the roles guard",
      files: [roles, jwt, controller("JwtAuthGuard, RolesGuard")],
      expect: [],
    },
    {
      name: "guard reads request.tenant that an interceptor sets: guards run before interceptors",
      files: [
        {
          path: "src/tenant/tenant.interceptor.ts",
          code: `import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from "@nestjs/common";

@Injectable()
export class TenantInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    const req = context.switchToHttp().getRequest();
    req.tenant = resolveTenant(req.headers["x-tenant"]);
    return next.handle();
  }
}
`,
        },
        {
          path: "src/tenant/plan.guard.ts",
          code: `import { CanActivate, ExecutionContext, Injectable } from "@nestjs/common";

@Injectable()
export class PlanGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest();
    return req.tenant.plan !== "suspended";
  }
}
`,
        },
        {
          path: "src/orders/orders.controller.ts",
          code: `import { Controller, Post, UseGuards, UseInterceptors } from "@nestjs/common";

@Controller("orders")
@UseInterceptors(TenantInterceptor)
export class OrdersController {
  @Post()
  @UseGuards(PlanGuard)
  create() {
    return this.orders.create();
  }
}
`,
        },
      ],
      expect: ["src/orders/orders.controller.ts:7"],
    },
    {
      name: "global Passport guard runs before a controller guard that reads request.user",
      files: [
        roles,
        jwt,
        {
          path: "src/main.ts",
          code: `import { NestFactory } from "@nestjs/core";
import { AppModule } from "./app.module";
import { JwtAuthGuard } from "./auth/jwt.guard";

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.useGlobalGuards(new JwtAuthGuard());
  await app.listen(3000);
}
bootstrap();
`,
        },
        controller("RolesGuard"),
      ],
      expect: [],
    },
  ];
}
