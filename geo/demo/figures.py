"""The seed article's figures (seed_figures.toml), which the demo dataset reproduces, and the check that
compares them.

Counts have a tolerance of zero: the demo generators hit them exactly on the full-size hierarchy.
Rates are fractions with a tolerance of half a percentage point; the yearly dispute count may be off
by 3 %, because the seed itself says "about" (年均 11140 件).

On a smaller hierarchy (a test fixture) every count scales with it: `scaled_count` gives the number a
generator should make, which is the seed's number exactly when the hierarchy has the seed's size.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Final

from geo.errors import GeoInputError
from geo.files import read_toml


@dataclass(frozen=True)
class Figure:
    name: str
    expected: float
    tolerance: float  # absolute, in the unit of `expected`
    description: str


@dataclass(frozen=True)
class FigureCheck:
    name: str
    expected: float
    measured: float
    tolerance: float
    ok: bool


_FIGURES_FILE: Final = Path(__file__).with_name("seed_figures.toml")


def _read_figures(path: Path) -> tuple[Figure, ...]:
    rows = read_toml(path, "seed figures")["figure"]
    return tuple(Figure(row["name"], row["expected"], row.get("tolerance", 0), row["description"])
                 for row in rows)


#: Every figure of the seed that the demo reproduces, in the order a report lists them (seed_figures.toml).
FIGURES: Final[tuple[Figure, ...]] = _read_figures(_FIGURES_FILE)
FIGURE: Final[Mapping[str, Figure]] = MappingProxyType({f.name: f for f in FIGURES})

#: The hierarchy unit a count scales with when the hierarchy is smaller than the seed's (default: grids).
_SCALE_UNIT: Final[Mapping[str, str]] = MappingProxyType(
    {"centres_village": "villages", "township_committees": "townships", "village_committees": "villages"}
)


def figure(name: str) -> Figure:
    """The figure called `name`; raises GeoInputError listing the known names."""
    try:
        return FIGURE[name]
    except KeyError:
        raise GeoInputError(f"unknown seed figure {name!r}: known are {', '.join(FIGURE)}") from None


def scaled_count(name: str, units: Mapping[str, int]) -> int:
    """The count of figure `name` for a hierarchy with `units` (grids, villages, townships ...).

    Townships and villages scale their own figures; everything else scales with the number of grids.
    The result equals the seed's figure when the units equal the seed's, and is at least 1.
    """
    unit = _SCALE_UNIT.get(name, "grids")
    if unit not in units:
        raise GeoInputError(
            f"scaling {name!r} needs the number of {unit}: got {', '.join(units) or 'nothing'}"
        )
    expected = figure(name).expected
    return max(1, round(expected * units[unit] / figure(unit).expected))


def compare_figures(measured: Mapping[str, float], *, require_all: bool = False) -> list[FigureCheck]:
    """One check per measured figure, in the order of FIGURES.

    A measurement is ok when it is within the figure's tolerance (plus a hair for float rounding).
    With `require_all`, figures that were not measured appear with a NaN measurement and fail.
    """
    unknown = sorted(set(measured) - set(FIGURE))
    if unknown:
        raise GeoInputError(f"unknown seed figure(s) {', '.join(unknown)}: known are {', '.join(FIGURE)}")
    checks = []
    for item in FIGURES:
        if item.name not in measured and not require_all:
            continue
        value = float(measured.get(item.name, math.nan))
        ok = not math.isnan(value) and abs(value - item.expected) <= item.tolerance + 1e-9
        checks.append(FigureCheck(item.name, float(item.expected), value, float(item.tolerance), ok))
    return checks
