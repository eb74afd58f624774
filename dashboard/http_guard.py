"""What the server answers to requests it cannot use: 4xx with one log line, never a 500 and a traceback.

- Bodies over `MAX_BODY_BYTES` answer 413 from the Content-Length header, before the body is read; the
  one exception is a viewer who uploads incident files (`body_limit` says how much they may send).
- A callback request must be a JSON object, nested at most `MAX_JSON_DEPTH` deep, naming a registered
  output; anything else answers 400.
- A component-suite path that Dash does not serve answers 404.
- A path that is no page answers the page's own "not found" view with status 404.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Collection
from typing import Any, Final

import dash
import flask
import numpy as np
from dash.exceptions import DependencyException

#: Largest request body accepted (a callback's JSON is a few KB; the biggest, a drill-down, under 50 KB).
MAX_BODY_BYTES: Final = 2 * 1024 * 1024
#: Far deeper than any component tree a callback carries, far below where json.loads would recurse out.
MAX_JSON_DEPTH: Final = 256
_STRINGS: Final = re.compile(rb'"(?:\\.|[^"\\])*"')
_SERVED_PREFIXES: Final = (
    "_dash", "assets", "mapdata", "walldata", "_reload-hash", "_favicon.ico", "login", "logout",
)

logger = logging.getLogger(__name__)


def json_depth(body: bytes) -> int:
    """How deep arrays and objects nest in a JSON text, without parsing it (strings are skipped)."""
    bare = np.frombuffer(_STRINGS.sub(b'""', body), dtype=np.uint8)
    steps = np.zeros(len(bare), dtype=np.int32)
    steps[(bare == ord("[")) | (bare == ord("{"))] = 1
    steps[(bare == ord("]")) | (bare == ord("}"))] = -1
    return int(np.cumsum(steps).max(initial=0))


def callback_problem(body: bytes, outputs: Collection[str]) -> str | None:
    """Why a callback request body cannot be dispatched, or None when it can."""
    depth = json_depth(body)
    if depth > MAX_JSON_DEPTH:
        return f"JSON nested {depth} levels deep: at most {MAX_JSON_DEPTH}"
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        return "body is not JSON"
    if not isinstance(payload, dict):
        return f"body is a JSON {type(payload).__name__}: expected an object"
    missing = [key for key in ("output", "outputs", "inputs") if key not in payload]
    if missing:
        return f"body lacks {', '.join(missing)}"
    if payload["output"] not in outputs:
        return f"no callback has the output {str(payload['output'])[:80]!r}"
    return None


def _refuse(status: int, reason: str) -> flask.Response:
    logger.warning("%s %s: %d %s", flask.request.method, flask.request.path, status, reason)
    return flask.Response(json.dumps({"error": reason}), status=status, mimetype="application/json")


def install(app: dash.Dash, *, is_page: Callable[[str], bool], body_limit: Callable[[], int],
            largest_body: int) -> None:
    """Put the guards on `app`'s server; `is_page` says whether a stripped path is one of the pages,
    `body_limit` how large a body the current request may send (at most `largest_body`)."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = largest_body
    update_path = app.get_relative_path("/_dash-update-component")

    @server.before_request
    def check_request() -> flask.Response | None:
        length, limit = flask.request.content_length, body_limit()
        if length is not None and length > limit:
            return _refuse(413, f"body of {length} bytes: at most {limit}")
        if flask.request.method == "POST" and flask.request.path == update_path:
            problem = callback_problem(flask.request.get_data(cache=True), app.callback_map)
            if problem is not None:
                return _refuse(400, problem)
        return None

    @server.errorhandler(DependencyException)
    def unknown_suite_path(error: DependencyException) -> flask.Response:
        return _refuse(404, str(error).splitlines()[0])

    @server.errorhandler(413)
    def too_large(error: Any) -> flask.Response:
        return _refuse(413, f"body over {body_limit()} bytes")

    @server.after_request
    def not_found_status(response: flask.Response) -> flask.Response:
        stripped = str(app.strip_relative_path(flask.request.path) or "")
        served = stripped.split("/")[0].startswith(_SERVED_PREFIXES)
        page = response.status_code == 200 and response.mimetype == "text/html" and not served
        if page and not is_page(stripped):
            response.status_code = 404
        return response
