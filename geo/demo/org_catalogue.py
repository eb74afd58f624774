"""Which mediation and service organisations the demo has: the seed's committees, studios, legal service
organisations and counselling rooms, each with its name, area and the disputes it takes (specialties)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import geopandas as gpd
import numpy as np

from geo.demo.addresses import areas_at
from geo.demo.figures import scaled_count
from geo.demo.grid_lookup import GridLookup, spread_counts
from geo.demo.names import fake_names
from geo.demo.plan import PASTORAL_COUNTIES
from geo.schema import CITY_CODE, CODE_LENGTH, AreaKind, Col, Level, OrgType, Specialty

#: An organisation before it is placed: (type, name, area code, specialties as text).
OrgDraft = tuple[OrgType, str, str, str]

#: Industry committees: the trade in their name and the disputes they take (the seed names traffic,
#: finance and insurance, marriage and family as special court-linked rooms).
_INDUSTRIES: Final[tuple[tuple[str, Specialty], ...]] = (
    ("道路交通事故", Specialty.TRAFFIC),
    ("劳动争议", Specialty.LABOUR_WAGES),
    ("物业", Specialty.PROPERTY_MANAGEMENT),
    ("婚姻家庭", Specialty.MARRIAGE_FAMILY),
    ("金融保险", Specialty.FINANCE_INSURANCE),
    ("消费", Specialty.BUSINESS),
    ("土地承包", Specialty.LAND),
    ("建筑工程", Specialty.LABOUR_WAGES),
    ("商事", Specialty.BUSINESS),
    ("旅游", Specialty.BUSINESS),
    ("征地拆迁", Specialty.LAND),
    ("房地产", Specialty.PROPERTY_MANAGEMENT),
    ("电力", Specialty.BUSINESS),
    ("物流运输", Specialty.TRAFFIC),
    ("农民工工资", Specialty.LABOUR_WAGES),
)
_PASTORAL_INDUSTRY: Final = ("草原", Specialty.PASTORAL)
_FEATURED_BRANDS: Final = tuple(  # a word list reads best as one string
    "枫桥 红色物业 马背 石榴籽 和为贵 老兵 巾帼 法润 说和 暖心 邻里守望 胡杨 春风 "  # noqa: SIM905
    "连心 息诉 同心 金秤砣 明理 和事佬 阳光 沙枣花 丝路".split()
)
_LAW_FIRM_STEMS: Final = tuple("正义 金泉 瀚海 雄关 明德 公正 天平 丝路 祁连 飞天 敦和 玉关".split())  # noqa: SIM905
_GENERAL_SPECIALTIES: Final = (
    Specialty.NEIGHBOUR,
    Specialty.MARRIAGE_FAMILY,
    Specialty.BUSINESS,
    Specialty.LABOUR_WAGES,
    Specialty.TRAFFIC,
    Specialty.FINANCE_INSURANCE,
)
_SPECIALTY_ORDER: Final = {s: i for i, s in enumerate(Specialty)}


def joined_specialties(specialties: Sequence[Specialty]) -> str:
    """Specialties as the layers store them: distinct values in schema order, comma-separated."""
    return ",".join(s.value for s in sorted(set(specialties), key=_SPECIALTY_ORDER.__getitem__))


def area_specialties(kind: str, *, township: bool) -> list[Specialty]:
    base = [Specialty.NEIGHBOUR, Specialty.MARRIAGE_FAMILY]
    if township:
        base += [Specialty.LABOUR_WAGES, Specialty.BUSINESS]
    if kind == AreaKind.URBAN.value:
        return [*base, Specialty.PROPERTY_MANAGEMENT]
    if kind == AreaKind.PASTORAL.value:
        return [*base, Specialty.LAND, Specialty.PASTORAL]
    return [*base, Specialty.LAND]


def _committees(hierarchy: gpd.GeoDataFrame, units: dict[str, int]) -> list[OrgDraft]:
    """Township committees (one each, the extras in the most populous townships) and village committees."""
    drafts = []
    townships = areas_at(hierarchy, Level.TOWNSHIP).sort_values(
        [Col.HOUSEHOLDS, Col.CODE], ascending=[False, True]
    )
    wanted = scaled_count("township_committees", units)
    for rank in range(wanted):
        row = townships.iloc[rank % len(townships)]
        name = (
            f"{row[Col.NAME]}人民调解委员会"
            if rank < len(townships)
            else f"{row[Col.NAME]}园区人民调解委员会"
        )
        drafts.append(
            (
                OrgType.TOWNSHIP_COMMITTEE,
                name,
                row[Col.CODE],
                joined_specialties(area_specialties(row[Col.KIND], township=True)),
            )
        )
    villages = areas_at(hierarchy, Level.VILLAGE)
    for row in villages.head(scaled_count("village_committees", units)).itertuples():
        code, name, kind = getattr(row, Col.CODE), getattr(row, Col.NAME), getattr(row, Col.KIND)
        drafts.append(
            (
                OrgType.VILLAGE_COMMITTEE,
                f"{name}人民调解委员会",
                code,
                joined_specialties(area_specialties(kind, township=False)),
            )
        )
    return drafts


def _industry_committees(
    rng: np.random.Generator, grids: GridLookup, counties: list[str], count: int
) -> list[OrgDraft]:
    """About a tenth at city level, the rest split over counties by the root of their households."""
    city_count = max(1, round(count * 0.1)) if count > len(counties) else 0
    weights = np.array([grids.households[grids.under(c)].sum() ** 0.5 for c in counties])
    per_county = spread_counts(rng, count - city_count, weights, 0)
    drafts = []
    for area, n in [(CITY_CODE, city_count), *zip(counties, per_county, strict=True)]:
        trades = [*_INDUSTRIES, _PASTORAL_INDUSTRY] if area in PASTORAL_COUNTIES else list(_INDUSTRIES)
        for i in range(int(n)):
            trade, specialty = trades[i % len(trades)]
            prefix = grids.names[area] + (f"第{i // len(trades) + 1}" if i >= len(trades) else "")
            name = f"{prefix}{trade}纠纷人民调解委员会"
            drafts.append((OrgType.INDUSTRY_COMMITTEE, name, area, joined_specialties([specialty])))
    return drafts


def _studios_and_services(
    rng: np.random.Generator, grids: GridLookup, units: dict[str, int], hierarchy: gpd.GeoDataFrame
) -> list[OrgDraft]:
    townships = areas_at(hierarchy, Level.TOWNSHIP)
    counties = areas_at(hierarchy, Level.COUNTY)[Col.CODE].tolist()
    weights = townships[Col.HOUSEHOLDS].to_numpy(dtype=np.float64).clip(min=1.0)
    weights *= np.where(townships[Col.KIND] == AreaKind.URBAN.value, 2.0, 1.0)
    drafts: list[OrgDraft] = []

    def townships_for(n: int) -> list[str]:
        return list(rng.choice(townships[Col.CODE].to_numpy(dtype=str), n, p=weights / weights.sum()))

    personal = scaled_count("personal_studios", units)
    for area, person in zip(townships_for(personal), fake_names(rng, personal), strict=True):
        picked = rng.choice(len(_GENERAL_SPECIALTIES), int(rng.integers(2, 4)), replace=False)
        drafts.append(
            (
                OrgType.PERSONAL_STUDIO,
                f"{person}调解工作室",
                area,
                joined_specialties([_GENERAL_SPECIALTIES[i] for i in picked]),
            )
        )
    featured = scaled_count("featured_studios", units)
    for i, area in enumerate(townships_for(featured)):
        brand = _FEATURED_BRANDS[i % len(_FEATURED_BRANDS)]
        specialty = (
            Specialty.PASTORAL if brand == "马背" else _GENERAL_SPECIALTIES[i % len(_GENERAL_SPECIALTIES)]
        )
        drafts.append(
            (
                OrgType.FEATURED_STUDIO,
                f"{grids.names[area]}“{brand}”调解工作室",
                area,
                joined_specialties([Specialty.NEIGHBOUR, specialty]),
            )
        )
    legal = scaled_count("legal_service_orgs", units)
    at_county = rng.random(legal) < 0.35
    for i, (area, county_level) in enumerate(zip(townships_for(legal), at_county, strict=True)):
        if county_level:
            area = area[: CODE_LENGTH[Level.COUNTY]]
            name = f"甘肃{_LAW_FIRM_STEMS[i % len(_LAW_FIRM_STEMS)]}律师事务所{grids.names[area]}分所"
        else:
            name = f"{grids.names[area]}法律服务所"
        drafts.append(
            (
                OrgType.LEGAL_SERVICE,
                name,
                area,
                joined_specialties([Specialty.BUSINESS, Specialty.LABOUR_WAGES, Specialty.FINANCE_INSURANCE]),
            )
        )
    rooms = scaled_count("counselling_rooms", units)
    by_size = townships.sort_values([Col.HOUSEHOLDS, Col.CODE], ascending=[False, True])[Col.CODE].tolist()
    areas = counties + by_size
    for i in range(rooms):
        area = areas[i % len(areas)]
        drafts.append(
            (
                OrgType.COUNSELLING_ROOM,
                f"{grids.names[area]}心理咨询室",
                area,
                joined_specialties([Specialty.MARRIAGE_FAMILY, Specialty.NEIGHBOUR]),
            )
        )
    return drafts


def catalogue_organisations(
    rng: np.random.Generator, grids: GridLookup, hierarchy: gpd.GeoDataFrame, units: dict[str, int]
) -> list[OrgDraft]:
    """Every organisation the seed counts: committees, industry committees, then studios and services."""
    counties = areas_at(hierarchy, Level.COUNTY)[Col.CODE].tolist()
    drafts = _committees(hierarchy, units)
    drafts += _industry_committees(rng, grids, counties, scaled_count("industry_committees", units))
    drafts += _studios_and_services(rng, grids, units, hierarchy)
    return drafts
