"""Open311 GeoReport v2 over HTTP, on the dashboard's Flask server under `PREFIX`:

- ``GET services.json|xml``: the dispute categories as services.
- ``GET requests.json|xml``: the public listing (filters in geo.open311.listing); ``GET requests/ID.json|xml``
  one request.
- ``POST requests.json|xml``: a new case, with the client's ``api_key`` (a form or JSON field, or the
  ``X-Api-Key`` header) and an optional ``client_request_id`` that makes retries harmless: 201 when the
  case is new, 200 with the same id when it was made before.

Every refusal is the spec's error document, ``[{"code": ..., "description": ...}]`` (XML:
``<errors><error>``): 400 bad parameters or a request the intake rejects, 403 no or a revoked key, 404 an
unknown path or format, 405 a wrong method, 413 a body over `MAX_POST_BYTES`, 429 over the client's rate
(with Retry-After).
"""

from __future__ import annotations

import json
import logging
import math
from typing import Final

import dash
import flask

from dashboard.data.open311 import Open311Desk
from dashboard.open311.limits import RateLimiter
from geo.api import (
    OPEN311_ERRORS,
    OPEN311_FORMATS,
    OPEN311_MEDIA_TYPES,
    OPEN311_REQUESTS,
    OPEN311_SERVICES,
    POST_FIELDS,
    GeoInputError,
    RequestRejected,
    error_list,
    render,
    services_list,
)

PREFIX: Final = "/open311/v2"
#: Largest POST body: a request is a few hundred bytes, a long description a few KB.
MAX_POST_BYTES: Final = 16 * 1024
logger = logging.getLogger(__name__)


class Refusal(Exception):
    def __init__(self, status: int, description: str, *, retry_after_s: float | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after_s = retry_after_s


def _document(items: list[dict[str, object]], fmt: str, names: tuple[str, str],
              status: int) -> flask.Response:
    fmt = fmt if fmt in OPEN311_FORMATS else "json"
    body = render(items, fmt, root=names[0], element=names[1])  # type: ignore[arg-type]
    return flask.Response(body, status=status, content_type=OPEN311_MEDIA_TYPES[fmt])


def _refused(refusal: Refusal, fmt: str) -> flask.Response:
    logger.info("%s %s: %d %s", flask.request.method, flask.request.path, refusal.status, refusal.description)
    response = _document(error_list(refusal.status, refusal.description), fmt, OPEN311_ERRORS, refusal.status)
    if refusal.retry_after_s is not None:
        response.headers["Retry-After"] = str(max(1, math.ceil(refusal.retry_after_s)))
    return response


def _format(fmt: str) -> str:
    if fmt not in OPEN311_FORMATS:
        raise Refusal(404, f"format {fmt[:20]!r}: allowed are {', '.join(OPEN311_FORMATS)}")
    return fmt


def _post_params() -> dict[str, str]:
    request = flask.request
    length = request.content_length
    if length is not None and length > MAX_POST_BYTES:
        raise Refusal(413, f"body of {length} bytes: at most {MAX_POST_BYTES}")
    body = request.get_data(cache=True)
    if len(body) > MAX_POST_BYTES:
        raise Refusal(413, f"body over {MAX_POST_BYTES} bytes")
    if request.mimetype == "application/json":
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError):
            raise Refusal(400, "body is not JSON") from None
        if not isinstance(payload, dict):
            raise Refusal(400, f"body is a JSON {type(payload).__name__}: expected an object of fields")
        raw = {str(k): "" if v is None else str(v) for k, v in payload.items()}
    else:
        raw = {k: v for k, v in request.form.items()}
    return {k: v for k, v in raw.items() if k in POST_FIELDS}


def _api_key(params: dict[str, str]) -> str:
    return params.get("api_key") or flask.request.headers.get("X-Api-Key", "")


def _listing_client(desk: Open311Desk) -> str | None:
    """The client a listing is read in full for: one that sent its key and has the detail right. Anyone
    may list without a key (generalised); a key sent must be valid."""
    api_key = _api_key(dict(flask.request.args.items()))
    if not api_key:
        return None
    client_id = desk.client_of(api_key)
    if client_id is None:
        raise Refusal(403, "api_key is not valid (unknown or revoked)")
    return client_id if desk.sees_detail(client_id) else None


def _checked_client(desk: Open311Desk, params: dict[str, str], limiter: RateLimiter) -> str:
    api_key = _api_key(params)
    if not api_key:
        raise Refusal(403, "api_key is required to POST a request")
    client_id = desk.client_of(api_key)
    if client_id is None:
        raise Refusal(403, "api_key is not valid (unknown or revoked)")
    wait = limiter.wait_needed(client_id)
    if wait:
        raise Refusal(429, f"client {client_id} is over its rate: retry in {wait:.1f} s", retry_after_s=wait)
    return client_id


def install(app: dash.Dash, desk: Open311Desk, *, rate_per_s: float, burst: int) -> None:
    """Mount the endpoints on `app`'s server (before Dash's own catch-all page route answers them)."""
    limiter = RateLimiter(rate_per_s, burst)
    blueprint = flask.Blueprint("open311", __name__)

    def services(fmt: str) -> flask.Response:
        try:
            fmt = _format(fmt)
            if flask.request.method != "GET":
                raise Refusal(405, "services are read with GET")
            return _document(services_list(desk.services), fmt, OPEN311_SERVICES, 200)
        except Refusal as refusal:
            return _refused(refusal, fmt)

    def requests(fmt: str) -> flask.Response:
        try:
            fmt = _format(fmt)
            if flask.request.method == "POST":
                return _create(fmt)
            listed = desk.requests(dict(flask.request.args.items()), detail_for=_listing_client(desk),
                                   address=flask.request.remote_addr or "")
            return _document(listed, fmt, OPEN311_REQUESTS, 200)
        except GeoInputError as error:
            return _refused(Refusal(400, str(error)), fmt)
        except Refusal as refusal:
            return _refused(refusal, fmt)

    def one_request(request_id: str, fmt: str) -> flask.Response:
        try:
            fmt = _format(fmt)
            listed = desk.requests({"service_request_id": request_id}, detail_for=_listing_client(desk),
                                   address=flask.request.remote_addr or "")
            if not listed:
                raise Refusal(404, f"no service request {request_id[:80]!r}")
            return _document(listed, fmt, OPEN311_REQUESTS, 200)
        except Refusal as refusal:
            return _refused(refusal, fmt)

    def _create(fmt: str) -> flask.Response:
        params = _post_params()
        client_id = _checked_client(desk, params, limiter)
        try:
            made = desk.submit(client_id, params)
        except RequestRejected as rejected:
            raise Refusal(400, rejected.detail) from None
        answer = [{"service_request_id": made.service_request_id, "service_notice": made.service_notice,
                   "account_id": None}]
        return _document(answer, fmt, OPEN311_REQUESTS, 201 if made.created else 200)

    def unknown(rest: str) -> flask.Response:
        return _refused(Refusal(404, f"no Open311 resource {rest[:80]!r}: see services.json"), "json")

    prefix = str(app.get_relative_path(PREFIX)).rstrip("/")
    blueprint.add_url_rule(f"{prefix}/services.<fmt>", "services", services, methods=["GET", "POST"])
    blueprint.add_url_rule(f"{prefix}/requests.<fmt>", "requests", requests, methods=["GET", "POST"])
    blueprint.add_url_rule(f"{prefix}/requests/<request_id>.<fmt>", "one_request", one_request)
    blueprint.add_url_rule(f"{prefix}/<path:rest>", "unknown", unknown,
                           methods=["GET", "POST", "PUT", "DELETE"])
    app.server.register_blueprint(blueprint)
