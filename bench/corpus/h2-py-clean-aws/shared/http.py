import logging

import requests
from requests.adapters import HTTPAdapter
from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_random_exponential
from urllib3.util.retry import Retry

log = logging.getLogger(__name__)

session = requests.Session()
session.mount("https://", HTTPAdapter(max_retries=Retry(total=3, backoff_factor=0.3, status_forcelist=(502, 503, 504))))

FLAG_DEFAULTS = {"new-dashboard": False, "csv-export": True}


@retry(
    retry=retry_if_exception_type((requests.ConnectionError, requests.Timeout)),
    wait=wait_random_exponential(multiplier=0.2, max=5),
    stop=stop_after_attempt(4),
    reraise=True,
)
def post_event(url: str, payload: dict, correlation_id: str) -> dict:
    resp = session.post(url, json=payload, headers={"x-correlation-id": correlation_id}, timeout=(2, 10))
    resp.raise_for_status()
    return resp.json()


def feature_flags(base_url: str, tenant_id: str, correlation_id: str) -> dict:
    try:
        resp = session.get(f"{base_url}/flags", params={"tenant": tenant_id}, timeout=0.8)
        resp.raise_for_status()
        return {**FLAG_DEFAULTS, **resp.json()}
    except requests.RequestException as exc:
        log.warning("flag service unavailable, using defaults", extra={"correlation_id": correlation_id, "error": str(exc)})
        return dict(FLAG_DEFAULTS)
