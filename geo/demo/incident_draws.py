"""When, where, what and through which channel the demo's disputes happen.

Disputes fall in grids in proportion to households, more per household in villages and on the steppe;
property disputes in town, land (grassland) disputes in the villages and in 肃北 and 阿克塞; land disputes
peak in spring, family and neighbour quarrels and wage claims around the Spring Festival; and a dozen hot
spots flare for a few months and move to a neighbouring grid, so warning levels change from month to
month. A drawn dispute carries its grid as a row number of the grids frame, its month as a number of
the period and its category as an index into `CATEGORIES`.
"""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.demo.names import weighted_sample
from geo.schema import AreaKind, Col, IncidentCategory, IncidentSource

PERIOD_START: Final = pd.Timestamp("2023-11-01")
MONTHS: Final = 36
YEARS: Final = MONTHS / 12
#: The moment the raw files were exported: the end of the period.
AS_OF: Final = PERIOD_START + pd.DateOffset(months=MONTHS)

#: Categories in the order their indices run.
CATEGORIES: Final = tuple(IncidentCategory)

_CHANNEL_SHARE: Final = {
    IncidentSource.HOTLINE: 0.25,
    IncidentSource.MINIPROGRAM: 0.15,
}  # the app takes the rest

# Disputes per household by kind of area, and the mix of categories in each (order of IncidentCategory:
# neighbour, marriage_family, business, property, land, labour, traffic, other).
_RATE: Final = {AreaKind.URBAN.value: 1.0, AreaKind.RURAL.value: 1.25, AreaKind.PASTORAL.value: 1.6}
_MIX: Final = {
    AreaKind.URBAN.value: (0.22, 0.16, 0.12, 0.24, 0.02, 0.12, 0.08, 0.04),
    AreaKind.RURAL.value: (0.24, 0.17, 0.06, 0.01, 0.30, 0.09, 0.07, 0.06),
    AreaKind.PASTORAL.value: (0.14, 0.12, 0.05, 0.00, 0.50, 0.07, 0.05, 0.07),
}
_SPRING_FESTIVAL: Final = ((2024, 2), (2025, 1), (2026, 2))  # months of the lunar new year
_HOURS: Final = np.array(
    [1, 1, 1, 1, 1, 2, 4, 8, 14, 16, 16, 13, 9, 10, 14, 15, 14, 12, 10, 9, 7, 5, 3, 2], float
)


def month_starts() -> pd.DatetimeIndex:
    return pd.date_range(PERIOD_START, periods=MONTHS, freq="MS")


def _seasonality(starts: pd.DatetimeIndex) -> NDArray[np.float64]:
    """Factor per category (rows) and month of the period (columns)."""
    months = starts.month.to_numpy()
    festival = np.array([(s.year, s.month) in _SPRING_FESTIVAL for s in starts])
    after = np.roll(festival, 1) & ~festival
    factor = np.ones((len(CATEGORIES), len(starts)))
    by_month = {
        IncidentCategory.LAND: {2: 1.1, 3: 1.8, 4: 2.2, 5: 1.8, 6: 1.2, 10: 1.1, 12: 0.6, 1: 0.6},
        IncidentCategory.LABOUR_WAGES: {12: 1.5, 1: 1.9},
        IncidentCategory.PROPERTY_MANAGEMENT: {11: 1.3, 12: 1.2, 7: 1.1},
        IncidentCategory.TRAFFIC: {7: 1.3, 8: 1.3, 10: 1.2},
        IncidentCategory.BUSINESS: {7: 1.25, 8: 1.25, 1: 1.2},
    }
    for category, table in by_month.items():
        factor[CATEGORIES.index(category)] = [table.get(int(m), 1.0) for m in months]
    for category in (
        IncidentCategory.NEIGHBOUR,
        IncidentCategory.MARRIAGE_FAMILY,
        IncidentCategory.OTHER,
        IncidentCategory.LABOUR_WAGES,
    ):
        row = CATEGORIES.index(category)
        factor[row] *= np.where(festival, 1.5, np.where(after, 1.15, 1.0))
    return factor


def hot_spots(rng: np.random.Generator, grids: gpd.GeoDataFrame) -> NDArray[np.float64]:
    """Multipliers per grid and month: episodes that flare for a month or two in a grid (and less in its
    village), then move to another grid of the same township."""
    codes = grids[Col.CODE].to_numpy(dtype=str)
    households = grids[Col.HOUSEHOLDS].to_numpy(dtype=np.float64).clip(min=1.0)
    village = pd.Series(codes).str[:12].to_numpy()
    township = pd.Series(codes).str[:9].to_numpy()
    factor = np.ones((len(codes), MONTHS))
    episodes = max(3, round(18 * len(codes) / 1424))
    for _ in range(episodes):
        grid = int(rng.choice(len(codes), p=households / households.sum()))
        month = int(rng.integers(0, MONTHS - 2))
        for _leg in range(int(rng.integers(2, 4))):
            months = slice(month, min(MONTHS, month + int(rng.integers(1, 3))))
            factor[village == village[grid], months] = np.maximum(
                factor[village == village[grid], months], 1.8
            )
            factor[grid, months] = np.maximum(factor[grid, months], rng.uniform(3.0, 6.0))
            month = months.stop
            neighbours = np.flatnonzero(township == township[grid])
            grid = int(rng.choice(neighbours, p=households[neighbours] / households[neighbours].sum()))
            if month >= MONTHS:
                break
    return factor


def draw_disputes(
    rng: np.random.Generator, grids: gpd.GeoDataFrame, total: int, hot: NDArray[np.float64]
) -> pd.DataFrame:
    """Grid, month and category of every dispute, drawn from households x rate x mix x season x hot spots."""
    kinds = grids[Col.KIND].to_numpy()
    base = grids[Col.HOUSEHOLDS].to_numpy(dtype=np.float64).clip(min=1.0) * np.array(
        [_RATE.get(k, 1.0) for k in kinds]
    )
    mix = np.array([_MIX.get(k, _MIX[AreaKind.RURAL.value]) for k in kinds])
    season = _seasonality(month_starts())
    weights = base[:, None, None] * hot[:, :, None] * mix[:, None, :] * season.T[None, :, :]
    counts = rng.multinomial(total, (weights / weights.sum()).ravel())
    cells = np.repeat(np.arange(counts.size), counts)
    grid, month, category = np.unravel_index(cells, weights.shape)
    return pd.DataFrame({"grid": grid, "month": month, "category": category})


def report_times(rng: np.random.Generator, months: NDArray[np.intp]) -> pd.Series:
    """A report time in each given month of the period, by the hours people report at."""
    starts = month_starts()
    days = starts.days_in_month.to_numpy()[months]
    day = np.floor(rng.random(len(months)) * days)
    hour = rng.choice(24, len(months), p=_HOURS / _HOURS.sum())
    seconds = day * 86400 + hour * 3600 + rng.integers(0, 3600, len(months))
    return pd.Series(starts.to_numpy()[months] + pd.to_timedelta(seconds, unit="s"))


def pick_channels(
    rng: np.random.Generator, disputes: pd.DataFrame, kinds: NDArray[np.object_]
) -> NDArray[np.object_]:
    """Exact channel shares; townspeople call and use the mini-program more, herders rarely."""
    kind = kinds[disputes["grid"].to_numpy()]
    category = disputes["category"].to_numpy()
    urban, pastoral = kind == AreaKind.URBAN.value, kind == AreaKind.PASTORAL.value
    public = np.isin(
        category,
        [
            CATEGORIES.index(IncidentCategory.TRAFFIC),
            CATEGORIES.index(IncidentCategory.PROPERTY_MANAGEMENT),
        ],
    )
    hotline_weight = np.where(urban, 1.6, np.where(pastoral, 0.4, 0.8)) * np.where(public, 1.3, 1.0)
    mini_weight = np.where(urban, 1.8, np.where(pastoral, 0.3, 0.6))
    channel = np.full(len(disputes), IncidentSource.APP.value, dtype=object)
    hotline = weighted_sample(
        rng, hotline_weight, round(_CHANNEL_SHARE[IncidentSource.HOTLINE] * len(disputes))
    )
    channel[hotline] = IncidentSource.HOTLINE.value
    rest = np.flatnonzero(channel == IncidentSource.APP.value)
    mini = rest[
        weighted_sample(
            rng, mini_weight[rest], round(_CHANNEL_SHARE[IncidentSource.MINIPROGRAM] * len(disputes))
        )
    ]
    channel[mini] = IncidentSource.MINIPROGRAM.value
    return channel
