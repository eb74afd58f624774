"""Element ids of the coverage page."""

from __future__ import annotations

from enum import StrEnum


class Ids(StrEnum):
    URL = "coverage-url"
    MAP = "coverage-map"
    AREAS = "coverage-areas"
    SITES = "coverage-sites"
    BANDS = "coverage-bands"
    LEGEND = "coverage-legend"
    SUMMARY = "coverage-summary"
    LEVEL = "coverage-level"
    MEASURE = "coverage-measure"
    SPECIALTY = "coverage-specialty"
    SITE_COUNT = "coverage-site-count"
    METHOD = "coverage-method"
    CAPACITY = "coverage-capacity"
    TABLE = "coverage-table"
    EXPORT_CSV = "coverage-export-csv"
    EXPORT_GPKG = "coverage-export-gpkg"
    DOWNLOAD = "coverage-download"
