"""The Open311 service table: the services this city offers and other systems' codes mapped to categories.

It is a TOML file (``geo/config/open311_services.toml`` by default; its comments say how to edit it).
Imports and POSTed requests map ``service_code`` through it (a source profile names it as ``code_table``);
``GET services`` lists its ``[[service]]`` entries.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from geo.errors import GeoInputError
from geo.files import read_toml
from geo.schema import IncidentCategory

CONFIG_DIR: Final = Path(__file__).resolve().parents[1] / "config"
DEFAULT_SERVICE_TABLE: Final = CONFIG_DIR / "open311_services.toml"
_SERVICE_KEYS: Final = frozenset({"code", "category", "name_zh", "name_en"})


@dataclass(frozen=True)
class Service:
    """One service a client can request."""

    code: str
    category: IncidentCategory
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class ServiceTable:
    services: tuple[Service, ...]
    codes: Mapping[str, IncidentCategory]  # every code this city understands (its own and others')
    origin: str = ""

    def category_of(self, code: str) -> IncidentCategory | None:
        return self.codes.get(code)


def load_service_table(path: str | os.PathLike[str] | None = None) -> ServiceTable:
    """The table at `path` (default `DEFAULT_SERVICE_TABLE`); GeoInputError naming the bad entry."""
    path = Path(path) if path is not None else DEFAULT_SERVICE_TABLE
    document = read_toml(path, "service table")
    allowed = ", ".join(c.value for c in IncidentCategory)

    def category(value: object, where: str) -> IncidentCategory:
        try:
            return IncidentCategory(str(value))
        except ValueError:
            raise GeoInputError(f"service table {path}: {where} = {value!r}: allowed are {allowed}") from None

    services = []
    for number, entry in enumerate(document.get("service", []), start=1):
        missing = sorted(_SERVICE_KEYS - set(entry))
        if missing:
            raise GeoInputError(f"service table {path}: [[service]] number {number} lacks "
                                f"{', '.join(missing)}")
        services.append(Service(str(entry["code"]), category(entry["category"], f"service {entry['code']}"),
                                str(entry["name_zh"]), str(entry["name_en"])))
    codes = {service.code: service.category for service in services}
    for code, value in document.get("codes", {}).items():
        codes[str(code)] = category(value, f"[codes] {code!r}")
    return ServiceTable(tuple(services), codes, str(path))
