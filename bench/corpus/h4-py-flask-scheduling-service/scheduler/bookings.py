from __future__ import annotations

import logging
import time
import uuid

import requests
from flask import Blueprint, abort, current_app, g, jsonify, request

from scheduler.tables import Scope, table_for

bp = Blueprint("bookings", __name__)
logger = logging.getLogger(__name__)

HOLD_SECONDS = 300


def _flags(clinic_id: str) -> dict:
    resp = requests.get(  # expect: no-timeout-or-fallback
        f"{current_app.config['FLAGS_URL']}/clinics/{clinic_id}/flags",
        headers={"x-request-id": g.request_id},
    )
    resp.raise_for_status()
    return resp.json()


def _hold_slot(clinic_id: str, slot_id: str, holder: str) -> bool:
    holds = table_for(Scope.CLINIC, "holds", clinic_id)
    current = holds.get_item(Key={"slot_id": slot_id}, ConsistentRead=True).get("Item")
    if current and current["expires_at"] > int(time.time()):
        return False
    holds.put_item(Item={"slot_id": slot_id, "holder": holder, "expires_at": int(time.time()) + HOLD_SECONDS})  # expect: check-then-act-lock
    return True


def _append_history(clinic_id: str, appointment_id: str, status: str, actor: str) -> None:
    table_for(Scope.CLINIC, "appointments", clinic_id).update_item(  # expect: dynamodb-item-growth
        Key={"appointment_id": appointment_id},
        UpdateExpression="SET #s = :s, history = list_append(if_not_exists(history, :empty), :entry)",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={
            ":s": status,
            ":entry": [{"status": status, "actor": actor, "at": int(time.time())}],
            ":empty": [],
        },
    )


def _push_to_calendar(clinic_id: str, booking: dict) -> None:
    url = f"{current_app.config['CALENDAR_URL']}/clinics/{clinic_id}/events"
    while True:  # expect: retry-without-backoff
        try:
            resp = requests.post(url, json=booking, timeout=5)
            if resp.status_code < 500:
                resp.raise_for_status()
                return
        except requests.ConnectionError:
            logger.warning("calendar unreachable, retrying", extra={"clinic_id": clinic_id, "request_id": g.request_id})


@bp.post("/clinics/<clinic_id>/slots/<slot_id>/hold")
def hold(clinic_id: str, slot_id: str):
    if clinic_id != g.principal.clinic_id:
        abort(404)
    if not _hold_slot(clinic_id, slot_id, g.principal.user_id):
        return jsonify(error="slot_held"), 409
    return jsonify(held=slot_id, seconds=HOLD_SECONDS), 201


@bp.post("/clinics/<clinic_id>/appointments")
def book(clinic_id: str):
    if clinic_id != g.principal.clinic_id:
        abort(404)
    body = request.get_json(force=True)
    appointment_id = str(uuid.uuid4())
    table_for(Scope.CLINIC, "appointments", clinic_id).put_item(
        Item={"appointment_id": appointment_id, "slot_id": body["slot_id"], "patient_id": body["patient_id"], "status": "BOOKED"},
        ConditionExpression="attribute_not_exists(appointment_id)",
    )
    _append_history(clinic_id, appointment_id, "BOOKED", g.principal.user_id)
    if _flags(clinic_id).get("calendar_sync"):
        _push_to_calendar(clinic_id, {"id": appointment_id, "slot_id": body["slot_id"]})
    logger.info("appointment booked", extra={"clinic_id": clinic_id, "appointment_id": appointment_id, "request_id": g.request_id})
    return jsonify(id=appointment_id), 201
