"""Distance bands of the mediation coverage analysis, read from a TOML file.

The built-in file is ``geo/config/coverage.toml`` (its comments document every default); a command centre
may keep its own copy and pass its path. Every problem in a file is reported together in one GeoInputError.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from geo.errors import GeoInputError
from geo.files import read_toml
from geo.schema import Level

DEFAULT_COVERAGE_FILE: Final = Path(__file__).resolve().parents[1] / "config" / "coverage.toml"

#: Levels that have mediation points of their own, nearest first.
BAND_LEVELS: Final = (Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY)


@dataclass(frozen=True)
class CoverageConfig:
    """Bands in kilometres per level, for settled and for pastoral households."""

    bands_km: Mapping[Level, float]
    pastoral_km: Mapping[Level, float]
    covered_by: tuple[Level, ...]
    specialty_km: float
    pastoral_specialty_km: float


def _band(section: Mapping[str, Any], key: str, where: str, problems: list[str]) -> float:
    value = section.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        problems.append(f"{where}{key} = {value!r}: a band is a number of kilometres above 0")
        return 1.0
    return float(value)


def coverage_config_from_mapping(
    data: Mapping[str, Any], *, source: str = "coverage config"
) -> CoverageConfig:
    """A config from parsed TOML; GeoInputError listing every band that is missing, not a number or <= 0."""
    problems: list[str] = []
    settled, pastoral = data.get("bands", {}), data.get("pastoral", {})
    bands = {level: _band(settled, level.value, "bands.", problems) for level in BAND_LEVELS}
    grazing = {level: _band(pastoral, level.value, "pastoral.", problems) for level in BAND_LEVELS}
    specialty = _band(data, "specialty_km", "", problems)
    pastoral_specialty = _band(pastoral, "specialty_km", "pastoral.", problems)
    allowed = ", ".join(level.value for level in BAND_LEVELS)
    covered: list[Level] = []
    for name in data.get("covered_by", []):
        if name in allowed.split(", "):
            covered.append(Level(name))
        else:
            problems.append(f"covered_by has {name!r}: allowed are {allowed}")
    if not covered:
        problems.append(f"covered_by names no level: allowed are {allowed}")
    if problems:
        raise GeoInputError(f"{source}: " + "; ".join(problems))
    return CoverageConfig(bands, grazing, tuple(covered), specialty, pastoral_specialty)


def load_coverage_config(path: str | Path | None = None) -> CoverageConfig:
    """The bands in `path`, or the built-in defaults."""
    file = Path(path) if path else DEFAULT_COVERAGE_FILE
    return coverage_config_from_mapping(read_toml(file, "coverage config"), source=str(file))
