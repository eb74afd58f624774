"""Element ids of the routes page."""

from __future__ import annotations

from enum import StrEnum


class Ids(StrEnum):
    URL = "routes-url"
    START = "routes-start"
    DAYS = "routes-days"
    TEAM = "routes-team"
    MAP = "routes-map"
    CAMPS = "routes-camps"
    ROUTE = "routes-route"
    SUMMARY = "routes-summary"
    SCHEDULE = "routes-schedule"
    GPX_BUTTON = "routes-gpx-button"
    GPX_DOWNLOAD = "routes-gpx-download"
