from __future__ import annotations

import datetime as dt
import logging
import uuid
from decimal import Decimal

import aioboto3
import httpx
from aiohttp import web
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import async_sessionmaker

from payouts.auth import authenticate
from payouts.money import payout_amount, payout_period, period_label
from payouts.outbox import outbox
from payouts.secrets import CachedSecret
from payouts.store import schedule_payout, seller_orders

logger = logging.getLogger("payouts")
routes = web.RouteTableDef()


@web.middleware
async def request_context(request: web.Request, handler):
    request["request_id"] = request.headers.get("X-Request-ID") or str(uuid.uuid4())
    response = await handler(request)
    response.headers["X-Request-ID"] = request["request_id"]
    return response


@routes.post("/v1/sellers/{seller_id}/payouts")
async def create_payout(request: web.Request) -> web.Response:
    app = request.app
    principal = request["principal"]
    seller_id = request.match_info["seller_id"]
    seller = await app["sellers"].get(principal.tenant_id, seller_id)
    if seller is None:
        raise web.HTTPNotFound()

    start, end = payout_period(seller.timezone, dt.datetime.now(dt.timezone.utc))
    orders = await seller_orders(app["table"], principal.tenant_id, seller_id, start.isoformat(), end.isoformat())
    gross = sum((Decimal(o["amount"]) for o in orders), Decimal("0"))
    refunds = sum((Decimal(o.get("refunded", "0")) for o in orders), Decimal("0"))
    amount = payout_amount(seller.fee_plan, gross, refunds, len(orders))
    period = period_label(start, seller.timezone)

    if not await schedule_payout(app["table"], principal.tenant_id, seller_id, period, amount):
        return web.json_response({"status": "already_scheduled"}, status=200)

    async with app["sessions"]() as session, session.begin():
        await session.execute(
            insert(outbox).values(
                id=str(uuid.uuid4()),
                topic="payout.scheduled",
                payload={"tenant_id": principal.tenant_id, "seller_id": seller_id, "amount": str(amount), "period": period},
            )
        )
    logger.info(
        "payout scheduled",
        extra={"request_id": request["request_id"], "tenant_id": principal.tenant_id, "seller_id": seller_id, "amount": str(amount)},
    )
    return web.json_response({"amount": str(amount), "period": period}, status=201)


@routes.get("/v1/provider/status")
async def provider_status(request: web.Request) -> web.Response:
    key = await request.app["provider_key"].get()
    try:
        resp = await request.app["http"].get("/status", headers={"Authorization": f"Bearer {key}"})
        resp.raise_for_status()
        status = resp.json().get("status", "unknown")
    except httpx.HTTPError as exc:
        logger.warning("provider status unavailable", extra={"request_id": request["request_id"], "error": str(exc)})
        status = "unknown"
    return web.json_response({"provider": status})


async def on_startup(app: web.Application) -> None:
    session = aioboto3.Session()
    app["resource_cm"] = session.resource("dynamodb")
    resource = await app["resource_cm"].__aenter__()
    app["table"] = await resource.Table("payouts")
    app["provider_key"] = CachedSecret(session, "payouts/provider-api-key", ttl=900)
    app["http"] = httpx.AsyncClient(base_url=app["config"]["provider_url"], timeout=httpx.Timeout(5.0, connect=1.0))


async def on_cleanup(app: web.Application) -> None:
    await app["http"].aclose()
    await app["resource_cm"].__aexit__(None, None, None)


def build_app(config: dict, sessions: async_sessionmaker, sellers) -> web.Application:
    app = web.Application(middlewares=[request_context, authenticate])
    app["config"] = config
    app["sessions"] = sessions
    app["sellers"] = sellers
    app.add_routes(routes)
    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    return app
