"""Source profiles: how one intake channel's files map onto incident fields.

A profile is a plain TOML file, ``NAME.toml``: the channel's CRS, which header holds each field, label
tables for categories, statuses, outcomes, satisfaction and yes/no values, and defaults for fields the
channel does not have. The built-in profiles (app, hotline, miniprogram, open311) live in
``geo/config/sources``; ``_labels.toml`` there holds the labels every profile shares, and a profile's own
tables are laid over it. A folder of user profiles can add channels or replace a built-in one.

A field may name several headers: the first non-empty of them is used row by row (for a category, the
first that names a known category), which also covers exports whose header wording varies.
"""

from __future__ import annotations

import os
import tomllib
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from geo.crs import normalise_crs_name
from geo.errors import GeoInputError
from geo.intake.readers import GEOMETRY_LAT, GEOMETRY_LON, normalise_header
from geo.intake.service_codes import CONFIG_DIR, ServiceTable, load_service_table
from geo.schema import IncidentCategory, IncidentStatus, Outcome, Satisfaction

BUILTIN_DIR: Final = Path(__file__).resolve().parents[1] / "config" / "sources"
SHARED_LABELS_FILE: Final = BUILTIN_DIR / "_labels.toml"


class Field(StrEnum):
    """Incident fields a profile can map from a header."""

    SOURCE_ID = "source_id"
    REPORTED_AT = "reported_at"
    CATEGORY = "category"
    SEVERITY = "severity"
    SERIOUS = "serious"
    REPEAT_PETITION = "repeat_petition"
    STATUS = "status"
    OUTCOME = "outcome"
    PRE_LITIGATION = "pre_litigation"
    CLOSED_AT = "closed_at"
    SATISFACTION = "satisfaction"
    DESCRIPTION = "description"
    ADDRESS = "address"
    REPORTER_NAME = "reporter_name"
    REPORTER_PHONE = "reporter_phone"
    LON = "lon"
    LAT = "lat"
    # Open311 GeoReport v2 fields kept as given (see geo.schema.IncidentCol)
    SERVICE_NAME = "service_name"
    STATUS_NOTES = "status_notes"
    AGENCY_RESPONSIBLE = "agency_responsible"
    SERVICE_NOTICE = "service_notice"
    EXPECTED_AT = "expected_at"
    ADDRESS_ID = "address_id"
    ZIPCODE = "zipcode"
    MEDIA_URL = "media_url"


#: Fields that take a default when the channel has no header for them, and the defaults used then.
DEFAULTS: Final[Mapping[Field, object]] = MappingProxyType({
    Field.SEVERITY: 1, Field.SERIOUS: False, Field.REPEAT_PETITION: False, Field.PRE_LITIGATION: False,
})

_LABEL_TABLES: Final = {
    "categories": IncidentCategory, "statuses": IncidentStatus, "outcomes": Outcome,
    "satisfaction": Satisfaction,
}
_TOP_KEYS: Final = frozenset({"name", "description", "crs", "columns", "defaults", "booleans", "code_table",
                              *_LABEL_TABLES})


def label_key(text: str) -> str:
    """Labels compare without spaces, full-width forms or letter case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


@dataclass(frozen=True)
class SourceProfile:
    """One intake channel. Build it with `load_profile` or `profile_from_toml`."""

    name: str
    crs: str
    columns: Mapping[Field, tuple[str, ...]]
    categories: Mapping[str, IncidentCategory] = field(default_factory=dict)
    statuses: Mapping[str, IncidentStatus] = field(default_factory=dict)
    outcomes: Mapping[str, Outcome] = field(default_factory=dict)
    satisfaction: Mapping[str, Satisfaction] = field(default_factory=dict)
    booleans: Mapping[str, bool] = field(default_factory=dict)
    defaults: Mapping[Field, object] = field(default_factory=lambda: dict(DEFAULTS))
    description: str = ""
    origin: str = ""

    def headers(self, wanted: Field) -> tuple[str, ...]:
        return self.columns.get(wanted, ())

    def all_headers(self) -> set[str]:
        return {header for headers in self.columns.values() for header in headers}

    def present_headers(self, headers: Collection[str]) -> set[str]:
        """The file's headers as this profile sees them: a GeoJSON feature's point (`GEOMETRY_LON`)
        stands for the profile's coordinate headers."""
        present = {normalise_header(h) for h in headers}
        if GEOMETRY_LON in present:
            present |= {*self.headers(Field.LON), *self.headers(Field.LAT)}
        return present

    def required_headers(self) -> tuple[tuple[str, ...], ...]:
        """Groups of headers of which a file must hold at least one each: the id, the time, a place."""
        place = (*self.headers(Field.LON), *self.headers(Field.ADDRESS))
        return self.headers(Field.SOURCE_ID), self.headers(Field.REPORTED_AT), place


def profile_from_toml(text: str, *, name: str, origin: str = "<text>",
                      shared: Mapping[str, Any] | None = None) -> SourceProfile:
    """A profile from TOML text; `shared` label tables (from ``_labels.toml``) lie under the profile's."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise GeoInputError(f"source profile {origin}: not valid TOML: {error}") from None
    unknown = sorted(set(document) - _TOP_KEYS)
    if unknown:
        raise GeoInputError(f"source profile {origin}: unknown key(s) {', '.join(unknown)}: allowed are "
                            f"{', '.join(sorted(_TOP_KEYS))}")
    shared = shared if shared is not None else _shared_labels()
    profile_name = str(document.get("name", name))
    crs = document.get("crs")
    if crs is None:
        raise GeoInputError(f"source profile {origin}: no crs: declare one of wgs84, cgcs2000, gcj02, bd09")
    layers = {key: {**shared.get(key, {})} for key in _LABEL_TABLES}
    if "code_table" in document:  # service codes lie between the shared labels and the profile's own
        layers["categories"].update(_code_table(origin, str(document["code_table"])).codes)
    tables = {key: _label_table(origin, key, {**layers[key], **document.get(key, {})}, enum)
              for key, enum in _LABEL_TABLES.items()}
    return SourceProfile(
        name=profile_name,
        crs=_crs(origin, crs),
        columns=_columns(origin, document.get("columns", {})),
        booleans=_booleans(origin, {**shared.get("booleans", {}), **document.get("booleans", {})}),
        defaults=_defaults(origin, document.get("defaults", {})),
        description=str(document.get("description", "")),
        origin=origin,
        **tables,
    )


def _code_table(origin: str, name: str) -> ServiceTable:
    """A service table named by a profile: a path, or a name beside the profile (in a profile folder name
    it ``_NAME.toml``, so it is not read as a profile), else in geo/config."""
    beside = Path(origin).parent / name
    return load_service_table(beside if beside.is_file() else CONFIG_DIR / name)


def _crs(origin: str, value: object) -> str:
    try:
        return normalise_crs_name(value)
    except GeoInputError as error:
        raise GeoInputError(f"source profile {origin}: {error}") from None


def _columns(origin: str, table: Mapping[str, object]) -> dict[Field, tuple[str, ...]]:
    allowed = {f.value for f in Field}
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise GeoInputError(f"source profile {origin}: [columns] has unknown field(s) {', '.join(unknown)}: "
                            f"allowed are {', '.join(sorted(allowed))}")
    columns: dict[Field, tuple[str, ...]] = {}
    for key, value in table.items():
        headers = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        if not headers or not all(isinstance(h, str) and h.strip() for h in headers):
            raise GeoInputError(f"source profile {origin}: [columns] {key} = {value!r}: "
                                "give a header or a list of headers")
        columns[Field(key)] = tuple(normalise_header(str(h)) for h in headers)
    problems = [f.value for f in (Field.SOURCE_ID, Field.REPORTED_AT) if f not in columns]
    if not (Field.LON in columns and Field.LAT in columns) and Field.ADDRESS not in columns:
        problems.append("lon and lat, or address")
    if (Field.LON in columns) != (Field.LAT in columns):
        problems.append("lon and lat together")
    if problems:
        raise GeoInputError(f"source profile {origin}: [columns] must map {'; '.join(problems)}")
    return columns


def _label_table(origin: str, key: str, table: Mapping[str, object], enum: type[StrEnum]) -> dict[str, Any]:
    allowed = {member.value for member in enum}
    bad = {label: value for label, value in table.items() if value not in allowed}
    if bad:
        shown = ", ".join(f"{label!r} = {value!r}" for label, value in list(bad.items())[:5])
        raise GeoInputError(f"source profile {origin}: [{key}] {shown}: "
                            f"allowed values are {', '.join(sorted(allowed))}")
    return {label_key(label): enum(str(value)) for label, value in table.items()}


def _booleans(origin: str, table: Mapping[str, object]) -> dict[str, bool]:
    bad = [label for label, value in table.items() if not isinstance(value, bool)]
    if bad:
        raise GeoInputError(f"source profile {origin}: [booleans] {', '.join(bad)}: "
                            "values must be true or false")
    return {label_key(label): bool(value) for label, value in table.items()}


def _defaults(origin: str, table: Mapping[str, object]) -> dict[Field, object]:
    unknown = sorted(set(table) - {f.value for f in DEFAULTS})
    if unknown:
        raise GeoInputError(f"source profile {origin}: [defaults] {', '.join(unknown)}: allowed are "
                            f"{', '.join(sorted(f.value for f in DEFAULTS))}")
    merged = {**DEFAULTS, **{Field(k): v for k, v in table.items()}}
    severity = merged[Field.SEVERITY]
    if not (isinstance(severity, int) and not isinstance(severity, bool) and 1 <= severity <= 3):
        raise GeoInputError(f"source profile {origin}: [defaults] severity = {severity!r}: "
                            "allowed are 1, 2, 3")
    for flag in (Field.SERIOUS, Field.REPEAT_PETITION, Field.PRE_LITIGATION):
        if not isinstance(merged[flag], bool):
            raise GeoInputError(f"source profile {origin}: [defaults] {flag} must be true or false")
    return merged


def _shared_labels() -> dict[str, Any]:
    return tomllib.loads(SHARED_LABELS_FILE.read_text(encoding="utf-8"))


def profile_paths(search_dirs: Sequence[str | os.PathLike[str]] = ()) -> dict[str, Path]:
    """Profile name -> file: the built-in ones, then each folder in `search_dirs` (later ones win)."""
    found: dict[str, Path] = {}
    for folder in (BUILTIN_DIR, *map(Path, search_dirs)):
        if not folder.is_dir():
            raise GeoInputError(f"source profile folder {folder} does not exist")
        for path in sorted(folder.glob("*.toml")):
            if not path.name.startswith("_"):
                found[path.stem] = path
    return found


def load_profile(name_or_path: str | os.PathLike[str], *,
                 search_dirs: Sequence[str | os.PathLike[str]] = ()) -> SourceProfile:
    """A profile by name (built-in or from `search_dirs`) or from a ``.toml`` path."""
    text = os.fspath(name_or_path)
    path = Path(text)
    if text.endswith(".toml") and path.is_file():
        return profile_from_toml(path.read_text(encoding="utf-8"), name=path.stem, origin=str(path))
    paths = profile_paths(search_dirs)
    if text not in paths:
        raise GeoInputError(f"unknown source {text!r}: allowed are {', '.join(sorted(paths))}, "
                            "or a path to NAME.toml")
    found = paths[text]
    return profile_from_toml(found.read_text(encoding="utf-8"), name=text, origin=str(found))


def detect_profile(headers: Collection[str], *, search_dirs: Sequence[str | os.PathLike[str]] = (),
                   file_name: str = "the file") -> SourceProfile:
    """The one profile whose required headers the file has (the one matching most headers if several do).

    The headers are a CSV or XLSX header row, or the property names of GeoJSON features together with
    `GEOMETRY_LON` and `GEOMETRY_LAT` for their point, which then stand for any profile's coordinates.
    """
    present = {normalise_header(h) for h in headers} - {GEOMETRY_LON, GEOMETRY_LAT}
    scored = []
    for name in profile_paths(search_dirs):
        profile = load_profile(name, search_dirs=search_dirs)
        matched = profile.present_headers(headers)
        if all(matched & set(group) for group in profile.required_headers()):
            scored.append((len(matched & profile.all_headers()), name, profile))
    scored.sort(key=lambda item: (-item[0], item[1]))
    if not scored:
        shown = ", ".join(sorted(present)[:12])
        raise GeoInputError(f"{file_name}: no source profile matches its headers ({shown}): "
                            f"pass --source with one of {', '.join(sorted(profile_paths(search_dirs)))}")
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        raise GeoInputError(f"{file_name}: headers match sources {scored[0][1]} and {scored[1][1]} "
                            "equally: pass --source")
    return scored[0][2]
