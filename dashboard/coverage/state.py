"""What the coverage page shows, held in the URL's query so that a link reopens the same view:

    ?level=township&measure=uncovered_share&specialty=land&sites=10&capacity=5&lang=en
    ?method=lscp

A URL is user input: an unknown level, measure or specialty, or a site count out of range, falls back to
its default, so an old or mistyped link still opens a sensible view.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from dashboard.components.url_query import Changeable, QueryValues, query_string
from dashboard.i18n import DEFAULT_LANGUAGE
from geo.api import Level, Specialty, SuggestMethod

ROUTE: Final = "coverage"
LEVELS: Final = (Level.COUNTY.value, Level.TOWNSHIP.value, Level.VILLAGE.value)
SPECIALTIES: Final = tuple(s.value for s in Specialty)
SITE_COUNTS: Final = (5, 10, 20, 40)
#: Disputes a year one new room can take: with one, a room serves no more households than bring that
#: caseload (at about 0.09 disputes a year per household, 5 is some 55 households).
CAPACITIES: Final = (2, 5, 10, 20)


class Measure(StrEnum):
    UNCOVERED_SHARE = "uncovered_share"
    MEDIATORS_PER_10K = "mediators_per_10k"


@dataclass(frozen=True)
class CoverageState(Changeable):
    level: str = Level.TOWNSHIP.value
    measure: str = Measure.UNCOVERED_SHARE.value
    specialty: str | None = None  # None: households covered by the level bands
    sites: int = 10
    method: str = SuggestMethod.MCLP.value  # lscp: the fewest rooms, so `sites` and `capacity` do not apply
    capacity: int | None = None  # disputes a year per new room (mclp only); None: no limit
    lang: str = DEFAULT_LANGUAGE


def _one_of(text: str, allowed: tuple[int, ...], default: int | None) -> int | None:
    try:
        value = int(text)
    except ValueError:
        return default
    return value if value in allowed else default


def parse_query(search: str | None) -> CoverageState:
    query = QueryValues(search)
    level, measure, specialty = query.one("level"), query.one("measure"), query.one("specialty")
    lscp = query.one("method") == SuggestMethod.LSCP.value
    return CoverageState(
        level=level if level in LEVELS else CoverageState.level,
        measure=measure if measure in {m.value for m in Measure} else CoverageState.measure,
        specialty=specialty if specialty in SPECIALTIES else None,
        sites=_one_of(query.one("sites"), SITE_COUNTS, CoverageState.sites) or CoverageState.sites,
        method=SuggestMethod.LSCP.value if lscp else SuggestMethod.MCLP.value,
        capacity=None if lscp else _one_of(query.one("capacity"), CAPACITIES, None),
        lang=query.lang(),
    )


def state_query(state: CoverageState) -> str:
    """The query string for `state`, defaults left out."""
    default = CoverageState()
    keys = ("level", "measure", "specialty", "sites", "method", "capacity")
    return query_string([(key, str(getattr(state, key))) for key in keys
                         if getattr(state, key) != getattr(default, key)], state.lang)
