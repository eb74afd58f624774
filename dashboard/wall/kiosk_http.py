"""The wall's two plain HTTP routes beside Dash's own: its heat-map images, and in `wall_only` mode the
redirect that makes the wall the only page (a kiosk's browser, pointed anywhere, lands on the wall)."""

from __future__ import annotations

import logging
import threading
from typing import Final

import dash
import flask
from werkzeug.wrappers import Response as HttpResponse

from dashboard.data.wall import WallFeed
from dashboard.wall.heat import TRANSPARENT_PNG, heat_png

#: URL prefix of the wall's heat images; the file name carries the digest version.
HEAT_ROUTE: Final = "/walldata"
#: Paths that pass when only the wall is served: Dash's own routes, assets, the data files, and signing
#: in and out (a person may open the wall too).
_WALL_ONLY_PASSING: Final = (
    "/_dash-", "/_favicon", "/_reload-hash", "/assets/", "/mapdata/", f"{HEAT_ROUTE}/", "/login", "/logout",
)

logger = logging.getLogger(__name__)


class HeatImages:
    """The heat PNG of the newest digest, made once per version. While the store is away the last image
    is served, so the image URL on a stale page still answers."""

    def __init__(self, feed: WallFeed) -> None:
        self._feed = feed
        self._lock = threading.Lock()
        self._version: str | None = None
        self._png = TRANSPARENT_PNG

    def png(self) -> bytes:
        try:
            digest = self._feed.digest()
        except Exception:  # the page keeps its last picture; so does its image
            logger.warning("wall heat image: data unavailable, serving the last image", exc_info=True)
            return self._png
        with self._lock:
            if digest.version != self._version:
                heat = digest.heat
                (south, _), (north, _) = heat.bounds if heat is not None else digest.city.bounds
                self._png = heat_png(heat.values, south, north) if heat is not None else TRANSPARENT_PNG
                self._version = digest.version
            return self._png


def heat_path(app: dash.Dash, version: str) -> str:
    return str(app.get_relative_path(f"{HEAT_ROUTE}/heat-{version}.png"))


def serve_heat(app: dash.Dash, images: HeatImages) -> None:
    def send(version: str) -> flask.Response:
        response = flask.Response(images.png(), mimetype="image/png")
        # The URL changes with every new digest, so a browser may keep each image for good.
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response

    prefixed = app.get_relative_path(HEAT_ROUTE)
    app.server.add_url_rule(f"{prefixed}/heat-<version>.png", endpoint="wall_heat", view_func=send)


def serve_only_the_wall(app: dash.Dash, route: str) -> None:
    """Every page but the wall (at `route`) redirects to it, query kept, so a kiosk pointed at / or at any
    other page shows the wall; Dash's own routes, assets and data files pass."""
    wall_path = str(app.get_relative_path(f"/{route}"))
    passing = tuple(str(app.get_relative_path(prefix)) for prefix in _WALL_ONLY_PASSING)

    def redirect_to_wall() -> HttpResponse | None:
        path = flask.request.path
        if flask.request.method != "GET" or path == wall_path or path.startswith(passing):
            return None
        query = flask.request.query_string.decode("ascii", "replace")
        return flask.redirect(wall_path + (f"?{query}" if query else ""), code=302)

    app.server.before_request(redirect_to_wall)
