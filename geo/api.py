"""The library's front door: the dashboard and the command line call geo only through these names."""

from __future__ import annotations

from geo.analysis.area_incidents import AreaIncidents
from geo.analysis.area_months import (
    LEVEL_CODE_COLUMN,
    STILL_OPEN,
    local_month_ordinals,
    month_ordinal,
    shift_month,
)
from geo.analysis.candidate_sites import read_proposed_sites
from geo.analysis.case_metrics import case_metrics, case_metrics_of_area, case_metrics_of_level
from geo.analysis.coverage import (
    REPORT_LEVELS,
    CoverageInputs,
    household_coverage,
    last_month,
    mediator_coverage,
)
from geo.analysis.coverage_config import CoverageConfig, load_coverage_config
from geo.analysis.heat import DensitySurface, hexagon_counts, incident_density
from geo.analysis.mediation_density import Coverage, mediation_density
from geo.analysis.site_suggestion import MAX_SITES, SiteSuggestion, suggest_sites
from geo.analysis.warning_config import Factor, ThresholdMode, WarningConfig, load_warning_config
from geo.analysis.warning_index import (
    POINTS_COLUMNS,
    TopIncident,
    WarningExplanation,
    explain_warning,
    top_incidents_of_area,
    top_incidents_of_level,
    warning_scores,
    warning_scores_all_months,
)
from geo.boundaries.counties import (
    BOUNDARY_DIR,
    COUNTIES,
    COUNTIES_FILE,
    counties_from_cnmaps,
    read_counties,
    write_counties,
)
from geo.boundaries.coverage_checks import validate_coverage, validate_hierarchy
from geo.boundaries.hierarchy_files import read_hierarchy, write_hierarchy
from geo.crs import CRS_NAMES, from_wgs84, normalise_crs_name, to_wgs84
from geo.errors import GeoInputError, InvalidCoverageError, SourceFileError, StoreError, UnknownCRSError
from geo.export.briefing import briefing_archive, briefing_html
from geo.export.features import (
    GENERALISE_CELL_M,
    generalise_positions,
    point_collection,
    polygon_collection,
)
from geo.export.mapdata import area_geojson, area_geojson_file
from geo.export.suggested_sites import (
    SUGGESTED_SITES_LAYER,
    site_bands,
    suggested_sites_gpkg,
    write_suggested_sites,
)
from geo.files import write_csv, write_text_atomically
from geo.intake.geocode import AddressGeocoder, MatchLevel
from geo.intake.ingest import (
    IngestSummary,
    IntakeContext,
    ingest_file,
    join_points_file,
    load_intake_context,
)
from geo.intake.profiles import SourceProfile, load_profile, profile_paths
from geo.intake.quarantine import export_quarantine, read_imports, read_quarantine
from geo.intake.row_checks import Flag, Reason
from geo.schema import (
    CITY_CODE,
    CODE_LENGTH,
    IMPORTS_LAYER,
    INCIDENT_COLUMNS,
    PERSONAL_FIELDS,
    Col,
    CoverageCol,
    IncidentCategory,
    IncidentCol,
    IncidentSource,
    IncidentStatus,
    Layer,
    Level,
    SiteKind,
    Specialty,
    SuggestMethod,
    WarningLevel,
    city_code_of,
    level_of_code,
)
from geo.store import GeoPackageStore, Store, open_store

__all__ = [
    "BOUNDARY_DIR",
    "CITY_CODE",
    "CODE_LENGTH",
    "COUNTIES",
    "COUNTIES_FILE",
    "CRS_NAMES",
    "GENERALISE_CELL_M",
    "IMPORTS_LAYER",
    "INCIDENT_COLUMNS",
    "LEVEL_CODE_COLUMN",
    "MAX_SITES",
    "PERSONAL_FIELDS",
    "POINTS_COLUMNS",
    "REPORT_LEVELS",
    "STILL_OPEN",
    "SUGGESTED_SITES_LAYER",
    "AddressGeocoder",
    "AreaIncidents",
    "Col",
    "Coverage",
    "CoverageCol",
    "CoverageConfig",
    "CoverageInputs",
    "DensitySurface",
    "Factor",
    "Flag",
    "GeoInputError",
    "GeoPackageStore",
    "IncidentCategory",
    "IncidentCol",
    "IncidentSource",
    "IncidentStatus",
    "IngestSummary",
    "IntakeContext",
    "InvalidCoverageError",
    "Layer",
    "Level",
    "MatchLevel",
    "Reason",
    "SiteKind",
    "SiteSuggestion",
    "SourceFileError",
    "SourceProfile",
    "Specialty",
    "Store",
    "StoreError",
    "SuggestMethod",
    "ThresholdMode",
    "TopIncident",
    "UnknownCRSError",
    "WarningConfig",
    "WarningExplanation",
    "WarningLevel",
    "area_geojson",
    "area_geojson_file",
    "briefing_archive",
    "briefing_html",
    "case_metrics",
    "case_metrics_of_area",
    "case_metrics_of_level",
    "city_code_of",
    "counties_from_cnmaps",
    "explain_warning",
    "export_quarantine",
    "from_wgs84",
    "generalise_positions",
    "hexagon_counts",
    "household_coverage",
    "incident_density",
    "ingest_file",
    "join_points_file",
    "last_month",
    "level_of_code",
    "load_coverage_config",
    "load_intake_context",
    "load_profile",
    "load_warning_config",
    "local_month_ordinals",
    "mediation_density",
    "mediator_coverage",
    "month_ordinal",
    "normalise_crs_name",
    "open_store",
    "point_collection",
    "polygon_collection",
    "profile_paths",
    "read_counties",
    "read_hierarchy",
    "read_imports",
    "read_proposed_sites",
    "read_quarantine",
    "shift_month",
    "site_bands",
    "suggest_sites",
    "suggested_sites_gpkg",
    "to_wgs84",
    "top_incidents_of_area",
    "top_incidents_of_level",
    "validate_coverage",
    "validate_hierarchy",
    "warning_scores",
    "warning_scores_all_months",
    "write_counties",
    "write_csv",
    "write_hierarchy",
    "write_suggested_sites",
    "write_text_atomically",
]
