"""Warning levels, incidents and areas for every page, read once per store state.

Incidents are held without their personal fields (geo.schema.PERSONAL_FIELDS): no page, the leaders'
tables included, ever needs a name, phone, address or description, so none can leak one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.data.store_state import StateCache
from dashboard.settings import Settings
from geo.api import (
    PERSONAL_FIELDS,
    Col,
    Layer,
    Level,
    WarningExplanation,
    explain_warning,
    open_store,
    warning_scores_all_months,
)


@dataclass(frozen=True)
class IndicatorData:
    areas: pd.DataFrame  # every boundary version, attributes only (no geometry)
    incidents: pd.DataFrame  # personal fields dropped
    scores: pd.DataFrame  # warning scores for every month and level
    months: tuple[str, ...]  # "YYYY-MM", oldest first


def _read(store_path: Path) -> IndicatorData:
    store = open_store(store_path)
    areas = pd.DataFrame(store.read(Layer.AREAS.value)).drop(columns=[Col.GEOMETRY])
    raw = store.read(Layer.INCIDENTS.value)
    incidents = pd.DataFrame(raw.drop(columns=[c for c in raw.columns if c in PERSONAL_FIELDS or c == Col.GEOMETRY]))
    scores = warning_scores_all_months(incidents, areas)
    months = tuple(sorted(scores["month"].unique()))
    return IndicatorData(areas=areas, incidents=incidents, scores=scores, months=months)


class Indicators:
    """The store's warning scores and incident table, recomputed only when the store file changes."""

    def __init__(self, settings: Settings) -> None:
        self._cache = StateCache(Path(settings.store), lambda: _read(Path(settings.store)))

    def data(self) -> IndicatorData:
        return self._cache.get()

    def months(self) -> tuple[str, ...]:
        return self.data().months

    def scores(self, month: str, level: Level | str | None = None) -> pd.DataFrame:
        scores = self.data().scores
        chosen = scores[scores["month"] == month]
        return chosen if level is None else chosen[chosen[Col.LEVEL] == Level(level).value]

    def colours(self, month: str, level: Level | str) -> dict[str, str]:
        """code -> red / yellow / blue for one level and month: what a map's `hideout` carries."""
        chosen = self.scores(month, level)
        return dict(zip(chosen[Col.CODE].astype(str), chosen["warning_level"].astype(str), strict=True))

    def explain(self, code: str, month: str) -> WarningExplanation:
        data = self.data()
        return explain_warning(data.incidents, data.areas, code=code, month=month)
