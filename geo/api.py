"""The library's front door: the dashboard and the command line call geo only through these names."""

from __future__ import annotations

from geo.county_boundaries import (
    BOUNDARY_DIR,
    COUNTIES,
    COUNTIES_FILE,
    counties_from_cnmaps,
    read_counties,
    write_counties,
)
from geo.crs import CRS_NAMES, from_wgs84, normalise_crs_name, to_wgs84
from geo.demo.hierarchy import generate_hierarchy, read_hierarchy, write_hierarchy
from geo.demo.plan import SEED as DEMO_SEED
from geo.errors import GeoInputError, InvalidCoverageError, SourceFileError, StoreError, UnknownCRSError
from geo.mapdata import area_geojson, area_geojson_file
from geo.schema import CITY_CODE, Col, Layer, Level
from geo.store import GeoPackageStore, Store, open_store
from geo.validate import validate_coverage, validate_hierarchy

__all__ = [
    "BOUNDARY_DIR",
    "CITY_CODE",
    "COUNTIES",
    "COUNTIES_FILE",
    "CRS_NAMES",
    "DEMO_SEED",
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
    "area_geojson",
    "area_geojson_file",
    "counties_from_cnmaps",
    "from_wgs84",
    "generate_hierarchy",
    "normalise_crs_name",
    "open_store",
    "read_counties",
    "read_hierarchy",
    "to_wgs84",
    "validate_coverage",
    "validate_hierarchy",
    "write_counties",
    "write_hierarchy",
]
