"""Pure functions of the coverage page: the report and suggestion a provider computed, and the page's
state, in; colours, legend rows, labels and table rows out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from dashboard.coverage.state import Measure
from dashboard.data.coverage import SuggestedSites
from dashboard.i18n import text
from geo.api import Col, CoverageCol

#: Sequential ramps, light to dark; the darkest class is where leaders look first.
RAMPS: Final[dict[str, tuple[str, ...]]] = {
    Measure.UNCOVERED_SHARE.value: ("#fff5d6", "#fdd49e", "#fc8d59", "#e34a33", "#b30000"),
    Measure.MEDIATORS_PER_10K.value: ("#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"),
}
NO_DATA: Final = "#d5dbe3"
#: Upper bounds of the uncovered-share classes: a policy, not the data's quantiles, so colours keep
#: their meaning from one month, level and specialty to the next.
UNCOVERED_BREAKS: Final = (0.02, 0.10, 0.25, 0.50)
TABLE_ROWS: Final = 15


@dataclass(frozen=True)
class LegendRow:
    colour: str
    label: str


def class_breaks(values: Sequence[float], measure: str) -> tuple[float, ...]:
    """Upper bounds of every class but the last: fixed for the uncovered share, quintiles otherwise."""
    if measure == Measure.UNCOVERED_SHARE.value:
        return UNCOVERED_BREAKS
    finite = np.asarray([v for v in values if np.isfinite(v)], dtype=float)
    if not len(finite):
        return ()
    return tuple(sorted({round(float(q), 1) for q in np.quantile(finite, [0.2, 0.4, 0.6, 0.8])}))


def colour_of(value: float, breaks: Sequence[float], measure: str) -> str:
    if not np.isfinite(value):
        return NO_DATA
    return RAMPS[measure][min(int(np.searchsorted(np.asarray(breaks), value, side="left")), 4)]


def _shown(value: float, measure: str) -> str:
    return f"{value:.1%}" if measure == Measure.UNCOVERED_SHARE.value else f"{value:.1f}"


def coloured_areas(
    collection: Mapping[str, Any], report: pd.DataFrame, measure: str, lang: str
) -> dict[str, Any]:
    """The areas with `fill` (the class colour) and `tip` (name and value) added to their properties."""
    values = dict(zip(report[Col.CODE].astype(str), report[measure].astype(float), strict=True))
    breaks = class_breaks(list(values.values()), measure)
    title = text(lang, f"coverage.measure.{measure}")
    features = []
    for feature in collection.get("features", []):
        props = dict(feature["properties"])
        value = values.get(str(props.get(Col.CODE)), float("nan"))
        shown = _shown(value, measure) if np.isfinite(value) else text(lang, "value.none")
        tip = f"{props.get(Col.NAME, '')} · {title} {shown}"
        props.update(fill=colour_of(value, breaks, measure), tip=tip)
        features.append({**feature, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def legend_rows(report: pd.DataFrame, measure: str) -> list[LegendRow]:
    breaks = class_breaks(list(report[measure].astype(float)), measure)
    edges = [None, *breaks, None]
    rows = []
    for index in range(len(breaks) + 1):
        low, high = edges[index], edges[index + 1]
        if low is None and high is not None:
            label = f"≤ {_shown(high, measure)}"
        elif high is None and low is not None:
            label = f"> {_shown(low, measure)}"
        elif low is not None and high is not None:
            label = f"{_shown(low, measure)} – {_shown(high, measure)}"
        else:
            label = "—"
        rows.append(LegendRow(RAMPS[measure][index], label))
    return rows


def site_labels(sites: pd.DataFrame, lang: str) -> list[str]:
    """"#1 · 金坝村…: covers 126 more households" for each suggested site, in rank order."""
    return [text(lang, "coverage.site_label", rank=int(rank), name=name, households=f"{gain:,.0f}")
            for rank, name, gain in zip(sites[CoverageCol.RANK], sites[Col.NAME],
                                        sites[CoverageCol.MARGINAL_GAIN], strict=True)]


def summary_text(suggestion: SuggestedSites, month: str, band_km: float, lang: str) -> str:
    gain = suggestion.covered_after - suggestion.covered_before
    return text(lang, "coverage.summary", month=month, sites=len(suggestion.sites), gain=f"{gain:,.0f}",
                km=f"{band_km:g}",
                before=f"{suggestion.covered_before:,.0f}", after=f"{suggestion.covered_after:,.0f}",
                total=f"{suggestion.households:,.0f}")


def table_rows(report: pd.DataFrame, lang: str, limit: int = TABLE_ROWS) -> list[dict[str, str]]:
    """The areas with the largest uncovered share first, formatted for the page's table."""
    worst = report.sort_values([CoverageCol.UNCOVERED_SHARE.value, Col.CODE.value],
                               ascending=[False, True]).head(limit)
    rows = []
    for _, row in worst.iterrows():
        caseload = row[CoverageCol.CASELOAD_PER_MEDIATOR]
        gaps = str(row[CoverageCol.SPECIALTY_GAPS] or "")
        rows.append({
            "code": str(row[Col.CODE]),
            "name": str(row[Col.NAME]),
            "households": f"{row[Col.HOUSEHOLDS]:,.0f}",
            "uncovered": f"{row[CoverageCol.UNCOVERED_SHARE]:.1%}",
            "per_10k": f"{row[CoverageCol.MEDIATORS_PER_10K]:.1f}",
            "caseload": f"{caseload:.1f}" if pd.notna(caseload) else text(lang, "value.none"),
            "gaps": _gap_text(gaps, int(row[CoverageCol.GAP_CASES]), lang),
        })
    return rows


def _gap_text(gaps: str, cases: int, lang: str) -> str:
    kinds = [text(lang, f"category.{kind}", default=kind) for kind in gaps.split(",") if kind]
    separator = "、" if lang != "en" else ", "
    return f"{separator.join(kinds)} ({cases})" if kinds else ""
