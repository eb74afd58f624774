"""Names that every module shares: levels, code lengths, enums and column names.

Codes follow GB/T 2260 (county, 6 digits) and the statistical division code (township +3, village or
community +3), with a grid segment (+3) and a micro-grid segment (+2) below, as in the DB11 grid code.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


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


def parent_level(level: Level) -> Level | None:
    index = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[index - 1] if index else None


def child_level(level: Level) -> Level | None:
    index = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[index + 1] if index + 1 < len(LEVEL_ORDER) else None


def level_of_code(code: str) -> Level:
    """The deepest level whose code length matches; a six-digit code ending in 00 is the city."""
    if code == CITY_CODE:
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
        return CITY_CODE
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
    META = "meta"
