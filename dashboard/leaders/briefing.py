""" "Export this view": the areas on the map with their colours as an offline HTML page (geo.api's
briefing_html) and the view's tables as CSV, in one zip."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from dashboard.components.warning_map import palette, warning_labels
from dashboard.data import Providers
from dashboard.i18n import text
from dashboard.leaders.state import ViewState
from dashboard.leaders.views import FACTORS, focus_of, kpi_view
from geo.api import GeoInputError, briefing_archive, briefing_html

_AREA_COLUMNS = ("code", "name", "level", "households", "incidents", "score", "warning_level", "rank")


def briefing_tables(state: ViewState, providers: Providers) -> dict[str, pd.DataFrame]:
    """The tables of the view: the areas on the map with score and factor points, the headline figures,
    and the incidents that add most to the selected area's score (no personal fields)."""
    tree = providers.files.tree()
    focus = focus_of(tree, state.area)
    child_level = tree.child_level(focus) or tree.node(focus).level
    scores = providers.indicators.scores_within(state.month, child_level, tree.within(focus)).reset_index()
    points = [f"points_{factor}" for factor in FACTORS]
    areas = scores[[c for c in (*_AREA_COLUMNS, *points) if c in scores.columns]].copy()
    areas.insert(0, "month", state.month)
    kpis = pd.DataFrame(
        [
            {
                "area": tree.node(focus).name,
                "month": state.month,
                "figure": tile.label,
                "value": tile.value,
                "detail": tile.detail,
            }
            for tile in kpi_view(state, providers)
        ]
    )
    try:
        why = providers.indicators.explain(state.area, state.month)
        top = providers.incidents.top_rows([t.incident_id for t in why.top_incidents])
    except GeoInputError:
        top = pd.DataFrame(
            columns=["incident_id", "category", "reported_at", "status", "source", "grid_code"]
        )
    return {"areas": areas, "kpis": kpis, "top_incidents": top}


def briefing_file(
    state: ViewState, providers: Providers, *, now: datetime | None = None
) -> tuple[str, bytes]:
    """File name and bytes of the briefing zip for a view."""
    tree, lang = providers.files.tree(), state.lang
    focus = focus_of(tree, state.area)
    node = tree.node(focus)
    child_level = tree.child_level(focus) or node.level
    within = tree.within(focus)
    made = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    page = briefing_html(
        providers.files.level_collection(child_level, within),
        levels=providers.indicators.levels_within(state.month, child_level, within),
        colours=palette(),
        labels=warning_labels(lang),
        title=text(lang, "briefing.title", area=node.name, month=state.month),
        subtitle=text(
            lang,
            "briefing.subtitle",
            level=text(lang, f"level.{child_level}"),
            time=made,
            month=providers.indicators.months()[-1],
        ),
        legend_title=text(lang, "warning.title"),
        outline=providers.files.level_collection(node.level, focus if focus != tree.city_code else ""),
    )
    return f"briefing-{focus}-{state.month}.zip", briefing_archive(page, briefing_tables(state, providers))
