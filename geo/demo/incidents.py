"""Raw incident rows of the demo, as each intake channel delivers them, for the ingest stage to read.

Three channels over 36 months (2023-11-01 .. 2026-10-31), about 11,140 disputes a year in all:

- app.csv (grid workers' app, UTF-8, WGS84): event_id, reported_at 'YYYY-MM-DD HH:MM:SS', category,
  severity 1-3, serious 0/1, repeat_petition 0/1, description, reporter_name, reporter_phone, lon, lat,
  status, closed_at, outcome, pre_litigation 0/1;
- hotline.xlsx (12345 hotline, CGCS2000, Chinese headers, times as text like '2023/7/5 14:03'); about
  15 % of its rows give only an address (经度/纬度 empty), taken from the address library, sometimes
  without the county name, without the house number, or down to the village only;
- miniprogram.csv (citizens' WeChat mini-program, UTF-8 with BOM, GCJ-02, ISO times).

Where disputes happen: in grids in proportion to households, more per household in villages and on the
steppe; property disputes in town, land (grassland) disputes in the villages and in 肃北 and 阿克塞; land
disputes peak in spring, family and neighbour quarrels and wage claims around the Spring Festival; and a
dozen hot spots that flare for a few months and move to a neighbouring grid, so warning levels change
from month to month. Positions sit at a doorplate of the grid (with GPS noise) or, for traffic and
field disputes, anywhere in the grid around a local cluster.

Rates over all rows, exact to a few hundredths of a point: 98 % closed; among court-bound disputes
(诉前调解成功, 诉前调解不成, 诉讼) 52 % were diverted to pre-litigation mediation, and 62 % of those
succeeded; 99.6 % of repeat petitions closed. Handling takes a median of about a week; some cases run
past 30 days.

About 0.3 % of rows are deliberately bad, so the quarantine has something real to show (listed in
`RawIncidents.planted` with their row and id):

- ``swapped_coordinates``: lon and lat exchanged (app, mini-program);
- ``non_numeric_coordinate``: a coordinate such as '未定位' (app, hotline);
- ``unparseable_date``: a date such as '2024-02-30 09:15:00' or '待补录' (all channels);
- ``duplicate_id``: a second row with an existing id and a time a few minutes later (all channels);
- ``unknown_category``: a label outside `CATEGORY_LABELS`, such as '医患纠纷' (app, mini-program);
- ``unmatched_address``: an address-only hotline row whose address matches nothing ('城东某小区附近').
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from geo.crs import STORAGE_EPSG, from_wgs84
from geo.demo.addresses import AddressCol, areas_at, hierarchy_units, plain_columns, sample_points
from geo.demo.figures import scaled_count
from geo.demo.names import Seed, as_rng, fake_names, fake_nicknames, fake_phones, weighted_sample
from geo.errors import GeoInputError
from geo.schema import AreaKind, Col, IncidentCategory, IncidentSource, IncidentStatus, Level, Outcome

PERIOD_START: Final = pd.Timestamp("2023-11-01")
MONTHS: Final = 36
YEARS: Final = MONTHS / 12
#: The moment the raw files were exported: the end of the period.
AS_OF: Final = PERIOD_START + pd.DateOffset(months=MONTHS)

CATEGORY_LABELS: Final[Mapping[str, IncidentCategory]] = MappingProxyType(
    {
        "邻里纠纷": IncidentCategory.NEIGHBOUR,
        "婚姻家庭纠纷": IncidentCategory.MARRIAGE_FAMILY,
        "经营纠纷": IncidentCategory.BUSINESS,
        "物业纠纷": IncidentCategory.PROPERTY_MANAGEMENT,
        "土地纠纷": IncidentCategory.LAND,
        "劳资纠纷": IncidentCategory.LABOUR_WAGES,
        "交通事故纠纷": IncidentCategory.TRAFFIC,
        "其他纠纷": IncidentCategory.OTHER,
    }
)
OUTCOME_LABELS: Final[Mapping[str, Outcome]] = MappingProxyType(
    {
        "调解成功": Outcome.MEDIATED,
        "调解不成": Outcome.MEDIATION_FAILED,
        "诉前调解成功": Outcome.PRE_LITIGATION_MEDIATED,
        "诉前调解不成": Outcome.PRE_LITIGATION_FAILED,
        "诉讼": Outcome.LITIGATED,
        "咨询答复": Outcome.ADVISED,
    }
)
STATUS_LABELS: Final[Mapping[str, IncidentStatus]] = MappingProxyType(
    {"待受理": IncidentStatus.OPEN, "处理中": IncidentStatus.IN_PROGRESS, "已办结": IncidentStatus.CLOSED}
)
DIVERSION_LABELS: Final[Mapping[str, bool]] = MappingProxyType({"是": True, "否": False})
SATISFACTION_LABELS: Final = ("满意", "基本满意", "不满意")

APP_COLUMNS: Final = (
    "event_id",
    "reported_at",
    "category",
    "severity",
    "serious",
    "repeat_petition",
    "description",
    "reporter_name",
    "reporter_phone",
    "lon",
    "lat",
    "status",
    "closed_at",
    "outcome",
    "pre_litigation",
)
HOTLINE_COLUMNS: Final = (
    "工单编号",
    "来电时间",
    "诉求类型",
    "诉求内容",
    "事发地址",
    "经度",
    "纬度",
    "办理状态",
    "办结时间",
    "满意度",
    "处理结果",
    "诉前分流",
    "来电人",
    "联系电话",
)
MINIPROGRAM_COLUMNS: Final = (
    "report_id",
    "submitted_at",
    "type",
    "content",
    "lng",
    "lat",
    "nickname",
    "phone",
    "status",
    "finished_at",
    "result",
)
RAW_FILE_NAMES: Final[Mapping[IncidentSource, str]] = MappingProxyType(
    {
        IncidentSource.APP: "app.csv",
        IncidentSource.HOTLINE: "hotline.xlsx",
        IncidentSource.MINIPROGRAM: "miniprogram.csv",
    }
)
#: The CRS each channel's coordinates are in (names of geo.crs.CRS_NAMES).
RAW_CRS: Final[Mapping[IncidentSource, str]] = MappingProxyType(
    {IncidentSource.APP: "wgs84", IncidentSource.HOTLINE: "cgcs2000", IncidentSource.MINIPROGRAM: "gcj02"}
)
#: Raw columns holding personal data, and the geo.schema.PERSONAL_FIELDS name each one becomes.
RAW_PERSONAL_COLUMNS: Final[Mapping[IncidentSource, Mapping[str, str]]] = MappingProxyType(
    {
        IncidentSource.APP: MappingProxyType(
            {
                "description": "description",
                "reporter_name": "reporter_name",
                "reporter_phone": "reporter_phone",
            }
        ),
        IncidentSource.HOTLINE: MappingProxyType(
            {
                "诉求内容": "description",
                "事发地址": "address",
                "来电人": "reporter_name",
                "联系电话": "reporter_phone",
            }
        ),
        IncidentSource.MINIPROGRAM: MappingProxyType(
            {"content": "description", "nickname": "reporter_name", "phone": "reporter_phone"}
        ),
    }
)
#: (id, status, outcome) columns per channel.
_KEY_COLUMNS: Final = {
    IncidentSource.APP: ("event_id", "status", "outcome"),
    IncidentSource.HOTLINE: ("工单编号", "办理状态", "处理结果"),
    IncidentSource.MINIPROGRAM: ("report_id", "status", "result"),
}

_CHANNEL_SHARE: Final = {
    IncidentSource.HOTLINE: 0.25,
    IncidentSource.MINIPROGRAM: 0.15,
}  # the app takes the rest
_CATEGORIES: Final = tuple(IncidentCategory)
_CATEGORY_LABEL: Final = {c: label for label, c in CATEGORY_LABELS.items()}
_OUTCOME_LABEL: Final = {o: label for label, o in OUTCOME_LABELS.items()}
_CLOSED, _IN_PROGRESS, _OPEN = "已办结", "处理中", "待受理"

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
_MEDIAN_DAYS: Final = (5.0, 7.0, 8.0, 6.0, 10.0, 9.0, 7.0, 4.0)
_COURT_SHARE: Final = 0.12  # court-bound outcomes among closed disputes
_DIVERSION: Final = 0.52
_PRE_SUCCESS: Final = 0.62
_CLOSURE: Final = 0.98
_REPEAT_CLOSURE: Final = 0.996
_COURT_WEIGHT: Final = (0.5, 1.5, 3.0, 1.0, 1.2, 2.5, 3.0, 0.6)
_ADDRESS_ONLY_SHARE: Final = 0.15
_JITTER_M: Final = {IncidentSource.APP: 8.0, IncidentSource.HOTLINE: 25.0, IncidentSource.MINIPROGRAM: 15.0}
_FREE_SHARE: Final = {IncidentSource.APP: 0.25, IncidentSource.HOTLINE: 0.0, IncidentSource.MINIPROGRAM: 0.35}
_METRES_PER_DEGREE: Final = 111_320.0

_DEFECTS: Final = (  # (channel, defect, share of all rows)
    (IncidentSource.APP, "swapped_coordinates", 0.0006),
    (IncidentSource.APP, "non_numeric_coordinate", 0.0003),
    (IncidentSource.APP, "unparseable_date", 0.0003),
    (IncidentSource.APP, "duplicate_id", 0.0003),
    (IncidentSource.APP, "unknown_category", 0.0002),
    (IncidentSource.HOTLINE, "unmatched_address", 0.0004),
    (IncidentSource.HOTLINE, "unparseable_date", 0.0002),
    (IncidentSource.HOTLINE, "non_numeric_coordinate", 0.0001),
    (IncidentSource.HOTLINE, "duplicate_id", 0.0002),
    (IncidentSource.MINIPROGRAM, "swapped_coordinates", 0.0002),
    (IncidentSource.MINIPROGRAM, "unparseable_date", 0.0001),
    (IncidentSource.MINIPROGRAM, "duplicate_id", 0.0001),
    (IncidentSource.MINIPROGRAM, "unknown_category", 0.0001),
)
_BAD_COORDINATES: Final = ("未定位", "无", "98.51.2")
_BAD_DATES: Final = {
    IncidentSource.APP: ("2024-02-30 09:15:00", "昨天下午", "2025/13/01 10:00:00"),
    IncidentSource.HOTLINE: ("2024/2/30 14:03", "待补录"),
    IncidentSource.MINIPROGRAM: ("2024-06-31T10:00:00+08:00", "刚刚"),
}
_BAD_CATEGORIES: Final = ("医患纠纷", "环境污染纠纷", "消费维权")
_BAD_ADDRESSES: Final = ("城东某小区附近", "火车站对面", "不清楚", "老地方")

_TOPICS: Final = {
    IncidentCategory.NEIGHBOUR: (
        "楼上漏水",
        "噪音扰民",
        "占用楼道堆放杂物",
        "滴水檐和院墙",
        "饲养犬只扰民",
        "共用通道",
    ),
    IncidentCategory.MARRIAGE_FAMILY: (
        "家庭琐事",
        "子女抚养",
        "赡养老人费用分担",
        "离婚财产分割",
        "彩礼返还",
    ),
    IncidentCategory.BUSINESS: ("商品质量", "退款", "租金拖欠", "合伙分红", "预付卡消费"),
    IncidentCategory.PROPERTY_MANAGEMENT: (
        "物业费收取标准",
        "电梯长期故障",
        "小区停车位分配",
        "供暖温度不达标",
        "楼道照明无人维修",
    ),
    IncidentCategory.LAND: ("承包地边界", "灌溉用水分配", "土地流转费用", "宅基地使用权", "林地权属"),
    IncidentCategory.LABOUR_WAGES: ("拖欠工资", "未签订劳动合同", "工伤赔偿", "加班费未支付"),
    IncidentCategory.TRAFFIC: ("车辆剐蹭赔偿", "电动车与行人碰撞", "农用车事故", "停车刮擦"),
    IncidentCategory.OTHER: ("借款未还", "宠物伤人赔偿", "装修损坏管道", "相邻通行受阻"),
}
_GRASSLAND: Final = ("草场边界", "越界放牧", "草场承包流转", "牲畜饮水点使用")


@dataclass(frozen=True)
class RawIncidents:
    """Raw rows per channel (exactly the file columns), plus what a test or a demo needs to check them:
    `truth` (one row per generated dispute: channel, source_id, grid_code, category, outcome, status,
    reported_at, closed_at, true position in EPSG:4490), `planted` (channel, row, source_id, defect) and
    `hot_spots` (grid_code, month, factor)."""

    app: pd.DataFrame
    hotline: pd.DataFrame
    miniprogram: pd.DataFrame
    truth: gpd.GeoDataFrame
    planted: pd.DataFrame
    hot_spots: pd.DataFrame

    def frames(self) -> dict[IncidentSource, pd.DataFrame]:
        return {
            IncidentSource.APP: self.app,
            IncidentSource.HOTLINE: self.hotline,
            IncidentSource.MINIPROGRAM: self.miniprogram,
        }


# ---------------------------------------------------------------- when and where


def _month_starts() -> pd.DatetimeIndex:
    return pd.date_range(PERIOD_START, periods=MONTHS, freq="MS")


def _seasonality(starts: pd.DatetimeIndex) -> NDArray[np.float64]:
    """Factor per category (rows) and month of the period (columns)."""
    months = starts.month.to_numpy()
    festival = np.array([(s.year, s.month) in _SPRING_FESTIVAL for s in starts])
    after = np.roll(festival, 1) & ~festival
    factor = np.ones((len(_CATEGORIES), len(starts)))
    by_month = {
        IncidentCategory.LAND: {2: 1.1, 3: 1.8, 4: 2.2, 5: 1.8, 6: 1.2, 10: 1.1, 12: 0.6, 1: 0.6},
        IncidentCategory.LABOUR_WAGES: {12: 1.5, 1: 1.9},
        IncidentCategory.PROPERTY_MANAGEMENT: {11: 1.3, 12: 1.2, 7: 1.1},
        IncidentCategory.TRAFFIC: {7: 1.3, 8: 1.3, 10: 1.2},
        IncidentCategory.BUSINESS: {7: 1.25, 8: 1.25, 1: 1.2},
    }
    for category, table in by_month.items():
        factor[_CATEGORIES.index(category)] = [table.get(int(m), 1.0) for m in months]
    for category in (
        IncidentCategory.NEIGHBOUR,
        IncidentCategory.MARRIAGE_FAMILY,
        IncidentCategory.OTHER,
        IncidentCategory.LABOUR_WAGES,
    ):
        row = _CATEGORIES.index(category)
        factor[row] *= np.where(festival, 1.5, np.where(after, 1.15, 1.0))
    return factor


def _hot_spots(rng: np.random.Generator, grids: gpd.GeoDataFrame) -> NDArray[np.float64]:
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


def _draw_disputes(
    rng: np.random.Generator, grids: gpd.GeoDataFrame, total: int, hot: NDArray[np.float64]
) -> pd.DataFrame:
    """Grid, month and category of every dispute, drawn from households x rate x mix x season x hot spots."""
    kinds = grids[Col.KIND].to_numpy()
    base = grids[Col.HOUSEHOLDS].to_numpy(dtype=np.float64).clip(min=1.0) * np.array(
        [_RATE.get(k, 1.0) for k in kinds]
    )
    mix = np.array([_MIX.get(k, _MIX[AreaKind.RURAL.value]) for k in kinds])
    season = _seasonality(_month_starts())
    weights = base[:, None, None] * hot[:, :, None] * mix[:, None, :] * season.T[None, :, :]
    counts = rng.multinomial(total, (weights / weights.sum()).ravel())
    cells = np.repeat(np.arange(counts.size), counts)
    grid, month, category = np.unravel_index(cells, weights.shape)
    return pd.DataFrame({"grid": grid, "month": month, "category": category})


def _timestamps(rng: np.random.Generator, months: NDArray[np.intp]) -> pd.Series:
    starts = _month_starts()
    days = starts.days_in_month.to_numpy()[months]
    day = np.floor(rng.random(len(months)) * days)
    hour = rng.choice(24, len(months), p=_HOURS / _HOURS.sum())
    seconds = day * 86400 + hour * 3600 + rng.integers(0, 3600, len(months))
    return pd.Series(starts.to_numpy()[months] + pd.to_timedelta(seconds, unit="s"))


def _grid_address_index(
    addresses: gpd.GeoDataFrame, grid_codes: NDArray[np.str_]
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """Address rows sorted by grid, and the start and count of each grid's run."""
    order = np.argsort(addresses[Col.GRID_CODE].to_numpy(dtype=str), kind="stable")
    sorted_codes = addresses[Col.GRID_CODE].to_numpy(dtype=str)[order]
    start = np.searchsorted(sorted_codes, grid_codes, side="left")
    stop = np.searchsorted(sorted_codes, grid_codes, side="right")
    return order, start, stop - start


def _positions(
    rng: np.random.Generator, disputes: pd.DataFrame, grids: gpd.GeoDataFrame, addresses: gpd.GeoDataFrame
) -> pd.DataFrame:
    """True position of each dispute, and the doorplate it is tied to (-1 when none)."""
    polygons = grids.geometry.to_numpy()
    order, start, count = _grid_address_index(addresses, grids[Col.CODE].to_numpy(dtype=str))
    grid = disputes["grid"].to_numpy()
    channel = disputes["channel"].to_numpy()
    free_share = np.array([_FREE_SHARE[IncidentSource(c)] for c in channel])
    outdoor = np.isin(disputes["category"].to_numpy(), [_CATEGORIES.index(IncidentCategory.TRAFFIC)])
    field = disputes["category"].to_numpy() == _CATEGORIES.index(IncidentCategory.LAND)
    free_share = np.where(outdoor, 0.9, np.where(field, np.maximum(free_share, 0.5), free_share))
    free_share = np.where(channel == IncidentSource.HOTLINE.value, 0.0, free_share)
    free = (rng.random(len(grid)) < free_share) | (count[grid] == 0)
    address = np.full(len(grid), -1)
    tied = np.flatnonzero(~free)
    address[tied] = order[start[grid[tied]] + np.floor(rng.random(len(tied)) * count[grid[tied]]).astype(int)]
    x, y = np.full(len(grid), np.nan), np.full(len(grid), np.nan)
    ax = addresses.geometry.x.to_numpy()[address[tied]]
    ay = addresses.geometry.y.to_numpy()[address[tied]]
    metres = np.array([_JITTER_M[IncidentSource(c)] for c in channel[tied]])
    jx = ax + rng.normal(0, 1, len(tied)) * metres / (_METRES_PER_DEGREE * np.cos(np.radians(ay)))
    jy = ay + rng.normal(0, 1, len(tied)) * metres / _METRES_PER_DEGREE
    keep = shapely.contains_xy(polygons[grid[tied]], jx, jy)
    x[tied], y[tied] = np.where(keep, jx, ax), np.where(keep, jy, ay)
    # Free positions: half cluster around a spot of their grid, half anywhere in it.
    spot_x, spot_y = sample_points(polygons, rng)
    size = np.sqrt(shapely.area(shapely.envelope(polygons)))
    loose = np.flatnonzero(free)
    clustered = loose[rng.random(len(loose)) < 0.5]
    uniform = np.setdiff1d(loose, clustered)
    g = grid[clustered]
    x[clustered], y[clustered] = sample_points(
        polygons[g], rng, near=(spot_x[g], spot_y[g]), spread=0.2 * size[g]
    )
    x[uniform], y[uniform] = sample_points(polygons[grid[uniform]], rng)
    return pd.DataFrame({"x": x, "y": y, "address": address})


# ---------------------------------------------------------------- who reports, how it ends


def _channels(
    rng: np.random.Generator, disputes: pd.DataFrame, kinds: NDArray[np.object_]
) -> NDArray[np.object_]:
    """Exact channel shares; townspeople call and use the mini-program more, herders rarely."""
    kind = kinds[disputes["grid"].to_numpy()]
    category = disputes["category"].to_numpy()
    urban, pastoral = kind == AreaKind.URBAN.value, kind == AreaKind.PASTORAL.value
    public = np.isin(
        category,
        [
            _CATEGORIES.index(IncidentCategory.TRAFFIC),
            _CATEGORIES.index(IncidentCategory.PROPERTY_MANAGEMENT),
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


def _choose_open(
    rng: np.random.Generator, age_days: NDArray[np.float64], days: NDArray[np.float64], quota: int
) -> NDArray[np.bool_]:
    """`quota` open cases: first those that could not have been finished by the export, the most recent
    first, then others weighted towards recent months (a few old ones stay stuck)."""
    is_open = np.zeros(len(age_days), dtype=bool)
    crossing = np.flatnonzero(days > age_days)
    if len(crossing) >= quota:
        chosen = crossing[np.argsort(age_days[crossing], kind="stable")[:quota]]
    else:
        rest = np.flatnonzero(days <= age_days)
        weights = np.exp(-age_days[rest] / 45.0) + 0.01
        chosen = np.concatenate([crossing, rest[weighted_sample(rng, weights, quota - len(crossing))]])
    is_open[chosen] = True
    return is_open


def _outcomes(
    rng: np.random.Generator, category: NDArray[np.intp], serious: NDArray[np.bool_], closed: NDArray[np.intp]
) -> NDArray[np.object_]:
    """Outcomes of closed cases with the seed's court figures hit exactly: 12 % court-bound, of which 52 %
    diverted to pre-litigation mediation, of which 62 % succeed."""
    outcome = np.full(len(category), None, dtype=object)
    outcome[closed] = rng.choice(
        np.array([Outcome.MEDIATED, Outcome.MEDIATION_FAILED, Outcome.ADVISED], dtype=object),
        len(closed),
        p=[0.80, 0.06, 0.14],
    )
    court_count = round(_COURT_SHARE * len(closed))
    pre_count = round(_DIVERSION * court_count)
    success_count = round(_PRE_SUCCESS * pre_count)
    weights = np.array(_COURT_WEIGHT)[category[closed]] * np.where(serious[closed], 3.0, 1.0)
    court = closed[weighted_sample(rng, weights, court_count)]
    divertible = {
        IncidentCategory.TRAFFIC: 1.5,
        IncidentCategory.MARRIAGE_FAMILY: 1.3,
        IncidentCategory.BUSINESS: 1.2,
    }
    pre_weights = np.array([divertible.get(_CATEGORIES[c], 1.0) for c in category[court]])
    pre = court[weighted_sample(rng, pre_weights, pre_count)]
    success = pre[weighted_sample(rng, np.ones(len(pre)), success_count)]
    outcome[court] = Outcome.LITIGATED
    outcome[pre] = Outcome.PRE_LITIGATION_FAILED
    outcome[success] = Outcome.PRE_LITIGATION_MEDIATED
    return outcome


def _handling(rng: np.random.Generator, disputes: pd.DataFrame) -> pd.DataFrame:
    """Status, outcome and closing time; repeat petitions are closed at their own (higher) rate."""
    count = len(disputes)
    category = disputes["category"].to_numpy()
    age = (AS_OF - disputes["reported_at"]).dt.total_seconds().to_numpy() / 86400.0
    days = np.array(_MEDIAN_DAYS)[category] * np.exp(0.85 * rng.normal(0, 1, count))
    repeat = disputes["repeat_petition"].to_numpy()
    open_quota = count - round(_CLOSURE * count)
    repeat_quota = int(repeat.sum()) - round(_REPEAT_CLOSURE * int(repeat.sum()))
    is_open = np.zeros(count, dtype=bool)
    for members, quota in (
        (np.flatnonzero(repeat), repeat_quota),
        (np.flatnonzero(~repeat), open_quota - repeat_quota),
    ):
        is_open[members] = _choose_open(rng, age[members], days[members], quota)
    closed = np.flatnonzero(~is_open)
    outcome = _outcomes(rng, category, disputes["serious"].to_numpy(), closed)
    slow = {
        Outcome.ADVISED: 0.25,
        Outcome.MEDIATION_FAILED: 1.5,
        Outcome.LITIGATED: 2.0,
        Outcome.PRE_LITIGATION_FAILED: 2.0,
        Outcome.PRE_LITIGATION_MEDIATED: 1.6,
    }
    days *= np.array([slow.get(o, 1.0) for o in outcome])
    late = days > age
    days = np.where(late, age * rng.uniform(0.3, 0.95, count), days)
    waiting = is_open & ((age < 3.0) | (rng.random(count) < 0.1))
    status = np.where(is_open, np.where(waiting, _OPEN, _IN_PROGRESS), _CLOSED)
    closed_at = _office_hours(
        rng, disputes["reported_at"], disputes["reported_at"] + pd.to_timedelta(days, unit="D")
    )
    return disputes.assign(status=status, outcome=outcome, closed_at=closed_at.where(~is_open))


def _office_hours(rng: np.random.Generator, reported: pd.Series, finished: pd.Series) -> pd.Series:
    """Cases are closed between 08:30 and 18:00: move each closing time into that day's office hours
    (the next day's when that would precede the report), keeping it before the export."""
    office = pd.to_timedelta(rng.uniform(8.5 * 3600, 18 * 3600, len(finished)).round(), unit="s")
    moved = finished.dt.normalize() + office
    moved = moved.where(moved > reported, moved + pd.Timedelta(days=1))
    fallback = reported + (AS_OF - reported) / 2
    return moved.where(moved < AS_OF, fallback).dt.round("s")


# ---------------------------------------------------------------- rendering the raw rows


def _descriptions(rng: np.random.Generator, disputes: pd.DataFrame, pastoral: NDArray[np.bool_]) -> list[str]:
    count = len(disputes)
    first = [n[0] for n in fake_names(rng, count)]
    second = [n[0] for n in fake_names(rng, count)]
    workers = rng.integers(2, 30, count)
    picks = rng.random(count)
    texts = []
    for i, (code, channel, is_open) in enumerate(
        zip(disputes["category"], disputes["channel"], disputes["status"] != _CLOSED, strict=True)
    ):
        category = _CATEGORIES[code]
        topics = _GRASSLAND if category is IncidentCategory.LAND and pastoral[i] else _TOPICS[category]
        topic = topics[int(picks[i] * len(topics))]
        if category is IncidentCategory.PROPERTY_MANAGEMENT:
            core = f"小区居民反映{topic}问题"
        elif category is IncidentCategory.LABOUR_WAGES:
            core = f"{workers[i]}名务工人员反映{topic}"
        elif category is IncidentCategory.MARRIAGE_FAMILY:
            core = f"{first[i]}某家庭因{topic}产生矛盾"
        elif category is IncidentCategory.BUSINESS:
            core = f"{first[i]}某与商户因{topic}产生纠纷"
        else:
            core = f"{first[i]}某与{second[i]}某因{topic}发生纠纷"
        if channel == IncidentSource.APP.value:
            texts.append(f"入户走访发现：{core}" + ("，正在调处" if is_open else ""))
        elif channel == IncidentSource.HOTLINE.value:
            texts.append(f"来电人反映：{core}，请求协调处理。")
        else:
            texts.append(f"{core}，希望有人管管。")
    return texts


def _daily_ids(prefix: str, times: pd.Series) -> list[str]:
    days = times.dt.strftime("%Y%m%d")
    sequence = days.groupby(days).cumcount() + 1
    return [f"{prefix}{d}{s:04d}" for d, s in zip(days, sequence, strict=True)]


def _excel_time(times: pd.Series) -> pd.Series:
    """Text as a 12345 export shows it: '2023/7/5 14:03' (no leading zeros in date and hour)."""
    text = (
        times.dt.year.astype("Int64").astype(str)
        + "/"
        + times.dt.month.astype("Int64").astype(str)
        + "/"
        + times.dt.day.astype("Int64").astype(str)
        + " "
        + times.dt.hour.astype("Int64").astype(str)
        + ":"
        + times.dt.strftime("%M")
    )
    return text.where(times.notna(), None)


def _format_time(times: pd.Series, channel: IncidentSource) -> pd.Series:
    if channel is IncidentSource.HOTLINE:
        return _excel_time(times)
    pattern = "%Y-%m-%dT%H:%M:%S+08:00" if channel is IncidentSource.MINIPROGRAM else "%Y-%m-%d %H:%M:%S"
    return times.dt.strftime(pattern).where(times.notna(), None)


def _labels(values: pd.Series, table: Mapping[Outcome, str]) -> list[str | None]:
    return [table[v] if isinstance(v, Outcome) else None for v in values]


def _blank_where(mask: NDArray[np.bool_], values: NDArray[np.generic]) -> NDArray[np.object_]:
    """The values as objects, with None (an empty cell) where the mask is true."""
    blanked = np.asarray(values, dtype=object).copy()
    blanked[mask] = None
    return blanked


def _app_rows(rng: np.random.Generator, d: pd.DataFrame) -> pd.DataFrame:
    pre = np.isin(d["outcome"].to_numpy(), [Outcome.PRE_LITIGATION_MEDIATED, Outcome.PRE_LITIGATION_FAILED])
    return pd.DataFrame(
        {
            "event_id": _daily_ids("WG", d["reported_at"]),
            "reported_at": _format_time(d["reported_at"], IncidentSource.APP),
            "category": [_CATEGORY_LABEL[_CATEGORIES[c]] for c in d["category"]],
            "severity": d["severity"].to_numpy(),
            "serious": d["serious"].to_numpy().astype(int),
            "repeat_petition": d["repeat_petition"].to_numpy().astype(int),
            "description": d["description"].to_numpy(),
            "reporter_name": fake_names(rng, len(d)),
            "reporter_phone": fake_phones(rng, len(d)),
            "lon": np.round(d["x"].to_numpy(), 6).astype(object),
            "lat": np.round(d["y"].to_numpy(), 6).astype(object),
            "status": d["status"].to_numpy(),
            "closed_at": _format_time(d["closed_at"], IncidentSource.APP).to_numpy(),
            "outcome": _labels(d["outcome"], _OUTCOME_LABEL),
            "pre_litigation": pre.astype(int),
        }
    )


def _address_text(
    rng: np.random.Generator,
    rows: NDArray[np.intp],
    addresses: gpd.GeoDataFrame,
    names: Mapping[str, str],
    variants: NDArray[np.object_],
    p: list[float],
) -> list[str]:
    """The caller's address: full, or without the county, without the number, or the village only."""
    chosen = rng.choice(variants, len(rows), p=p)
    picked = addresses.iloc[rows]
    texts = []
    for variant, (county, township, village, road, number) in zip(
        chosen,
        picked[
            [Col.COUNTY_CODE, Col.TOWNSHIP_CODE, Col.VILLAGE_CODE, AddressCol.ROAD, AddressCol.NUMBER]
        ].itertuples(index=False),
        strict=True,
    ):
        head = ("" if variant == "no_county" else names[county]) + names[township] + names[village]
        tail = {"village": "", "no_number": road}.get(variant, f"{road}{number}号")
        texts.append(head + tail)
    return texts


def _hotline_rows(
    rng: np.random.Generator,
    d: pd.DataFrame,
    addresses: gpd.GeoDataFrame,
    names: Mapping[str, str],
    grid_codes: NDArray[np.str_],
) -> tuple[pd.DataFrame, NDArray[np.bool_]]:
    """Rows of the 12345 export and which of them give an address only."""
    tied = np.flatnonzero(d["address"].to_numpy() >= 0)
    address_only = np.zeros(len(d), dtype=bool)
    address_only[tied[weighted_sample(rng, np.ones(len(tied)), round(_ADDRESS_ONLY_SHARE * len(d)))]] = True
    text = np.empty(len(d), dtype=object)
    with_coordinates = np.setdiff1d(tied, np.flatnonzero(address_only))
    only = np.flatnonzero(address_only)
    kinds = np.array(["full", "no_county", "no_number", "village"], dtype=object)
    address = d["address"].to_numpy()
    text[only] = _address_text(rng, address[only], addresses, names, kinds, [0.55, 0.25, 0.10, 0.10])
    text[with_coordinates] = _address_text(
        rng, address[with_coordinates], addresses, names, kinds[:2], [0.7, 0.3]
    )
    untied = np.flatnonzero(address < 0)  # a grid without doorplates: the caller names the village
    text[untied] = [
        names[c[:6]] + names[c[:9]] + names[c[:12]] for c in grid_codes[d["grid"].to_numpy()[untied]]
    ]
    closed = (d["status"] == _CLOSED).to_numpy()
    pre = np.isin(d["outcome"].to_numpy(), [Outcome.PRE_LITIGATION_MEDIATED, Outcome.PRE_LITIGATION_FAILED])
    satisfaction = rng.choice(np.array(SATISFACTION_LABELS, dtype=object), len(d), p=[0.82, 0.13, 0.05])
    frame = pd.DataFrame(
        {
            "工单编号": _daily_ids("GD", d["reported_at"]),
            "来电时间": _format_time(d["reported_at"], IncidentSource.HOTLINE).to_numpy(),
            "诉求类型": [_CATEGORY_LABEL[_CATEGORIES[c]] for c in d["category"]],
            "诉求内容": d["description"].to_numpy(),
            "事发地址": text,
            "经度": _blank_where(address_only, np.round(d["x"].to_numpy(), 6)),
            "纬度": _blank_where(address_only, np.round(d["y"].to_numpy(), 6)),
            "办理状态": d["status"].to_numpy(),
            "办结时间": _format_time(d["closed_at"], IncidentSource.HOTLINE).to_numpy(),
            "满意度": _blank_where(~closed, satisfaction),
            "处理结果": _labels(d["outcome"], _OUTCOME_LABEL),
            "诉前分流": _blank_where(~closed, np.where(pre, "是", "否")),
            "来电人": fake_names(rng, len(d)),
            "联系电话": fake_phones(rng, len(d)),
        }
    )
    return frame, address_only


def _miniprogram_rows(rng: np.random.Generator, d: pd.DataFrame) -> pd.DataFrame:
    lng, lat = from_wgs84(d["x"].to_numpy(), d["y"].to_numpy(), RAW_CRS[IncidentSource.MINIPROGRAM])
    phones = fake_phones(rng, len(d))
    return pd.DataFrame(
        {
            "report_id": _daily_ids("XCX", d["reported_at"]),
            "submitted_at": _format_time(d["reported_at"], IncidentSource.MINIPROGRAM).to_numpy(),
            "type": [_CATEGORY_LABEL[_CATEGORIES[c]] for c in d["category"]],
            "content": d["description"].to_numpy(),
            "lng": np.round(lng, 6).astype(object),
            "lat": np.round(lat, 6).astype(object),
            "nickname": fake_nicknames(rng, len(d)),
            "phone": _blank_where(rng.random(len(d)) >= 0.8, phones),
            "status": d["status"].to_numpy(),
            "finished_at": _format_time(d["closed_at"], IncidentSource.MINIPROGRAM).to_numpy(),
            "result": _labels(d["outcome"], _OUTCOME_LABEL),
        }
    )


# ---------------------------------------------------------------- deliberate defects

_COORDINATE_COLUMNS: Final = {
    IncidentSource.APP: ("lon", "lat"),
    IncidentSource.HOTLINE: ("经度", "纬度"),
    IncidentSource.MINIPROGRAM: ("lng", "lat"),
}
_TIME_COLUMN: Final = {
    IncidentSource.APP: "reported_at",
    IncidentSource.HOTLINE: "来电时间",
    IncidentSource.MINIPROGRAM: "submitted_at",
}
_CATEGORY_COLUMN: Final = {
    IncidentSource.APP: "category",
    IncidentSource.HOTLINE: "诉求类型",
    IncidentSource.MINIPROGRAM: "type",
}


def _plant(
    rng: np.random.Generator,
    channel: IncidentSource,
    frame: pd.DataFrame,
    times: pd.Series,
    address_only: NDArray[np.bool_],
    total: int,
) -> tuple[pd.DataFrame, list[tuple[str, str, int]]]:
    """The frame with this channel's defects planted, and (defect, id, row) for each planted row."""
    frame = frame.copy()
    frame["_defect"] = None
    frame["_order"] = np.arange(len(frame), dtype=np.float64)
    lon, lat = _COORDINATE_COLUMNS[channel]
    used = np.zeros(len(frame), dtype=bool)
    copies = []
    for _, defect, share in (d for d in _DEFECTS if d[0] is channel):
        eligible = ~used
        if defect in ("swapped_coordinates", "non_numeric_coordinate"):
            eligible &= frame[lon].notna().to_numpy()
        if defect == "unmatched_address":
            eligible &= address_only
        candidates = np.flatnonzero(eligible)
        rows = candidates[weighted_sample(rng, np.ones(len(candidates)), max(1, round(share * total)))]
        used[rows] = True
        if defect == "swapped_coordinates":
            frame.loc[rows, [lon, lat]] = frame.loc[rows, [lat, lon]].to_numpy()
        elif defect == "non_numeric_coordinate":
            column = lon if rng.random() < 0.5 else lat
            frame.loc[rows, column] = rng.choice(np.array(_BAD_COORDINATES, dtype=object), len(rows))
        elif defect == "unparseable_date":
            frame.loc[rows, _TIME_COLUMN[channel]] = rng.choice(
                np.array(_BAD_DATES[channel], dtype=object), len(rows)
            )
        elif defect == "unknown_category":
            frame.loc[rows, _CATEGORY_COLUMN[channel]] = rng.choice(
                np.array(_BAD_CATEGORIES, dtype=object), len(rows)
            )
        elif defect == "unmatched_address":
            frame.loc[rows, "事发地址"] = rng.choice(np.array(_BAD_ADDRESSES, dtype=object), len(rows))
        if defect == "duplicate_id":
            copy = frame.iloc[rows].copy()
            later = times.iloc[rows] + pd.to_timedelta(rng.integers(2, 10, len(rows)), unit="min")
            copy[_TIME_COLUMN[channel]] = _format_time(later.reset_index(drop=True), channel).to_numpy()
            copy["_order"] = rows + 0.5
            copy["_defect"] = defect
            copies.append(copy)
        else:
            frame.loc[rows, "_defect"] = defect
    frame = pd.concat([frame, *copies]).sort_values("_order", kind="stable").reset_index(drop=True)
    defects = frame.pop("_defect")
    frame = frame.drop(columns="_order")
    id_column = _KEY_COLUMNS[channel][0]
    planted = [
        (str(defects[r]), str(frame.at[r, id_column]), int(r)) for r in np.flatnonzero(defects.notna())
    ]
    return frame, planted


# ---------------------------------------------------------------- the front door


def _check_addresses(addresses: gpd.GeoDataFrame) -> None:
    needed = [
        Col.COUNTY_CODE,
        Col.TOWNSHIP_CODE,
        Col.VILLAGE_CODE,
        Col.GRID_CODE,
        AddressCol.ROAD,
        AddressCol.NUMBER,
    ]
    missing = [str(c) for c in needed if c not in addresses.columns]
    if missing:
        raise GeoInputError(
            f"address library lacks column(s) {', '.join(missing)}: make it with generate_addresses"
        )


def _truth(
    disputes: pd.DataFrame,
    ids: NDArray[np.object_],
    grid_codes: NDArray[np.str_],
    addresses: gpd.GeoDataFrame,
) -> gpd.GeoDataFrame:
    address = disputes["address"].to_numpy()
    address_ids = addresses[AddressCol.ADDRESS_ID].to_numpy()
    frame = pd.DataFrame(
        {
            Col.SOURCE: disputes["channel"].to_numpy(),
            Col.SOURCE_ID: ids,
            Col.GRID_CODE: grid_codes[disputes["grid"].to_numpy()],
            Col.CATEGORY: [_CATEGORIES[c].value for c in disputes["category"]],
            Col.OUTCOME: [o.value if isinstance(o, Outcome) else None for o in disputes["outcome"]],
            Col.STATUS: [STATUS_LABELS[s].value for s in disputes["status"]],
            Col.REPORTED_AT: disputes["reported_at"].to_numpy(),
            Col.CLOSED_AT: disputes["closed_at"].to_numpy(),
            AddressCol.ADDRESS_ID: np.where(address >= 0, address_ids[np.maximum(address, 0)], None),
        }
    )
    geometry = gpd.points_from_xy(disputes["x"], disputes["y"], crs=STORAGE_EPSG)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=STORAGE_EPSG)


def generate_incidents(hierarchy: gpd.GeoDataFrame, addresses: gpd.GeoDataFrame, seed: Seed) -> RawIncidents:
    """Raw rows of every channel for the whole period (see the module docstring for what they hold)."""
    rng = as_rng(seed, "incidents")
    _check_addresses(addresses)
    grids = areas_at(hierarchy, Level.GRID)
    kinds = grids[Col.KIND].to_numpy()
    grid_codes = grids[Col.CODE].to_numpy(dtype=str)
    total = round(scaled_count("disputes_per_year", hierarchy_units(hierarchy)) * YEARS)
    hot = _hot_spots(rng, grids)
    disputes = _draw_disputes(rng, grids, total, hot)
    disputes["reported_at"] = _timestamps(rng, disputes["month"].to_numpy())
    disputes = disputes.sort_values("reported_at", kind="stable").reset_index(drop=True)
    disputes["channel"] = _channels(rng, disputes, kinds)
    serious = rng.random(total) < 0.004  # violence or a group incident
    disputes["severity"] = np.where(serious, 3, rng.choice([1, 2, 3], total, p=[0.70, 0.25, 0.05]))
    disputes["serious"] = serious
    disputes["repeat_petition"] = rng.random(total) < 0.03
    disputes = _handling(rng, disputes)
    disputes = pd.concat([disputes, _positions(rng, disputes, grids, addresses)], axis=1)
    disputes["description"] = _descriptions(
        rng, disputes, kinds[disputes["grid"].to_numpy()] == AreaKind.PASTORAL.value
    )
    names = hierarchy.set_index(Col.CODE)[Col.NAME].to_dict()

    by_channel = {c: disputes[disputes["channel"] == c.value].reset_index(drop=True) for c in RAW_FILE_NAMES}
    hotline, address_only = _hotline_rows(
        rng, by_channel[IncidentSource.HOTLINE], addresses, names, grid_codes
    )
    raw = {
        IncidentSource.APP: _app_rows(rng, by_channel[IncidentSource.APP]),
        IncidentSource.HOTLINE: hotline,
        IncidentSource.MINIPROGRAM: _miniprogram_rows(rng, by_channel[IncidentSource.MINIPROGRAM]),
    }
    # A caller who gives only an address is placed at the doorplate itself.
    exact = by_channel[IncidentSource.HOTLINE]["address"].to_numpy()[address_only]
    by_channel[IncidentSource.HOTLINE].loc[address_only, ["x", "y"]] = np.column_stack(
        [addresses.geometry.x.to_numpy()[exact], addresses.geometry.y.to_numpy()[exact]]
    )
    truth = pd.concat(
        [
            _truth(by_channel[c], raw[c][_KEY_COLUMNS[c][0]].to_numpy(), grid_codes, addresses)
            for c in RAW_FILE_NAMES
        ],
        ignore_index=True,
    )
    planted_rows = []
    for channel in RAW_FILE_NAMES:
        only = address_only if channel is IncidentSource.HOTLINE else np.zeros(len(raw[channel]), dtype=bool)
        raw[channel], planted = _plant(
            rng, channel, raw[channel], by_channel[channel]["reported_at"], only, total
        )
        planted_rows += [(channel.value, row, source_id, defect) for defect, source_id, row in planted]
    hot_cells = np.argwhere(hot > 1.0)
    months = _month_starts().strftime("%Y-%m")
    return RawIncidents(
        app=raw[IncidentSource.APP],
        hotline=raw[IncidentSource.HOTLINE],
        miniprogram=raw[IncidentSource.MINIPROGRAM],
        truth=plain_columns(gpd.GeoDataFrame(truth, geometry=Col.GEOMETRY, crs=STORAGE_EPSG)),
        planted=plain_columns(
            pd.DataFrame(planted_rows, columns=[Col.SOURCE, "row", Col.SOURCE_ID, "defect"])
        ),
        hot_spots=plain_columns(
            pd.DataFrame(
                {
                    Col.GRID_CODE: grid_codes[hot_cells[:, 0]],
                    "month": months[hot_cells[:, 1]],
                    "factor": np.round(hot[hot_cells[:, 0], hot_cells[:, 1]], 2),
                }
            )
        ),
    )


def write_raw_incidents(raw: RawIncidents, directory: Path) -> dict[IncidentSource, Path]:
    """The three raw files, in the encodings their channels use: app.csv in UTF-8, hotline.xlsx,
    miniprogram.csv in UTF-8 with a byte-order mark."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = {channel: directory / name for channel, name in RAW_FILE_NAMES.items()}
    raw.app.to_csv(paths[IncidentSource.APP], index=False, encoding="utf-8")
    raw.hotline.to_excel(paths[IncidentSource.HOTLINE], index=False, sheet_name="工单", engine="openpyxl")
    raw.miniprogram.to_csv(paths[IncidentSource.MINIPROGRAM], index=False, encoding="utf-8-sig")
    return paths


def seed_rates(raw: RawIncidents | Mapping[IncidentSource | str, pd.DataFrame]) -> dict[str, float]:
    """The seed's dispute figures measured on raw rows (frames as generated, or as read back from the
    files with every column as text): disputes_per_year (distinct ids), closure_rate,
    pre_litigation_diversion_rate, pre_litigation_success_rate, repeat_petition_closure_rate."""
    frames = raw.frames() if isinstance(raw, RawIncidents) else {IncidentSource(k): v for k, v in raw.items()}
    distinct, statuses, outcomes = 0, [], []
    for channel, frame in frames.items():
        id_column, status_column, outcome_column = _KEY_COLUMNS[channel]
        distinct += frame[id_column].nunique()
        statuses.append(frame[status_column].astype(str))
        outcomes.append(frame[outcome_column].dropna().astype(str))
    status = pd.concat(statuses)
    outcome = pd.concat(outcomes)
    pre = outcome.isin(["诉前调解成功", "诉前调解不成"]).sum()
    court = pre + (outcome == "诉讼").sum()
    app = frames[IncidentSource.APP]
    repeat = pd.to_numeric(app["repeat_petition"], errors="coerce") == 1
    return {
        "disputes_per_year": distinct / YEARS,
        "closure_rate": float((status == _CLOSED).mean()),
        "pre_litigation_diversion_rate": float(pre / court) if court else float("nan"),
        "pre_litigation_success_rate": float((outcome == "诉前调解成功").sum() / pre)
        if pre
        else float("nan"),
        "repeat_petition_closure_rate": float((app.loc[repeat, "status"].astype(str) == _CLOSED).mean()),
    }
