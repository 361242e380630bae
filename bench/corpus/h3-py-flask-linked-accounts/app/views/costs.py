import logging

import requests
from flask import Blueprint, abort, current_app, g, jsonify
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from app.auth import login_required
from app.aws.sessions import parameter
from app.models import LinkedAccount

bp = Blueprint("costs", __name__, url_prefix="/accounts")
log = logging.getLogger(__name__)

_http = requests.Session()
_http.mount(
    "https://",
    HTTPAdapter(max_retries=Retry(total=3, backoff_factor=0.3, status_forcelist=(502, 503, 504), allowed_methods=None)),
)


@bp.get("/<account_id>/costs")
@login_required
def account_costs(account_id: str):
    link = LinkedAccount.query.filter_by(tenant_id=g.principal.tenant_id, account_id=account_id).first()
    if link is None:
        abort(404)
    token = parameter("/prod/billing/api-token")
    try:
        resp = _http.get(
            f"{current_app.config['BILLING_URL']}/v1/accounts/{account_id}/budget",
            headers={"authorization": f"Bearer {token}", "x-request-id": g.request_id},
            timeout=(2, 5),
        )
        resp.raise_for_status()
        budget = resp.json()
    except requests.RequestException:
        log.warning("budget lookup failed", extra={"request_id": g.request_id, "account_id": account_id})
        budget = None
    log.info("costs served", extra={"request_id": g.request_id, "tenant_id": g.principal.tenant_id, "account_id": account_id})
    return jsonify({"account_id": account_id, "budget": budget})
