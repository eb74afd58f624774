"""The library's front door: the dashboard and the command line call geo only through these names."""

from __future__ import annotations

from geo.county_boundaries import COUNTIES, counties_from_cnmaps, read_counties, write_counties
from geo.crs import CRS_NAMES, from_wgs84, normalise_crs_name, to_wgs84
from geo.errors import GeoInputError, InvalidCoverageError, SourceFileError, StoreError, UnknownCRSError
from geo.schema import CITY_CODE, Col, Layer, Level
from geo.store import GeoPackageStore, Store, open_store

__all__ = [
    "CITY_CODE",
    "COUNTIES",
    "CRS_NAMES",
    "Col",
    "GeoInputError",
    "GeoPackageStore",
    "InvalidCoverageError",
    "Layer",
    "Level",
    "SourceFileError",
    "Store",
    "StoreError",
    "UnknownCRSError",
    "counties_from_cnmaps",
    "from_wgs84",
    "normalise_crs_name",
    "open_store",
    "read_counties",
    "to_wgs84",
    "write_counties",
]
