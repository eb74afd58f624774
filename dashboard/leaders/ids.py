"""Element ids of the leaders' map."""

from __future__ import annotations

from enum import StrEnum


class Ids(StrEnum):
    URL = "leaders-url"
    MAP = "leaders-map"
    AREAS = "leaders-areas"
    AREAS_STYLED = "leaders-areas-styled"  # output of the clientside callback that applies `hideout`
    DETAIL = "leaders-detail"
    CONTEXT = "leaders-context"
    HEAT = "leaders-heat"
    POINTS = "leaders-points"
    CENTRES = "leaders-centres"
    ORGS = "leaders-orgs"
    VIEW_KEY = "leaders-view-key"
    CRUMBS = "leaders-crumbs"
    LEGEND = "leaders-legend"
    HEAT_LEGEND = "leaders-heat-legend"
    POINTS_NOTE = "leaders-points-note"
    SEARCH = "leaders-search"
    LANGUAGE = "leaders-language"
    EXPORT = "leaders-export"
    DOWNLOAD = "leaders-download"
    KPIS = "leaders-kpis"
    KPI_DATA = "leaders-kpi-data"
    PANEL_DATA = "leaders-panel-data"
    PANEL = "leaders-panel"
    CASES = "leaders-cases"
    TREND = "leaders-trend"
    TREND_SLOT = "leaders-trend-slot"  # where the trend chart is mounted once the map has painted
    MAP_PAINTED = "leaders-map-painted"  # set by the browser when the areas are first on screen
    TREND_KEY = "leaders-trend-key"
    MONTH = "leaders-month"
    MONTH_TEXT = "leaders-month-text"
    PLAY = "leaders-play"
    TICK = "leaders-tick"
    LAYERS = "leaders-layers"
    CATEGORIES = "leaders-categories"
    SOURCES = "leaders-sources"
    PERIOD = "leaders-period"
    FOLLOW = "leaders-follow"
