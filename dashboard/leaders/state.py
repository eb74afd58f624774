"""What the leaders' map shows, held in the URL's query so that a link reopens the same view:

    ?area=620902001&month=2026-10&layers=warning,heat&cat=land&src=hotline&from=2026-05&to=2026-10&lang=en

A URL is user input: an unknown area, month, layer, category or source is dropped and its default used,
so an old or mistyped link still opens a sensible view.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from dashboard.components.url_query import Changeable, QueryValues, query_string
from dashboard.data.leaders import CATEGORIES, SOURCES
from dashboard.i18n import DEFAULT_LANGUAGE

#: Router key of the leaders' map: the site's root.
ROUTE: Final = ""
#: Months on the month slider (and in the trend chart): the last two years of data.
SLIDER_MONTHS: Final = 24


class MapLayer(StrEnum):
    WARNING = "warning"
    HEAT = "heat"
    POINTS = "points"
    CENTRES = "centres"
    ORGS = "orgs"


DEFAULT_LAYERS: Final = (MapLayer.WARNING.value,)


@dataclass(frozen=True)
class ViewState(Changeable):
    area: str  # the selected area; the map shows its children, or its siblings when it has none
    month: str  # YYYY-MM of the warning colours
    layers: tuple[str, ...] = DEFAULT_LAYERS
    categories: tuple[str, ...] = ()  # empty: every category
    sources: tuple[str, ...] = ()  # empty: every source
    period: tuple[str, str] | None = None  # months of the incident layers; None: the chosen month
    lang: str = DEFAULT_LANGUAGE

    def incident_months(self) -> tuple[str, str]:
        return self.period or (self.month, self.month)

    def shows(self, layer: MapLayer) -> bool:
        return layer.value in self.layers


def slider_months(months: Sequence[str]) -> list[str]:
    return list(months[-SLIDER_MONTHS:])


def _list(values: dict[str, list[str]], key: str, allowed: Sequence[str]) -> tuple[str, ...]:
    chosen = {item.strip() for value in values.get(key, []) for item in value.split(",")}
    return tuple(item for item in allowed if item in chosen)  # in the catalogue's order, no repeats


def parse_state(search: str | None, *, areas: Container[str], city: str, months: Sequence[str]) -> ViewState:
    """The view a query string asks for; anything unknown falls back to its default (see the module)."""
    query = QueryValues(search, keep_blank=True)  # "layers=" means none
    values, one = query.values, query.one

    area = one("area") if one("area") in areas else city
    month = one("month") if one("month") in months else (months[-1] if months else "")
    layers = (
        _list(values, "layers", [layer.value for layer in MapLayer]) if "layers" in values else DEFAULT_LAYERS
    )
    first, last = one("from"), one("to")
    period = (first, last) if first in months and last in months and first <= last else None
    return ViewState(
        area=area,
        month=month,
        layers=layers,
        categories=_list(values, "cat", CATEGORIES),
        sources=_list(values, "src", SOURCES),
        period=period,
        lang=query.lang(),
    )


def state_query(state: ViewState) -> str:
    """The query string of a view: area and month always, the rest only where it is not the default."""
    pairs: list[tuple[str, str]] = [("area", state.area), ("month", state.month)]
    if state.layers != DEFAULT_LAYERS:
        pairs.append(("layers", ",".join(state.layers)))
    if state.categories:
        pairs.append(("cat", ",".join(state.categories)))
    if state.sources:
        pairs.append(("src", ",".join(state.sources)))
    if state.period:
        pairs += [("from", state.period[0]), ("to", state.period[1])]
    return query_string(pairs, state.lang, safe=",")


def next_state(
    state: ViewState, control: str, value: object, *, months: Sequence[str], areas: Container[str]
) -> ViewState:
    """The view after a person used one control (named by its Ids value without the "leaders-" prefix):
    ``areas`` (a clicked map feature), ``search`` (a chosen area), ``month`` (slider index), ``tick`` (the
    play timer), ``layers``, ``categories``, ``sources``, ``period`` (two slider indexes) or ``follow``."""
    slider = slider_months(months)
    if control == "areas" and isinstance(value, dict):
        code = str((value.get("properties") or {}).get("code", ""))
        return state.but(area=code) if code in areas else state
    if control == "search" and isinstance(value, str) and value in areas:
        return state.but(area=value)
    if control == "month" and isinstance(value, int) and 0 <= value < len(slider):
        return state.but(month=slider[value])
    if control == "tick" and slider:
        at = slider.index(state.month) if state.month in slider else -1
        return state.but(month=slider[(at + 1) % len(slider)])
    if control == "layers" and isinstance(value, list):
        return state.but(layers=tuple(layer.value for layer in MapLayer if layer.value in value))
    if control == "categories" and isinstance(value, list):
        return state.but(categories=tuple(c for c in CATEGORIES if c in value))
    if control == "sources" and isinstance(value, list):
        return state.but(sources=tuple(s for s in SOURCES if s in value))
    if control == "period" and isinstance(value, list) and len(value) == 2:
        first, last = sorted(int(v) for v in value)
        if first >= 0 and last < len(slider):
            return state.but(period=(slider[first], slider[last]))
    if control == "follow" and isinstance(value, list):
        return state.but(period=None) if value else state.but(period=state.incident_months())
    return state
