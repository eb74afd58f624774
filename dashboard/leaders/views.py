"""Pure view functions of the leaders' map: a ViewState and the providers in, plain data out. Callbacks
only turn these into component properties, so everything a leader sees is tested here without a browser."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from dashboard.components.kpi import Tile
from dashboard.components.trend import trend_figure
from dashboard.components.warning_map import WARNING_ORDER, legend_counts, warning_hideout
from dashboard.data import AreaTree, IncidentFilter, Providers
from dashboard.i18n import text
from dashboard.leaders.state import MapLayer, ViewState, slider_months, state_query
from geo.api import GeoInputError, Layer, Level, ThresholdMode, WarningConfig

#: Factors in the order the score adds them (geo's Factor order).
FACTORS = (
    "incidents",
    "unresolved",
    "overdue",
    "repeat_petitions",
    "serious",
    "month_on_month",
    "year_on_year",
)


def focus_of(tree: AreaTree, area: str) -> str:
    """The area whose children the map shows: the selected area, or its parent when it has no children."""
    if tree.has_children(area):
        return area
    node = tree.get(area)
    if node is not None and node.parent is not None and node.parent in tree:
        return node.parent
    return tree.city_code


# ---------------------------------------------------------------- the map


@dataclass(frozen=True)
class Crumb:
    code: str
    name: str
    level: str  # label of the area's level
    query: str  # the view with this area selected
    current: bool


@dataclass(frozen=True)
class MapView:
    focus: str
    areas_url: str  # children of the focus, coloured
    hideout: dict[str, Any]
    detail_url: str | None  # grandchildren of the focus, as thin outlines
    context_url: str | None  # the focus and its siblings, as outlines
    context_hideout: dict[str, Any]
    bounds: list[list[float]]
    crumbs: list[Crumb]
    legend: dict[str, int]
    basis: str  # how the shown level's colours are set (quantile shares or fixed scores)
    places: dict[str, str | None]  # layer -> URL of its points, None when the layer is off


def _grandchild_level(tree: AreaTree, focus: str) -> str | None:
    return next((tree.child_level(c) for c in tree.children(focus) if tree.has_children(c)), None)


def map_view(state: ViewState, providers: Providers) -> MapView:
    tree, files, url = providers.files.tree(), providers.files, providers.mapdata_url
    focus = focus_of(tree, state.area)
    within = tree.within(focus)
    child_level = tree.child_level(focus) or tree.node(focus).level
    grand_level = _grandchild_level(tree, focus)
    parent = tree.node(focus).parent
    levels = providers.indicators.levels_within(state.month, child_level, within)
    trail = [node.name for node in tree.ancestors(focus) if node.code != tree.city_code]
    selected = state.area if state.area != focus else None
    places = {
        MapLayer.CENTRES.value: url(files.places_file(Layer.CENTRES, within))
        if state.shows(MapLayer.CENTRES)
        else None,
        MapLayer.ORGS.value: url(files.places_file(Layer.MEDIATION_ORGS, within))
        if state.shows(MapLayer.ORGS)
        else None,
    }
    (south, west), (north, east) = tree.node(focus).bounds
    return MapView(
        focus=focus,
        areas_url=url(files.level_file(child_level, within)),
        hideout=warning_hideout(
            levels, lang=state.lang, show=state.shows(MapLayer.WARNING), selected=selected, trail=trail
        ),
        detail_url=url(files.level_file(grand_level, within)) if grand_level else None,
        context_url=(
            url(files.level_file(tree.node(focus).level, tree.within(parent)))
            if parent is not None and parent in tree and focus != tree.city_code
            else None
        ),
        context_hideout={"selected": focus},
        bounds=[[south, west], [north, east]],
        crumbs=[
            Crumb(
                node.code,
                node.name,
                text(state.lang, f"level.{node.level}"),
                state_query(state.but(area=node.code)),
                node.code == state.area,
            )
            for node in tree.ancestors(state.area)
        ],
        legend=legend_counts(levels),
        basis=legend_basis(
            providers.indicators.config,
            level=child_level,
            areas=len(providers.indicators.scores_within(state.month, child_level)),
            lang=state.lang,
        ),
        places=places,
    )


# ---------------------------------------------------------------- the basis of the colours


def _share(value: float) -> str:
    return f"{value * 100:g}"


def _points(value: float) -> str:
    return f"{value:g}"


def _by_share(config: WarningConfig, areas: int) -> bool:
    """Whether a level of `areas` areas is coloured by rank (quantile mode, enough areas) or by score."""
    return config.mode is ThresholdMode.QUANTILE and areas >= config.min_areas_for_quantiles


def legend_basis(config: WarningConfig, *, level: str, areas: int, lang: str) -> str:
    """One line under the legend saying how the shown level's colours are set: the red and yellow shares
    of its `areas` areas this month, or the fixed scores of the level."""
    if _by_share(config, areas):
        return text(
            lang,
            "basis.legend_quantile",
            red=_share(config.red_share),
            yellow=_share(config.red_share + config.yellow_share),
            count=f"{areas:,}",
            areas=text(lang, f"basis.areas.{level}"),
        )
    fixed = config.thresholds_for(Level(level))
    return text(lang, "basis.legend_fixed", red=_points(fixed.red), yellow=_points(fixed.yellow))


def colour_basis(
    config: WarningConfig, *, level: str, warning: str, score: float, rank: int, areas: int, lang: str
) -> str:
    """Why one area has its colour, in the terms of the rule in force: its place among the `areas` areas
    of its level this month under quantile thresholds, its score against the level's fixed ones."""
    if _by_share(config, areas):
        values = {"count": f"{areas:,}", "areas": text(lang, f"basis.areas.{level}"), "rank": rank}
        if score <= 0:
            return text(lang, "basis.zero")
        if warning == "red":
            return text(lang, "basis.quantile_in", share=_share(config.red_share), **values)
        share = _share(config.red_share + config.yellow_share)
        key = "basis.quantile_in" if warning == "yellow" else "basis.quantile_out"
        return text(lang, key, share=share, **values)
    fixed = config.thresholds_for(Level(level))
    if warning == "red":
        return text(lang, "basis.fixed_at", points=_points(fixed.red))
    if warning == "yellow":
        return text(lang, "basis.fixed_yellow", points=_points(fixed.yellow), red=_points(fixed.red))
    return text(lang, "basis.fixed_below", points=_points(fixed.yellow))


# ---------------------------------------------------------------- KPI strip


def _percent(value: float | None, *, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value * 100:+.1f}%" if signed else f"{value * 100:.1f}%"


def _per_level(counts: dict[str, dict[str, int]], colour: str, lang: str) -> tuple[int, str]:
    """The count at the first level below and a line with every level's count."""
    parts = [(level, by_colour.get(colour, 0)) for level, by_colour in counts.items()]
    first = parts[0][1] if parts else 0
    return first, " · ".join(f"{text(lang, f'level.{level}')} {count:,}" for level, count in parts)


def kpi_view(state: ViewState, providers: Providers) -> list[Tile]:
    """Headline figures of the area the map shows, for the chosen month."""
    tree = providers.files.tree()
    focus = focus_of(tree, state.area)
    lang, none = state.lang, text(state.lang, "value.none")
    try:
        kpis = providers.indicators.kpis(focus, state.month)
    except GeoInputError:
        return [Tile("incidents", text(lang, "kpi.incidents"), none)]
    change = kpis.change
    red, red_detail = _per_level(kpis.warning_counts, "red", lang)
    yellow, yellow_detail = _per_level(kpis.warning_counts, "yellow", lang)
    last = kpis.incidents_last_month
    return [
        Tile(
            "incidents",
            text(lang, "kpi.incidents"),
            f"{kpis.incidents:,}",
            text(lang, "kpi.scope", area=tree.node(focus).name, month=state.month),
        ),
        Tile(
            "change",
            text(lang, "kpi.change"),
            _percent(change, signed=True) or none,
            text(lang, "kpi.last_month", count=f"{last:,}")
            if last is not None
            else text(lang, "kpi.no_base"),
            "bad"
            if change is not None and change > 0.1
            else "good"
            if change is not None and change < -0.1
            else "",
        ),
        Tile(
            "closure",
            text(lang, "kpi.closure"),
            _percent(kpis.closure_rate) or none,
            text(lang, "kpi.closed_share"),
        ),
        Tile(
            "overdue",
            text(lang, "kpi.overdue"),
            f"{kpis.overdue:,}",
            text(lang, "kpi.overdue_detail", days=providers.indicators.overdue_days()),
            "bad" if kpis.overdue else "",
        ),
        Tile("red", text(lang, "kpi.red"), f"{red:,}", red_detail, "red" if red else ""),
        Tile("yellow", text(lang, "kpi.yellow"), f"{yellow:,}", yellow_detail, "yellow" if yellow else ""),
    ]


# ---------------------------------------------------------------- "why this colour"


def _metric_value(metrics: dict[str, Any], key: str, lang: str) -> str:
    value = metrics.get(key)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return text(lang, "value.none")
    if key == "overdue":
        return f"{int(value):,}"
    if key == "median_handling_days":
        return text(lang, "metric.days", days=f"{float(value):.1f}")
    return _percent(float(value))


_METRICS = (
    ("closure_rate", "metric.closure_rate"),
    ("overdue", "metric.overdue"),
    ("median_handling_days", "metric.median_days"),
    ("pre_litigation_diversion_rate", "metric.diversion"),
    ("pre_litigation_success_rate", "metric.pre_litigation_success"),
    ("mediation_success_rate", "metric.mediation_success"),
    ("satisfied_rate", "metric.satisfied"),
)


def _level_badge(level: str | None, lang: str) -> dict[str, str]:
    key = level if level in WARNING_ORDER else "none"
    label = text(lang, f"warning.{key}") if level else text(lang, "panel.no_data")
    return {"level": key, "label": label}


def panel_labels(lang: str) -> dict[str, Any]:
    """Headings of the panel, sent with its data (the browser draws the panel)."""
    keys = (
        "score",
        "factors",
        "last_month",
        "year_ago",
        "metrics",
        "top_categories",
        "top_incidents",
        "no_incidents",
    )
    labels: dict[str, Any] = {key: text(lang, f"panel.{key}") for key in keys}
    labels["table"] = {key: text(lang, f"table.{key}")
                       for key in ("category", "date", "status", "grid", "who", "said")}
    return labels


def panel_view(state: ViewState, providers: Providers, *, personal_fields: bool = False) -> dict[str, Any]:
    """Why the selected area has its colour: score and factors, earlier levels, case metrics and the
    incidents that add most to the score, each with who reported it, where and what they said, masked
    unless the viewer has the personal-fields right (`personal_fields`)."""
    tree, lang = providers.files.tree(), state.lang
    node = tree.node(state.area)
    head = {
        "code": node.code,
        "name": node.name,
        "level": text(lang, f"level.{node.level}"),
        "labels": panel_labels(lang),
    }
    try:
        why = providers.indicators.explain(state.area, state.month)
    except GeoInputError:
        return {**head, "scored": False, "message": text(lang, "panel.not_scored", month=state.month)}
    metrics = providers.indicators.area_metrics(state.area, (state.month, state.month))
    rank, areas = providers.indicators.standing(state.area, state.month)
    basis = colour_basis(
        providers.indicators.config,
        level=why.level,
        warning=why.warning_level,
        score=why.score,
        rank=rank,
        areas=areas,
        lang=lang,
    )
    total = sum(max(v, 0.0) for v in why.contributions.values()) or 1.0
    categories = sorted(
        (
            (key.removeprefix("category_"), int(v))
            for key, v in metrics.items()
            if key.startswith("category_")
        ),
        key=lambda pair: -pair[1],
    )
    ids = [t.incident_id for t in why.top_incidents]
    rows = providers.incidents.top_rows(ids)
    details = providers.incidents.details(ids, personal_fields=personal_fields)
    incidents = [
        {
            "category": text(lang, f"category.{row.category}"),
            "date": str(row.reported_at)[:10],
            "status": text(lang, f"status.{row.status}"),
            "grid": tree.node(str(row.grid_code)).name if str(row.grid_code) in tree else str(row.grid_code),
            **_incident_details(details, str(row.incident_id)),
        }
        for row in rows.itertuples()
    ]
    return {
        **head,
        "scored": True,
        "month": state.month,
        "score": f"{why.score:.1f}",
        "warning": _level_badge(why.warning_level, lang),
        "basis": basis,
        "facts": [
            text(lang, "panel.households", count=f"{why.households:,}"),
            text(lang, "panel.incidents", count=f"{why.incidents:,}"),
        ],
        "factors": [
            {
                "label": text(lang, f"factor.{key}"),
                "points": f"{why.contributions.get(key, 0.0):.1f}",
                "share": round(100 * max(why.contributions.get(key, 0.0), 0.0) / total, 1),
            }
            for key in FACTORS
        ],
        "last_month": _level_badge(why.level_last_month, lang),
        "year_ago": _level_badge(why.level_year_ago, lang),
        "metrics": [
            {"label": text(lang, key), "value": _metric_value(metrics, column, lang)}
            for column, key in _METRICS
        ],
        "top_categories": [
            {"label": text(lang, f"category.{name}"), "count": count}
            for name, count in categories[:3]
            if count
        ],
        "incidents": incidents,
    }


def _incident_details(details: Any, incident_id: str) -> dict[str, str]:
    """Who reported an incident (name, phone, address) and what they said, as the viewer may see them."""
    if incident_id not in details.index:
        return {"who": "", "said": ""}
    row = details.loc[incident_id]
    who = " · ".join(str(v) for v in (row["reporter_name"], row["reporter_phone"], row["address"]) if str(v))
    return {"who": who, "said": str(row["description"])}


def trend_view(state: ViewState, providers: Providers) -> dict[str, Any]:
    """The selected area's warning score over the slider's months, the chosen month marked."""
    months = slider_months(providers.indicators.months())
    frame = providers.indicators.trend(state.area, months)
    return trend_figure(
        months,
        list(frame["score"]),
        list(frame["warning_level"]),
        selected_month=state.month,
        score_label=text(state.lang, "panel.score"),
    )


# ---------------------------------------------------------------- incident layers


def _incident_filter(state: ViewState) -> IncidentFilter:
    first, last = state.incident_months()
    return IncidentFilter(first, last, state.categories, state.sources)


def heat_view(state: ViewState, providers: Providers) -> dict[str, Any]:
    """H3 hexagons with incident counts over the shown area, and the largest count (for the colour scale)."""
    tree = providers.files.tree()
    focus = focus_of(tree, state.area)
    data = providers.incidents.hexagons(focus, tree.node(focus).level, _incident_filter(state))
    peak = max((f["properties"]["count"] for f in data["features"]), default=0)
    return {"data": data, "max": peak}


def points_view(state: ViewState, providers: Providers) -> dict[str, Any]:
    """Incident points for clustering over the shown area, and a note saying how many there are."""
    tree = providers.files.tree()
    focus = focus_of(tree, state.area)
    data, total = providers.incidents.points(focus, tree.node(focus).level, _incident_filter(state))
    shown = len(data["features"])
    note = (
        text(state.lang, "filter.points_limited", shown=f"{shown:,}", total=f"{total:,}")
        if shown < total
        else text(state.lang, "filter.points_count", total=f"{total:,}")
    )
    return {"data": data, "note": note}


def search_options(query: str, providers: Providers, lang: str) -> list[dict[str, str]]:
    """Dropdown options for areas whose name contains `query` or whose code starts with it."""
    return [
        {"label": f"{node.name} · {text(lang, f'level.{node.level}')} · {node.code}", "value": node.code}
        for node in providers.files.tree().search(query)
    ]
