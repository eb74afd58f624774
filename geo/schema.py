"""Names that every module shares: levels, code lengths, enums and column names.

Codes follow GB/T 2260 (county, 6 digits) and the statistical division code (township +3, village or
community +3), with a grid segment (+3) and a micro-grid segment (+2) below, as in the DB11 grid code.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from geo.errors import as_choice


class Level(StrEnum):
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"
    GRID = "grid"
    MICRO_GRID = "micro_grid"


#: Levels from the top down; a child's level is the next one in this tuple.
LEVEL_ORDER: tuple[Level, ...] = tuple(Level)

#: Digits in a full code at each level.
CODE_LENGTH: dict[Level, int] = {
    Level.CITY: 6,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
    Level.GRID: 15,
    Level.MICRO_GRID: 17,
}

CITY_CODE = "620900"
#: The city's time zone: months, "today", overdue days and displays are its wall-clock time, and offsets
#: given in files are converted to it; the store itself keeps UTC (geo.store.local_times).
LOCAL_TIMEZONE: Final = "Asia/Shanghai"


def parent_level(level: Level) -> Level | None:
    index = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[index - 1] if index else None


def child_level(level: Level) -> Level | None:
    index = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[index + 1] if index + 1 < len(LEVEL_ORDER) else None


def as_level(level: Level | str) -> Level:
    """`level` as a Level; GeoInputError naming the allowed levels otherwise."""
    return as_choice(Level, level, "level")


def city_code_of(code: str) -> str:
    """The prefecture-level city that an area code lies in (GB/T 2260: its first four digits, then 00)."""
    return code[:4] + "00"


def level_of_code(code: str) -> Level:
    """The deepest level whose code length matches; a six-digit code ending in 00 is the city."""
    if len(code) == CODE_LENGTH[Level.CITY] and code.isdigit() and code.endswith("00"):
        return Level.CITY
    for level in (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.GRID, Level.MICRO_GRID):
        if len(code) == CODE_LENGTH[level] and code.isdigit():
            return level
    allowed = ", ".join(f"{lv.value}={n}" for lv, n in CODE_LENGTH.items())
    raise ValueError(f"area code {code!r} has no level: expected digits of length {allowed}")


def parent_code(code: str) -> str | None:
    """The code of the area one level up (the city for a county, None for the city)."""
    level = level_of_code(code)
    if level is Level.CITY:
        return None
    if level is Level.COUNTY:
        return city_code_of(code)
    up = parent_level(level)
    assert up is not None
    return code[: CODE_LENGTH[up]]


class AreaKind(StrEnum):
    """How an area is settled; it drives grid size and which services reach it."""

    URBAN = "urban"
    RURAL = "rural"
    PASTORAL = "pastoral"


class IncidentCategory(StrEnum):
    NEIGHBOUR = "neighbour"
    MARRIAGE_FAMILY = "marriage_family"
    BUSINESS = "business"
    PROPERTY_MANAGEMENT = "property_management"
    LAND = "land"
    LABOUR_WAGES = "labour_wages"
    TRAFFIC = "traffic"
    OTHER = "other"


class IncidentSource(StrEnum):
    """Intake channels; each one has a native coordinate system (see geo.crs)."""

    APP = "app"  # grid workers' app, GPS in WGS84
    HOTLINE = "hotline"  # 12345 hotline exports, CGCS2000 or address only
    MINIPROGRAM = "miniprogram"  # citizens' WeChat mini-program, GCJ-02
    OPEN311 = "open311"


class IncidentStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class Outcome(StrEnum):
    """How a closed dispute ended."""

    MEDIATED = "mediated"  # people's mediation succeeded
    MEDIATION_FAILED = "mediation_failed"
    PRE_LITIGATION_MEDIATED = "pre_litigation_mediated"  # diverted by the court, mediation succeeded
    PRE_LITIGATION_FAILED = "pre_litigation_failed"  # diverted by the court, went on to trial
    LITIGATED = "litigated"  # filed in court without diversion
    ADVISED = "advised"  # answered or referred, no mediation needed


class Satisfaction(StrEnum):
    """How the reporter rated the handling (满意度)."""

    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"


class WarningLevel(StrEnum):
    """Monthly safety warning colours, red = highest risk."""

    RED = "red"
    YELLOW = "yellow"
    BLUE = "blue"


class CentreLevel(StrEnum):
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"


class OrgType(StrEnum):
    """Mediation and service organisations named in the seed."""

    TOWNSHIP_COMMITTEE = "township_committee"
    VILLAGE_COMMITTEE = "village_committee"
    INDUSTRY_COMMITTEE = "industry_committee"
    PERSONAL_STUDIO = "personal_studio"
    FEATURED_STUDIO = "featured_studio"
    LEGAL_SERVICE = "legal_service"
    COUNSELLING_ROOM = "counselling_room"


class Specialty(StrEnum):
    NEIGHBOUR = "neighbour"
    MARRIAGE_FAMILY = "marriage_family"
    BUSINESS = "business"
    PROPERTY_MANAGEMENT = "property_management"
    LAND = "land"
    LABOUR_WAGES = "labour_wages"
    TRAFFIC = "traffic"
    FINANCE_INSURANCE = "finance_insurance"
    PASTORAL = "pastoral"


class Col(StrEnum):
    """Column names used across layers."""

    CODE = "code"
    NAME = "name"
    LEVEL = "level"
    PARENT_CODE = "parent_code"
    KIND = "kind"
    HOUSEHOLDS = "households"
    POPULATION = "population"
    AREA_KM2 = "area_km2"
    VERSION_ID = "version_id"
    VALID_FROM = "valid_from"
    VALID_TO = "valid_to"
    GRID_CODE = "grid_code"
    VILLAGE_CODE = "village_code"
    TOWNSHIP_CODE = "township_code"
    COUNTY_CODE = "county_code"
    SOURCE = "source"
    SOURCE_ID = "source_id"
    CATEGORY = "category"
    STATUS = "status"
    OUTCOME = "outcome"
    REPORTED_AT = "reported_at"
    CLOSED_AT = "closed_at"
    GEOMETRY = "geometry"


#: Columns that hold data about a person. They never leave the store on an aggregate-only path
#: (the wall display) and are masked in tables shown to leaders.
PERSONAL_FIELDS: frozenset[str] = frozenset(
    {"person_name", "phone", "reporter_name", "reporter_phone", "address", "description", "id_number"}
)


#: What every area carries besides its geometry and version: the attributes a boundary file or a
#: candidate layout holds per area.
AREA_ATTRIBUTES: Final = (
    Col.CODE, Col.NAME, Col.LEVEL, Col.PARENT_CODE, Col.KIND, Col.HOUSEHOLDS, Col.POPULATION, Col.AREA_KM2,
)


class Layer(StrEnum):
    """Layer (table) names in a store."""

    AREAS = "areas"
    BOUNDARY_VERSIONS = "boundary_versions"
    GRID_WORKERS = "grid_workers"
    CENTRES = "centres"
    MEDIATION_ORGS = "mediation_orgs"
    MEDIATORS = "mediators"
    INCIDENTS = "incidents"
    QUARANTINE = "quarantine"
    HERDER_HOUSEHOLDS = "herder_households"
    PASTURES = "pastures"
    GATEHOUSES = "gatehouses"
    ADDRESSES = "addresses"
    IMPORTS = "imports"  # the import log, one row per import
    TEAM_TRACKS = "team_tracks"  # GPS tracks of service-team trips, one row per imported track
    EVENT_LAYOUTS = "event_layouts"  # temporary event-security grids, one row per temporary grid
    OPEN311_CLIENTS = "open311_clients"  # who may POST Open311 requests, with a hash of their API key
    USERS = "users"  # who may sign in: role, area scope, an argon2 hash of the password
    AUDIT = "audit"  # who did what, when and from where: sign-ins, exports, saves, user changes
    WALL_TOKENS = "wall_tokens"  # kiosks that may show the wall: a token id and its key's SHA-256
    META = "meta"


#: Layer.IMPORTS as a plain str, the name geo.api callers and the tests use.
IMPORTS_LAYER: Final = Layer.IMPORTS.value


# ---------------------------------------------------------------- incidents, quarantine and the import log


class IncidentCol(StrEnum):
    """Columns of the incidents layer beyond those in Col."""

    INCIDENT_ID = "incident_id"  # f"{source}:{source_id}"
    CATEGORY_RAW = "category_raw"
    SEVERITY = "severity"
    SERIOUS = "serious"
    REPEAT_PETITION = "repeat_petition"
    PRE_LITIGATION = "pre_litigation"
    SATISFACTION = "satisfaction"
    DESCRIPTION = "description"
    ADDRESS = "address"
    REPORTER_NAME = "reporter_name"
    REPORTER_PHONE = "reporter_phone"
    LON = "lon"  # WGS84 / CGCS2000 degrees after conversion
    LAT = "lat"
    INPUT_CRS = "input_crs"
    MATCH_LEVEL = "match_level"  # geo.intake.geocode.MatchLevel for geocoded rows, else empty
    MATCH_SCORE = "match_score"
    FLAGS = "flags"  # comma-separated geo.intake.row_checks.Flag values
    IMPORT_ID = "import_id"
    FILE_NAME = "file_name"
    ROW_NUMBER = "row_number"
    # Open311 GeoReport v2 fields, kept as the source gave them (empty for other channels)
    SERVICE_NAME = "service_name"
    STATUS_NOTES = "status_notes"  # the handler's notes on the outcome
    AGENCY_RESPONSIBLE = "agency_responsible"
    SERVICE_NOTICE = "service_notice"
    EXPECTED_AT = "expected_at"  # expected_datetime, local time like reported_at
    ADDRESS_ID = "address_id"
    ZIPCODE = "zipcode"
    MEDIA_URL = "media_url"


#: The incidents layer's columns, in order.
INCIDENT_COLUMNS: Final = (
    IncidentCol.INCIDENT_ID, Col.SOURCE, Col.SOURCE_ID, Col.CATEGORY, IncidentCol.CATEGORY_RAW,
    IncidentCol.SEVERITY, IncidentCol.SERIOUS, IncidentCol.REPEAT_PETITION, Col.STATUS, Col.OUTCOME,
    IncidentCol.PRE_LITIGATION, Col.REPORTED_AT, Col.CLOSED_AT, IncidentCol.SATISFACTION,
    IncidentCol.DESCRIPTION, IncidentCol.ADDRESS, IncidentCol.REPORTER_NAME, IncidentCol.REPORTER_PHONE,
    IncidentCol.LON, IncidentCol.LAT, IncidentCol.INPUT_CRS, Col.GRID_CODE, Col.VILLAGE_CODE,
    Col.TOWNSHIP_CODE, Col.COUNTY_CODE, IncidentCol.MATCH_LEVEL, IncidentCol.MATCH_SCORE, IncidentCol.FLAGS,
    IncidentCol.IMPORT_ID, IncidentCol.FILE_NAME, IncidentCol.ROW_NUMBER, IncidentCol.SERVICE_NAME,
    IncidentCol.STATUS_NOTES, IncidentCol.AGENCY_RESPONSIBLE, IncidentCol.SERVICE_NOTICE,
    IncidentCol.EXPECTED_AT, IncidentCol.ADDRESS_ID, IncidentCol.ZIPCODE, IncidentCol.MEDIA_URL, Col.GEOMETRY,
)


class QuarantineCol(StrEnum):
    IMPORT_ID = "import_id"
    FILE_NAME = "file_name"
    ROW_NUMBER = "row_number"
    REASON = "reason"
    DETAIL = "detail"
    RAW = "raw"
    QUARANTINED_AT = "quarantined_at"


class ImportCol(StrEnum):
    IMPORT_ID = "import_id"
    FILE_NAME = "file_name"
    READ = "read"
    ACCEPTED = "accepted"
    QUARANTINED = "quarantined"
    SKIPPED_EXISTING = "skipped_existing"
    STARTED_AT = "started_at"
    INPUT_CRS = "input_crs"
    ENCODING = "encoding"
    FILE_SHA256 = "file_sha256"


#: The quarantine layer's columns, in order.
QUARANTINE_COLUMNS: Final = (
    QuarantineCol.IMPORT_ID, Col.SOURCE, QuarantineCol.FILE_NAME, QuarantineCol.ROW_NUMBER,
    QuarantineCol.REASON, QuarantineCol.DETAIL, QuarantineCol.RAW, QuarantineCol.QUARANTINED_AT,
)
#: The import log's columns, in order.
IMPORT_COLUMNS: Final = (
    ImportCol.IMPORT_ID, ImportCol.FILE_NAME, Col.SOURCE, ImportCol.READ, ImportCol.ACCEPTED,
    ImportCol.QUARANTINED, ImportCol.SKIPPED_EXISTING, ImportCol.STARTED_AT, ImportCol.INPUT_CRS,
    ImportCol.ENCODING, ImportCol.FILE_SHA256,
)


# ---------------------------------------------------------------- service-team tracks


class TrackCol(StrEnum):
    """Columns of the team tracks layer (GPS tracks of trips made, imported from GPX)."""

    TRACK_ID = "track_id"  # team id and the file's SHA-256: the same file for the same team imports once
    TEAM_ID = "team_id"
    STARTED_AT = "started_at"  # UTC, ISO 8601
    ENDED_AT = "ended_at"
    POINTS = "points"
    DISTANCE_M = "distance_m"  # along the track on the ellipsoid
    FILE_NAME = "file_name"
    FILE_SHA256 = "file_sha256"
    IMPORTED_AT = "imported_at"


#: The team tracks layer's columns, in order; the geometry is a MultiLineString (one part per GPX segment).
TEAM_TRACK_COLUMNS: Final = (
    TrackCol.TRACK_ID, TrackCol.TEAM_ID, TrackCol.STARTED_AT, TrackCol.ENDED_AT, TrackCol.POINTS,
    TrackCol.DISTANCE_M, TrackCol.FILE_NAME, TrackCol.FILE_SHA256, TrackCol.IMPORTED_AT, Col.GEOMETRY,
)


#: The version of the store's layout this code reads and writes, recorded in the meta layer under
#: STORE_SCHEMA_KEY; a store of a newer one is refused with one line rather than misread. Schema 2 keeps
#: datetimes as GeoPackage DATETIME in UTC (`...T00:00:00.000Z`; PostGIS: timestamptz), schema 1 kept
#: naive local times; `pingan store upgrade` turns 1 into 2.
STORE_SCHEMA: Final = 2
STORE_SCHEMA_KEY: Final = "store_schema"

#: Keys the store keeps unique (a unique index; rows repeating one are skipped on insert), so that no
#: pre-check is needed for two imports of one file to give one import's rows.
UNIQUE_KEYS: Final[dict[str, tuple[str, ...]]] = {
    Layer.INCIDENTS.value: (Col.SOURCE.value, Col.SOURCE_ID.value),
    Layer.IMPORTS.value: (ImportCol.IMPORT_ID.value,),
    Layer.TEAM_TRACKS.value: (TrackCol.TRACK_ID.value,),
    Layer.OPEN311_CLIENTS.value: ("client_id",),
    Layer.WALL_TOKENS.value: ("token_id",),
}
#: Columns typed reads pick a few rows by (`Store.read(equals=...)`) on a page's cold path, indexed by
#: both backends: the leaders' panel reads its top incidents' details by id, which without an index
#: scans every incident (35 ms at 192,000 of them, growing with the archive a store keeps).
LOOKUP_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    Layer.INCIDENTS.value: ("incident_id",),
}


# ---------------------------------------------------------------- Open311 clients


#: Layers no page draws from: who may sign in, machine keys and the audit log. Writes to them (a
#: sign-in, an export's audit row) leave `Store.state()` as it was, so they cost no page a recompute;
#: `Store.revision()` moves with them.
BOOKKEEPING_LAYERS: Final = frozenset({
    Layer.USERS.value, Layer.AUDIT.value, Layer.WALL_TOKENS.value, Layer.OPEN311_CLIENTS.value,
})


class ClientCol(StrEnum):
    """Columns of the Open311 clients layer: one row per client that may POST requests."""

    CLIENT_ID = "client_id"
    NAME = "name"
    KEY_SHA256 = "key_sha256"  # the API key itself is shown once, when the client is added
    CREATED_AT = "created_at"  # UTC, ISO 8601
    REVOKED_AT = "revoked_at"  # empty while the key is valid
    RIGHTS = "rights"  # rights beyond POSTing, comma-separated (personal_fields: listings in full)


class WallTokenCol(StrEnum):
    """Columns of the wall tokens layer: one row per kiosk token (geo.accounts.keyring's columns)."""

    TOKEN_ID = "token_id"
    NAME = "name"
    KEY_SHA256 = "key_sha256"  # the token itself is shown once, when it is made
    CREATED_AT = "created_at"  # UTC, ISO 8601
    REVOKED_AT = "revoked_at"  # empty while the token is valid
    RIGHTS = "rights"  # none for a kiosk: the wall is its only right


class UserCol(StrEnum):
    """Columns of the users layer: one row per account."""

    USER_ID = "user_id"
    ROLE = "role"  # geo.accounts.roles.Role
    AREA_SCOPE = "area_scope"  # the area code the user sees, with everything below it (the city: all)
    PASSWORD_HASH = "password_hash"  # argon2id, never the password
    FAILED_SIGN_INS = "failed_sign_ins"  # in a row, since the last good one
    LOCKED_UNTIL = "locked_until"  # UTC, ISO 8601; empty when not locked
    CREATED_AT = "created_at"  # UTC, ISO 8601
    DISABLED_AT = "disabled_at"  # empty while the account may sign in


USER_COLUMNS: Final = tuple(UserCol)


class AuditCol(StrEnum):
    """Columns of the audit layer: one row per thing done that someone may ask about later."""

    AT = "at"  # UTC, ISO 8601
    ACTOR = "actor"  # a user id, "kiosk:<wall token id>", "cli:<OS user>" or "cli" (account commands)
    ACTION = "action"  # geo.accounts.audit.AuditAction
    DETAIL = "detail"
    ADDRESS = "address"  # the client's IP address, or "local" for the command line


AUDIT_COLUMNS: Final = tuple(AuditCol)


CLIENT_COLUMNS: Final = (ClientCol.CLIENT_ID, ClientCol.NAME, ClientCol.KEY_SHA256, ClientCol.CREATED_AT,
                         ClientCol.REVOKED_AT)


# ---------------------------------------------------------------- boundary versions and the planners' tables


class VersionCol(StrEnum):
    """Columns of the boundary_versions layer beyond those in Col (version_id, valid_from, valid_to,
    parent_code): one row per saved layout of one parent's grids."""

    NOTE = "note"
    BASED_ON = "based_on"  # the version the planner started from (optimistic concurrency)
    AUTHOR = "author"
    REASON = "reason"
    SAVED_AT = "saved_at"  # UTC, ISO 8601


class PlanCol(StrEnum):
    """Columns of the tables the planners' workbench shows (impact preview and version diff)."""

    CHANGE = "change"  # added, removed, reshaped, noded (a vertex shared with a reshaped neighbour)
    GRID_BEFORE = "grid_before"
    GRID_AFTER = "grid_after"
    HOUSEHOLDS_BEFORE = "households_before"
    HOUSEHOLDS_AFTER = "households_after"
    WORKERS_AFTER = "workers_after"
    WARNING_BEFORE = "warning_level_before"  # the warning index's score and level, with these suffixes
    WARNING_AFTER = "warning_level_after"


class EventCol(StrEnum):
    """Columns of the event_layouts layer beyond those in Col (grid_code: the grid it lies in)."""

    EVENT_ID = "event_id"
    EVENT_NAME = "event_name"
    STARTS_ON = "starts_on"  # first day in force, YYYY-MM-DD
    ENDS_ON = "ends_on"  # last day in force
    TEMP_CODE = "temp_code"  # the temporary grid's own code
    POLICE_STATION = "police_station"
    RESPONSIBLE_UNIT = "responsible_unit"


# ---------------------------------------------------------------- the address library


class AddressCol(StrEnum):
    """Columns of the address library (标准地址库) beyond those in Col."""

    ADDRESS_ID = "address_id"
    ROAD = "road"  # a road in town, a village group (组 or 社) in the countryside
    NUMBER = "number"
    FULL_ADDRESS = "full_address"


#: The address library layer's columns, in order.
ADDRESS_COLUMNS: Final = (
    AddressCol.ADDRESS_ID,
    Col.COUNTY_CODE,
    Col.TOWNSHIP_CODE,
    Col.VILLAGE_CODE,
    Col.GRID_CODE,
    AddressCol.ROAD,
    AddressCol.NUMBER,
    AddressCol.FULL_ADDRESS,
    Col.GEOMETRY,
)


# ---------------------------------------------------------------- operations layers


class OpsCol(StrEnum):
    """Columns of the operations layers (grid workers, centres, mediation organisations, mediators,
    gatehouses, herder households and pastures) beyond those in Col."""

    WORKER_ID = "worker_id"
    PERSON_NAME = "person_name"
    PHONE = "phone"
    FULL_TIME = "full_time"
    CENTRE_ID = "centre_id"
    AREA_CODE = "area_code"
    ORG_ID = "org_id"
    ORG_TYPE = "org_type"
    RESIDENT_IN_CENTRE = "resident_in_centre"
    COURT_LINKED = "court_linked"
    SPECIALTIES = "specialties"
    MEDIATOR_ID = "mediator_id"
    GOLD = "gold"
    COURT_INVITED = "court_invited"
    EXPERT = "expert"
    GATEHOUSE_ID = "gatehouse_id"
    HERDER_ID = "herder_id"
    SEASON = "season"
    PASTURE_ID = "pasture_id"
    MOVE_IN_MONTH = "move_in_month"
    MOVE_OUT_MONTH = "move_out_month"


class Season(StrEnum):
    """The herders' seasonal pastures."""

    SUMMER = "summer"
    WINTER = "winter"


# ---------------------------------------------------------------- mediation coverage and site suggestion


class CoverageCol(StrEnum):
    """Columns of the coverage analysis: household points, the per-area report and suggested sites."""

    LON = "lon"
    LAT = "lat"
    PEOPLE = "people"
    PASTORAL = "pastoral"
    COVERED = "covered"
    VILLAGE_KM = "village_km"  # distance to the nearest mediation point of each level
    TOWNSHIP_KM = "township_km"
    COUNTY_KM = "county_km"
    SPECIALTY_KM = "specialty_km"  # to the nearest organisation with a mediator of the chosen specialty
    WITHIN_VILLAGE = "households_within_village"
    WITHIN_TOWNSHIP = "households_within_township"
    WITHIN_COUNTY = "households_within_county"
    WITHIN_SPECIALTY = "households_within_specialty"
    PEOPLE_WITHIN_VILLAGE = "people_within_village"
    PEOPLE_WITHIN_TOWNSHIP = "people_within_township"
    PEOPLE_WITHIN_COUNTY = "people_within_county"
    HOUSEHOLDS_COVERED = "households_covered"
    PEOPLE_COVERED = "people_covered"
    UNCOVERED_SHARE = "uncovered_share"
    MEDIATORS = "mediators"
    MEDIATORS_PER_10K = "mediators_per_10k"
    CASES_12M = "cases_12m"
    CASELOAD_PER_MEDIATOR = "caseload_per_mediator"
    GAP_CASES = "gap_cases"
    SPECIALTY_GAPS = "specialty_gaps"
    SITE_ID = "site_id"
    SITE_KIND = "site_kind"
    RANK = "rank"
    NEWLY_COVERED = "households_newly_covered"
    MARGINAL_GAIN = "marginal_gain"
    POINT_KIND = "point_kind"  # a mediation point's kind: CENTRE_KIND or its organisation's OrgType


#: The kind of mediation point a governance centre is (organisations are of their OrgType).
CENTRE_KIND: Final = "centre"


def km_to(kind: str) -> str:
    """The column of the distance (km) to the nearest mediation point of `kind` (CENTRE_KIND or an
    OrgType): per household point, or the households' mean per area in the coverage report."""
    return f"km_to_{kind}"


class SiteKind(StrEnum):
    """Where a new mediation room could go."""

    VILLAGE_COMMITTEE = "village_committee"  # a village committee's office without a centre beside it
    TOWNSHIP_SEAT = "township_seat"  # the township committee's office
    GATEHOUSE = "gatehouse"  # a residential compound's gatehouse run as a service post (金塔)
    GIVEN = "given"  # a site a planner proposes


class SuggestMethod(StrEnum):
    MCLP = "mclp"  # the most households covered with a given number of new rooms
    LSCP = "lscp"  # the fewest new rooms that reach every household any candidate can reach
