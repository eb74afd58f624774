"""The library's front door: the dashboard and the command line call geo only through these names."""

from __future__ import annotations

from geo.accounts.audit import AuditAction, audit, read_audit
from geo.accounts.keyring import KeyRing, NewKey
from geo.accounts.masking import mask_field, masked_frame, masked_record
from geo.accounts.roles import Right, Role, in_scope, may
from geo.accounts.users import (
    SignIn,
    User,
    add_user,
    disable_user,
    enable_user,
    read_users,
    set_password,
    sign_in,
)
from geo.accounts.wall_tokens import WALL_TOKENS as WALL_TOKEN_KEYS
from geo.accounts.wall_tokens import create_wall_token, read_wall_tokens, revoke_wall_token, wall_token_of_key
from geo.analysis.area_incidents import AreaIncidents
from geo.analysis.area_months import (
    LEVEL_CODE_COLUMN,
    STILL_OPEN,
    as_local_times,
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
from geo.analysis.daily_reports import city_today, reports_by_day
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
from geo.batch.archive import archive_parts, incidents_of_months, read_archive, write_archive
from geo.batch.coverage import batch_mediator_coverage
from geo.batch.join import batch_join
from geo.batch.warning_index import batch_warning_scores
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
from geo.boundaries.vertex_edit import reshape_grid
from geo.crs import CRS_NAMES, from_wgs84, normalise_crs_name, to_wgs84
from geo.errors import GeoInputError, InvalidCoverageError, SourceFileError, StoreError, UnknownCRSError
from geo.export.briefing import briefing_archive, briefing_html
from geo.export.features import (
    GENERALISE_CELL_M,
    generalise_positions,
    point_collection,
    polygon_collection,
)
from geo.export.incident_files import FORMATS as INCIDENT_FILE_FORMATS
from geo.export.incident_files import SHAPEFILE_NAMES, write_incident_file
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
from geo.intake.service_codes import Service, ServiceTable, load_service_table
from geo.open311.clients import CLIENTS as OPEN311_CLIENT_KEYS
from geo.open311.clients import (
    NewClient,
    add_client,
    client_of_key,
    client_sees_detail,
    read_clients,
    revoke_client,
)
from geo.open311.documents import ERRORS as OPEN311_ERRORS
from geo.open311.documents import FORMATS as OPEN311_FORMATS
from geo.open311.documents import MEDIA_TYPES as OPEN311_MEDIA_TYPES
from geo.open311.documents import REQUESTS as OPEN311_REQUESTS
from geo.open311.documents import SERVICES as OPEN311_SERVICES
from geo.open311.documents import error_list, render, services_list
from geo.open311.listing import RequestFilter, parse_filter, select_requests, service_requests
from geo.open311.submit import (
    POST_FIELDS,
    Posted,
    RequestRejected,
    Submission,
    submit_request,
    submit_requests,
)
from geo.planning.event_layouts import (
    EventLayoutError,
    current_grids,
    event_layout,
    event_layouts_in_force,
    read_event_file,
    read_event_layouts,
    save_event_layout,
)
from geo.planning.grid_figures import grid_figures
from geo.planning.impact import Impact, candidate_impact, layout_changes
from geo.planning.layout_files import LAYOUT_DRIVERS, LayoutFileError, read_layout_file, write_layout_file
from geo.planning.micro_grids import save_micro_grids, wartime_micro_grids
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
from geo.planning.workbench_geojson import (
    candidate_geojson,
    layout_geojson,
    problems_geojson,
    shape_from_geojson,
)
from geo.routes.baseline import nearest_neighbour_routes
from geo.routes.coverage import parse_month, route_coverage
from geo.routes.distance import DETOUR_FACTOR, DistanceMatrix, TravelMode, geodesic_matrix
from geo.routes.features import (
    VISIT_AGE_CLASSES,
    plan_lines_geojson,
    route_geojson,
    stops_geojson,
    visit_age_class,
)
from geo.routes.gpx import plan_gpx, read_plan_route, read_planned, read_track
from geo.routes.plan import Plan, TeamPlan, Unserved, Visit, plan_of
from geo.routes.planning import route_problem, solve_routes
from geo.routes.schedule import Reason as UnservedReason
from geo.routes.schedule import RouteProblem, TimedRoute, plan_cost, time_route
from geo.routes.season import plan_from_inputs, plan_season, season_inputs
from geo.routes.stops import Stop, camp_service_minutes, camps, court_stops, present_in_month
from geo.routes.teams import StopKind, Team, TeamRoster, Workday, load_teams
from geo.routes.tracks import (
    VISIT_RADIUS_M,
    compare_with_plan,
    household_last_visits,
    import_track,
    read_tracks,
    track_day,
)
from geo.schema import (
    CITY_CODE,
    CODE_LENGTH,
    IMPORTS_LAYER,
    INCIDENT_COLUMNS,
    LOCAL_TIMEZONE,
    PERSONAL_FIELDS,
    STORE_SCHEMA,
    AuditCol,
    Col,
    CoverageCol,
    EventCol,
    ImportCol,
    IncidentCategory,
    IncidentCol,
    IncidentSource,
    IncidentStatus,
    Layer,
    Level,
    OpsCol,
    PlanCol,
    QuarantineCol,
    SiteKind,
    Specialty,
    SuggestMethod,
    TrackCol,
    UserCol,
    VersionCol,
    WallTokenCol,
    WarningLevel,
    city_code_of,
    level_of_code,
)
from geo.store import (
    GeoPackageStore,
    PostGISStore,
    Store,
    is_database_url,
    open_store,
    store_location,
    upgrade_store,
)
from geo.store.migrate import LayerCheck, migrate_store
from geo.store.postgis_join import grid_codes_in_database

__all__ = [
    "BOUNDARY_DIR",
    "CITY_CODE",
    "CODE_LENGTH",
    "COUNTIES",
    "COUNTIES_FILE",
    "CRS_NAMES",
    "DETOUR_FACTOR",
    "GENERALISE_CELL_M",
    "IMPORTS_LAYER",
    "INCIDENT_COLUMNS",
    "INCIDENT_FILE_FORMATS",
    "LAYOUT_DRIVERS",
    "LEVEL_CODE_COLUMN",
    "LOCAL_TIMEZONE",
    "MAX_SITES",
    "OPEN311_CLIENT_KEYS",
    "OPEN311_ERRORS",
    "OPEN311_FORMATS",
    "OPEN311_MEDIA_TYPES",
    "OPEN311_REQUESTS",
    "OPEN311_SERVICES",
    "PERSONAL_FIELDS",
    "POINTS_COLUMNS",
    "POST_FIELDS",
    "REPORT_LEVELS",
    "SHAPEFILE_NAMES",
    "STILL_OPEN",
    "STORE_SCHEMA",
    "SUGGESTED_SITES_LAYER",
    "VISIT_AGE_CLASSES",
    "VISIT_RADIUS_M",
    "WALL_TOKEN_KEYS",
    "AddressGeocoder",
    "AreaIncidents",
    "AuditAction",
    "AuditCol",
    "Candidate",
    "CandidateRefusedError",
    "Col",
    "ConcurrentSaveError",
    "Coverage",
    "CoverageCol",
    "CoverageConfig",
    "CoverageInputs",
    "DensitySurface",
    "DistanceMatrix",
    "EditError",
    "EventCol",
    "EventLayoutError",
    "Factor",
    "Flag",
    "GeoInputError",
    "GeoPackageStore",
    "GridPolicy",
    "Impact",
    "ImportCol",
    "IncidentCategory",
    "IncidentCol",
    "IncidentSource",
    "IncidentStatus",
    "IngestSummary",
    "IntakeContext",
    "InvalidCoverageError",
    "KeyRing",
    "Layer",
    "LayerCheck",
    "LayoutFileError",
    "Level",
    "MatchLevel",
    "NewClient",
    "NewKey",
    "OpsCol",
    "Plan",
    "PlanCol",
    "PostGISStore",
    "Posted",
    "Problem",
    "ProblemKind",
    "QuarantineCol",
    "Reason",
    "RequestFilter",
    "RequestRejected",
    "Right",
    "Role",
    "RouteProblem",
    "SavedVersion",
    "Service",
    "ServiceTable",
    "SignIn",
    "SiteKind",
    "SiteSuggestion",
    "SourceFileError",
    "SourceProfile",
    "Specialty",
    "Stop",
    "StopKind",
    "Store",
    "StoreError",
    "Submission",
    "SuggestMethod",
    "Team",
    "TeamPlan",
    "TeamRoster",
    "ThresholdMode",
    "TimedRoute",
    "TopIncident",
    "TrackCol",
    "TravelMode",
    "UnknownCRSError",
    "Unserved",
    "UnservedReason",
    "User",
    "UserCol",
    "VersionCol",
    "Visit",
    "WallTokenCol",
    "WarningConfig",
    "WarningExplanation",
    "WarningLevel",
    "Workday",
    "add_client",
    "add_user",
    "archive_parts",
    "area_geojson",
    "area_geojson_file",
    "as_local_times",
    "audit",
    "batch_join",
    "batch_mediator_coverage",
    "batch_warning_scores",
    "boundary_history",
    "briefing_archive",
    "briefing_html",
    "camp_service_minutes",
    "camps",
    "candidate_from_areas",
    "candidate_geojson",
    "candidate_impact",
    "candidate_of_version",
    "case_metrics",
    "case_metrics_of_area",
    "case_metrics_of_level",
    "check_candidate",
    "city_code_of",
    "city_today",
    "client_of_key",
    "client_sees_detail",
    "compare_with_plan",
    "counties_from_cnmaps",
    "court_stops",
    "create_wall_token",
    "current_grids",
    "diff_versions",
    "disable_user",
    "enable_user",
    "error_list",
    "event_layout",
    "event_layouts_in_force",
    "explain_warning",
    "export_quarantine",
    "from_wgs84",
    "generalise_positions",
    "geodesic_matrix",
    "grid_codes_in_database",
    "grid_figures",
    "hexagon_counts",
    "household_coverage",
    "household_last_visits",
    "import_track",
    "in_scope",
    "incident_density",
    "incidents_of_months",
    "ingest_file",
    "is_database_url",
    "join_points_file",
    "last_month",
    "layout_changes",
    "layout_geojson",
    "level_of_code",
    "load_coverage_config",
    "load_grid_policy",
    "load_intake_context",
    "load_profile",
    "load_service_table",
    "load_teams",
    "load_warning_config",
    "local_month_ordinals",
    "mask_field",
    "masked_frame",
    "masked_record",
    "may",
    "mediation_density",
    "mediator_coverage",
    "merge_grids",
    "migrate_store",
    "month_ordinal",
    "move_block",
    "move_worker",
    "nearest_neighbour_routes",
    "normalise_crs_name",
    "open_candidate",
    "open_store",
    "parse_filter",
    "parse_month",
    "plan_cost",
    "plan_from_inputs",
    "plan_gpx",
    "plan_lines_geojson",
    "plan_of",
    "plan_season",
    "point_collection",
    "polygon_collection",
    "present_in_month",
    "problems_geojson",
    "profile_paths",
    "read_archive",
    "read_audit",
    "read_clients",
    "read_counties",
    "read_event_file",
    "read_event_layouts",
    "read_hierarchy",
    "read_imports",
    "read_layout_file",
    "read_plan_route",
    "read_planned",
    "read_proposed_sites",
    "read_quarantine",
    "read_track",
    "read_tracks",
    "read_users",
    "read_wall_tokens",
    "redraw_edge",
    "render",
    "reports_by_day",
    "reshape_grid",
    "revoke_client",
    "revoke_wall_token",
    "route_coverage",
    "route_geojson",
    "route_problem",
    "save_candidate",
    "save_event_layout",
    "save_micro_grids",
    "season_inputs",
    "select_requests",
    "service_requests",
    "services_list",
    "set_password",
    "shape_from_geojson",
    "shift_month",
    "sign_in",
    "site_bands",
    "solve_routes",
    "split_grid",
    "stops_geojson",
    "store_location",
    "submit_request",
    "submit_requests",
    "suggest_sites",
    "suggested_sites_gpkg",
    "time_route",
    "to_wgs84",
    "top_incidents_of_area",
    "top_incidents_of_level",
    "track_day",
    "upgrade_store",
    "validate_coverage",
    "validate_hierarchy",
    "version_layout",
    "visit_age_class",
    "wall_token_of_key",
    "warning_scores",
    "warning_scores_all_months",
    "wartime_micro_grids",
    "write_archive",
    "write_counties",
    "write_csv",
    "write_hierarchy",
    "write_incident_file",
    "write_layout_file",
    "write_suggested_sites",
    "write_text_atomically",
]
