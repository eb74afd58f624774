"""Element ids of the command-centre wall."""

from __future__ import annotations

from enum import StrEnum


class Ids(StrEnum):
    ROOT = "wall"
    VIEW_TITLE = "wall-view-title"
    MONTH = "wall-month"
    CLOCK = "wall-clock"
    DATE = "wall-date"
    AS_OF = "wall-as-of"
    STALE = "wall-stale"
    STALE_SINCE = "wall-stale-since"
    KPIS = "wall-kpis"
    MAP = "wall-map"
    COUNTIES = "wall-counties"
    TOWNSHIPS = "wall-townships"
    GRIDS = "wall-grids"
    HEAT = "wall-heat"
    ROUTES = "wall-routes"  # the week's service-team routes, one line per team
    LEGEND = "wall-legend"
    TREND = "wall-trend"
    LATEST = "wall-latest"
    ROTATION = "wall-rotation"
    REFRESH = "wall-refresh"  # interval: ask the server for new data
    ROTATE = "wall-rotate"  # interval: next view
    VIEW = "wall-view"  # store: key of the view on screen
    VIEWS = "wall-views"  # store: the rotation, [{key, title}]
    STATUS = "wall-status"  # store: what the last refresh answered
    STATUS_SEEN = "wall-status-seen"  # store: written by nobody; the clientside status hook needs an output
    HIDEOUTS_SEEN = "wall-hideouts-seen"  # store: likewise, for the hook that keeps the newest layer styles
    SCREEN = "wall-screen"  # store: the screen's size, for figure fonts
    LANGUAGE = "wall-language"  # store: the language of the page's strings


def kpi_value_id(key: str) -> str:
    return f"wall-kpi-{key}-value"


def kpi_note_id(key: str) -> str:
    return f"wall-kpi-{key}-note"


def layer_id(level: str) -> str:
    return {"county": Ids.COUNTIES, "township": Ids.TOWNSHIPS, "grid": Ids.GRIDS}[level].value


def pane_name(level: str) -> str:
    """Leaflet gives the pane's element the class `leaflet-<name>-pane`."""
    return f"wall-{level}"
