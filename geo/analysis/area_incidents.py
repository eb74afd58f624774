"""Incidents prepared once and grouped by area code at every level, so a question about one area and
month (its case metrics, the incidents behind its score) reads that area's rows instead of checking,
typing and filtering every incident again: that repeated work, not the arithmetic, is what one area's
answer used to cost.

Build one per state of the data (a dashboard builds it once per store state, in the background) and ask
`case_metrics_of_area` (case_metrics.py) and `top_incidents_of_area` (warning_index.py) for the answers;
they equal `case_metrics` and `explain_warning` on the full tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.analysis.area_months import (
    LEVEL_CODE_COLUMN,
    incident_codes,
    prepare_incidents,
    with_validity_months,
)
from geo.analysis.warning_config import WarningConfig, resolve_config
from geo.schema import Col, Level, as_level

_NONE = np.empty(0, dtype=np.int64)


class AreaIncidents:
    """`prepare_incidents` of every incident, once, with the row positions of each area's incidents
    at each level the incidents carry a code for; and the areas with their months in force, read
    from their dates once."""

    def __init__(
        self, incidents: pd.DataFrame, areas: pd.DataFrame, *, config: WarningConfig | str | None = None
    ) -> None:
        self.config = resolve_config(config)
        self.areas = with_validity_months(areas)
        self._area_rows = {str(k): v for k, v in self.areas.groupby(Col.CODE, sort=False).indices.items()}
        self.prepared = prepare_incidents(incidents, overdue_days=self.config.overdue_days)
        self._positions: dict[Level, dict[str, NDArray[np.int64]]] = {}
        for level in Level:
            if LEVEL_CODE_COLUMN[level] in self.prepared.columns:
                codes = pd.Series(incident_codes(self.prepared, level)).fillna("").astype(str)
                groups = codes.groupby(codes.to_numpy(), sort=False).indices
                self._positions[level] = {str(k): np.asarray(v) for k, v in groups.items() if k}

    def versions_of(self, code: str) -> pd.DataFrame:
        """Every boundary version of area `code` (none for an unknown code)."""
        return self.areas.iloc[self._area_rows.get(code, _NONE)]

    def of_area(self, level: Level | str, code: str) -> pd.DataFrame:
        """The prepared incidents whose code at `level` is `code`, in their stored order."""
        chosen = as_level(level)
        if chosen not in self._positions:
            incident_codes(self.prepared, chosen)  # raises: the incidents carry no code at this level
        return self.prepared.iloc[self._positions[chosen].get(code, _NONE)]
