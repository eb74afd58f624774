"""The monthly safety warning index (平安预警指数): a score per area and month, its colour (red =
highest risk, yellow, blue) and the explanation behind it.

The score is a sum of factor contributions, each a count per 1,000 households of the area times a
weight from `geo/config/warning_index.toml` (see docs/warning-index.md for the formula and a worked
example). Every level is scored from its own incidents and households: a village's score counts the
incidents whose stored village code is the village's, divided by the village's households, never an
average of its grids' scores. Months use the boundary version in force that month.

All months and all levels come from one pass: counts per (area, month) are built with `bincount` over
the stored codes, then every (area, month) pair in force is scored with array arithmetic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.analysis.area_incidents import AreaIncidents
from geo.analysis.area_months import (
    areas_in_force,
    in_force_pairs,
    incident_codes,
    levels_present,
    month_label,
    month_ordinal,
    monthly_counts,
    monthly_spans,
    prepare_incidents,
    with_validity_months,
)
from geo.analysis.warning_config import Factor, ThresholdMode, WarningConfig, resolve_config
from geo.errors import GeoInputError
from geo.schema import LEVEL_ORDER, Col, Level, WarningLevel, as_level

FloatArray = NDArray[np.float64]

#: Column holding a factor's points in the score tables.
POINTS_COLUMNS: Final[dict[Factor, str]] = {f: f"points_{f.value}" for f in Factor}
SCORE_COLUMNS: Final = (
    "month",
    Col.LEVEL,
    Col.CODE,
    Col.NAME,
    Col.PARENT_CODE,
    Col.HOUSEHOLDS,
    "incidents",
    "score",
    "warning_level",
    "rank",
    *POINTS_COLUMNS.values(),
)
TOP_INCIDENTS: Final = 10
_YEAR: Final = 12


def warning_scores(
    incidents: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    month: str,
    level: Level | str | None = None,
    config: WarningConfig | str | None = None,
) -> pd.DataFrame:
    """Score, colour, rank and factor points of every area in force in `month` (``YYYY-MM``).

    With `level`, only that level's areas; otherwise every level whose code the incidents carry.
    """
    settings = resolve_config(config)
    ordinal = month_ordinal(month)
    chosen = as_level(level) if level is not None else None
    areas_in_force(areas, ordinal, level=chosen)  # a clear error when the month has no boundaries
    prepared = prepare_incidents(incidents, overdue_days=settings.overdue_days)
    return _scores(prepared, areas, [ordinal], _levels(prepared, areas, chosen), settings)


def warning_scores_all_months(
    incidents: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    level: Level | str | None = None,
    config: WarningConfig | str | None = None,
) -> pd.DataFrame:
    """`warning_scores` for every month from the first incident to the last in which boundaries are in
    force, in one frame (what a dashboard caches for its month slider and trend charts)."""
    settings = resolve_config(config)
    prepared = prepare_incidents(incidents, overdue_days=settings.overdue_days)
    return warning_scores_of_prepared(prepared, areas, level=level, config=settings)


def warning_scores_of_prepared(
    prepared: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    level: Level | str | None = None,
    config: WarningConfig | str | None = None,
) -> pd.DataFrame:
    """`warning_scores_all_months` of incidents already through `prepare_incidents` (a row-wise step, so
    batch work prepares each partition on a worker and concatenates them in archive order)."""
    settings = resolve_config(config)
    if not len(prepared):
        return pd.DataFrame(columns=list(SCORE_COLUMNS))
    chosen = as_level(level) if level is not None else None
    months = range(int(prepared["month"].min()), int(prepared["month"].max()) + 1)
    return _scores(prepared, areas, list(months), _levels(prepared, areas, chosen), settings)


def _levels(prepared: pd.DataFrame, areas: pd.DataFrame, level: Level | None) -> list[Level]:
    if level is None:
        return levels_present(areas, prepared)
    incident_codes(prepared, level)  # refuses a level the incidents carry no code for
    return [level]


def _scores(
    prepared: pd.DataFrame,
    areas: pd.DataFrame,
    months: Sequence[int],
    levels: Sequence[Level],
    config: WarningConfig,
) -> pd.DataFrame:
    areas = with_validity_months(areas)
    weights = _incident_weights(prepared, config)
    frames = [
        _level_scores(prepared, weights, areas[areas[Col.LEVEL] == lv.value], lv, months, config)
        for lv in levels
    ]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=list(SCORE_COLUMNS))
    table = pd.concat(frames, ignore_index=True)
    table["warning_level"], table["rank"] = warning_levels(table, config)
    table["month"] = [month_label(m) for m in table["month"]]
    order = {lv.value: i for i, lv in enumerate(LEVEL_ORDER)}
    table = table.sort_values(
        ["month", Col.LEVEL, "rank", Col.CODE],
        key=lambda c: c.map(order) if c.name == Col.LEVEL else c,
        kind="stable",
    )
    return table[list(SCORE_COLUMNS)].reset_index(drop=True)


def _incident_weights(prepared: pd.DataFrame, config: WarningConfig) -> FloatArray:
    category = prepared[Col.CATEGORY].map(config.category_weights).to_numpy(dtype=float)
    severity = prepared["severity"].map(config.severity_weights).to_numpy(dtype=float)
    return category * severity


def _level_scores(
    prepared: pd.DataFrame,
    weights: FloatArray,
    rows: pd.DataFrame,
    level: Level,
    months: Sequence[int],
    config: WarningConfig,
) -> pd.DataFrame:
    """One row per (area row, month) in force, with the points of every factor."""
    row_of_pair, month_of_pair = in_force_pairs(rows, months)
    if not len(row_of_pair):
        return pd.DataFrame()
    codes = pd.Index(pd.unique(rows[Col.CODE].to_numpy(dtype=object)))
    position = codes.get_indexer(incident_codes(prepared, level))
    first = min(months) - _YEAR
    shape = (len(codes), max(months) - first + 1)
    month, closed = prepared["month"].to_numpy(), prepared["closed_month"].to_numpy()

    def per_month(values: FloatArray | None = None, at: NDArray[np.int64] = month) -> FloatArray:
        return monthly_counts(position, at, shape, first_month=first, weights=values)

    weighted = per_month(weights)
    counts = {
        Factor.INCIDENTS: weighted,
        Factor.UNRESOLVED: monthly_spans(position, month, closed, shape, first_month=first),
        Factor.OVERDUE: monthly_spans(
            position, prepared["overdue_from"].to_numpy(), closed, shape, first_month=first
        )
        + per_month(prepared["closed_late"].to_numpy(dtype=float), at=closed),
        Factor.REPEAT_PETITIONS: per_month(prepared["repeat_petition"].to_numpy(dtype=float)),
        Factor.SERIOUS: per_month(prepared["serious"].to_numpy(dtype=float)),
    }
    area = codes.get_indexer(rows[Col.CODE].to_numpy(dtype=object))[row_of_pair]
    slot = month_of_pair - first
    households = rows[Col.HOUSEHOLDS].to_numpy(dtype=float)[row_of_pair]
    per_thousand = 1000.0 / np.maximum(np.nan_to_num(households), config.households_floor)
    points = {f: config.weights[f] * counts[f][area, slot] * per_thousand for f in counts}
    data_start = int(month.min()) if len(month) else max(months) + 1  # no data: no month to compare with
    comparable = _comparable(rows, codes, shape, first, data_start, months)
    for factor, lag in ((Factor.MONTH_ON_MONTH, 1), (Factor.YEAR_ON_YEAR, _YEAR)):
        rise = np.maximum(weighted[area, slot] - weighted[area, slot - lag], 0.0)
        points[factor] = config.weights[factor] * rise * per_thousand * comparable[area, slot - lag]
    picked = rows.iloc[row_of_pair]
    frame = pd.DataFrame(
        {
            "month": month_of_pair,
            Col.LEVEL: level.value,
            Col.CODE: picked[Col.CODE].to_numpy(dtype=object),
            Col.NAME: picked[Col.NAME].to_numpy(dtype=object),
            Col.PARENT_CODE: picked[Col.PARENT_CODE].to_numpy(dtype=object),
            Col.HOUSEHOLDS: households.astype(np.int64),
            "incidents": per_month()[area, slot].astype(np.int64),
        }
    )
    for factor in Factor:  # added in Factor order, so the contributions add up to the score exactly
        frame[POINTS_COLUMNS[factor]] = points[factor]
    frame["score"] = frame[list(POINTS_COLUMNS.values())].sum(axis=1)
    return frame


def _comparable(
    rows: pd.DataFrame,
    codes: pd.Index,
    shape: tuple[int, int],
    first: int,
    data_start: int,
    months: Sequence[int],
) -> FloatArray:
    """1 where an area was in force in a month that has data, so a change against it means something."""
    wanted = {m - lag for m in months for lag in (1, _YEAR) if m - lag >= data_start}
    row_of_pair, month_of_pair = in_force_pairs(rows, wanted)
    area = codes.get_indexer(rows[Col.CODE].to_numpy(dtype=object))[row_of_pair]
    present = np.zeros(shape)
    present[area, month_of_pair - first] = 1.0
    return present


def warning_levels(
    table: pd.DataFrame, config: WarningConfig
) -> tuple[NDArray[np.object_], NDArray[np.int64]]:
    """Warning level and rank (1 = highest score; ties share a rank) of each row of a score table
    (columns level, month, score), within its level and month, by the config's threshold mode."""
    groups = table.groupby([Col.LEVEL, "month"], sort=False)["score"]
    rank = groups.rank(method="min", ascending=False).to_numpy(dtype=np.int64)
    size = groups.transform("size").to_numpy()
    score = table["score"].to_numpy()
    fixed = {lv.value: config.thresholds_for(lv) for lv in Level}
    red_at = table[Col.LEVEL].map({k: t.red for k, t in fixed.items()}).to_numpy(dtype=float)
    yellow_at = table[Col.LEVEL].map({k: t.yellow for k, t in fixed.items()}).to_numpy(dtype=float)
    red, yellow = score >= red_at, score >= yellow_at
    if config.mode is ThresholdMode.QUANTILE:
        by_share = size >= config.min_areas_for_quantiles
        red_count = np.ceil(config.red_share * size - 1e-9)
        upto_yellow = np.ceil((config.red_share + config.yellow_share) * size - 1e-9)
        red = np.where(by_share, (rank <= red_count) & (score > 0), red)
        yellow = np.where(by_share, (rank <= upto_yellow) & (score > 0), yellow)
    colour = np.where(
        red, WarningLevel.RED.value, np.where(yellow, WarningLevel.YELLOW.value, WarningLevel.BLUE.value)
    )
    return colour.astype(object), rank


# ---------------------------------------------------------------- explanation


@dataclass(frozen=True)
class TopIncident:
    """One of the incidents that weigh most in an area's score, heaviest first in an explanation."""

    incident_id: str
    category: str


@dataclass(frozen=True)
class WarningExplanation:
    """Why an area has its colour in a month. `contributions` (factor -> points) add up to `score`."""

    code: str
    name: str
    level: str
    month: str
    households: int
    incidents: int
    score: float
    warning_level: str
    contributions: Mapping[str, float]
    level_last_month: str | None
    level_year_ago: str | None
    top_incidents: tuple[TopIncident, ...]

    @classmethod
    def from_score_row(
        cls, row: pd.Series, *, code: str, level: str, month: str, level_last_month: str | None,
        level_year_ago: str | None, top_incidents: tuple[TopIncident, ...],
    ) -> WarningExplanation:
        """The explanation of one row of the score table (`score_table`'s columns)."""
        return cls(
            code=code, name=str(row[Col.NAME]), level=level, month=month,
            households=int(row[Col.HOUSEHOLDS]), incidents=int(row["incidents"]), score=float(row["score"]),
            warning_level=str(row["warning_level"]),
            contributions={f.value: float(row[POINTS_COLUMNS[f]]) for f in Factor},
            level_last_month=level_last_month, level_year_ago=level_year_ago, top_incidents=top_incidents,
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["contributions"] = dict(self.contributions)
        data["top_incidents"] = [asdict(t) for t in self.top_incidents]
        return data


def explain_warning(
    incidents: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    code: str,
    month: str,
    config: WarningConfig | str | None = None,
) -> WarningExplanation:
    """The score of area `code` in `month` split by factor, its level last month and a year before, and
    the incidents that add most to the score (ids and categories only)."""
    settings = resolve_config(config)
    ordinal = month_ordinal(month)
    current = areas_in_force(areas, ordinal)
    row = current[current[Col.CODE] == code]
    if not len(row):
        raise GeoInputError(
            f"area {code!r} is not in the boundary version in force in {month}: "
            f"codes in force look like {', '.join(current[Col.CODE].head(3))}"
        )
    level = as_level(row[Col.LEVEL].iloc[0])
    prepared = prepare_incidents(incidents, overdue_days=settings.overdue_days)
    rows = areas[areas[Col.LEVEL] == level.value]
    table = _scores(prepared, rows, [ordinal, ordinal - 1, ordinal - _YEAR], [level], settings)
    by_month = table[table[Col.CODE] == code].set_index("month")
    this = by_month.loc[month]

    def level_in(other: int) -> str | None:
        label = month_label(other)
        return str(by_month.at[label, "warning_level"]) if label in by_month.index else None

    return WarningExplanation.from_score_row(
        this,
        code=code,
        level=level.value,
        month=month,
        level_last_month=level_in(ordinal - 1),
        level_year_ago=level_in(ordinal - _YEAR),
        top_incidents=_top_incidents(prepared, level, code, ordinal, settings),
    )


def incident_points(prepared: pd.DataFrame, month: int, config: WarningConfig) -> FloatArray:
    """What each incident adds to its area's score in `month`, before dividing by households (the
    change factors belong to the month, not to one incident)."""
    weights = config.weights
    reported = (prepared["month"] == month).to_numpy()
    closed = prepared["closed_month"].to_numpy()
    open_at_end = (prepared["month"].to_numpy() <= month) & (month < closed)
    overdue = ((prepared["overdue_from"].to_numpy() <= month) & (month < closed)) | (
        (closed == month) & prepared["closed_late"].to_numpy()
    )
    in_month = (
        weights[Factor.INCIDENTS] * _incident_weights(prepared, config)
        + weights[Factor.REPEAT_PETITIONS] * prepared["repeat_petition"].to_numpy()
        + weights[Factor.SERIOUS] * prepared["serious"].to_numpy()
    )
    return reported * in_month + weights[Factor.UNRESOLVED] * open_at_end + weights[Factor.OVERDUE] * overdue


def top_incidents_of_area(
    incidents: AreaIncidents, *, code: str, level: Level | str, month: str
) -> tuple[TopIncident, ...]:
    """`explain_warning(...).top_incidents` of area `code` at `level`, from incidents prepared once."""
    mine = incidents.of_area(level, code)
    return _ranked_incidents(mine, month_ordinal(month), incidents.config)


def top_incidents_of_level(
    incidents: AreaIncidents, *, level: Level | str, month: str
) -> dict[str, tuple[TopIncident, ...]]:
    """`top_incidents_of_area` of every area of `level` with an incident adding to its score in
    `month`, in one pass (an area missing here has none)."""
    chosen, ordinal = as_level(level), month_ordinal(month)
    prepared = incidents.prepared
    points = incident_points(prepared, ordinal, incidents.config)
    adding = points > 0
    ranked = pd.DataFrame(
        {
            "code": incident_codes(prepared, chosen)[adding],
            "_points": points[adding],
            Col.REPORTED_AT: prepared[Col.REPORTED_AT].to_numpy()[adding],
            "incident_id": prepared["incident_id"].to_numpy()[adding],
            Col.CATEGORY: prepared[Col.CATEGORY].to_numpy()[adding],
        }
    )
    # The same stable sort as one area's ranking, so ties keep the stored order within each area.
    ranked = ranked.sort_values(["_points", Col.REPORTED_AT, "incident_id"], ascending=[False, False, True])
    ranked = ranked[ranked["code"] != ""].groupby("code", sort=False).head(TOP_INCIDENTS)
    tops: dict[str, list[TopIncident]] = {}
    for code, incident_id, category in zip(
        ranked["code"], ranked["incident_id"], ranked[Col.CATEGORY], strict=True
    ):
        tops.setdefault(str(code), []).append(TopIncident(str(incident_id), str(category)))
    return {code: tuple(top) for code, top in tops.items()}


def _top_incidents(
    prepared: pd.DataFrame, level: Level, code: str, month: int, config: WarningConfig
) -> tuple[TopIncident, ...]:
    return _ranked_incidents(prepared[incident_codes(prepared, level) == code], month, config)


def _ranked_incidents(mine: pd.DataFrame, month: int, config: WarningConfig) -> tuple[TopIncident, ...]:
    ranked = mine.assign(_points=incident_points(mine, month, config))
    ranked = ranked[ranked["_points"] > 0].sort_values(
        ["_points", Col.REPORTED_AT, "incident_id"], ascending=[False, False, True]
    )
    return tuple(
        TopIncident(str(r.incident_id), str(r.category)) for r in ranked.head(TOP_INCIDENTS).itertuples()
    )
