// FastAPI dependencies: router ones first, then the decorator's list in order, then parameter dependencies.
import type { RuleCase } from "../../../src/engine/rule.js";

const deps = `from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request


async def authenticate(request: Request):
    request.state.user = await verify(request.headers.get("authorization"))


async def require_tenant(request: Request):
    if not request.state.user.tenant_id:
        raise HTTPException(status_code=403)
    request.state.tenant = await tenants.get(request.state.user.tenant_id)
`;

export function fastapiCases(): RuleCase[] {
  return [
    {
      name: "decorator dependencies run in list order: the tenant check before authentication",
      language: "python",
      code: `${deps}

app = FastAPI()


@app.get("/invoices", dependencies=[Depends(require_tenant), Depends(authenticate)])
async def invoices(request: Request):
    return await list_invoices(request.state.tenant.id)
`,
      expect: [17],
    },
    {
      name: "authentication listed first, then the tenant check",
      language: "python",
      code: `${deps}

app = FastAPI()


@app.get("/invoices", dependencies=[Depends(authenticate), Depends(require_tenant)])
async def invoices(request: Request):
    return await list_invoices(request.state.tenant.id)
`,
      expect: [],
    },
    {
      name: "a router dependency runs before the decorator's: it reads what the decorator's dependency sets",
      language: "python",
      code: `${deps}

router = APIRouter(dependencies=[Depends(require_tenant)])


@router.post("/invoices", dependencies=[Depends(authenticate)])
async def create_invoice(request: Request):
    return await invoices.create(request.state.tenant.id)
`,
      expect: [14],
    },
  ];
}
