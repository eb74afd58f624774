"""Pure functions of the planner page: a provider's candidate, figures, problems and impact in; table rows,
map colours, the selection and the drawn shape out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import pandas as pd

from dashboard.components.warning_map import palette
from dashboard.i18n import text
from geo.api import Col, Impact, PlanCol, Problem, VersionCol

#: Fill of grids the candidate does not touch (no warning recomputed for them).
UNTOUCHED: Final = "#e9edf2"
#: Rows of the impact tables shown; the counts above them are complete.
SHOWN_ROWS: Final = 40
_LEVEL_COLUMNS: Final = (PlanCol.WARNING_BEFORE, PlanCol.WARNING_AFTER)


def toggled(selected: Sequence[str], code: str | None, tool: str) -> list[str]:
    """The selection after a click on grid `code`: merge collects grids, every other tool keeps the last
    one or two it needs (split, move and vertex edit one, redraw two)."""
    if not code:
        return list(selected)
    if code in selected:
        return [c for c in selected if c != code]
    keep = {"merge": 99, "redraw": 2}.get(tool, 1)
    return [*selected, code][-keep:]


def drawn_shape(geojson: dict[str, Any] | None, tool: str) -> dict[str, Any] | None:
    """The geometry the tool works with, from the EditControl's features: the last line drawn (split,
    redraw) or the last polygon (move a block, vertex edit); None when there is none."""
    wanted = "LineString" if tool in ("split", "redraw") else "Polygon"
    for feature in reversed((geojson or {}).get("features", [])):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == wanted:
            return dict(geometry)
    return None


def editable_ring(grids: dict[str, Any], code: str) -> list[list[float]]:
    """The outline of grid `code`'s largest part as Leaflet positions ([lat, lon], ring not closed)."""
    for feature in grids.get("features", []):
        if str(feature["properties"][Col.CODE]) == code:
            geometry = feature["geometry"]
            multi = geometry["type"] == "MultiPolygon"
            polygons = geometry["coordinates"] if multi else [geometry["coordinates"]]
            ring = max((p[0] for p in polygons), key=len)
            return [[lat, lon] for lon, lat in ring[:-1]]
    return []


def grid_rows(figures: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {"code": r.code, "name": r.name, "households": int(r.households), "population": int(r.population),
         "workers": int(r.workers), "incidents": int(r.incidents)}
        for r in figures.itertuples()
    ]


def problem_rows(problems: Sequence[Problem], lang: str) -> list[dict[str, str]]:
    """Each problem with its kind in words, what is wrong and whether it stops a save; blocking first."""
    return [
        {"code": p.code, "kind": text(lang, f"planner.problem.{p.kind.value}"), "detail": p.detail,
         "blocking": text(lang, "planner.blocking" if p.blocking else "planner.warning_only"),
         "severity": "blocking" if p.blocking else "warning"}
        for p in problems
    ]


def latest_levels(impact: Impact) -> pd.DataFrame:
    """Warning levels of the affected grids in the last month of the window, before and after."""
    warnings = impact.warnings
    if warnings.empty:
        return pd.DataFrame(columns=[Col.CODE, PlanCol.WARNING_BEFORE, PlanCol.WARNING_AFTER])
    last = warnings[warnings["month"] == warnings["month"].max()]
    return last[[Col.CODE, PlanCol.WARNING_BEFORE, PlanCol.WARNING_AFTER]].reset_index(drop=True)


def level_colours(impact: Impact, *, after: bool) -> dict[str, str]:
    """Fill per affected grid code by its warning level this month, before or after the candidate."""
    colours = palette("light")
    column = PlanCol.WARNING_AFTER if after else PlanCol.WARNING_BEFORE
    levels = latest_levels(impact)
    return {
        str(code): colours.get(str(level), colours["none"]) if pd.notna(level) else colours["none"]
        for code, level in zip(levels[Col.CODE], levels[column], strict=True)
    }


def grid_colours(current: dict[str, str], impact: Impact, *, after: bool) -> dict[str, str]:
    """Fill per grid code: this month's stored warning level, and for the grids the candidate touches the
    level recomputed before or after it."""
    colours = palette("light")
    stored = {code: colours.get(level, colours["none"]) for code, level in current.items()}
    return {**stored, **level_colours(impact, after=after)}


def impact_summary(impact: Impact, lang: str) -> str:
    warnings = impact.warnings
    changed_months = 0
    if not warnings.empty:
        changed_months = int((warnings[PlanCol.WARNING_BEFORE].astype(str)
                              != warnings[PlanCol.WARNING_AFTER].astype(str)).sum())
    return text(lang, "planner.impact.summary", grids=len(impact.grids), incidents=len(impact.incidents),
                addresses=len(impact.addresses), workers=len(impact.workers), months=changed_months)


def impact_rows(impact: Impact, lang: str) -> list[dict[str, Any]]:
    """One row per grid added, removed, reshaped, noded or recounted, with its households before and after,
    its workers after and its warning level this month before and after."""
    levels = latest_levels(impact).set_index(Col.CODE)

    def level(code: str, column: str) -> str:
        value = levels[column].get(code) if code in levels.index else None
        return text(lang, f"warning.{value}", default=str(value)) if isinstance(value, str) else "—"

    return [
        {"code": r[Col.CODE], "change": text(lang, f"planner.change.{r[PlanCol.CHANGE]}"),
         "households": f"{int(r[PlanCol.HOUSEHOLDS_BEFORE])} → {int(r[PlanCol.HOUSEHOLDS_AFTER])}",
         "workers": int(r[PlanCol.WORKERS_AFTER]),
         "warning": " → ".join(level(r[Col.CODE], c) for c in _LEVEL_COLUMNS)}
        for r in impact.grids.head(SHOWN_ROWS).to_dict("records")
    ]


def history_rows(history: pd.DataFrame) -> list[dict[str, str]]:
    def shown(value: object) -> str:
        return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)

    return [
        {"version": shown(r[Col.VERSION_ID]), "effective": shown(r[Col.VALID_FROM]),
         "author": shown(r[VersionCol.AUTHOR]), "reason": shown(r[VersionCol.REASON]),
         "saved_at": shown(r[VersionCol.SAVED_AT])}
        for r in history.to_dict("records")
    ]


def diff_rows(diff: pd.DataFrame, lang: str) -> list[dict[str, str]]:
    return [
        {"code": str(r[Col.CODE]), "change": text(lang, f"planner.change.{r[PlanCol.CHANGE]}"),
         "households": f"{int(r[PlanCol.HOUSEHOLDS_BEFORE])} → {int(r[PlanCol.HOUSEHOLDS_AFTER])}"}
        for r in diff.to_dict("records")
    ]
