"""The library's front door: the dashboard and the command line call geo only through these names."""

from __future__ import annotations

from geo.case_metrics import case_metrics
from geo.county_boundaries import (
    BOUNDARY_DIR,
    COUNTIES,
    COUNTIES_FILE,
    counties_from_cnmaps,
    read_counties,
    write_counties,
)
from geo.crs import CRS_NAMES, from_wgs84, normalise_crs_name, to_wgs84
from geo.demo.build import build_demo_store
from geo.demo.check import check_demo_store
from geo.demo.hierarchy import generate_hierarchy, read_hierarchy, write_hierarchy
from geo.demo.plan import SEED as DEMO_SEED
from geo.errors import GeoInputError, InvalidCoverageError, SourceFileError, StoreError, UnknownCRSError
from geo.geocode import AddressGeocoder, MatchLevel
from geo.heat import DensitySurface, hexagon_counts, incident_density
from geo.ingest import (
    IngestSummary,
    IntakeContext,
    ingest_file,
    join_points_file,
    load_intake_context,
)
from geo.mapdata import area_geojson, area_geojson_file
from geo.profiles import SourceProfile, load_profile, profile_paths
from geo.quarantine import export_quarantine, read_imports, read_quarantine
from geo.schema import (
    CITY_CODE,
    IMPORTS_LAYER,
    INCIDENT_COLUMNS,
    PERSONAL_FIELDS,
    Col,
    IncidentCol,
    Layer,
    Level,
)
from geo.store import GeoPackageStore, Store, open_store
from geo.validate import validate_coverage, validate_hierarchy
from geo.validation import Flag, Reason
from geo.warning_config import Factor, ThresholdMode, WarningConfig, load_warning_config
from geo.warning_index import (
    POINTS_COLUMNS,
    WarningExplanation,
    explain_warning,
    warning_scores,
    warning_scores_all_months,
)

__all__ = [
    "BOUNDARY_DIR",
    "CITY_CODE",
    "COUNTIES",
    "COUNTIES_FILE",
    "CRS_NAMES",
    "DEMO_SEED",
    "IMPORTS_LAYER",
    "INCIDENT_COLUMNS",
    "PERSONAL_FIELDS",
    "POINTS_COLUMNS",
    "AddressGeocoder",
    "Col",
    "DensitySurface",
    "Factor",
    "Flag",
    "GeoInputError",
    "GeoPackageStore",
    "IncidentCol",
    "IngestSummary",
    "IntakeContext",
    "InvalidCoverageError",
    "Layer",
    "Level",
    "MatchLevel",
    "Reason",
    "SourceFileError",
    "SourceProfile",
    "Store",
    "StoreError",
    "ThresholdMode",
    "UnknownCRSError",
    "WarningConfig",
    "WarningExplanation",
    "area_geojson",
    "area_geojson_file",
    "build_demo_store",
    "case_metrics",
    "check_demo_store",
    "counties_from_cnmaps",
    "explain_warning",
    "export_quarantine",
    "from_wgs84",
    "generate_hierarchy",
    "hexagon_counts",
    "incident_density",
    "ingest_file",
    "join_points_file",
    "load_intake_context",
    "load_profile",
    "load_warning_config",
    "normalise_crs_name",
    "open_store",
    "profile_paths",
    "read_counties",
    "read_hierarchy",
    "read_imports",
    "read_quarantine",
    "to_wgs84",
    "validate_coverage",
    "validate_hierarchy",
    "warning_scores",
    "warning_scores_all_months",
    "write_counties",
    "write_hierarchy",
]

# Enums that the wall display labels and colours by (appended so concurrent additions above stay apart).
from geo.schema import IncidentCategory, IncidentStatus, WarningLevel

__all__ += ["IncidentCategory", "IncidentStatus", "WarningLevel"]

# The leaders' map: incident sources for its filters and the offline briefing export.
from geo.briefing import briefing_archive, briefing_html  # noqa: E402
from geo.schema import IncidentSource  # noqa: E402

__all__ += ["IncidentSource", "briefing_archive", "briefing_html"]
