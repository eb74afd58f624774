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
from geo.analysis.case_metrics import case_metrics, case_metrics_of_area, case_metrics_of_level
from geo.analysis.heat import DensitySurface, hexagon_counts, incident_density
from geo.analysis.mediation_density import Coverage, mediation_density
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
from geo.boundaries.candidate import Candidate, candidate_from_areas
from geo.boundaries.candidate_checks import Problem, ProblemKind, check_candidate
from geo.boundaries.counties import (
    BOUNDARY_DIR,
    COUNTIES,
    COUNTIES_FILE,
    counties_from_cnmaps,
    read_counties,
    write_counties,
)
from geo.boundaries.coverage_checks import validate_coverage, validate_hierarchy
from geo.boundaries.edits import EditError, merge_grids, move_block, move_worker, redraw_edge, split_grid
from geo.boundaries.grid_policy import GridPolicy, load_grid_policy
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
from geo.planning.impact import Impact, candidate_impact, layout_changes
from geo.planning.layout_files import LAYOUT_DRIVERS, LayoutFileError, read_layout_file, write_layout_file
from geo.planning.versions import (
    CandidateRefusedError,
    ConcurrentSaveError,
    SavedVersion,
    boundary_history,
    candidate_of_version,
    diff_versions,
    open_candidate,
    save_candidate,
    version_layout,
)
from geo.schema import (
    CITY_CODE,
    CODE_LENGTH,
    IMPORTS_LAYER,
    INCIDENT_COLUMNS,
    PERSONAL_FIELDS,
    Col,
    IncidentCategory,
    IncidentCol,
    IncidentSource,
    IncidentStatus,
    Layer,
    Level,
    PlanCol,
    VersionCol,
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
    "LAYOUT_DRIVERS",
    "LEVEL_CODE_COLUMN",
    "PERSONAL_FIELDS",
    "POINTS_COLUMNS",
    "STILL_OPEN",
    "AddressGeocoder",
    "AreaIncidents",
    "Candidate",
    "CandidateRefusedError",
    "Col",
    "ConcurrentSaveError",
    "Coverage",
    "DensitySurface",
    "EditError",
    "Factor",
    "Flag",
    "GeoInputError",
    "GeoPackageStore",
    "GridPolicy",
    "Impact",
    "IncidentCategory",
    "IncidentCol",
    "IncidentSource",
    "IncidentStatus",
    "IngestSummary",
    "IntakeContext",
    "InvalidCoverageError",
    "Layer",
    "LayoutFileError",
    "Level",
    "MatchLevel",
    "PlanCol",
    "Problem",
    "ProblemKind",
    "Reason",
    "SavedVersion",
    "SourceFileError",
    "SourceProfile",
    "Store",
    "StoreError",
    "ThresholdMode",
    "TopIncident",
    "UnknownCRSError",
    "VersionCol",
    "WarningConfig",
    "WarningExplanation",
    "WarningLevel",
    "area_geojson",
    "area_geojson_file",
    "boundary_history",
    "briefing_archive",
    "briefing_html",
    "candidate_from_areas",
    "candidate_impact",
    "candidate_of_version",
    "case_metrics",
    "case_metrics_of_area",
    "case_metrics_of_level",
    "check_candidate",
    "city_code_of",
    "counties_from_cnmaps",
    "diff_versions",
    "explain_warning",
    "export_quarantine",
    "from_wgs84",
    "generalise_positions",
    "hexagon_counts",
    "incident_density",
    "ingest_file",
    "join_points_file",
    "layout_changes",
    "level_of_code",
    "load_grid_policy",
    "load_intake_context",
    "load_profile",
    "load_warning_config",
    "local_month_ordinals",
    "mediation_density",
    "merge_grids",
    "month_ordinal",
    "move_block",
    "move_worker",
    "normalise_crs_name",
    "open_candidate",
    "open_store",
    "point_collection",
    "polygon_collection",
    "profile_paths",
    "read_counties",
    "read_hierarchy",
    "read_imports",
    "read_layout_file",
    "read_quarantine",
    "redraw_edge",
    "save_candidate",
    "shift_month",
    "split_grid",
    "to_wgs84",
    "top_incidents_of_area",
    "top_incidents_of_level",
    "validate_coverage",
    "validate_hierarchy",
    "version_layout",
    "warning_scores",
    "warning_scores_all_months",
    "write_counties",
    "write_csv",
    "write_hierarchy",
    "write_layout_file",
    "write_text_atomically",
]
