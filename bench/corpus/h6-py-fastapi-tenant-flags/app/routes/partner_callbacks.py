from __future__ import annotations

import logging
from datetime import datetime

import jwt
from fastapi import APIRouter, Depends, Header, HTTPException, Request, status
from pydantic import BaseModel

from app.db import get_session
from app.models import Shipment

logger = logging.getLogger(__name__)
router = APIRouter()


class ShipmentUpdate(BaseModel):
    tracking_number: str
    status: str
    occurred_at: datetime
    location: str | None = None


def partner_claims(authorization: str = Header(...)) -> dict:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "bearer token required")
    try:
        claims = jwt.decode(token, options={"verify_signature": False})  # expect: jwt-decode-without-verify
    except jwt.PyJWTError as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "malformed token") from exc
    if "shipper_id" not in claims:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "token has no shipper_id")
    return claims


@router.post("/shipment", status_code=status.HTTP_202_ACCEPTED)
async def shipment_callback(
    update: ShipmentUpdate,
    request: Request,
    claims: dict = Depends(partner_claims),
    session=Depends(get_session),
) -> dict[str, str]:
    shipment = await session.scalar(
        Shipment.select_by_tracking(update.tracking_number, shipper_id=claims["shipper_id"])
    )
    if shipment is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "unknown tracking number")

    shipment.record_event(update.status, update.occurred_at, update.location)
    await session.commit()

    logger.info(
        "shipment update accepted",
        extra={
            "correlation_id": request.state.correlation_id,
            "shipper_id": claims["shipper_id"],
            "tracking_number": update.tracking_number,
            "status": update.status,
        },
    )
    return {"status": "accepted"}
