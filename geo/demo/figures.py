"""The seed article's figures, which the demo dataset reproduces, and the check that compares them.

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
from types import MappingProxyType
from typing import Final

from geo.errors import GeoInputError


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


_RATE_TOLERANCE: Final = 0.005
_DISPUTES_PER_YEAR: Final = 11_140

#: Every figure of the seed that the demo reproduces, in the order a report lists them.
FIGURES: Final[tuple[Figure, ...]] = (
    Figure("counties", 7, 0, "county-level units of Jiuquan (7 个县市区)"),
    Figure("townships", 77, 0, "townships, towns and streets (77 个乡镇街道)"),
    Figure("urban_communities", 51, 0, "urban communities (51 个城市社区)"),
    Figure("villages", 510, 0, "villages and communities (510 个村社区)"),
    Figure("grids", 1_424, 0, "urban and rural grids (1424 个城乡网格)"),
    Figure("grid_workers", 5_575, 0, "full- and part-time grid workers (5575 名专兼职网格员)"),
    Figure("centres", 513, 0, "standardised comprehensive governance centres (综治中心 513 个)"),
    Figure("centres_city", 1, 0, "city-level centres"),
    Figure("centres_county", 7, 0, "county-level centres"),
    Figure("centres_township", 77, 0, "township-level centres"),
    Figure("centres_village", 428, 0, "village-level centres (513 - 1 - 7 - 77)"),
    Figure("township_committees", 80, 0, "township (street) people's mediation committees (80 个)"),
    Figure("village_committees", 510, 0, "village (community) people's mediation committees (510 个)"),
    Figure("industry_committees", 87, 0, "industry mediation committees (87 个行业性调委会)"),
    Figure("personal_studios", 76, 0, "personal mediation studios (76 个个人调解工作室)"),
    Figure("featured_studios", 32, 0, "featured mediation studios (特色调解工作室 32 个)"),
    Figure(
        "legal_service_orgs", 46, 0, "legal service organisations resident in centres (法律服务组织 46 个)"
    ),
    Figure(
        "counselling_rooms", 72, 0, "psychological counselling rooms resident in centres (心理咨询室 72 个)"
    ),
    Figure("resident_orgs", 832, 0, "organisations resident in centres (入驻矛盾纠纷调解组织 832 个)"),
    Figure("court_linked_orgs", 108, 0, "mediation organisations linked to the courts (对接 108 个调解组织)"),
    Figure("mediators", 6_911, 0, "certified people's mediators (6911 名人民调解员持证上岗)"),
    Figure("experts", 282, 0, "industry mediation experts in the expert pool (282 名专家)"),
    Figure("gold_mediators", 78, 0, "gold mediators (金牌调解员 78 人)"),
    Figure("court_invited_mediators", 116, 0, "court-invited mediators (特邀调解员 116 人)"),
    Figure("gatehouses", 86, 0, "金塔 gatehouses run as service posts (86 个小区门房)"),
    Figure(
        "disputes_per_year",
        _DISPUTES_PER_YEAR,
        0.03 * _DISPUTES_PER_YEAR,
        "disputes found and handled per year, all channels (年均 11140 件)",
    ),
    Figure("closure_rate", 0.98, _RATE_TOLERANCE, "share of requests closed (办结率 98%)"),
    Figure(
        "pre_litigation_diversion_rate",
        0.52,
        _RATE_TOLERANCE,
        "pre-litigation mediation / court-bound disputes (诉前调解分流率 52%)",
    ),
    Figure(
        "pre_litigation_success_rate",
        0.62,
        _RATE_TOLERANCE,
        "successful / all pre-litigation mediations (诉前调解成功率 62%)",
    ),
    Figure(
        "repeat_petition_closure_rate",
        0.996,
        _RATE_TOLERANCE,
        "repeat petitions closed (重复信访积案办结率 99.6%)",
    ),
)

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
